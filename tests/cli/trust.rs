//! The trust model as attacks that need no second OS account (those are in
//! `deployment.rs`): copies of the database, planted rows, hostile actor names, a
//! key rotation racing logins, and the operator naming someone else.

use crate::common::{Account, Env, exit};

fn pending(env: &Env, user: &str) -> Account {
    env.enroll(user)
}

/// A copy of the database with rows renumbered or renamed opens nothing: the sealed
/// secret is bound to the user's id *and* name (and the database).
fn a_copy_with_renumbered_or_renamed_users_gives_nothing_away(env: Env) {
    let bob = pending(&env, "bob");
    // (PostgreSQL checks foreign keys whatever a session asks: bob's row is moved to
    // id 99 by a new row that takes his factor, the old one then deleted.)
    let renumber = match env.pg {
        Some(_) => {
            "UPDATE users SET name = 'bob-old' WHERE name = 'bob';
             INSERT INTO users (id, name, created_at) SELECT 99, 'bob', created_at FROM users WHERE name = 'bob-old';
             UPDATE factors SET user_id = 99 WHERE user_id = 1;
             DELETE FROM users WHERE id = 1"
        }
        None => {
            "PRAGMA foreign_keys = OFF; UPDATE users SET id = 99 WHERE name = 'bob';
             UPDATE factors SET user_id = 99 WHERE user_id = 1"
        }
    };
    for (what, sql, victim) in [
        ("renumbered", renumber, "bob"),
        ("renamed", "UPDATE users SET name = 'eve' WHERE name = 'bob'", "eve"),
    ] {
        let copy = env.raw_copy();
        copy.tamper(sql);
        let out = env
            .cmd_on(&copy.db)
            .args(["--json", "enroll", victim])
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(exit::FAILURE), "{what}: {stderr}");
        assert!(stderr.contains("does not open"), "{what}: {stderr}");
        for text in [&stdout, &stderr] {
            assert!(!text.contains(&bob.secret_b32), "{what}: the secret leaked");
        }
    }
    // The original is untouched and still works.
    env.json(&["enroll", "bob", "--code", &bob.code(0)]);
}

/// Once a database seals its secrets, a plain one is tampering, never a login.
fn a_planted_plain_secret_is_refused(env: Env) {
    env.active("alice");
    let planted = b"plantedplantedplant!";
    let hex: String = planted.iter().map(|b| format!("{b:02x}")).collect();
    env.tamper(&match env.pg {
        Some(_) => format!("UPDATE factors SET secret = '\\x{hex}'::BYTEA, sealed = false WHERE kind = 'totp'"),
        None => format!("UPDATE factors SET secret = X'{hex}', sealed = 0 WHERE kind = 'totp'"),
    });
    let acct = Account {
        secret: planted.to_vec(),
        secret_b32: String::new(),
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        label: "alice".into(),
        issuer: String::new(),
    };
    let (code, _, err) = env.run(&["verify", "alice", "--code", &acct.code(1)]);
    assert_eq!(code, exit::FAILURE, "{err}");
    assert!(err.contains("plain form") && err.contains("tampered"), "{err}");
}

