//! The terminal QR code decodes back to exactly the printed otpauth URI.

use crate::common::Env;

/// Reads the QR block (lines between the heading and the blank line after it) into a
/// grid of "dark" modules; `cell` maps one character cell to (top dark, bottom dark).
fn decode(grid_rows: Vec<Vec<(bool, bool)>>) -> String {
    let width = grid_rows[0].len();
    let mut modules: Vec<Vec<bool>> = vec![];
    for row in &grid_rows {
        assert_eq!(row.len(), width, "ragged QR block");
        modules.push(row.iter().map(|c| c.0).collect());
        modules.push(row.iter().map(|c| c.1).collect());
    }
    // Scale each module to 4×4 pixels and add a generous white margin.
    const SCALE: usize = 4;
    const MARGIN: usize = 16;
    let h = modules.len() * SCALE + 2 * MARGIN;
    let w = width * SCALE + 2 * MARGIN;
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| {
        if x < MARGIN || y < MARGIN || x >= w - MARGIN || y >= h - MARGIN {
            return false;
        }
        modules[(y - MARGIN) / SCALE][(x - MARGIN) / SCALE]
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code found");
    grids[0].decode().expect("QR decodes").1
}

fn qr_block(out: &str) -> Vec<&str> {
    out.lines()
        .skip_while(|l| !l.starts_with("Scan this QR code"))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect()
}

fn uri_line(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("URI: "))
        .expect("URI line")
        .to_string()
}

fn unicode_qr_decodes_to_the_printed_uri(env: Env) {
    let (code, out, _) = env.run(&["enroll", "alice@example.com", "--qr", "unicode", "--issuer", "Acme Co"]);
    assert_eq!(code, 0);
    // Unicode mode draws the light modules: a block means light.
    let rows = qr_block(&out)
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| match c {
                    '█' => (false, false),
                    '▀' => (false, true),
                    '▄' => (true, false),
                    ' ' => (true, true),
                    other => panic!("unexpected character {other:?}"),
                })
                .collect()
        })
        .collect();
    assert_eq!(decode(rows), uri_line(&out));
}

fn ansi_qr_decodes_to_the_printed_uri(env: Env) {
    let (code, out, _) = env.run(&["enroll", "bob", "--qr", "ansi", "--digits", "8"]);
    assert_eq!(code, 0);
    let rows = qr_block(&out)
        .iter()
        .map(|l| {
            // Each cell is ESC[38;5;F;48;5;Bm▀ (or ;49m for the last half row).
            l.split('\x1b')
                .filter_map(|seq| seq.strip_prefix("[38;5;"))
                .map(|seq| {
                    let (colors, _) = seq.split_once('m').unwrap();
                    let parts: Vec<&str> = colors.split(';').collect();
                    let top_dark = parts[0] == "16";
                    let bottom_dark = parts.len() == 4 && parts[3] == "16";
                    (top_dark, bottom_dark)
                })
                .collect()
        })
        .collect();
    assert_eq!(decode(rows), uri_line(&out));
}

on_both_backends!(
    unicode_qr_decodes_to_the_printed_uri,
    ansi_qr_decodes_to_the_printed_uri,
);
