//! An external witness for the audit log: every committed entry also goes to syslog
//! (facility authpriv), when a syslog socket exists, with its id and hash. Whoever
//! can edit the database cannot also edit what the system log already holds, so the
//! head of the chain is kept outside the file.

use std::cell::Cell;
use std::ffi::CString;
use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use twofa::audit::{Record, to_hex};
use twofa::text::names::printable;

/// Where glibc's syslog(3) sends messages.
const SOCKET: &str = "/dev/log";

/// How long one process waits, in all, for syslog to take its entries. A syslog
/// daemon that hangs (or a socket nobody reads) must not hang logins: past this,
/// twofa says so once and carries on; the entries are in the database regardless.
const PATIENCE: Duration = Duration::from_millis(250);

/// A witness that sends each entry to syslog, or `None` when no syslog socket exists.
/// syslog(3) blocks while the socket's queue is full, so the sending happens on a
/// thread of its own, waited for at most [`PATIENCE`] per process.
pub fn syslog() -> Option<twofa::store::Witness> {
    if !std::path::Path::new(SOCKET).exists() {
        return None;
    }
    let (to_worker, inbox) = mpsc::channel::<CString>();
    let (done, acks) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("syslog".into())
        .spawn(move || {
            // SAFETY: the identity is a static NUL-terminated string.
            unsafe { libc::openlog(c"twofa".as_ptr(), libc::LOG_PID, libc::LOG_AUTHPRIV) };
            for msg in inbox {
                // SAFETY: a constant "%s" format with one NUL-terminated string argument.
                unsafe { libc::syslog(libc::LOG_AUTHPRIV | libc::LOG_INFO, c"%s".as_ptr(), msg.as_ptr()) };
                if done.send(()).is_err() {
                    break;
                }
            }
        })
        .ok()?;
    // The patience is spent only while waiting for syslog, however long the command
    // takes between its entries.
    let waited = Cell::new(Duration::ZERO);
    let stalled = Cell::new(false);
    Some(Box::new(move |r: &Record| {
        let Ok(msg) = CString::new(line(r)) else { return };
        if stalled.get() || to_worker.send(msg).is_err() {
            return;
        }
        let started = Instant::now();
        let taken = acks.recv_timeout(PATIENCE.saturating_sub(waited.get())).is_ok();
        waited.set(waited.get() + started.elapsed());
        if !taken {
            stalled.set(true);
            let _ = writeln!(
                std::io::stderr(),
                "warning: syslog ({SOCKET}) is not taking audit entries; they are kept in the database"
            );
        }
    }))
}

/// One line per entry: every field as `key="value"` (quotes and backslashes escaped,
/// control characters shown as `\u{…}`), so that no value can pass itself off as
/// another field; never a secret (entries hold none).
pub fn line(r: &Record) -> String {
    let e = &r.entry;
    let q = |s: &str| format!("\"{}\"", printable(s).replace('\\', "\\\\").replace('"', "\\\""));
    let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "-".to_string(), q);
    format!(
        "audit id={} hash={} actor={} via={} os_user={} sudo_user={} operator={} action={} subject={} org={} outcome={} reason={} ticket={} details={}",
        r.id,
        to_hex(&r.hash),
        q(&e.actor),
        e.actor_via.as_str(),
        opt(&e.os_user),
        opt(&e.sudo_user),
        e.operator.map_or("-", |o| if o { "yes" } else { "no" }),
        q(&e.action),
        opt(&e.subject),
        opt(&e.org),
        q(e.outcome.as_str()),
        opt(&e.reason),
        opt(&e.ticket),
        opt(&e.details),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use twofa::actor::{Actor, Via};
    use twofa::audit::Entry;

    #[test]
    fn a_value_cannot_pass_itself_off_as_another_field() {
        let entry = Entry::new(&Actor::new("mallory", Via::Sudo), 0, "verify")
            .subject("bob\" org=\"finance\" outcome=\"accepted")
            .outcome(twofa::audit::Outcome::Denied);
        let text = line(&Record {
            id: 7,
            entry,
            hash: [0; 32],
        });
        assert!(
            text.contains(r#"subject="bob\" org=\"finance\" outcome=\"accepted""#),
            "{text}"
        );
        assert!(text.contains(r#"org=- outcome="denied""#), "{text}");
        assert!(text.starts_with("audit id=7 hash=0000"), "{text}");
    }
}
