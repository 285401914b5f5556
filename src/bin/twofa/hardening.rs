//! Process hardening, done first thing in `main`, before a secret or a code is in
//! memory: no core dumps, so a crash cannot write secrets to disk, and (Linux) not
//! dumpable, so neither a core dump nor another process of the same user (ptrace,
//! `/proc/PID/mem`) can read them out of memory.
//!
//! Best effort: a failure changes nothing else, and twofa runs on.

pub fn harden() {
    #[cfg(unix)]
    no_core_dumps();
    #[cfg(target_os = "linux")]
    not_dumpable();
}

/// `RLIMIT_CORE` 0, soft and hard: lowering a limit is always allowed, and the hard
/// limit at 0 means nothing later in the process can raise it again.
#[cfg(unix)]
fn no_core_dumps() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit reads the struct passed by reference and nothing else.
    let _ = unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) };
}

/// Not dumpable: no core dump even if the limit were raised, no ptrace attach and no
/// reading of `/proc/PID/mem` by other processes of the same user.
#[cfg(target_os = "linux")]
fn not_dumpable() {
    // SAFETY: PR_SET_DUMPABLE takes plain integers and touches no memory of ours.
    let _ = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
}
