//! The support desk: `admin reset` and `admin unlock` on the real binary.

use crate::common::{Env, exit, field};

/// `boss` is a global admin with 2FA; `olga` owns acme (with 2FA), which requires
/// 2FA with a week's grace; `alice` is a member with active 2FA. Returns alice's
/// account and backup codes, and the backup codes boss and olga step up with.
struct Desk {
    alice: (crate::common::Account, Vec<String>),
    boss: Vec<String>,
    olga: Vec<String>,
}

fn desk(env: &Env) -> Desk {
    for u in ["olga", "alice", "mia"] {
        env.json(&["user", "add", u]);
    }
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.json(&["org", "add", "acme", "alice"]);
    env.json(&["org", "add", "acme", "mia"]);
    let alice = env.active("alice");
    let (_, olga) = env.active("olga");
    env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    Desk {
        alice,
        boss: env.global_admin("boss"),
        olga,
    }
}

fn reset_removes_everything_and_the_user_enrolls_again_at_once(env: Env) {
    let d = desk(&env);
    let (acct, backup) = d.alice;
    let v = env.json_as(
        "boss",
        &d.boss[0],
        &[
            "admin",
            "reset",
            "alice",
            "--reason",
            "lost phone",
            "--ticket",
            "SUP-42",
            "--yes",
        ],
    );
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

fn reset_and_unlock_need_a_reason(env: Env) {
    let d = desk(&env);
    for args in [
        &["admin", "reset", "alice", "--yes"][..],
        &["admin", "unlock", "alice"],
        &["admin", "reset", "alice", "--yes", "--reason", "  "],
        &["admin", "unlock", "alice", "--reason", "bad\u{1b}[2Jescape"],
    ] {
        let (code, _, err) = env.as_actor("boss", &d.boss[0], args);
        assert_eq!(code, exit::USAGE, "{args:?}: {err}");
        assert!(err.contains("reason"), "{args:?}: {err}");
    }
    assert_eq!(env.status("alice")["status"], "active");
}

fn who_may_reset_whom(env: Env) {
    let d = desk(&env);
    // A member of the same organization may not.
    let err = env.expect_exit(
        &["--actor", "mia", "admin", "reset", "alice", "--reason", "x", "--yes"],
        exit::DENIED,
    );
    assert!(
        err.contains("every organization of the user who outranks them"),
        "{err}"
    );
    assert!(err.contains("only member of `acme`"), "{err}");
    // An owner of her (only) organization may, with a step-up code of her own.
    env.json_as(
        "olga",
        &d.olga[0],
        &["admin", "unlock", "alice", "--reason", "ticket 7"],
    );
    // Nobody resets their own 2FA this way, not even a global admin.
    let (code, _, err) = env.as_actor(
        "boss",
        &d.boss[0],
        &["admin", "reset", "boss", "--reason", "mine", "--yes"],
    );
    assert_eq!(code, exit::DENIED, "{err}");
    assert!(err.contains("themselves") && err.contains("another admin"), "{err}");
    assert_eq!(env.status("boss")["status"], "active");
    // Refusals are audited too.
    let log = env.json(&["audit", "--action", "admin.reset"]);
    let outcomes: Vec<(&str, &str)> = field(&log, "actor").into_iter().zip(field(&log, "outcome")).collect();
    assert_eq!(outcomes, [("boss", "denied"), ("mia", "denied")]);
}

/// The takeover this prevents: an admin of a tiny organization adds a global admin
/// (or anyone) to it, resets them, and then acts as them.
fn adding_someone_to_your_organization_gives_no_authority_over_them(env: Env) {
    let d = desk(&env);
    env.json(&["user", "add", "mallory"]);
    let (_, mallory) = env.active("mallory");
    env.json(&["org", "create", "tinyclub", "--owner", "mallory"]);
    // mallory adds the global admin and alice to her organization herself…
    env.json_as("mallory", &mallory[0], &["org", "add", "tinyclub", "boss"]);
    env.json_as("mallory", &mallory[1], &["org", "add", "tinyclub", "alice"]);
    // …and may reset neither: boss is a global admin; alice is also in acme, where
    // mallory is nobody, and mallory added her to tinyclub herself.
    for (user, why) in [
        ("boss", "only a global admin may support another"),
        ("alice", "not an owner or admin of `acme`"),
    ] {
        let (code, _, err) = env.as_actor(
            "mallory",
            &mallory[2],
            &["admin", "reset", user, "--reason", "x", "--yes"],
        );
        assert_eq!(code, exit::DENIED, "{user}: {err}");
        assert!(err.contains(why), "{user}: {err}");
    }
    // A user in no other organization, added by mallory herself: still no.
    env.json(&["user", "add", "nora"]);
    env.active("nora");
    env.json_as("mallory", &mallory[3], &["org", "add", "tinyclub", "nora"]);
    let (code, _, err) = env.as_actor(
        "mallory",
        &mallory[4],
        &["admin", "reset", "nora", "--reason", "x", "--yes"],
    );
    assert_eq!(code, exit::DENIED, "{err}");
    assert!(err.contains("themselves"), "{err}");
    for u in ["boss", "alice", "nora"] {
        assert_eq!(env.status(u)["status"], "active", "{u} untouched");
    }
    // An admin cannot reset an owner of the same organization.
    env.json_as(
        "olga",
        &d.olga[1],
        &["org", "add", "acme", "mallory", "--role", "admin"],
    );
    let (code, _, err) = env.as_actor("mallory", &mallory[5], &["admin", "unlock", "olga", "--reason", "x"]);
    assert_eq!(code, exit::DENIED, "{err}");
    assert!(err.contains("outranks"), "{err}");
}

/// A privileged role without 2FA of one's own is refused, with the way out.
fn a_support_admin_without_2fa_is_refused(env: Env) {
    desk(&env);
    env.json(&["org", "role", "acme", "mia", "admin"]);
    let (code, _, err) = env.run(&["--actor", "mia", "admin", "unlock", "alice", "--reason", "x"]);
    assert_eq!(code, exit::DENIED, "{err}");
    assert!(err.contains("no active two-factor"), "{err}");
    assert!(err.contains("enroll mia`"), "{err}");
}

fn unlock_clears_the_lockout_and_keeps_the_secret(env: Env) {
    let d = desk(&env);
    let (acct, _) = d.alice;
    for _ in 0..5 {
        env.run(&["verify", "alice", "--code", &acct.wrong_code()]);
    }
    env.expect_exit(&["verify", "alice", "--code", &acct.code(1)], exit::LOCKED);
    let v = env.json_as(
        "boss",
        &d.boss[0],
        &["admin", "unlock", "alice", "--reason", "called support"],
    );
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

fn reset_of_an_unknown_user_is_not_found(env: Env) {
    env.expect_exit(&["admin", "reset", "nobody", "--reason", "x", "--yes"], exit::NOT_FOUND);
}

/// `admin reset` without a terminal to confirm on needs --yes.
fn reset_without_a_terminal_needs_yes(env: Env) {
    env.active("alice");
    let err = env.expect_exit(&["admin", "reset", "alice", "--reason", "x"], exit::USAGE);
    assert!(err.contains("--yes") && err.contains("not a terminal"), "{err}");
    assert_eq!(env.status("alice")["status"], "active", "nothing reset");
    let (_, help, _) = env.run(&["admin", "reset", "--help"]);
    assert!(help.contains("exit 2"), "{help}");
}

/// An admin cannot get round "outranks them" by demoting another admin first: making,
/// unmaking or removing an admin is an owner's business.
fn an_admin_cannot_demote_another_admin_to_reset_them(env: Env) {
    let d = desk(&env);
    env.json(&["user", "add", "bob"]);
    let (_, bob) = env.active("bob");
    env.json_as("olga", &d.olga[0], &["org", "add", "acme", "bob", "--role", "admin"]);
    env.json_as("olga", &d.olga[1], &["org", "role", "acme", "mia", "admin"]);
    for args in [
        &["org", "role", "acme", "mia", "member"][..],
        &["org", "remove", "acme", "mia"],
        &["org", "role", "acme", "alice", "admin"],
        &["org", "add", "acme", "boss", "--role", "admin"],
        &["admin", "unlock", "mia", "--reason", "x"],
    ] {
        let (code, _, err) = env.as_actor("bob", &bob[0], args);
        assert_eq!(code, exit::DENIED, "{args:?}: {err}");
    }
    let s = env.json(&["org", "status", "acme"]);
    let mia = s["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"] == "mia")
        .unwrap()
        .clone();
    assert_eq!(mia["role"], "admin", "unchanged");
    // Members are an admin's business.
    let (code, _, err) = env.as_actor("bob", &bob[1], &["admin", "unlock", "alice", "--reason", "x"]);
    assert_eq!(code, exit::OK, "{err}");
}

on_both_backends!(
    reset_removes_everything_and_the_user_enrolls_again_at_once,
    reset_and_unlock_need_a_reason,
    who_may_reset_whom,
    adding_someone_to_your_organization_gives_no_authority_over_them,
    a_support_admin_without_2fa_is_refused,
    unlock_clears_the_lockout_and_keeps_the_secret,
    reset_of_an_unknown_user_is_not_found,
    reset_without_a_terminal_needs_yes,
    an_admin_cannot_demote_another_admin_to_reset_them,
);
