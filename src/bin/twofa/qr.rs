//! QR codes drawn with Unicode half blocks: each character cell holds two modules,
//! one above the other, so the code is square on a typical 1:2 terminal font.
//!
//! Which colour a character cell shows depends on the terminal theme, and a QR code
//! must be dark modules on a light field (with a light quiet zone) for every scanner
//! to read it. So:
//! - `ansi` (the default on a colour terminal) paints every cell with explicit
//!   black (256-colour 16) and white (231) for foreground and background. It looks the
//!   same on dark and light themes, quiet zone included.
//! - `unicode` (no escape codes: NO_COLOR, pipes, files) draws the *light* modules and
//!   the quiet zone as blocks. On a dark theme, the common case for terminals, that
//!   gives the correct dark-on-light code; on a light theme it shows as a negative,
//!   which not every scanner reads. `ansi` is the rendering for every theme.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;
use zeroize::Zeroizing;

/// Modules of light margin around the code, as the QR standard asks; always drawn
/// explicitly, never left to the terminal background. A typical otpauth code is then
/// 53 columns wide.
const QUIET_ZONE: usize = 4;

/// The longest ANSI cell: `\x1b[38;5;231;48;5;231m▀`.
const ANSI_CELL_MAX: usize = "\x1b[38;5;231;48;5;231m▀".len();
const ANSI_RESET: &str = "\x1b[0m";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Unicode,
    Ansi,
}

/// The drawing, in a string that is wiped when dropped: its modules are the URI, secret
/// included.
pub fn render(data: &str, style: Style) -> Result<Zeroizing<String>, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    // Light (true) or dark (false) at (x, y) in the code plus quiet zone; rows past
    // the bottom are `None` (the lower half of the last text row when `size` is odd).
    let light = |x: usize, y: usize| -> Option<bool> {
        if y >= size {
            return None;
        }
        let inside = (QUIET_ZONE..QUIET_ZONE + width).contains(&x) && (QUIET_ZONE..QUIET_ZONE + width).contains(&y);
        Some(!inside || colors[(y - QUIET_ZONE) * width + (x - QUIET_ZONE)] == Color::Light)
    };
    // Sized for the longest drawing of this size, so that it never grows: a growing
    // String leaves its old allocation behind unwiped.
    let rows = size.div_ceil(2);
    let per_row = match style {
        Style::Unicode => size * '█'.len_utf8() + 1,
        Style::Ansi => size * ANSI_CELL_MAX + ANSI_RESET.len() + 1,
    };
    let mut out = Zeroizing::new(String::with_capacity(rows * per_row));
    for y in (0..size).step_by(2) {
        for x in 0..size {
            let top = light(x, y).unwrap_or(false);
            let bottom = light(x, y + 1);
            match style {
                Style::Unicode => out.push(match (top, bottom.unwrap_or(false)) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                }),
                Style::Ansi => {
                    let fg = if top { 231 } else { 16 };
                    // Written in place: no temporary string per cell.
                    let _ = match bottom {
                        Some(b) => write!(out, "\x1b[38;5;{fg};48;5;{}m▀", if b { 231 } else { 16 }),
                        None => write!(out, "\x1b[38;5;{fg};49m▀"),
                    };
                }
            }
        }
        if style == Style::Ansi {
            out.push_str(ANSI_RESET);
        }
        out.push('\n');
    }
    Ok(out)
}

/// How many terminal columns a drawing made by [`render`] takes.
pub fn columns(drawing: &str) -> usize {
    // One half block (or space) per column; the ANSI escape codes take none.
    drawing
        .lines()
        .next()
        .map_or(0, |l| l.chars().filter(|c| matches!(c, '█' | '▀' | '▄' | ' ')).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_rendering_is_square_with_a_light_border() {
        let s = render("otpauth://totp/twofa:alice?secret=ABCD&issuer=twofa", Style::Unicode).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        let width = lines[0].chars().count();
        assert_eq!(lines.len(), width.div_ceil(2));
        assert!(lines[0].chars().all(|c| c == '█'), "quiet zone rows are light");
        assert!(lines.iter().all(|l| l.chars().count() == width));
        let (last, body) = lines.split_last().unwrap();
        assert!(
            body.iter().all(|l| l.starts_with("████") && l.ends_with("████")),
            "left and right quiet zone"
        );
        assert!(
            last.chars().all(|c| c == '▀'),
            "odd size: the last row is the quiet zone's top half"
        );
        assert!(!s.contains('\x1b'));
    }

    #[test]
    fn the_drawing_never_outgrows_its_first_allocation() {
        // A growing string would leave unwiped copies of the drawing behind; one that
        // grew would have more capacity than it was first given.
        for len in [10, 80, 500, 2000] {
            let data = "A".repeat(len);
            for style in [Style::Unicode, Style::Ansi] {
                let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).unwrap();
                let size = code.width() + 2 * QUIET_ZONE;
                let per_row = match style {
                    Style::Unicode => size * 3 + 1,
                    Style::Ansi => size * ANSI_CELL_MAX + ANSI_RESET.len() + 1,
                };
                let s = render(&data, style).unwrap();
                assert_eq!(s.capacity(), size.div_ceil(2) * per_row, "{style:?}, {len} bytes");
            }
        }
    }

    #[test]
    fn columns_count_cells_not_escape_codes() {
        let data = "otpauth://totp/twofa:alice?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=twofa";
        let size = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
            .unwrap()
            .width()
            + 2 * QUIET_ZONE;
        for style in [Style::Unicode, Style::Ansi] {
            assert_eq!(columns(&render(data, style).unwrap()), size, "{style:?}");
        }
    }

    #[test]
    fn ansi_rendering_resets_every_line() {
        let s = render("hello", Style::Ansi).unwrap();
        assert!(s.lines().all(|l| l.ends_with("\x1b[0m")));
    }
}
