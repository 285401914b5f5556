//! The exit-code table, and the one place errors become a line on stderr.
//!
//! [`TABLE`] is the one definition: the constants below, the `--json` error kinds,
//! the `--help` text and the README's table are checked against it by the tests here.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use twofa::error::Kind;

/// How errors are reported: set once, after the command line is read.
#[derive(Debug, Clone, Default)]
pub struct Reporting {
    /// `--json`: the error is also a JSON object on stdout.
    pub json: bool,
    /// `--db PATH` as given on the command line, repeated in every hint that names a
    /// command, so that following the hint acts on the same database.
    pub db: Option<std::path::PathBuf>,
}

static REPORTING: OnceLock<Reporting> = OnceLock::new();

pub fn set_reporting(r: Reporting) {
    let _ = REPORTING.set(r);
}

fn reporting() -> Reporting {
    REPORTING.get().cloned().unwrap_or_default()
}

/// The stable word for each exit code's class, for `--json` errors.
pub fn kind_name(code: u8) -> &'static str {
    TABLE.iter().find(|e| e.code == code).map_or("failure", |e| e.kind)
}

/// A path as it would be typed in a shell.
/// Text as one word for a POSIX shell: as is when harmless, else single-quoted.
pub fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+=:,@%".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// `hint` with `--db PATH` after every `twofa ` it names, when the database was
/// chosen with `--db` (TWOFA_DB stays in the environment, so it needs no repeating).
pub fn with_global_options(hint: &str) -> String {
    match reporting().db {
        Some(db) => hint
            .replace(
                "`twofa ",
                &format!("`twofa --db={} ", shell_word(&twofa::store::repeatable(&db))),
            )
            .replace(
                ": twofa ",
                &format!(": twofa --db={} ", shell_word(&twofa::store::repeatable(&db))),
            ),
        None => hint.to_string(),
    }
}

/// Writes the error: a line on stderr (with a hint line when there is one), and
/// with `--json` also `{"error": {"kind", "message", "hint", "exit_code"}}` on stdout
/// (unless the command already wrote its data there: `audit verify`'s report, a
/// denied `access` decision).
fn emit(code: u8, message: &str, hint: Option<&str>) {
    let styled = crate::output::color_allowed(std::io::stderr().is_terminal());
    let (red, yellow, reset) = if styled {
        ("\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{red}error:{reset} {message}");
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "{yellow}hint:{reset} {hint}");
    }
    if reporting().json && !crate::output::stdout_used() {
        let body = serde_json::json!({
            "error": {
                "kind": kind_name(code),
                "message": message,
                "hint": hint,
                "exit_code": code,
            }
        });
        let _ = writeln!(std::io::stdout(), "{body}");
    }
}

/// One row of the exit-code table.
pub struct ExitCode {
    pub code: u8,
    /// The stable word of `--json` errors.
    pub kind: &'static str,
    /// As `--help` says it (checked by the tests below).
    #[cfg_attr(not(test), allow(dead_code))]
    pub short: &'static str,
    /// As the README's table says it (checked by the tests below).
    #[cfg_attr(not(test), allow(dead_code))]
    pub long: &'static str,
}

pub const TABLE: &[ExitCode] = &[
    ExitCode {
        code: 0,
        kind: "ok",
        short: "success or code accepted",
        long: "success; the code was accepted",
    },
    ExitCode {
        code: 1,
        kind: "rejected",
        short: "code rejected",
        long: "the code was rejected: wrong, or already used",
    },
    ExitCode {
        code: 2,
        kind: "usage",
        short: "usage error or bad input",
        long: "usage error or bad input: unknown option, malformed code, invalid user name",
    },
    ExitCode {
        code: 3,
        kind: "locked_out",
        short: "locked out",
        long: "locked out after too many failures (even a right code is refused)",
    },
    ExitCode {
        code: 4,
        kind: "not_found",
        short: "unknown user, organization, enrollment or database",
        long: "unknown user or organization, not a member, no (active) enrollment, or no database at the path",
    },
    ExitCode {
        code: 5,
        kind: "denied",
        short: "denied by policy",
        long: "denied by policy: an organization requires 2FA (access, disable), a missing role, a failed step-up",
    },
    ExitCode {
        code: 6,
        kind: "conflict",
        short: "conflicts with the current state",
        long: "conflicts with the current state, e.g. enrolling a user whose 2FA is active",
    },
    ExitCode {
        code: 7,
        kind: "cancelled",
        short: "cancelled at a prompt",
        long: "cancelled at a confirmation prompt",
    },
    ExitCode {
        code: 8,
        kind: "tampered",
        short: "audit log tampered with",
        long: "`audit verify`: the audit log's hash chain is broken",
    },
    ExitCode {
        code: 9,
        kind: "key_file",
        short: "master key file problem",
        long: "master key file: missing, another user's or readable by others, or not this database's key",
    },
    ExitCode {
        code: 10,
        kind: "failure",
        short: "database or internal error",
        long: "database or internal error: unreadable path, another user's or loose file, not a twofa database, newer schema, a damaged or planted row",
    },
];

