//! The terminal flows, run under a pseudo-terminal made by util-linux `script`
//! (part of every Debian system): prompts without echo, `[y/N]` confirmations, Ctrl-C.

use crate::common::{Account, Env, exit};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `twofa --db DB ARGS` on a pseudo-terminal, typing `keys` one chunk at a time
/// with a pause before each, so every chunk meets the prompt it is meant for.
fn on_terminal(env: &Env, args: &str, keys: &[String]) -> (i32, String) {
    in_shell(env, &format!("TWOFA {args}"), keys)
}

/// Runs a `sh` command line on a pseudo-terminal, `TWOFA` in it standing for
/// `twofa --db DB`; keys typed as in [`on_terminal`].
fn in_shell(env: &Env, script: &str, keys: &[String]) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("twofa");
    let cmdline = script.replace("TWOFA", &format!("{} --db '{}'", bin.display(), env.db.display()));
    // A prompt left waiting (a missing Enter) ends the run after a minute, not never.
    let mut child = match Command::new("timeout")
        .args(["60", "script", "-qec", &cmdline, "/dev/null"])
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

/// `twofa ARGS` on a terminal, then the shell reads the next line typed: what twofa
/// left unread of the keys lands there. Returns twofa's exit code, that line, and all
/// the output.
fn then_shell_reads(env: &Env, args: &str, keys: &[String]) -> (i32, String, String) {
    let script = format!("TWOFA {args}; echo \"exit=$?\"; read -r next; echo \"next=[$next]\"");
    let (_, out) = in_shell(env, &script, keys);
    let code = out
        .split("exit=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no exit status: {out}"));
    let next = out
        .split("next=[")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_else(|| panic!("the shell read nothing: {out}"))
        .to_string();
    (code, next, out)
}

/// The words of `stty -a` output, to look for `echo` / `-echo` among them.
fn stty_flags(out: &str) -> Vec<&str> {
    out.split(|c: char| c.is_whitespace() || c == ';').collect()
}

fn enroll_on_a_terminal_prompts_activates_and_asks_to_confirm_saved_codes(env: Env) {
    let acct = env.enroll("alice");
    let keys = [
        format!("{}\n", acct.wrong_code()),
        format!("{}\n", acct.code(0)),
        "n\n".into(),
        "y\n".into(),
    ];
    let (code, out) = on_terminal(&env, "enroll alice --qr none", &keys);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("wrong code for `alice`; try again"), "{out}");
    assert!(out.contains("Backup codes: each works once"), "{out}");
    assert!(out.contains("They will not be shown again"), "a 'no' asks again: {out}");
    assert!(out.contains("somewhere safe? [y/N]"), "{out}");
    assert!(!out.contains(&acct.code(0)), "the code is not echoed: {out}");
    let s = env.status("alice");
    assert_eq!(s["status"], "active");
    assert_eq!(s["backup_codes_remaining"], 10);
    assert_eq!(s["failed_attempts"], 0, "the success reset the count");
}

fn enroll_on_a_terminal_can_be_left_pending(env: Env) {
    let (code, out) = on_terminal(&env, "enroll bob --qr ansi", &["\n".to_string()]);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("Left pending"), "{out}");
    assert!(out.contains("\x1b[38;5;16"), "ansi QR drawn: {out}");
    assert_eq!(env.status("bob")["status"], "pending");
}

fn disable_on_a_terminal_asks_first(env: Env) {
    let (acct, _): (Account, _) = env.active("carol");
    let (code, out) = on_terminal(&env, "disable carol", &["n\n".to_string()]);
    assert_eq!(code, exit::CANCELLED, "declined: {out}");
    assert_eq!(env.status("carol")["status"], "active");
    // `y` and its Enter in one chunk, then the code at the next prompt: the Enter is
    // not taken for an empty code.
    let (code, out) = on_terminal(
        &env,
        "disable carol",
        &["y\n".to_string(), format!("{}\n", acct.code(1))],
    );
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("backup codes of carol? [y/N]"), "{out}");
    assert!(!out.contains("no code given"), "{out}");
    assert_eq!(env.status("carol")["status"], "none");
}

