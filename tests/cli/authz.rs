//! Who may do what (issue 3, item 7): actors, roles, step-up, the bootstrap admin.
//! The tests run as the OS user who creates (and so owns) each database.

use crate::common::{Account, Env, exit, field};

/// `boss` is the global admin (so the database owner is no longer one);
/// `olga` owns acme, `adam` is its admin, `mia` a member; `beta` is owned by `bert`.
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

#[test]
fn the_database_owner_is_admin_only_until_someone_is() {
    let env = Env::new();
    // A fresh database: the OS user who owns it needs no setup.
    env.json(&["user", "add", "boss"]);
    env.json(&["org", "create", "acme"]);
    env.json(&["user", "admin", "boss", "on"]);
    let err = env.expect_exit(&["org", "create", "beta"], exit::DENIED);
    assert!(err.contains("needs a global admin"), "{err}");
    assert!(err.contains("OS user"), "says how the actor was identified: {err}");
    // Naming someone else never inherits the owner's bootstrap.
    let env2 = Env::new();
    let err = env2.expect_exit(&["--actor", "mallory", "org", "create", "x"], exit::DENIED);
    assert!(err.contains("not a user of this database"), "{err}");
    // The global admin may do everything.
    let (code, _, err) = as_actor(&env, "boss", &["org", "create", "beta"]);
    assert_eq!(code, exit::OK, "{err}");
    // Without --owner, the acting user owns what they create.
    let orgs = env.json(&["org", "list"]);
    let beta = orgs.as_array().unwrap().iter().find(|o| o["org"] == "beta").unwrap();
    assert_eq!(beta["owners"], serde_json::json!(["boss"]));
}

#[test]
fn actor_comes_from_flag_then_env_then_sudo() {
    let env = Env::new();
    team(&env);
    env.cmd()
        .env("TWOFA_ACTOR", "boss")
        .args(["org", "add", "beta", "nick"])
        .assert()
        .success();
    env.cmd()
        .env("SUDO_USER", "boss")
        .args(["org", "remove", "beta", "nick"])
        .assert()
        .success();
    // The flag wins over the environment.
    env.cmd()
        .env("TWOFA_ACTOR", "boss")
        .args(["--actor", "mia", "org", "add", "acme", "nick"])
        .assert()
        .code(exit::DENIED);
    let log = env.json(&["audit", "--org", "beta"]);
    let vias: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["actor"].as_str().unwrap(),
                e["actor_via"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(vias[0], ("org.remove", "boss", "sudo"));
    assert_eq!(vias[1], ("org.add", "boss", "env"));
}

#[test]
fn owners_and_admins_manage_their_organization_only() {
    let env = Env::new();
    team(&env);
    // An admin adds and removes members of their organization…
    let (code, _, err) = as_actor(&env, "adam", &["org", "add", "acme", "nick"]);
    assert_eq!(code, exit::OK, "{err}");
    let (code, _, err) = as_actor(&env, "adam", &["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    assert_eq!(code, exit::OK, "{err}");
    // …but not of another organization,
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
    let (code, _, err) = as_actor(&env, "olga", &["org", "role", "acme", "nick", "owner"]);
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
    assert_eq!(env.json(&["config", "get", "skew"])[0]["value"], "1");
}

/// `adam` (admin of acme) with active 2FA: a privileged change needs his own code.
fn stepped_up_admin(env: &Env) -> Account {
    team(env);
    let (acct, _) = env.active("adam");
    // Room for three more codes after the activation's (offsets +1…+3), so a test
    // can make several changes without waiting for the clock.
    env.json(&["--actor", "boss", "config", "set", "skew", "3"]);
    acct
}

#[test]
fn an_actor_with_2fa_proves_it_before_a_change() {
    let env = Env::new();
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
    assert_eq!(env.status("adam")["failed_attempts"], 1);
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

#[test]
fn a_non_member_or_unknown_actor_is_refused_even_with_a_valid_code() {
    let env = Env::new();
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

#[test]
fn a_locked_out_actor_cannot_step_up() {
    let env = Env::new();
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
        &["--actor-code", &acct.code(0), "org", "add", "acme", "nick"],
    );
    assert_eq!(code, exit::LOCKED, "{err}");
}
