use crate::common::{Env, exit};

fn accepts_a_fresh_code_once(env: Env) {
    let (acct, _) = env.active("alice");
    let code = acct.code(1);
    let v = env.json(&["verify", "alice", "--code", &code]);
    assert_eq!(v["method"], "totp");
    assert!(v["step_offset"].is_i64());
    let err = env.expect_exit(&["verify", "alice", "--code", &code], exit::REJECTED);
    assert!(err.contains("already used"), "{err}");
}

fn the_activation_code_cannot_be_replayed(env: Env) {
    let acct = env.enroll("alice");
    let code = acct.code(0);
    env.json(&["enroll", "alice", "--code", &code]);
    env.expect_exit(&["verify", "alice", "--code", &code], exit::REJECTED);
}

fn wrong_code_is_rejected_and_never_echoed(env: Env) {
    let (acct, _) = env.active("alice");
    let wrong = acct.wrong_code();
    let (code, out, err) = env.run(&["verify", "alice", "--code", &wrong]);
    assert_eq!(code, exit::REJECTED);
    assert!(!out.contains(&wrong) && !err.contains(&wrong));
    assert_eq!(err.lines().count(), 1, "{err}");
}

fn code_from_stdin_with_and_without_dash(env: Env) {
    let (acct, backup) = env.active("alice");
    env.cmd()
        .args(["verify", "alice", "--code", "-"])
        .write_stdin(acct.code(1))
        .assert()
        .success();
    // Without --code, a non-terminal stdin is read (a backup code here: the window's
    // newest step was just used).
    env.cmd()
        .args(["verify", "alice"])
        .write_stdin(format!("{}\n", backup[0]))
        .assert()
        .success();
}

fn no_code_and_no_terminal_is_a_usage_error_not_a_prompt(env: Env) {
    env.active("alice");
    let err = env.expect_exit(&["verify", "alice"], exit::USAGE);
    assert!(err.contains("no code given"), "{err}");
}

fn lockout_after_five_failures_refuses_even_the_right_code(env: Env) {
    let (acct, _) = env.active("alice");
    let wrong = acct.wrong_code();
    for i in 1..=5 {
        let err = env.expect_exit(&["verify", "alice", "--code", &wrong], exit::REJECTED);
        assert_eq!(err.contains("locked out until"), i == 5, "attempt {i}: {err}");
    }
    let err = env.expect_exit(&["verify", "alice", "--code", &acct.code(1)], exit::LOCKED);
    assert!(err.contains("locked out"), "{err}");
    let s = env.status("alice");
    assert!(s["locked_until"].as_str().unwrap().ends_with('Z'), "RFC 3339: {s}");
}

fn success_resets_the_failure_counter(env: Env) {
    let (acct, _) = env.active("alice");
    for _ in 0..4 {
        env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    }
    assert_eq!(env.status("alice")["failed_attempts"], 4);
    env.cmd()
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
    assert_eq!(env.status("alice")["failed_attempts"], 0);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    assert!(env.status("alice")["locked_until"].is_null());
}

fn pending_and_unknown_users_never_pass(env: Env) {
    let acct = env.enroll("alice");
    let err = env.expect_exit(&["verify", "alice", "--code", &acct.code(0)], exit::NOT_FOUND);
    assert!(err.contains("pending"), "{err}");
    let err = env.expect_exit(&["verify", "nobody", "--code", "123456"], exit::NOT_FOUND);
    assert!(err.contains("unknown user `nobody`"), "{err}");
}

fn codes_accept_the_spacing_apps_show(env: Env) {
    let (acct, _) = env.active("alice");
    let c = acct.code(1);
    env.cmd()
        .args(["verify", "alice", "--code", &format!("{} {}", &c[..3], &c[3..])])
        .assert()
        .success();
}

/// A backup code with white space around it (a pasted tab, say) is the same code.
fn a_backup_code_with_surrounding_white_space_is_accepted(env: Env) {
    let (_, codes) = env.active("alice");
    env.cmd()
        .args(["verify", "alice", "--code", "-"])
        .write_stdin(format!("\t{} \n", codes[0]))
        .assert()
        .success();
}

on_both_backends!(
    accepts_a_fresh_code_once,
    the_activation_code_cannot_be_replayed,
    wrong_code_is_rejected_and_never_echoed,
    code_from_stdin_with_and_without_dash,
    no_code_and_no_terminal_is_a_usage_error_not_a_prompt,
    lockout_after_five_failures_refuses_even_the_right_code,
    success_resets_the_failure_counter,
    pending_and_unknown_users_never_pass,
    codes_accept_the_spacing_apps_show,
    a_backup_code_with_surrounding_white_space_is_accepted,
);
