//! The terminal twofa runs on: put back as it was when a prompt is interrupted, and
//! how wide it is.
//!
//! A hidden prompt turns echo off (and line editing and signals: rpassword reads key
//! by key and raises SIGINT itself on Ctrl-C). Killed there by Ctrl-C or `kill`, the
//! process would leave the shell without echo until `stty sane`. So at start, when
//! standard input is a terminal, its settings are saved, and SIGINT, SIGQUIT and
//! SIGTERM restore them (and show the cursor) before the process dies of the signal
//! as it would have: the shell sees the same status (130 for Ctrl-C) and a script
//! running twofa stops as on any other Ctrl-C. The same handlers remove a file that
//! must not outlive an interrupted command (an unwritten `--save` file).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// The settings of standard input at start; written once, before a handler exists.
static SAVED: OnceLock<libc::termios> = OnceLock::new();
/// Whether standard error is a terminal (escape codes allowed there).
static STDERR_TTY: AtomicBool = AtomicBool::new(false);
/// A file the handlers remove, as a C string (null: none). Never freed: a handler
/// may be reading it while it is replaced.
static REMOVE: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
/// Whether the handlers are installed.
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Saves the terminal's settings and installs the handlers; does nothing when standard
/// input is not a terminal. A signal ignored at start (`nohup`, a background job of a
/// shell without job control) stays ignored.
#[cfg(unix)]
pub fn restore_on_interrupt() {
    let mut term = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr writes a termios into the buffer given, or fails and writes nothing.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, term.as_mut_ptr()) } != 0 {
        return;
    }
    // SAFETY: tcgetattr succeeded, so the struct is initialised.
    if SAVED.set(unsafe { term.assume_init() }).is_err() {
        return;
    }
    // SAFETY: isatty only looks at the descriptor.
    STDERR_TTY.store(unsafe { libc::isatty(libc::STDERR_FILENO) } == 1, Ordering::SeqCst);
    install();
}

/// Has the handlers remove `path` if a signal ends the process, until called again
/// (with `None` once the file is complete or gone).
#[cfg(unix)]
pub fn remove_on_interrupt(path: Option<&std::path::Path>) {
    use std::os::unix::ffi::OsStrExt;
    let c = path.and_then(|p| std::ffi::CString::new(p.as_os_str().as_bytes()).ok());
    let ptr = c.map_or(std::ptr::null_mut(), std::ffi::CString::into_raw);
    REMOVE.store(ptr, Ordering::SeqCst);
    if !ptr.is_null() {
        install();
    }
}

#[cfg(not(unix))]
pub fn remove_on_interrupt(_: Option<&std::path::Path>) {}

#[cfg(unix)]
fn install() {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    for sig in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM] {
        // SAFETY: plain structs for sigaction, zero-initialised (a valid empty mask and
        // no flags) before the fields that matter are set; the handler is an
        // `extern "C" fn(c_int)` that only makes async-signal-safe calls.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig, std::ptr::null(), &mut old) != 0 || old.sa_sigaction == libc::SIG_IGN {
                continue;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // Back to the default action on entry: the signal raised again below ends
            // the process as soon as this handler returns.
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

#[cfg(not(unix))]
pub fn restore_on_interrupt() {}

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    const SHOW_CURSOR: &[u8] = b"\x1b[?25h\n";
    // Only async-signal-safe calls here: unlink, tcsetattr, write, raise.
    // SAFETY: the saved termios is a plain struct, set before any handler existed;
    // the pointers given to write cover the constant's bytes; a non-null REMOVE is a
    // C string that is never freed.
    unsafe {
        let remove = REMOVE.load(Ordering::SeqCst);
        if !remove.is_null() {
            libc::unlink(remove);
        }
        // Only in the foreground: from a background job, touching the terminal would
        // stop the process (SIGTTOU) instead of ending it, and there is nothing of
        // ours to restore anyway (no prompt runs in the background).
        let foreground = libc::tcgetpgrp(libc::STDIN_FILENO) == libc::getpgrp();
        if foreground && let Some(term) = SAVED.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, term);
        }
        if foreground && STDERR_TTY.load(Ordering::SeqCst) {
            libc::write(libc::STDERR_FILENO, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len());
        }
        // Blocked until this handler returns, then the default action: the process
        // ends of the signal (status 128 + signal number in a shell).
        libc::raise(sig);
    }
}

/// Columns available on standard output: `COLUMNS` when set to a number, else the
/// terminal's width; `None` when neither is known (a pipe, a file, a width of 0).
pub fn columns() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return Some(n).filter(|&n| n > 0);
    }
    #[cfg(unix)]
    {
        let mut size = std::mem::MaybeUninit::<libc::winsize>::uninit();
        // SAFETY: TIOCGWINSZ writes a winsize into the buffer given, or fails.
        if unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, size.as_mut_ptr()) } == 0 {
            // SAFETY: the ioctl succeeded.
            let cols = unsafe { size.assume_init() }.ws_col;
            return Some(usize::from(cols)).filter(|&n| n > 0);
        }
    }
    None
}
