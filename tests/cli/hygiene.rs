//! Memory and argv hygiene: a running twofa cannot dump core, and the output that
//! carries secrets or backup codes is unchanged by going through a wiped buffer.

use crate::common::{Env, exit};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The soft and hard "Max core file size" of a process, as `/proc/PID/limits` shows them.
fn core_limits(pid: u32) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap_or_else(|| panic!("no core limit in {limits}"));
    let mut fields = line["Max core file size".len()..].split_whitespace();
    (fields.next().unwrap().into(), fields.next().unwrap().into())
}

fn finish(mut child: Child) {
    // Closing stdin lets it read an empty code and end; kill it in case it does not.
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(target_os = "linux")]
fn a_running_twofa_has_core_dumps_off_and_is_not_dumpable(env: Env) {
    env.active("alice");
    let mut cmd = env.std_cmd();
    cmd.args(["verify", "alice", "--code", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Core dumps allowed as far as the hard limit lets them (the soft limit is often 0
    // already), so that what is seen below is twofa's own doing.
    // SAFETY: between fork and exec, only getrlimit and setrlimit (system calls).
    unsafe {
        cmd.pre_exec(|| {
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_CORE, &mut lim) == 0 {
                lim.rlim_cur = lim.rlim_max;
                libc::setrlimit(libc::RLIMIT_CORE, &lim);
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let pid = child.id();
    // It blocks reading the code from the open, empty pipe. The limits are set first
    // thing in main; wait for that, not for a guess at how long starting takes.
    let deadline = Instant::now() + Duration::from_secs(30);
    let limits = loop {
        let limits = core_limits(pid);
        if limits == ("0".into(), "0".into()) || Instant::now() > deadline {
            break limits;
        }
        assert!(child.try_wait().unwrap().is_none(), "twofa ended early");
        std::thread::sleep(Duration::from_millis(20));
    };
    // Not dumpable: the kernel gives its /proc files to root. (Only visible when the
    // tests do not run as root themselves.)
    let me = std::fs::metadata("/proc/self/status").unwrap().uid();
    let owner = std::fs::metadata(format!("/proc/{pid}/status")).unwrap().uid();
    finish(child);
    assert_eq!(limits, ("0".into(), "0".into()), "soft and hard core limits of twofa");
    if me != 0 {
        assert_eq!(owner, 0, "a dumpable twofa's /proc files would be ours ({me})");
    }
}

fn secret_output_is_the_same_json_and_text_as_ever(env: Env) {
    let (code, out, _) = env.run(&["--json", "enroll", "alice"]);
    assert_eq!(code, exit::OK);
    assert!(
        out.starts_with("{\n  \"user\": \"alice\",\n  \"status\": \"pending\",\n"),
        "{out}"
    );
    assert!(out.ends_with("\"\n}\n"), "pretty JSON and one newline: {out:?}");

    let (acct, _) = env.active("bob");
    let (code, out, err) = env.run(&["backup-codes", "bob", "--regenerate", "--code", &acct.code(1)]);
    assert_eq!(code, exit::OK, "{err}");
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("    ")).collect();
    assert_eq!(rows.len(), 5, "ten codes, two a row: {out}");
    for row in rows {
        let codes: Vec<&str> = row.trim_start().split("    ").collect();
        assert_eq!(codes.len(), 2, "{row:?}");
        assert!(
            codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'),
            "{row:?}"
        );
    }
}

fn secret_output_into_a_closed_pipe_is_not_an_error(env: Env) {
    for args in [&["enroll", "alice", "--qr", "ansi"][..], &["--json", "enroll", "alice"]] {
        // The reading end is closed before twofa starts: its write fails with EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = env.std_cmd().args(args).stdout(writer).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(exit::OK),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

on_both_backends!(
    secret_output_is_the_same_json_and_text_as_ever,
    secret_output_into_a_closed_pipe_is_not_an_error,
    #[cfg(target_os = "linux")]
    a_running_twofa_has_core_dumps_off_and_is_not_dumpable,
);