fn admin_reset_on_a_terminal_shows_what_goes_and_asks_first(env: Env) {
    env.active("dora");
    let reset = "admin reset dora --reason 'lost phone, identity checked'";
    let (code, out) = on_terminal(&env, reset, &["n\n".to_string()]);
    assert_eq!(code, exit::CANCELLED, "declined: {out}");
    assert!(
        out.contains("backup codes left") && out.contains("10"),
        "preview: {out}"
    );
    assert_eq!(env.status("dora")["status"], "active", "nothing removed");
    let (code, out) = on_terminal(&env, reset, &["yes\n".to_string()]);
    assert_eq!(code, exit::OK, "{out}");
    assert_eq!(env.status("dora")["status"], "none");
}

fn a_stepped_up_actor_is_prompted_for_their_code_on_a_terminal(env: Env) {
    env.json(&["user", "add", "boss"]);
    let (boss, _) = env.active("boss");
    env.json(&["user", "admin", "boss", "on"]);
    let keys = [format!("{}\n", boss.code(1))];
    let (code, out) = on_terminal(&env, "--actor boss user add eve", &keys);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("Current code of boss (step-up)"), "{out}");
    assert!(!out.contains(&boss.code(1)), "the code is not echoed: {out}");
}

fn a_refused_actor_sees_no_reset_preview(env: Env) {
    env.active("dora");
    env.json(&["user", "add", "mia"]);
    let (code, out) = on_terminal(&env, "--actor mia admin reset dora --reason x", &[]);
    assert_eq!(code, exit::DENIED, "{out}");
    assert!(
        !out.contains("backup codes left"),
        "preview shown to a refused actor: {out}"
    );
}

/// A confirmation reads the whole line, so the Enter typed after `y`
/// reaches neither the next prompt nor the shell.
fn the_enter_after_y_is_taken_with_it(env: Env) {
    let acct = env.enroll("alice");
    let keys = [format!("{}\n", acct.code(0)), "y\n".into(), "after\n".into()];
    let (code, next, out) = then_shell_reads(&env, "enroll alice --qr none", &keys);
    assert_eq!(code, exit::OK, "{out}");
    assert_eq!(next, "after", "the Enter after y was left for the shell: {out}");
    assert_eq!(env.status("alice")["status"], "active");

    env.active("dora");
    env.json(&["user", "add", "olga"]);
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.json(&["user", "add", "zed"]);
    for (args, question) in [
        ("admin reset dora --reason 'lost phone'", "Reset the 2FA of dora?"),
        ("org delete acme", "Delete organization acme and its memberships? [y/N]"),
        ("user remove zed", "memberships? [y/N]"),
    ] {
        let (code, next, out) = then_shell_reads(&env, args, &["Y\n".into(), "after\n".into()]);
        assert_eq!(code, exit::OK, "{args}: {out}");
        assert!(out.contains(question), "{args}: {out}");
        assert_eq!(next, "after", "{args}: the Enter after y was left for the shell: {out}");
    }
    assert_eq!(env.status("dora")["status"], "none");
    env.expect_exit(&["org", "status", "acme"], exit::NOT_FOUND);
    env.expect_exit(&["status", "zed"], exit::NOT_FOUND);
}