pub const SUCCESS: u8 = 0;
pub const REJECTED: u8 = 1;
pub const USAGE: u8 = 2;
pub const LOCKED: u8 = 3;
pub const NOT_FOUND: u8 = 4;
pub const DENIED: u8 = 5;
pub const CONFLICT: u8 = 6;
pub const CANCELLED: u8 = 7;
pub const TAMPERED: u8 = 8;
pub const KEY: u8 = 9;
pub const FAILURE: u8 = 10;

/// Errors that only the command-line layer raises.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("{0}")]
    Usage(String),
    /// The audit chain does not verify.
    #[error("{0}")]
    Tampered(String),
    /// The command's output already says what happened (a denied `access`): exit with
    /// `code`, adding only the hint.
    #[error("see the output")]
    Quiet { code: u8, hint: Option<String> },
}

fn code_for(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<twofa::Error>() {
            return match e.kind() {
                Kind::Rejected => REJECTED,
                Kind::InvalidInput => USAGE,
                Kind::LockedOut => LOCKED,
                Kind::NotFound => NOT_FOUND,
                Kind::Denied => DENIED,
                Kind::Conflict => CONFLICT,
                Kind::Storage => FAILURE,
                Kind::Key => KEY,
            };
        }
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return match e {
                CliError::Cancelled => CANCELLED,
                CliError::Usage(_) => USAGE,
                CliError::Tampered(_) => TAMPERED,
                CliError::Quiet { code, .. } => *code,
            };
        }
    }
    FAILURE
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn hint_for(err: &anyhow::Error) -> Option<String> {
    err.chain()
        .find_map(|c| c.downcast_ref::<twofa::Error>())
        .and_then(crate::hints::for_error)
}

/// Prints the error (one line, plus a hint when there is an obvious next step) and
/// returns the exit code.
pub fn report(result: anyhow::Result<()>) -> u8 {
    let err = match result {
        Ok(()) => return SUCCESS,
        // `twofa … | head` closing the pipe early is not a failure.
        Err(e) if is_broken_pipe(&e) => return SUCCESS,
        Err(e) => e,
    };
    let code = code_for(&err);
    if let Some(CliError::Quiet { hint, .. }) = err.downcast_ref::<CliError>() {
        if let Some(h) = hint {
            let _ = writeln!(std::io::stderr(), "hint: {}", with_global_options(h));
        }
        return code;
    }
    let hint = hint_for(&err).map(|h| with_global_options(&h));
    emit(code, &format!("{err:#}"), hint.as_deref());
    code
}

/// Clap's own errors. A mistyped option is named, with clap's suggestion; a stray
/// positional value is not repeated, as it is often a code typed without `--code`
/// (`twofa verify alice 123456`).
pub fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        e.exit()
    }
    // The command line was not understood, so look for --json and --db by hand.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let db = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    set_reporting(Reporting {
        json: args.iter().any(|a| a == "--json"),
        db,
    });
    let invalid = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let stray_value = e.kind() == ErrorKind::UnknownArgument && invalid.as_deref().is_some_and(|a| !a.starts_with('-'));
    if stray_value {
        emit(
            USAGE,
            "unexpected argument (not repeated here, in case it is a code)",
            Some("pass codes on standard input with --code - (argv is visible to other users and logged by sudo)"),
        );
        std::process::exit(i32::from(USAGE));
    }
    if !reporting().json {
        // Clap's own rendering: the option named, "tip: a similar argument exists", usage.
        e.exit()
    }
    let rendered = e.render().to_string();
    let message = rendered
        .lines()
        .next()
        .unwrap_or("invalid command line")
        .trim_start_matches("error: ")
        .to_string();
    let hint = match e.get(ContextKind::SuggestedArg) {
        Some(ContextValue::String(s)) => Some(format!("a similar option exists: {s}")),
        _ => None,
    };
    emit(USAGE, &message, hint.as_deref());
    std::process::exit(i32::from(USAGE));
}

/// A bug must still end in one line and a defined exit code, not a backtrace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error: {msg} (this is a bug in twofa; nothing was committed)"
        );
        // SQLite rolls back any open transaction when the process goes.
        std::process::exit(i32::from(FAILURE));
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_follow_the_table() {
        let consts = [
            SUCCESS, REJECTED, USAGE, LOCKED, NOT_FOUND, DENIED, CONFLICT, CANCELLED, TAMPERED, KEY, FAILURE,
        ];
        let codes: Vec<u8> = TABLE.iter().map(|e| e.code).collect();
        assert_eq!(codes, consts);
    }

    #[test]
    fn the_help_and_the_readme_say_what_the_table_says() {
        use clap::CommandFactory;
        let help = crate::cli::Cli::command().get_long_about().unwrap().to_string();
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let rows: Vec<String> = readme
            .lines()
            .filter(|l| l.starts_with("| ") && l.chars().nth(2).is_some_and(|c| c.is_ascii_digit()))
            .map(String::from)
            .collect();
        assert_eq!(
            rows.len(),
            TABLE.len(),
            "the README's exit-code table has one row per code"
        );
        for (e, row) in TABLE.iter().zip(&rows) {
            assert!(
                help.contains(&format!("{} {}", e.code, e.short)),
                "--help lacks `{} {}`",
                e.code,
                e.short
            );
            assert_eq!(
                row,
                &format!("| {:<2} | {} |", e.code, e.long),
                "README row for exit {}",
                e.code
            );
        }
    }
}
