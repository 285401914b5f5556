//! The support desk (issue 4): `admin reset` and `admin unlock` on the real binary.

use crate::common::{Env, exit, field};

/// `boss` is a global admin; `olga` owns acme, which requires 2FA with a week's
/// grace; `alice` is a member with active 2FA.
fn desk(env: &Env) -> (crate::common::Account, Vec<String>) {
    for u in ["boss", "olga", "alice", "mia"] {
        env.json(&["user", "add", u]);
    }
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.json(&["org", "add", "acme", "alice"]);
    env.json(&["org", "add", "acme", "mia"]);
    let alice = env.active("alice");
    env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    env.json(&["user", "admin", "boss", "on"]);
    alice
}

#[test]
fn reset_removes_everything_and_the_user_enrolls_again_at_once() {
    let env = Env::new();
    let (acct, backup) = desk(&env);
    let v = env.json(&[
        "--actor",
        "boss",
        "admin",
        "reset",
        "alice",
        "--reason",
        "lost phone",
        "--ticket",
        "SUP-42",
        "--yes",
    ]);
    assert_eq!(v["two_factor"], "none");
    assert_eq!(v["deadlines"][0]["org"], "acme");
    let deadline = v["deadlines"][0]["deadline"].as_str().unwrap();
    let s = env.status("alice");
    assert_eq!(
        (s["status"].as_str(), s["backup_codes_remaining"].as_u64()),
        (Some("none"), Some(0))
    );

    // Old codes and backup codes no longer work.
    let err = env.expect_exit(&["verify", "alice", "--code", &acct.code(1)], exit::NOT_FOUND);
    assert!(err.contains("no two-factor"), "{err}");
    env.expect_exit(&["verify", "alice", "--code", &backup[0]], exit::NOT_FOUND);

    // The organization gives a new deadline (now + grace), and she is in grace.
    let status = env.json(&["org", "status", "acme"]);
    let a = status["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"] == "alice")
        .unwrap()
        .clone();
    assert_eq!(
        (a["compliance"].as_str(), a["deadline"].as_str()),
        (Some("grace"), Some(deadline))
    );

    // She can enroll again straight away, with a new secret.
    let (fresh, _) = env.active("alice");
    assert_ne!(fresh.secret, acct.secret);

    // The audit entry carries the reason and ticket, and no secret.
    let log = env.json(&["audit", "--user", "alice", "--action", "admin.reset"]);
    let e = &log[0];
    assert_eq!((e["actor"].as_str(), e["outcome"].as_str()), (Some("boss"), Some("ok")));
    assert_eq!(
        (e["reason"].as_str(), e["ticket"].as_str()),
        (Some("lost phone"), Some("SUP-42"))
    );
    assert!(
        e["details"]
            .as_str()
            .unwrap()
            .contains("2FA was active; 10 backup codes removed"),
        "{e}"
    );
}

#[test]
fn reset_and_unlock_need_a_reason() {
    let env = Env::new();
    desk(&env);
    for args in [
        &["admin", "reset", "alice", "--yes"][..],
        &["admin", "unlock", "alice"],
        &["admin", "reset", "alice", "--yes", "--reason", "  "],
        &["admin", "unlock", "alice", "--reason", "bad\u{1b}[2Jescape"],
    ] {
        let mut all = vec!["--actor", "boss"];
        all.extend_from_slice(args);
        let err = env.expect_exit(&all, exit::USAGE);
        assert!(err.contains("reason"), "{args:?}: {err}");
    }
    assert_eq!(env.status("alice")["status"], "active");
}

#[test]
fn who_may_reset_whom() {
    let env = Env::new();
    desk(&env);
    // A member of the same organization may not.
    let err = env.expect_exit(
        &["--actor", "mia", "admin", "reset", "alice", "--reason", "x", "--yes"],
        exit::DENIED,
    );
    assert!(
        err.contains("owner or admin of one of the user's organizations"),
        "{err}"
    );
    // An owner of her organization may (olga has no 2FA of her own: no step-up).
    env.json(&["--actor", "olga", "admin", "unlock", "alice", "--reason", "ticket 7"]);
    // Nobody resets their own 2FA this way, not even a global admin.
    env.active("boss");
    let err = env.expect_exit(
        &["--actor", "boss", "admin", "reset", "boss", "--reason", "mine", "--yes"],
        exit::DENIED,
    );
    assert!(err.contains("themselves") && err.contains("another admin"), "{err}");
    assert_eq!(env.status("boss")["status"], "active");
    // Refusals are audited too.
    let log = env.json(&["audit", "--action", "admin.reset"]);
    let outcomes: Vec<(&str, &str)> = field(&log, "actor").into_iter().zip(field(&log, "outcome")).collect();
    assert_eq!(outcomes, [("boss", "denied"), ("mia", "denied")]);
}

#[test]
fn unlock_clears_the_lockout_and_keeps_the_secret() {
    let env = Env::new();
    let (acct, _) = desk(&env);
    for _ in 0..5 {
        env.run(&["verify", "alice", "--code", &acct.wrong_code()]);
    }
    env.expect_exit(&["verify", "alice", "--code", &acct.code(1)], exit::LOCKED);
    let v = env.json(&[
        "--actor",
        "boss",
        "admin",
        "unlock",
        "alice",
        "--reason",
        "called support",
    ]);
    assert_eq!(v["two_factor"], "active");
    let s = env.status("alice");
    assert!(s["locked_until"].is_null() && s["failed_attempts"] == 0, "{s}");
    env.cmd()
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
    let log = env.json(&["audit", "--user", "alice", "--limit", "3"]);
    assert_eq!(log[1]["action"], "admin.unlock");
    assert!(
        log[1]["details"].as_str().unwrap().starts_with("was locked until"),
        "{}",
        log[1]
    );
    assert_eq!(log[0]["action"], "verify");
    assert_eq!(log[0]["outcome"], "accepted");
    assert_eq!(log[2]["outcome"], "locked");
}

#[test]
fn reset_of_an_unknown_user_is_not_found() {
    let env = Env::new();
    env.expect_exit(&["admin", "reset", "nobody", "--reason", "x", "--yes"], exit::NOT_FOUND);
}
