//! Hostile input on the real binary: corrupt and truncated database files,
//! arbitrary bytes as codes, names built to break terminals or SQL. Never a panic:
//! always one error line and a defined exit code.

use crate::common::{Env, exit};
use proptest::prelude::*;
use rusqlite::Connection;

/// Every exit code twofa documents.
const DEFINED: [i32; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

fn assert_defined(code: i32, err: &str) {
    assert!(DEFINED.contains(&code), "undefined exit {code}: {err}");
    assert!(!err.contains("internal error"), "a panic: {err}");
    if code != 0 {
        assert!(
            err.starts_with("error:") && err.lines().count() <= 2,
            "not one clear error: {err:?}"
        );
    }
}

/// A database with users, an organization and an audit log, checkpointed so the
/// main file holds everything.
fn populated() -> (Env, Vec<u8>) {
    let env = Env::new();
    env.active("alice");
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    let conn = Connection::open(&env.db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&env.db).unwrap();
    (env, bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_corrupt_or_truncated_database_gives_a_clear_error(cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), junk in proptest::collection::vec(any::<u8>(), 1..64), truncate in any::<bool>()) {
        let (env, mut bytes) = populated();
        let _ = std::fs::remove_file(env.db.with_extension("db-wal"));
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        } else {
            let start = at.index(bytes.len());
            for (i, b) in junk.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(start + i) {
                    *slot = *b;
                }
            }
        }
        std::fs::write(&env.db, &bytes).unwrap();
        for args in [&["status", "alice"][..], &["verify", "alice", "--code", "123456"], &["org", "status", "acme"], &["audit", "verify"], &["user", "list"]] {
            let (code, _, err) = env.run(args);
            assert_defined(code, &err);
        }
    }

    #[test]
    fn any_bytes_as_a_code_are_refused_cleanly(input in proptest::collection::vec(any::<u8>(), 0..200)) {
        refused_cleanly(Env::new(), input)?;
    }

    #[test]
    #[cfg_attr(not(twofa_pg), ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run")]
    fn any_bytes_as_a_code_are_refused_cleanly_on_postgresql(
        input in proptest::collection::vec(any::<u8>(), 0..200)
    ) {
        refused_cleanly(Env::postgres(), input)?;
    }
}

/// `input` on standard input as alice's code: refused (or malformed), cleanly.
fn refused_cleanly(env: Env, input: Vec<u8>) -> Result<(), TestCaseError> {
    env.active("alice");
    let out = env.cmd().args(["verify", "alice"]).write_stdin(input).output().unwrap();
    let code = out.status.code().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_defined(code, &err);
    prop_assert!([exit::REJECTED, exit::USAGE].contains(&code), "{code}: {err}");
    Ok(())
}

fn names_that_would_rewrite_a_terminal_or_a_query(env: Env) {
    let long = "n".repeat(10 * 1024);
    for bad in [
        "\u{1b}[2J\u{1b}[31mowned",
        "a\u{202e}gnp.exe",
        "tab\there",
        "nul\u{0}",
        &long,
        " lead",
        "a:b",
        "",
    ] {
        for args in [
            vec!["user", "add", bad],
            vec!["org", "create", bad],
            vec!["enroll", bad],
        ] {
            let Ok(out) = env.cmd().args(&args).output() else {
                continue; // a NUL cannot even be passed on argv
            };
            let code = out.status.code().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_defined(code, &err);
            assert_eq!(code, exit::USAGE, "{args:?}: {err}");
            assert!(
                !err.contains('\u{1b}') && !err.contains('\u{202e}'),
                "echoed raw: {err:?}"
            );
        }
    }
    // SQL metacharacters are just characters: stored and shown as typed.
    let sql = "robert'); DROP TABLE users;--";
    env.json(&["user", "add", sql]);
    env.json(&["org", "create", "100% \"real\" _org_", "--owner", sql]);
    let users = env.json(&["user", "list"]);
    assert!(users.as_array().unwrap().iter().any(|u| u["user"] == sql));
    let (code, out, _) = env.run(&["org", "status", "100% \"real\" _org_"]);
    assert_eq!(code, exit::OK);
    assert!(out.contains(sql), "{out}");
    // LIKE wildcards match nothing by accident.
    env.expect_exit(&["status", "rob%"], exit::NOT_FOUND);
}

on_both_backends!(names_that_would_rewrite_a_terminal_or_a_query);
