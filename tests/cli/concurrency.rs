//! Many real twofa processes at once against one database: a code is accepted once,
//! the lockout lets no extra guess through, a backup code is spent once, and mixed
//! load leaves a sound database and an intact audit chain. Each test runs on an SQLite
//! file and on PostgreSQL (over TCP in CI; ignored, with the reason, without a server).

use crate::common::{Env, exit, field};

on_both_backends!(
    the_same_valid_code_from_32_processes_is_accepted_once,
    wrong_codes_from_32_processes_meet_the_lockout_after_exactly_the_limit,
    one_backup_code_from_16_processes_is_spent_once,
    mixed_load_ends_in_defined_exits_a_sound_database_and_an_intact_chain,
);
use std::process::{Child, Stdio};

/// Starts every command before waiting for any; returns (exit code, stderr) each.
fn all_at_once(env: &Env, runs: Vec<Vec<String>>) -> Vec<(i32, String)> {
    let children: Vec<Child> = runs
        .iter()
        .map(|args| {
            env.std_cmd()
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .collect()
}

fn count(results: &[(i32, String)], code: i32) -> usize {
    results.iter().filter(|(c, _)| *c == code).count()
}

fn no_storage_errors(results: &[(i32, String)]) {
    for (code, err) in results {
        assert!(
            !err.contains("locked") || err.contains("locked out"),
            "a database lock leaked out: {err}"
        );
        assert_ne!(*code, exit::FAILURE, "{err}");
    }
}

fn the_same_valid_code_from_32_processes_is_accepted_once(env: Env) {
    let (acct, _) = env.active("alice");
    let code = acct.code(1);
    let results = all_at_once(
        &env,
        vec![vec!["verify".into(), "alice".into(), "--code".into(), code]; 32],
    );
    no_storage_errors(&results);
    assert_eq!(count(&results, exit::OK), 1, "{results:?}");
    assert_eq!(count(&results, exit::REJECTED), 31, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|(c, _)| *c == exit::REJECTED)
            .all(|(_, e)| e.contains("already used"))
    );
}

fn wrong_codes_from_32_processes_meet_the_lockout_after_exactly_the_limit(env: Env) {
    let (acct, _) = env.active("alice");
    let wrong = acct.wrong_code();
    let results = all_at_once(
        &env,
        vec![vec!["verify".into(), "alice".into(), "--code".into(), wrong]; 32],
    );
    no_storage_errors(&results);
    // max_failures = 5: five guesses are checked (and fail), every later one is refused unread.
    assert_eq!(count(&results, exit::REJECTED), 5, "{results:?}");
    assert_eq!(count(&results, exit::LOCKED), 27, "{results:?}");
    let log = env.json(&["audit", "--user", "alice", "--action", "verify"]);
    let outcomes = field(&log, "outcome");
    assert_eq!(outcomes.iter().filter(|o| **o == "wrong").count(), 5);
    assert_eq!(outcomes.iter().filter(|o| **o == "locked").count(), 27);
}

fn one_backup_code_from_16_processes_is_spent_once(env: Env) {
    let (_, backup) = env.active("alice");
    let runs = vec![vec!["verify".into(), "alice".into(), "--code".into(), backup[3].clone()]; 16];
    let results = all_at_once(&env, runs);
    no_storage_errors(&results);
    assert_eq!(count(&results, exit::OK), 1, "{results:?}");
    // A spent backup code is simply wrong: after five, the lockout refuses the rest.
    assert_eq!(count(&results, exit::REJECTED), 5, "{results:?}");
    assert_eq!(count(&results, exit::LOCKED), 10, "{results:?}");
    assert_eq!(env.status("alice")["backup_codes_remaining"], 9);
}

fn mixed_load_ends_in_defined_exits_a_sound_database_and_an_intact_chain(env: Env) {
    env.json(&["user", "add", "olga"]);
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    let users: Vec<_> = (0..4).map(|i| env.active(&format!("u{i}"))).collect();
    for i in 0..4 {
        env.json(&["org", "add", "acme", &format!("u{i}")]);
    }
    let mut runs: Vec<Vec<String>> = vec![];
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    for round in 0..3 {
        for (i, (acct, backup)) in users.iter().enumerate() {
            let u = format!("u{i}");
            runs.push(s(&["verify", &u, "--code", &acct.code(1)]));
            runs.push(s(&["verify", &u, "--code", &acct.wrong_code()]));
            runs.push(s(&["verify", &u, "--code", &backup[round]]));
        }
        runs.push(s(&["enroll", &format!("new{round}")]));
        runs.push(s(&[
            "backup-codes",
            "u0",
            "--regenerate",
            "--code",
            &users[0].1[5 + round],
        ]));
        runs.push(s(&[
            "org",
            "require-2fa",
            "acme",
            if round % 2 == 0 { "on" } else { "off" },
            "--grace",
            "1d",
        ]));
        runs.push(s(&["org", "add", "acme", &format!("new{round}")]));
        runs.push(s(&["org", "remove", "acme", "u3"]));
        runs.push(s(&["--json", "org", "status", "acme"]));
        runs.push(s(&["audit", "--limit", "5"]));
    }
    let results = all_at_once(&env, runs);
    let defined = [
        exit::OK,
        exit::REJECTED,
        exit::LOCKED,
        exit::NOT_FOUND,
        exit::DENIED,
        exit::CONFLICT,
    ];
    for (code, err) in &results {
        assert!(defined.contains(code), "undefined outcome {code}: {err}");
    }
    no_storage_errors(&results);
    if env.pg.is_none() {
        // (PostgreSQL checks its foreign keys on every statement.)
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        let fk: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 0);
    }
    let v = env.json(&["audit", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
}
