//! The terminal flows, run under a pseudo-terminal made by util-linux `script`
//! (part of every Debian system): prompts without echo, dialoguer confirmations.

use crate::common::{Account, Env, exit};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `twofa --db DB ARGS` on a pseudo-terminal, typing `keys` one chunk at a time
/// with a pause before each, so every chunk meets the prompt it is meant for.
fn on_terminal(env: &Env, args: &str, keys: &[String]) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("twofa");
    let cmdline = format!("{} --db {} {args}", bin.display(), env.db.display());
    let mut child = match Command::new("script")
        .args(["-qec", &cmdline, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("util-linux `script` is needed for the terminal tests: {e}"),
    };
    let mut stdin = child.stdin.take().unwrap();
    for k in keys {
        std::thread::sleep(Duration::from_millis(700));
        stdin.write_all(k.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    std::thread::sleep(Duration::from_millis(700));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn enroll_on_a_terminal_prompts_activates_and_asks_to_confirm_saved_codes() {
    let env = Env::new();
    let acct = env.enroll("alice");
    let keys = [
        format!("{}\n", acct.wrong_code()),
        format!("{}\n", acct.code(0)),
        "n".into(),
        "y".into(),
    ];
    let (code, out) = on_terminal(&env, "enroll alice --qr none", &keys);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("wrong code for `alice`; try again"), "{out}");
    assert!(out.contains("Backup codes: each works once"), "{out}");
    assert!(out.contains("They will not be shown again"), "a 'no' asks again: {out}");
    assert!(!out.contains(&acct.code(0)), "the code is not echoed: {out}");
    let s = env.status("alice");
    assert_eq!(s["status"], "active");
    assert_eq!(s["backup_codes_remaining"], 10);
    assert_eq!(s["failed_attempts"], 0, "the success reset the count");
}

#[test]
fn enroll_on_a_terminal_can_be_left_pending() {
    let env = Env::new();
    let (code, out) = on_terminal(&env, "enroll bob --qr ansi", &["\n".to_string()]);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("Left pending"), "{out}");
    assert!(out.contains("\x1b[38;5;16"), "ansi QR drawn: {out}");
    assert_eq!(env.status("bob")["status"], "pending");
}

#[test]
fn disable_on_a_terminal_asks_first() {
    let env = Env::new();
    let (acct, _): (Account, _) = env.active("carol");
    let (code, out) = on_terminal(&env, "disable carol", &["n".to_string()]);
    assert_eq!(code, exit::CANCELLED, "declined: {out}");
    assert_eq!(env.status("carol")["status"], "active");
    let (code, out) = on_terminal(&env, "disable carol", &["y".to_string(), format!("{}\n", acct.code(1))]);
    assert_eq!(code, exit::OK, "{out}");
    assert_eq!(env.status("carol")["status"], "none");
}

#[test]
fn admin_reset_on_a_terminal_shows_what_goes_and_asks_first() {
    let env = Env::new();
    env.active("dora");
    let reset = "admin reset dora --reason 'lost phone, identity checked'";
    let (code, out) = on_terminal(&env, reset, &["n".to_string()]);
    assert_eq!(code, exit::CANCELLED, "declined: {out}");
    assert!(
        out.contains("backup codes left") && out.contains("10"),
        "preview: {out}"
    );
    assert_eq!(env.status("dora")["status"], "active", "nothing removed");
    let (code, out) = on_terminal(&env, reset, &["y".to_string()]);
    assert_eq!(code, exit::OK, "{out}");
    assert_eq!(env.status("dora")["status"], "none");
}

#[test]
fn a_stepped_up_actor_is_prompted_for_their_code_on_a_terminal() {
    let env = Env::new();
    env.json(&["user", "add", "boss"]);
    let (boss, _) = env.active("boss");
    env.json(&["user", "admin", "boss", "on"]);
    let keys = [format!("{}\n", boss.code(1))];
    let (code, out) = on_terminal(&env, "--actor boss user add eve", &keys);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("Current code of boss (step-up)"), "{out}");
    assert!(!out.contains(&boss.code(1)), "the code is not echoed: {out}");
}

#[test]
fn a_refused_actor_sees_no_reset_preview() {
    let env = Env::new();
    env.active("dora");
    env.json(&["user", "add", "mia"]);
    let (code, out) = on_terminal(&env, "--actor mia admin reset dora --reason x", &[]);
    assert_eq!(code, exit::DENIED, "{out}");
    assert!(
        !out.contains("backup codes left"),
        "preview shown to a refused actor: {out}"
    );
}