/// Names that would rewrite a terminal or flood the log are refused before anything
/// is written, on every command.
fn hostile_actor_names_are_refused_before_anything_is_written(env: Env) {
    env.active("alice");
    let rows = |env: &Env| env.json(&["audit"]).as_array().unwrap().len();
    // What was written: the file's size, or on PostgreSQL a dump of the database.
    let written = |env: &Env| match env.pg {
        Some(_) => env.dump(),
        None => std::fs::metadata(&env.db).unwrap().len().to_le_bytes().to_vec(),
    };
    let before = (written(&env), rows(&env));
    // (One argument may hold at most 128 KiB.)
    let huge = "a".repeat(120 * 1024);
    for name in ["evil\u{1b}[2J", "two\nlines", "\u{202E}nimda", huge.as_str()] {
        for args in [
            &["status", "alice"][..],
            &["org", "create", "x"],
            &["verify", "alice", "--code", "123456"],
        ] {
            let mut all = vec!["--actor", name];
            all.extend_from_slice(args);
            let (code, out, err) = env.run(&all);
            assert_eq!(code, exit::USAGE, "{args:?}: {err}");
            assert!(err.contains("actor name"), "{err}");
            assert!(
                !err.contains('\u{1b}') && !out.contains('\u{1b}'),
                "no raw escape echoed"
            );
            assert!(err.len() < 1024, "the name is not echoed back in full");
        }
        let out = env
            .cmd()
            .env("TWOFA_ACTOR", name)
            .args(["status", "alice"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(exit::USAGE));
    }
    assert!((written(&env), rows(&env)) == before, "something was written");
}

/// The operator naming someone acts with that person's authority, not its own: a
/// login back end acting for bob cannot enroll or check alice's factor.
fn a_named_actor_cannot_touch_someone_elses_factor(env: Env) {
    let alice = pending(&env, "alice");
    env.json(&["user", "add", "bob"]);
    for args in [
        &["enroll", "alice"][..],
        &["enroll", "alice", "--new-secret"],
        &["disable", "alice", "--yes"],
        &["verify", "alice", "--code", "123456"],
        &["backup-codes", "alice"],
        &["enroll", "carol"],
    ] {
        let mut all = vec!["--actor", "bob", "--json"];
        all.extend_from_slice(args);
        let (code, out, err) = env.run(&all);
        assert_eq!(code, exit::DENIED, "{args:?}: {err}");
        assert!(!out.contains(&alice.secret_b32) && !err.contains(&alice.secret_b32));
    }
    assert!(
        !env.json(&["user", "list"]).to_string().contains("carol"),
        "no user made"
    );
    // Alice (named by the operator) may; the showing is audited.
    let again = env.json(&["--actor", "alice", "enroll", "alice"]);
    assert_eq!(
        Account::from_uri(again["otpauth_uri"].as_str().unwrap()).secret,
        alice.secret
    );
    let log = env.json(&["audit", "--action", "enroll.show"]);
    assert_eq!(
        (log[0]["actor"].as_str(), log[0]["subject"].as_str()),
        (Some("alice"), Some("alice"))
    );
    let denied = env.json(&["audit", "--user", "alice"]);
    assert!(
        denied
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == "bob" && e["outcome"] == "denied"),
        "refusals are audited"
    );
}

/// Logins and enrollments running while the key is rotated use whichever key the
/// database holds in their own transaction: none fails, none seals under a retired key.
fn a_key_rotation_racing_logins_and_enrollments_breaks_none(env: Env) {
    let users: Vec<(String, Account)> = (0..3)
        .map(|i| format!("u{i}"))
        .map(|u| (u.clone(), pending(&env, &u)))
        .collect();
    std::thread::scope(|s| {
        let rotator = s.spawn(|| {
            for _ in 0..8 {
                let (code, _, err) = env.run(&["admin", "rotate-key"]);
                assert_eq!(code, exit::OK, "rotation: {err}");
            }
        });
        let readers: Vec<_> = users
            .iter()
            .map(|(u, acct)| {
                let env = &env;
                s.spawn(move || {
                    for _ in 0..20 {
                        let (code, out, err) = env.run(&["--json", "enroll", u]);
                        assert_eq!(code, exit::OK, "{u}: {err}");
                        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                        assert_eq!(
                            Account::from_uri(v["otpauth_uri"].as_str().unwrap()).secret,
                            acct.secret
                        );
                    }
                })
            })
            .collect();
        let enrollers: Vec<_> = (0..2)
            .map(|i| {
                let env = &env;
                s.spawn(move || {
                    for j in 0..8 {
                        let (code, _, err) = env.run(&["--json", "enroll", &format!("new{i}-{j}")]);
                        assert_eq!(code, exit::OK, "{err}");
                    }
                })
            })
            .collect();
        rotator.join().unwrap();
        readers.into_iter().for_each(|r| r.join().unwrap());
        enrollers.into_iter().for_each(|r| r.join().unwrap());
    });
    // Every enrollment made during the rotations opens under the current key, and
    // later rotations still succeed.
    env.json(&["admin", "rotate-key"]);
    for (u, acct) in &users {
        env.json(&["enroll", u, "--code", &acct.code(0)]);
    }
    for i in 0..2 {
        for j in 0..8 {
            env.json(&["enroll", &format!("new{i}-{j}")]);
        }
    }
}

on_both_backends!(
    a_copy_with_renumbered_or_renamed_users_gives_nothing_away,
    a_planted_plain_secret_is_refused,
    hostile_actor_names_are_refused_before_anything_is_written,
    a_named_actor_cannot_touch_someone_elses_factor,
    a_key_rotation_racing_logins_and_enrollments_breaks_none,
);
