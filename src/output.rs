//! The one output layer: every command hands it a value that is both `Serialize`
//! (for `--json`) and [`Render`] (for people), so the two never drift apart.
//! Data goes to stdout; notes and hints to stderr.

use anyhow::Result;
use comfy_table::{Table, presets};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use twofa::clock::Timestamp;
use twofa::timefmt::rfc3339;

pub trait Render {
    fn render(&self, out: &mut dyn Write, style: &Output) -> std::io::Result<()>;
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    /// Colour (and other escape codes) allowed on stdout.
    pub color: bool,
}

/// Escape codes only on a terminal, and never when `NO_COLOR` is set (no-color.org).
pub fn color_allowed(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output {
            json,
            color: color_allowed(std::io::stdout().is_terminal()),
        }
    }

    pub fn print<T: Serialize + Render>(&self, value: &T) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            // Serialise first, so that a closed pipe surfaces as a plain io::Error.
            let mut buf = serde_json::to_vec_pretty(value)?;
            buf.push(b'\n');
            stdout.write_all(&buf)?;
        } else {
            value.render(&mut stdout, self)?;
        }
        stdout.flush()?;
        Ok(())
    }

    /// A message for the person at the terminal (stderr), never part of the data.
    pub fn note(&self, msg: impl std::fmt::Display) {
        let _ = writeln!(std::io::stderr(), "{msg}");
    }

    pub fn hint(&self, msg: impl std::fmt::Display) {
        self.note(format_args!("hint: {msg}"));
    }
}

/// A two-column "field: value" table without borders.
pub fn fields<'a>(rows: impl IntoIterator<Item = (&'a str, String)>) -> Table {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    for (k, v) in rows {
        table.add_row(vec![k.to_string(), v]);
    }
    table
}

/// A list with a header row.
pub fn list(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(header.to_vec());
    table
}

pub fn time_or_dash(ts: Option<Timestamp>) -> String {
    ts.map(rfc3339).unwrap_or_else(|| "-".into())
}