/// Ctrl-C at a prompt ends twofa with the status of SIGINT and leaves
/// the terminal as it found it (rpassword turns echo and line editing off).
fn ctrl_c_at_a_prompt_restores_the_terminal(env: Env) {
    env.active("carol");
    // The shell survives the Ctrl-C (a trap, which twofa does not inherit) to report.
    for (args, keys) in [
        ("verify carol", vec!["12\x03".to_string()]),
        ("disable carol", vec!["\x03".to_string()]),
        ("disable carol", vec!["y\n".to_string(), "1\x03".to_string()]),
    ] {
        let script = format!("trap : INT; TWOFA {args}; echo \"exit=$?\"; stty -a");
        let (_, out) = in_shell(&env, &script, &keys);
        assert!(out.contains("exit=130"), "{args}: {out}");
        let flags = stty_flags(&out);
        assert!(
            flags.contains(&"echo") && !flags.contains(&"-echo"),
            "{args}: echo left off: {out}"
        );
        assert!(
            flags.contains(&"icanon") && !flags.contains(&"-icanon"),
            "{args}: {out}"
        );
        assert!(flags.contains(&"isig") && !flags.contains(&"-isig"), "{args}: {out}");
    }
    assert_eq!(env.status("carol")["status"], "active");
}

/// Ctrl-C at the enrollment's code prompt leaves no empty `--save` file behind (it
/// is made before the prompt, so that a bad path is refused before anything else).
fn ctrl_c_at_the_enroll_prompt_removes_the_unwritten_save_file(env: Env) {
    let save = env.dir.path().join("codes.txt");
    let script = format!(
        "trap : INT; TWOFA enroll dave --save {}; echo \"exit=$?\"",
        save.display()
    );
    let (_, out) = in_shell(&env, &script, &["12\x03".to_string()]);
    assert!(out.contains("exit=130"), "{out}");
    assert!(!save.exists(), "an empty --save file was left behind: {out}");
    assert_eq!(env.status("dave")["status"], "pending", "nothing was activated");
}

/// A refusal by policy comes before any question or code prompt.
fn disable_refused_by_policy_asks_nothing_first(env: Env) {
    env.json(&["user", "add", "olga"]);
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.active("alice");
    env.json(&["org", "add", "acme", "alice"]);
    env.json(&["org", "require-2fa", "acme", "on"]);
    let (code, out) = on_terminal(&env, "disable alice", &[]);
    assert_eq!(code, exit::DENIED, "{out}");
    assert!(out.contains("organization `acme` requires it"), "{out}");
    assert!(!out.contains("[y/N]"), "asked first: {out}");
    assert!(!out.contains("Current code"), "prompted for a code first: {out}");
    assert_eq!(env.status("alice")["status"], "active");
}

/// A lockout asks for a code all the same: a backup code works during one.
fn a_locked_out_user_disables_with_a_backup_code(env: Env) {
    let (acct, codes) = env.active("alice");
    env.json(&["config", "set", "max_failures", "1"]);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    let (code, out) = on_terminal(&env, "disable alice", &["y\n".into(), format!("{}\n", codes[0])]);
    assert_eq!(code, exit::OK, "a backup code works during a lockout: {out}");
    assert_eq!(env.status("alice")["status"], "none");
}

/// A terminal too narrow for the QR code gets none, and the reason.
fn a_terminal_too_narrow_for_the_qr_code_is_told_so(env: Env) {
    let (code, out) = in_shell(&env, "stty cols 40; TWOFA enroll bob --qr unicode", &["\n".into()]);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("terminal has 40"), "{out}");
    assert!(!out.contains("Scan this QR code") && !out.contains('█'), "{out}");
    assert!(out.contains("Or add the key by hand"), "{out}");
    let (code, out) = in_shell(&env, "stty cols 80; TWOFA enroll bob --qr ansi", &["\n".into()]);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("Scan this QR code"), "{out}");
    assert!(!out.contains("terminal has"), "{out}");
}

/// The verify prompt says a backup code works too.
fn the_verify_prompt_mentions_backup_codes(env: Env) {
    let (_, codes) = env.active("carol");
    let (code, out) = on_terminal(&env, "verify carol", &[format!("{}\n", codes[0])]);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("Code from the app, or a backup code: "), "{out}");
    assert!(!out.contains(&codes[0]), "the code is not echoed: {out}");
}

