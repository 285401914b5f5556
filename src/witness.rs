//! An external witness for the audit log: every committed entry also goes to syslog
//! (facility authpriv), when a syslog socket exists, with its id and hash. Whoever
//! can edit the database cannot also edit what the system log already holds, so the
//! head of the chain is kept outside the file.

use std::ffi::CString;
use twofa::audit::{Record, to_hex};
use twofa::names::printable;

/// Where glibc's syslog(3) sends messages.
const SOCKET: &str = "/dev/log";

/// A witness that sends each entry to syslog, or `None` when no syslog socket exists.
pub fn syslog() -> Option<twofa::store::Witness> {
    if !std::path::Path::new(SOCKET).exists() {
        return None;
    }
    // SAFETY: the identity is a static NUL-terminated string that outlives the process's use of it.
    unsafe { libc::openlog(c"twofa".as_ptr(), libc::LOG_PID, libc::LOG_AUTHPRIV) };
    Some(Box::new(|r: &Record| {
        if let Ok(msg) = CString::new(line(r)) {
            // SAFETY: a constant "%s" format with one NUL-terminated string argument.
            unsafe { libc::syslog(libc::LOG_AUTHPRIV | libc::LOG_INFO, c"%s".as_ptr(), msg.as_ptr()) };
        }
    }))
}

/// One line per entry: every field, escaped; never a secret (entries hold none).
pub fn line(r: &Record) -> String {
    let e = &r.entry;
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "-".to_string(), |s| printable(s).into_owned())
    };
    format!(
        "audit id={} hash={} actor={} via={} os_user={} sudo_user={} operator={} action={} subject={} org={} outcome={} reason={} ticket={} details={}",
        r.id,
        to_hex(&r.hash),
        printable(&e.actor),
        e.actor_via.as_str(),
        opt(&e.os_user),
        opt(&e.sudo_user),
        e.operator.map_or("-", |o| if o { "yes" } else { "no" }),
        printable(&e.action),
        opt(&e.subject),
        opt(&e.org),
        printable(&e.outcome),
        opt(&e.reason),
        opt(&e.ticket),
        opt(&e.details),
    )
}
