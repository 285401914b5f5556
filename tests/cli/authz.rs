//! Who may do what: the operator, actors named by the operator, roles, step-up.
//! The tests run as the OS user who creates (and so owns) each database: the
//! operator. `--actor NAME` is the operator naming the person a program acts for.

use crate::common::{Account, Env, exit, field};

/// `boss` is the global admin; `olga` owns acme, `adam` is its admin, `mia` a member;
/// `beta` is owned by `bert`. Nobody has 2FA yet.
fn team(env: &Env) {
    for u in ["boss", "olga", "adam", "mia", "bert", "nick"] {
        env.json(&["user", "add", u]);
    }
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.json(&["org", "add", "acme", "adam", "--role", "admin"]);
    env.json(&["org", "add", "acme", "mia"]);
    env.json(&["org", "create", "beta", "--owner", "bert"]);
    env.json(&["user", "admin", "boss", "on"]);
}

fn as_actor(env: &Env, actor: &str, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--actor", actor];
    all.extend_from_slice(args);
    env.run(&all)
}

fn the_operator_may_do_everything_and_nobody_is_trusted_by_name(env: Env) {
    // A fresh database: the operator needs no setup, and stays the operator after
    // there are global admins (no bootstrap window that opens or closes).
    env.json(&["user", "add", "boss"]);
    env.json(&["org", "create", "acme", "--owner", "boss"]);
    env.json(&["user", "admin", "boss", "on"]);
    env.json(&["org", "create", "beta", "--owner", "boss"]);
    // Never without an owner: the operator is no user here, so one must be named.
    let err = env.expect_exit(&["org", "create", "ownerless"], exit::USAGE);
    assert!(err.contains("--owner"), "{err}");
    // Naming someone who is not a user gives nothing.
    let err = env.expect_exit(&["--actor", "mallory", "org", "create", "x"], exit::DENIED);
    assert!(err.contains("not a user of this database"), "{err}");
    // A global admin without 2FA of their own may not act: nobody is trusted by name.
    let err = env.expect_exit(&["--actor", "boss", "org", "create", "gamma"], exit::DENIED);
    assert!(err.contains("no active two-factor"), "{err}");
    assert!(err.contains("enroll boss`"), "the way out: {err}");
    // With 2FA and a code, the global admin may do everything.
    let (_, codes) = env.active("boss");
    let (code, _, err) = env.as_actor("boss", &codes[0], &["org", "create", "gamma"]);
    assert_eq!(code, exit::OK, "{err}");
    // Without --owner, the acting user owns what they create.
    let orgs = env.json(&["org", "list"]);
    let gamma = orgs.as_array().unwrap().iter().find(|o| o["org"] == "gamma").unwrap();
    assert_eq!(gamma["owners"], serde_json::json!(["boss"]));
    // Revoking the last global admin opens nothing for anyone else.
    env.json(&["user", "admin", "boss", "off"]);
    let (code, _, _) = env.as_actor("boss", &codes[1], &["org", "create", "delta"]);
    assert_eq!(code, exit::DENIED);
}

fn a_named_actor_is_recorded_beside_the_real_invoker(env: Env) {
    team(&env);
    let (_, codes) = env.active("boss");
    env.cmd()
        .env("TWOFA_ACTOR", "boss")
        .args(["--actor-code", "-", "org", "add", "beta", "nick"])
        .write_stdin(format!("{}\n", codes[0]))
        .assert()
        .success();
    // The flag wins over the environment.
    env.cmd()
        .env("TWOFA_ACTOR", "boss")
        .args(["--actor", "mia", "org", "add", "acme", "nick"])
        .assert()
        .code(exit::DENIED);
    let log = env.json(&["audit", "--org", "beta"]);
    let e = &log[0];
    let me = env.json(&["audit", "--action", "org.create"])[0]["os_user"].clone();
    assert_eq!(
        (e["action"].as_str(), e["actor"].as_str(), e["actor_via"].as_str()),
        (Some("org.add"), Some("boss"), Some("env"))
    );
    assert_eq!(e["os_user"], me, "the real OS user beside the named actor: {e}");
    assert_eq!(e["operator"], true, "{e}");
    assert!(e["sudo_user"].is_null(), "{e}");
    // The operator acting as themselves is recorded as such.
    let own = &env.json(&["audit", "--action", "org.create"])[0];
    assert_eq!(
        (own["actor_via"].as_str(), own["operator"].as_bool()),
        (Some("os"), Some(true))
    );
    assert_eq!(own["actor"], own["os_user"]);
}

