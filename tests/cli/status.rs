use crate::common::{Env, exit};

fn status_reports_the_documented_fields(env: Env) {
    let (acct, _) = env.active("alice");
    env.cmd()
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
    let s = env.status("alice");
    for key in [
        "user",
        "status",
        "issuer",
        "algorithm",
        "digits",
        "period",
        "enrolled_at",
        "activated_at",
        "last_used_at",
        "backup_codes_remaining",
        "failed_attempts",
        "locked_until",
        "drift",
    ] {
        assert!(s.get(key).is_some(), "missing {key} in {s}");
    }
    assert_eq!(s["algorithm"], "SHA1");
    assert_eq!((s["digits"].as_i64(), s["period"].as_i64()), (Some(6), Some(30)));
    assert!(s["locked_until"].is_null());
    assert_eq!(s["drift"]["samples"], 2, "activation and one verify");
}

fn human_status_is_a_table(env: Env) {
    env.active("alice");
    let (code, out, _) = env.run(&["status", "alice"]);
    assert_eq!(code, 0);
    for label in ["status", "active", "backup codes left", "locked until", "clock drift"] {
        assert!(out.contains(label), "{label} in {out}");
    }
}

fn status_of_unknown_user(env: Env) {
    env.json(&["user", "add", "someone"]);
    let err = env.expect_exit(&["status", "nobody"], exit::NOT_FOUND);
    assert!(err.contains("user add nobody`"), "{err}");
}

on_both_backends!(
    status_reports_the_documented_fields,
    human_status_is_a_table,
    status_of_unknown_user,
);
