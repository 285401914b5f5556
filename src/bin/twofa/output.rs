//! The one output layer: every command hands it a value that is both `Serialize`
//! (for `--json`) and [`Render`] (for people), so the two never drift apart.
//! Data goes to stdout; notes and hints to stderr.

use anyhow::Result;
use comfy_table::{Table, presets};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use twofa::clock::Timestamp;
use twofa::text::timefmt::rfc3339;
use zeroize::Zeroizing;

static STDOUT_USED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes that the command's data went to stdout (so an error that follows, such as
/// `audit verify` finding a break after printing its report, adds no second object).
pub fn mark_stdout_used() {
    STDOUT_USED.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub fn stdout_used() -> bool {
    STDOUT_USED.load(std::sync::atomic::Ordering::Relaxed)
}

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
        mark_stdout_used();
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

    /// [`Output::print`] for a value that holds a secret or backup codes: the JSON or
    /// the text is made in one buffer that is wiped when dropped, then written to
    /// stdout in one `write_all`. A closed pipe is the same plain io::Error as there.
    pub fn print_secret<T: Serialize + Render>(&self, value: &T) -> Result<()> {
        mark_stdout_used();
        let mut buf = SecretBuf::new();
        if self.json {
            serde_json::to_writer_pretty(&mut buf, value)?;
            buf.write_all(b"\n")?;
        } else {
            value.render(&mut buf, self)?;
        }
        let mut stdout = std::io::stdout().lock();
        // Whatever is already buffered goes first.
        stdout.flush()?;
        // Past stdout's own buffer (a small output would be copied into it and stay
        // there unwiped): the same file, through a duplicate of its descriptor.
        #[cfg(unix)]
        std::fs::File::from(std::os::fd::AsFd::as_fd(&stdout).try_clone_to_owned()?).write_all(buf.as_bytes())?;
        #[cfg(not(unix))]
        {
            stdout.write_all(buf.as_bytes())?;
            stdout.flush()?;
        }
        Ok(())
    }

    /// A message for the person at the terminal (stderr), never part of the data.
    /// (Any twofa command it names gets the `--db` of this command line.)
    pub fn note(&self, msg: impl std::fmt::Display) {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::exit::with_global_options(&msg.to_string())
        );
    }

    pub fn hint(&self, msg: impl std::fmt::Display) {
        self.note(format_args!("hint: {msg}"));
    }
}

/// A byte buffer for output that holds a secret, wiped (its whole capacity) when
/// dropped. A `Vec` that grows moves to a new allocation and frees the old one as
/// is, leaving an unwiped copy behind. So it is pre-sized, to hold every such output
/// but the QR codes of very long names in one allocation (enroll with an ANSI QR code
/// is about 23 KB for a typical URI, the JSON well under 1 KB); and past that it grows
/// itself, copying into a new wiped buffer and wiping the old one.
struct SecretBuf(Zeroizing<Vec<u8>>);

impl SecretBuf {
    const CAPACITY: usize = 64 * 1024;

    fn new() -> SecretBuf {
        SecretBuf(Zeroizing::new(Vec::with_capacity(Self::CAPACITY)))
    }

    fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Write for SecretBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let needed = self.0.len() + data.len();
        if needed > self.0.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(needed.max(2 * self.0.capacity())));
            bigger.extend_from_slice(&self.0);
            // The old buffer is dropped here, and wiped.
            self.0 = bigger;
        }
        self.0.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// "1 member", "3 members".
pub fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Words for a person, for the reasons JSON carries as snake_case.
pub fn reason_words(reason: twofa::policy::AccessReason) -> &'static str {
    use twofa::policy::AccessReason::*;
    match reason {
        NotAMember => "not a member",
        NotRequired => "2FA not required there",
        TwoFactorActive => "2FA active",
        SsoExempt => "exempt: login managed by SSO",
        GracePeriod => "in the grace period to enroll",
        EnrollmentRequired => "must enroll first: the grace period is over",
        EmailNotAccepted => "email codes do not count as 2FA there: an authenticator app is needed",
    }
}

/// A table written row by row as rows arrive (fixed column widths), in the same look
/// as the comfy-table tables: a teammates table of 100,000 rows needs no buffering.
pub struct StreamTable {
    widths: Vec<usize>,
}

impl StreamTable {
    pub fn new(out: &mut dyn Write, header: &[(&str, usize)]) -> std::io::Result<StreamTable> {
        let t = StreamTable {
            widths: header.iter().map(|(_, w)| *w).collect(),
        };
        t.rule(out, '┌', '─', '┬', '┐')?;
        t.row(out, &header.iter().map(|(h, _)| h.to_string()).collect::<Vec<_>>())?;
        t.rule(out, '╞', '═', '╪', '╡')?;
        Ok(t)
    }

    fn rule(&self, out: &mut dyn Write, left: char, fill: char, cross: char, right: char) -> std::io::Result<()> {
        let parts: Vec<String> = self.widths.iter().map(|w| fill.to_string().repeat(w + 2)).collect();
        writeln!(out, "{left}{}{right}", parts.join(&cross.to_string()))
    }

    pub fn row(&self, out: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
        let parts: Vec<String> = cells
            .iter()
            .zip(&self.widths)
            .map(|(c, w)| format!(" {c}{} ", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        writeln!(out, "│{}│", parts.join("┆"))
    }

    pub fn end(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.rule(out, '└', '─', '┴', '┘')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_buffer_keeps_everything_written_across_growth() {
        let mut buf = SecretBuf::new();
        let chunk: Vec<u8> = (0..=255).collect();
        let mut expected = Vec::new();
        while expected.len() <= 3 * SecretBuf::CAPACITY {
            buf.write_all(&chunk).unwrap();
            expected.extend_from_slice(&chunk);
        }
        assert_eq!(buf.as_bytes(), &expected[..]);
        assert!(buf.0.capacity() >= expected.len());
    }

    #[test]
    fn small_outputs_fit_the_first_allocation() {
        let mut buf = SecretBuf::new();
        let first = buf.0.as_ptr();
        buf.write_all(&[b'x'; SecretBuf::CAPACITY]).unwrap();
        assert_eq!(buf.0.as_ptr(), first, "no reallocation up to the capacity");
    }
}