fn sudo_variables_must_agree_with_the_password_database(env: Env) {
    team(&env);
    // SUDO_USER alone, or with a uid that is not that user's, is not believed.
    for (user, uid) in [("boss", None), ("root", Some("4242")), ("no-such-user", Some("0"))] {
        let mut c = env.cmd();
        c.env("SUDO_USER", user);
        if let Some(uid) = uid {
            c.env("SUDO_UID", uid);
        }
        let out = c.args(["org", "add", "beta", "nick"]).output().unwrap();
        assert_eq!(out.status.code(), Some(exit::USAGE), "{user} {uid:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("SUDO_USER and SUDO_UID"));
    }
    let s = env.json(&["org", "status", "beta"]);
    assert_eq!(s["members"].as_array().unwrap().len(), 1, "nothing changed");
}

fn owners_and_admins_manage_their_organization_only(env: Env) {
    team(&env);
    env.json(&["config", "set", "skew", "3"]);
    let (adam, _) = env.active("adam");
    let (olga, _) = env.active("olga");
    // An admin adds and removes members of their organization…
    let (code, _, err) = env.as_actor("adam", &adam.code(1), &["org", "add", "acme", "nick"]);
    assert_eq!(code, exit::OK, "{err}");
    let (code, _, err) = env.as_actor(
        "adam",
        &adam.code(2),
        &["org", "require-2fa", "acme", "on", "--grace", "7d"],
    );
    assert_eq!(code, exit::OK, "{err}");
    // …but not of another organization (refused on role, before any code),
    let (code, _, err) = as_actor(&env, "adam", &["org", "add", "beta", "nick"]);
    assert_eq!(code, exit::DENIED);
    assert!(
        err.contains("an owner or admin of `beta`"),
        "names the missing role: {err}"
    );
    assert!(err.contains("not a member of `beta`"), "{err}");
    // and owners are an owner's business.
    let (code, _, err) = as_actor(&env, "adam", &["org", "role", "acme", "nick", "owner"]);
    assert_eq!(code, exit::DENIED);
    assert!(err.contains("an owner of `acme`"), "{err}");
    assert!(err.contains("is admin of `acme`"), "{err}");
    let (code, _, _) = as_actor(&env, "adam", &["org", "remove", "acme", "olga"]);
    assert_eq!(code, exit::DENIED);
    let (code, _, _) = as_actor(&env, "adam", &["org", "delete", "acme", "--yes"]);
    assert_eq!(code, exit::DENIED);
    // A member manages nothing; a dry run is refused too (it shows who is blocked).
    let (code, _, err) = as_actor(&env, "mia", &["org", "remove", "acme", "nick"]);
    assert_eq!(code, exit::DENIED);
    assert!(err.contains("is member of `acme`"), "{err}");
    let (code, _, _) = as_actor(&env, "mia", &["org", "require-2fa", "acme", "off", "--dry-run"]);
    assert_eq!(code, exit::DENIED);
    // The owner may do all of it.
    let (code, _, err) = env.as_actor("olga", &olga.code(1), &["org", "role", "acme", "nick", "owner"]);
    assert_eq!(code, exit::OK, "{err}");
    // Users and settings are for global admins only, even for owners.
    for args in [
        &["user", "add", "zed"][..],
        &["user", "sso", "mia", "on"],
        &["user", "admin", "olga", "on"],
        &["config", "set", "skew", "2"],
        &["org", "create", "gamma"],
    ] {
        let (code, _, err) = as_actor(&env, "olga", args);
        assert_eq!(code, exit::DENIED, "{args:?}: {err}");
        assert!(err.contains("global admin"), "{err}");
    }
    // Every refusal is in the audit log, with nothing changed.
    let denied = env.json(&["audit", "--action", "org.add"]);
    assert!(
        denied
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["outcome"] == "denied" && e["actor"] == "adam")
    );
    let status = env.json(&["org", "status", "acme"]);
    assert_eq!(status["require_2fa"], true, "adam's change stands");
    assert_eq!(env.json(&["config", "get", "skew"])[0]["value"], "3");
}

/// `adam` (admin of acme) with active 2FA: a privileged change needs his own code.
fn stepped_up_admin(env: &Env) -> Account {
    team(env);
    let (acct, _) = env.active("adam");
    // Room for three more codes after the activation's (offsets +1…+3), so a test
    // can make several changes without waiting for the clock.
    env.json(&["config", "set", "skew", "3"]);
    acct
}

