use crate::common::{Env, exit};

fn disable_needs_a_current_code(env: Env) {
    let (acct, _) = env.active("alice");
    let err = env.expect_exit(&["disable", "alice", "--yes"], exit::USAGE);
    assert!(err.contains("no code given"), "{err}");
    env.expect_exit(
        &["disable", "alice", "--yes", "--code", &acct.wrong_code()],
        exit::REJECTED,
    );
    assert_eq!(env.status("alice")["status"], "active");
    let v = env.json(&["disable", "alice", "--yes", "--code", &acct.code(1)]);
    assert_eq!(v["was"], "active");
    let s = env.status("alice");
    assert_eq!(s["status"], "none");
    assert_eq!(s["backup_codes_remaining"], 0);
}

fn disable_with_a_backup_code_then_enroll_again(env: Env) {
    let (_, codes) = env.active("alice");
    env.cmd()
        .args(["disable", "alice", "--yes", "--code", &codes[9]])
        .assert()
        .success();
    env.expect_exit(&["verify", "alice", "--code", &codes[8]], exit::NOT_FOUND);
    env.active("alice");
}

fn disable_cancels_a_pending_enrollment(env: Env) {
    env.enroll("bob");
    assert_eq!(env.json(&["disable", "bob"])["was"], "pending");
    assert_eq!(env.status("bob")["status"], "none");
    env.expect_exit(&["disable", "bob"], exit::NOT_FOUND);
}

/// Without a terminal to confirm on, removing an active enrollment
/// needs --yes (exit 2 otherwise, nothing changed, the code not spent).
fn disable_without_a_terminal_needs_yes(env: Env) {
    let (acct, _) = env.active("alice");
    let code = acct.code(1);
    let err = env.expect_exit(&["disable", "alice", "--code", &code], exit::USAGE);
    assert!(err.contains("--yes"), "{err}");
    assert!(err.contains("not a terminal"), "{err}");
    assert_eq!(env.status("alice")["status"], "active");
    env.json(&["disable", "alice", "--code", &code, "-y"]);
    assert_eq!(env.status("alice")["status"], "none");
    let (_, help, _) = env.run(&["disable", "--help"]);
    assert!(help.contains("exit 2"), "{help}");
}

/// A backup code disables even during a lockout (the lockout cannot be turned against
/// the user).
fn a_backup_code_disables_during_a_lockout(env: Env) {
    let (acct, codes) = env.active("alice");
    env.json(&["config", "set", "max_failures", "1"]);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    env.expect_exit(&["disable", "alice", "--code", &acct.code(1), "--yes"], exit::LOCKED);
    env.cmd()
        .args(["disable", "alice", "--code", "-", "--yes"])
        .write_stdin(format!("{}\n", codes[0]))
        .assert()
        .success();
    assert_eq!(env.status("alice")["status"], "none");
}

on_both_backends!(
    disable_needs_a_current_code,
    disable_with_a_backup_code_then_enroll_again,
    disable_cancels_a_pending_enrollment,
    disable_without_a_terminal_needs_yes,
    a_backup_code_disables_during_a_lockout,
);
