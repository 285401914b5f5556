use crate::common::{Env, exit};

#[test]
fn disable_needs_a_current_code() {
    let env = Env::new();
    let (acct, _) = env.active("alice");
    env.expect_exit(&["disable", "alice"], exit::USAGE);
    env.expect_exit(&["disable", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    assert_eq!(env.status("alice")["status"], "active");
    let v = env.json(&["disable", "alice", "--code", &acct.code(1)]);
    assert_eq!(v["was"], "active");
    let s = env.status("alice");
    assert_eq!(s["status"], "none");
    assert_eq!(s["backup_codes_remaining"], 0);
}

#[test]
fn disable_with_a_backup_code_then_enroll_again() {
    let env = Env::new();
    let (_, codes) = env.active("alice");
    env.cmd()
        .args(["disable", "alice", "--yes", "--code", &codes[9]])
        .assert()
        .success();
    env.expect_exit(&["verify", "alice", "--code", &codes[8]], exit::NOT_FOUND);
    env.active("alice");
}

#[test]
fn disable_cancels_a_pending_enrollment() {
    let env = Env::new();
    env.enroll("bob");
    assert_eq!(env.json(&["disable", "bob"])["was"], "pending");
    assert_eq!(env.status("bob")["status"], "none");
    env.expect_exit(&["disable", "bob"], exit::NOT_FOUND);
}