fn an_actor_with_2fa_proves_it_before_a_change(env: Env) {
    let acct = stepped_up_admin(&env);

    // No code, nothing on stdin: refused, saying what is needed; nothing changed.
    let (code, _, err) = as_actor(&env, "adam", &["org", "add", "acme", "nick"]);
    assert_eq!(code, exit::DENIED, "{err}");
    assert!(err.contains("step-up") && err.contains("--actor-code"), "{err}");

    // A wrong code: refused, and it counts toward adam's lockout.
    let (code, _, err) = as_actor(
        &env,
        "adam",
        &["--actor-code", &acct.wrong_code(), "org", "add", "acme", "nick"],
    );
    assert_eq!(code, exit::DENIED, "{err}");
    assert!(err.contains("not accepted"), "{err}");
    // (Counted toward his step-up lockout, apart from his login failures.)
    assert_eq!(env.status("adam")["failed_attempts"], 0);
    let s = env.json(&["org", "status", "acme"]);
    assert!(!s["members"].as_array().unwrap().iter().any(|m| m["user"] == "nick"));

    // His current code: done. On stdin (`-`) for the next one, never on argv.
    let (code, _, err) = as_actor(
        &env,
        "adam",
        &["--actor-code", &acct.code(1), "org", "add", "acme", "nick"],
    );
    assert_eq!(code, exit::OK, "{err}");
    env.cmd()
        .args(["--actor", "adam", "--actor-code", "-", "org", "remove", "acme", "nick"])
        .write_stdin(format!("{}\n", acct.code(2)))
        .assert()
        .success();
    // Without the flag, a piped stdin is read too.
    env.cmd()
        .args(["--actor", "adam", "org", "add", "acme", "nick"])
        .write_stdin(format!("{}\n", acct.code(3)))
        .assert()
        .success();
    // A code works once: the same one again is refused.
    let (code, _, _) = as_actor(
        &env,
        "adam",
        &["--actor-code", &acct.code(3), "org", "remove", "acme", "nick"],
    );
    assert_eq!(code, exit::DENIED);

    // A dry run changes nothing and asks for no code.
    let (code, _, err) = as_actor(&env, "adam", &["org", "require-2fa", "acme", "on", "--dry-run"]);
    assert_eq!(code, exit::OK, "{err}");

    // Step-ups are in the audit log, attributed to the actor, without the code.
    let log = env.json(&["audit", "--user", "adam", "--action", "step_up"]);
    let outcomes = field(&log, "outcome");
    assert_eq!(outcomes, ["reused", "accepted", "accepted", "accepted", "wrong"]);
    for e in log.as_array().unwrap() {
        let mut e = e.clone();
        e["hash"] = serde_json::Value::Null;
        let text = e.to_string();
        for used in [acct.code(1), acct.code(2), acct.code(3), acct.wrong_code()] {
            assert!(!text.contains(&used), "a code in the audit log: {text}");
        }
    }
}

fn a_non_member_or_unknown_actor_is_refused_even_with_a_valid_code(env: Env) {
    team(&env);
    let (bert, _) = env.active("bert");
    let (code, _, err) = as_actor(
        &env,
        "bert",
        &["--actor-code", &bert.code(1), "org", "add", "acme", "nick"],
    );
    assert_eq!(code, exit::DENIED);
    assert!(err.contains("not a member of `acme`"), "{err}");
    // Refused on role before the code is looked at: it stays unspent.
    assert_eq!(env.status("bert")["failed_attempts"], 0);
    env.cmd()
        .args(["verify", "bert", "--code", &bert.code(1)])
        .assert()
        .success();
    let (code, _, err) = as_actor(&env, "ghost", &["org", "add", "acme", "nick"]);
    assert_eq!(code, exit::DENIED);
    assert!(err.contains("`ghost`") && err.contains("--actor"), "{err}");
}

fn a_locked_out_actor_cannot_step_up(env: Env) {
    let acct = stepped_up_admin(&env);
    for _ in 0..5 {
        as_actor(
            &env,
            "adam",
            &["--actor-code", &acct.wrong_code(), "org", "add", "acme", "nick"],
        );
    }
    let (code, _, err) = as_actor(
        &env,
        "adam",
        &["--actor-code", &acct.code(1), "org", "add", "acme", "nick"],
    );
    assert_eq!(code, exit::LOCKED, "{err}");
    // A flood of bogus step-ups does not lock him out of logging in.
    env.cmd()
        .args(["verify", "adam", "--code", "-"])
        .write_stdin(acct.code(1))
        .assert()
        .success();
}

on_both_backends!(
    the_operator_may_do_everything_and_nobody_is_trusted_by_name,
    a_named_actor_is_recorded_beside_the_real_invoker,
    sudo_variables_must_agree_with_the_password_database,
    owners_and_admins_manage_their_organization_only,
    an_actor_with_2fa_proves_it_before_a_change,
    a_non_member_or_unknown_actor_is_refused_even_with_a_valid_code,
    a_locked_out_actor_cannot_step_up,
);
