//! The exit-code table, and the one place errors become a line on stderr.
//!
//! | code | meaning |
//! |------|---------|
//! | 0  | success; the code was accepted |
//! | 1  | the code was rejected (wrong, or already used) |
//! | 2  | usage error or bad input (malformed code, invalid name, unknown option) |
//! | 3  | locked out after too many failures |
//! | 4  | unknown user or organization, not a member, or no (active) enrollment |
//! | 5  | denied by policy: 2FA required by an organization, or a missing role |
//! | 6  | conflicts with the current state (e.g. enrolling an already active user) |
//! | 7  | cancelled at a confirmation prompt |
//! | 8  | integrity check failed: the audit log's hash chain is broken |
//! | 9  | master key file: missing, readable by others, or not this database's key |
//! | 10 | database or internal error |

use std::io::{IsTerminal, Write};
use twofa::error::Kind;

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
        .and_then(twofa::Error::hint)
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
    let styled = crate::output::color_allowed(std::io::stderr().is_terminal());
    let (red, yellow, reset) = if styled {
        ("\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{red}error:{reset} {err:#}");
    if let Some(hint) = hint_for(&err) {
        let _ = writeln!(stderr, "{yellow}hint:{reset} {hint}");
    }
    code_for(&err)
}

/// Clap's own errors, except that a stray positional argument is not repeated: it
/// is often a code typed without `--code` (`twofa verify alice 123456`).
pub fn usage_error(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if e.kind() == ErrorKind::UnknownArgument {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "error: unexpected argument (not repeated here, in case it is a code)"
        );
        let _ = writeln!(
            stderr,
            "hint: pass codes on standard input with --code - (argv is visible to other users and logged by sudo)"
        );
        std::process::exit(i32::from(USAGE));
    }
    e.exit()
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