/// New backup codes on a terminal are confirmed as in enroll.
fn regenerated_codes_on_a_terminal_ask_if_saved(env: Env) {
    let (acct, _) = env.active("carol");
    let keys = [format!("{}\n", acct.code(1)), "n\n".into(), "y\n".into()];
    let (code, out) = on_terminal(&env, "backup-codes carol --regenerate", &keys);
    assert_eq!(code, exit::OK, "{out}");
    assert!(out.contains("New backup codes for carol"), "{out}");
    assert!(
        out.contains("Have you saved these backup codes somewhere safe? [y/N]"),
        "{out}"
    );
    assert!(out.contains("They will not be shown again"), "a 'no' asks again: {out}");
}

/// With --save the codes are in the file; no question then.
fn enroll_on_a_terminal_saves_the_codes_with_save(env: Env) {
    let acct = env.enroll("alice");
    let file = env.dir.path().join("alice-codes.txt");
    let args = format!("enroll alice --qr none --save {}", file.display());
    let (code, out) = on_terminal(&env, &args, &[format!("{}\n", acct.code(0))]);
    assert_eq!(code, exit::OK, "{out}");
    assert!(!out.contains("[y/N]"), "{out}");
    assert!(out.contains("Also saved in"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 11, "{text}");
    assert!(
        text.lines().skip(1).all(|c| out.contains(c)),
        "the printed codes: {text}\n{out}"
    );
}

/// Activation at the prompt ending in a lockout says what to do.
fn a_lockout_at_the_activation_prompt_says_what_to_do(env: Env) {
    let acct = env.enroll("alice");
    env.json(&["config", "set", "max_failures", "2"]);
    let wrong = format!("{}\n", acct.wrong_code());
    let (code, out) = on_terminal(&env, "enroll alice --qr none", &[wrong.clone(), wrong]);
    // The code that locks is itself a rejected one (exit 1); later ones meet the lock (3).
    assert_eq!(code, exit::REJECTED, "{out}");
    assert!(out.contains("locked out until"), "{out}");
    assert!(out.contains("Wait until then"), "{out}");
    assert!(out.contains("admin unlock alice"), "{out}");
    assert!(
        out.contains("no backup codes"),
        "not offered for a pending enrollment: {out}"
    );
}

/// Nothing is asked when the answer could only be refused: `verify` of a user without
/// 2FA, `disable` of someone else's pending enrollment.
fn no_prompt_before_a_certain_refusal(env: Env) {
    env.json(&["user", "add", "bob"]);
    let (code, out) = on_terminal(&env, "verify bob", &[]);
    assert_eq!(code, exit::NOT_FOUND, "{out}");
    assert!(!out.contains("Code from the app"), "{out}");
    env.enroll("alice");
    let (code, out) = on_terminal(&env, "--actor bob disable alice", &[]);
    assert_eq!(code, exit::DENIED, "{out}");
    assert!(!out.contains("[y/N]"), "{out}");
    assert_eq!(env.status("alice")["status"], "pending");
}

on_both_backends!(
    enroll_on_a_terminal_prompts_activates_and_asks_to_confirm_saved_codes,
    enroll_on_a_terminal_can_be_left_pending,
    disable_on_a_terminal_asks_first,
    admin_reset_on_a_terminal_shows_what_goes_and_asks_first,
    a_stepped_up_actor_is_prompted_for_their_code_on_a_terminal,
    a_refused_actor_sees_no_reset_preview,
    the_enter_after_y_is_taken_with_it,
    ctrl_c_at_a_prompt_restores_the_terminal,
    ctrl_c_at_the_enroll_prompt_removes_the_unwritten_save_file,
    disable_refused_by_policy_asks_nothing_first,
    a_locked_out_user_disables_with_a_backup_code,
    a_terminal_too_narrow_for_the_qr_code_is_told_so,
    the_verify_prompt_mentions_backup_codes,
    regenerated_codes_on_a_terminal_ask_if_saved,
    enroll_on_a_terminal_saves_the_codes_with_save,
    a_lockout_at_the_activation_prompt_says_what_to_do,
    no_prompt_before_a_certain_refusal,
);
