//! The audit log: entries for every command, no secrets, a chain that
//! shows edits, removals and insertions, pruning that keeps it verifiable.

use crate::common::{Env, exit};

/// A little history: enroll, activate, verify (good and bad), backup code,
/// regenerate, org changes, a setting.
fn history(env: &Env) -> (crate::common::Account, Vec<String>) {
    let (acct, backup) = env.active("alice");
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    env.cmd()
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
    env.cmd()
        .args(["verify", "alice", "--code", &backup[0]])
        .assert()
        .success();
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    env.json(&["config", "set", "issuer", "Example"]);
    (acct, backup)
}

fn every_change_and_every_code_check_is_logged_newest_first(env: Env) {
    history(&env);
    let log = env.json(&["audit"]);
    let rows: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["subject"].as_str().unwrap_or("-"),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("config.set", "-", "ok"),
            ("org.require_2fa", "-", "ok"),
            ("org.create", "alice", "ok"),
            ("verify", "alice", "accepted"),
            ("verify", "alice", "accepted"),
            ("verify", "alice", "wrong"),
            ("activate", "alice", "accepted"),
            ("enroll", "alice", "ok"),
            ("user.add", "alice", "ok"),
        ]
    );
    let e = &log[0];
    for field in ["time", "actor", "actor_via", "action", "outcome", "hash"] {
        assert!(e[field].is_string(), "{field} in {e}");
    }
    assert_eq!(e["actor_via"], "os");
    assert_eq!(log[3]["details"], "backup code used (9 left)");
    assert!(
        log[4]["details"].as_str().unwrap().starts_with("totp, step offset"),
        "{}",
        log[4]
    );
    // Filters.
    assert_eq!(env.json(&["audit", "--action", "verify"]).as_array().unwrap().len(), 3);
    assert_eq!(env.json(&["audit", "--org", "acme"]).as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&["audit", "--user", "alice", "--limit", "2"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(env.json(&["audit", "--since", "1d"]).as_array().unwrap().len(), 9);
    assert_eq!(
        env.json(&["audit", "--until", "2000-01-01"]).as_array().unwrap().len(),
        0
    );
    let (code, out, _) = env.run(&["audit", "--user", "alice"]);
    assert_eq!(code, exit::OK);
    assert!(
        out.contains("backup code used (9 left)") && out.contains(" (OS user, operator)"),
        "{out}"
    );
    env.expect_exit(&["audit", "--since", "last tuesday"], exit::USAGE);
}

fn no_secret_code_or_hash_reaches_the_audit_log_or_the_history(env: Env) {
    let (acct, backup) = history(&env);
    let (_, regen_out, _) = env.run(&["--json", "backup-codes", "alice", "--regenerate", "--code", &backup[1]]);
    let new_codes: Vec<String> = serde_json::from_str::<serde_json::Value>(&regen_out).unwrap()["backup_codes"]
        .as_array()
        .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    let mut text = String::new();
    for table in ["audit", "verifications"] {
        text.push_str(&env.text_of(table));
    }
    let hashes = env.blobs("SELECT hash FROM backup_codes");
    let audit_out = env.run(&["--json", "audit"]).1
        + &env.run(&["audit"]).1
        + &env.run(&["--json", "status", "alice", "--history"]).1;
    let secret_hex: String = acct.secret.iter().map(|b| format!("{b:02x}")).collect();
    let mut needles = vec![acct.secret_b32.clone(), secret_hex, acct.code(1), acct.wrong_code()];
    needles.extend(backup.iter().cloned());
    needles.extend(new_codes.iter().cloned());
    needles.extend(
        hashes
            .iter()
            .map(|h| h.iter().map(|b| format!("{b:02x}")).collect::<String>()),
    );
    for n in &needles {
        assert!(!text.contains(n.as_str()), "in the database's log tables: {n}");
        assert!(!audit_out.contains(n.as_str()), "in audit or history output: {n}");
    }
    assert!(
        text.contains("backup_codes.regenerate"),
        "the regeneration itself is logged"
    );
}

fn verify_passes_untouched_and_finds_edits_removals_and_insertions(env: Env) {
    history(&env);
    let ok = env.json(&["audit", "verify"]);
    assert_eq!((ok["ok"].as_bool(), ok["entries"].as_u64()), (Some(true), Some(9)));

    let cases: [(&str, &str, i64); 6] = [
        (
            "an outcome no twofa writes",
            "UPDATE audit SET outcome = 'approved' WHERE id = 7",
            7,
        ),
        ("edited", "UPDATE audit SET outcome = 'accepted' WHERE id = 4", 4),
        ("reason added", "UPDATE audit SET reason = 'approved' WHERE id = 5", 5),
        (
            "how the actor was identified",
            "UPDATE audit SET actor_via = 'forged' WHERE id = 6",
            6,
        ),
        ("removed", "DELETE FROM audit WHERE id = 4", 5),
        (
            "inserted",
            "INSERT INTO audit (id, at, actor, actor_via, action, subject, org, outcome, hash)
                 SELECT 100, at, actor, actor_via, 'admin.reset', subject, org, 'ok', hash FROM audit WHERE id = 8",
            100,
        ),
    ];
    for (what, tamper, at) in cases {
        let env = env.another();
        history(&env);
        env.tamper(tamper);
        let (code, out, err) = env.run(&["--json", "audit", "verify"]);
        assert_eq!(code, 8, "{what}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["broken"]["id"], at, "{what}: {v}");
        assert!(err.contains(&format!("entry {at}")), "{what}: {err}");
    }
}

/// `twofa` run with the clock `offset` in the past (libfaketime), for entries that
/// are old enough to prune.
fn in_the_past(env: &Env, offset: &str, args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new("faketime");
    c.env_clear()
        .env("HOME", env.dir.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["-f", offset])
        .arg(assert_cmd::cargo::cargo_bin("twofa"))
        .arg("--db")
        .arg(&env.db)
        .args(args);
    c.output()
        .expect("faketime (Debian package faketime; .ci/run installs it)")
}

fn prune_keeps_the_chain_verifiable_and_is_logged(env: Env) {
    // Old history, made 100 days ago.
    for args in [
        &["--json", "user", "add", "old"][..],
        &["org", "create", "ancient", "--owner", "old"],
        &["config", "set", "issuer", "Old"],
    ] {
        let out = in_the_past(&env, "-100d", args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    history(&env);
    env.expect_exit(&["audit", "prune", "--before", "2999-01-01"], exit::USAGE);
    // Nothing younger than the minimum retention (90 days by default) may go.
    let err = env.expect_exit(&["audit", "prune", "--before", "0"], exit::USAGE);
    assert!(
        err.contains("minimum retention") && err.contains("audit_min_retention"),
        "{err}"
    );
    let v = env.json(&["audit", "prune", "--before", "95d"]);
    assert_eq!(v["removed"], 3);
    let left = env.json(&["audit"]);
    assert_eq!(left.as_array().unwrap().len(), 10);
    assert_eq!(left[0]["action"], "audit.prune");
    env.active("bob");
    let ok = env.json(&["audit", "verify"]);
    assert_eq!(ok["ok"], true, "{ok}");
    assert_eq!(ok["pruned_before"], 4);
    // A second prune never hides the first: every prune stays on record.
    env.json(&["audit", "prune", "--before", "95d"]);
    let ok = env.json(&["audit", "verify"]);
    let prunes = ok["prunes"].as_array().unwrap();
    assert_eq!(prunes.len(), 2, "{ok}");
    assert_eq!(
        (prunes[0]["removed"].as_u64(), prunes[1]["removed"].as_u64()),
        (Some(3), Some(0))
    );
    // Tampering after a prune is still found.
    env.tamper("UPDATE audit SET actor = 'someone' WHERE id = 5");
    env.expect_exit(&["audit", "verify"], 8);
    // Only a global admin prunes.
    env.json(&["user", "admin", "bob", "on"]);
    env.expect_exit(&["--actor", "bob", "audit", "prune", "--before", "95d"], exit::DENIED);
}

/// Lowering the minimum retention is a privileged change, and audited.
fn the_minimum_retention_is_a_setting_changed_only_by_admins(env: Env) {
    let codes = env.global_admin("boss");
    env.json(&["user", "add", "olga"]);
    let err = env.expect_exit(
        &["--actor", "olga", "config", "set", "audit_min_retention", "1d"],
        exit::DENIED,
    );
    assert!(err.contains("global admin"), "{err}");
    env.json_as("boss", &codes[0], &["config", "set", "audit_min_retention", "30d"]);
    let log = env.json(&["audit", "--action", "config.set"]);
    assert_eq!(log[0]["details"], "audit_min_retention = 30d");
    assert_eq!(log[0]["actor"], "boss");
    env.expect_exit(&["config", "set", "audit_min_retention", "1h"], exit::USAGE);
}

fn history_shows_the_two_factor_verified_trail(env: Env) {
    history(&env);
    let h = env.json(&["status", "alice", "--history"]);
    let rows: Vec<(&str, &str, bool)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap_or("-"),
                e["outcome"].as_str().unwrap(),
                e["two_factor_verified"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("backup", "accepted", true),
            ("totp", "accepted", true),
            ("totp", "wrong", false),
            ("totp", "accepted", true)
        ]
    );
    assert_eq!(h[3]["purpose"], "activate");
    assert!(h[1]["drift"].is_i64());
    assert_eq!(
        env.json(&["status", "alice", "--history", "--limit", "1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (code, out, _) = env.run(&["status", "alice", "--history"]);
    assert_eq!(code, exit::OK);
    assert!(out.contains("2fa_verified") && out.contains("backup"), "{out}");
}

on_both_backends!(
    every_change_and_every_code_check_is_logged_newest_first,
    no_secret_code_or_hash_reaches_the_audit_log_or_the_history,
    verify_passes_untouched_and_finds_edits_removals_and_insertions,
    #[cfg_attr(
        not(has_faketime),
        ignore = "needs faketime (Debian package faketime, which .ci/run installs; then `touch build.rs`)"
    )]
    prune_keeps_the_chain_verifiable_and_is_logged,
    the_minimum_retention_is_a_setting_changed_only_by_admins,
    history_shows_the_two_factor_verified_trail,
);
