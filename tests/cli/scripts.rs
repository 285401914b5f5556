//! What a script relies on: errors under `--json` as one stable object, hints that
//! keep the database in use, typos named, nothing on stdout before success.

use crate::common::{Env, exit};
use serde_json::Value;

/// `{"error": {"kind", "message", "hint", "exit_code"}}` on stdout, for every class.
fn json_errors_are_one_object_on_stdout_with_a_stable_kind(env: Env) {
    let (acct, _) = env.active("alice");
    let cases: [(&[&str], i32, &str); 5] = [
        (&["status", "nobody"], exit::NOT_FOUND, "not_found"),
        (&["verify", "alice", "--code", "12"], exit::USAGE, "usage"),
        (&["enroll", "alice"], exit::CONFLICT, "conflict"),
        (&["--actor", "ghost", "org", "create", "x"], exit::DENIED, "denied"),
        (&["verify", "alice", "--jsn"], exit::USAGE, "usage"),
    ];
    for (args, code, kind) in cases {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let (got, out, err) = env.run(&all);
        assert_eq!(got, code, "{args:?}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out:?}"));
        let e = &v["error"];
        assert_eq!(
            (e["kind"].as_str(), e["exit_code"].as_i64()),
            (Some(kind), Some(i64::from(code))),
            "{v}"
        );
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert!(e["hint"].is_string() || e["hint"].is_null(), "{v}");
    }
    let wrong = acct.wrong_code();
    let (got, out, _) = env.run(&["--json", "verify", "alice", "--code", &wrong]);
    assert_eq!(got, exit::REJECTED);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "rejected");
    assert!(!out.contains(&wrong), "the code is never repeated");
}

fn a_mistyped_option_is_named_but_a_stray_value_is_not_repeated(env: Env) {
    for (typo, meant) in [("--isuer", "--issuer"), ("--jsn", "--json")] {
        let (code, _, err) = env.run(&["enroll", "alice", typo, "x"]);
        assert_eq!(code, exit::USAGE);
        assert!(err.contains(typo) && err.contains(meant), "{err}");
    }
    let (code, out, err) = env.run(&["status", "alice", "--hist"]);
    assert_eq!(code, exit::USAGE);
    assert!(err.contains("--hist") && err.contains("--history"), "{out}{err}");
    let (code, _, err) = env.run(&["verify", "alice", "493817"]);
    assert_eq!(code, exit::USAGE);
    assert!(!err.contains("493817"), "a stray value may be a code: {err}");
}

/// The words a shell makes of the command a message suggests: from `twofa --db=` in
/// `text` to `end` (the closing backquote of a hint, or the end of the line).
fn suggested_words(text: &str, end: char) -> Vec<String> {
    let start = text.find("twofa --db=").unwrap_or_else(|| panic!("no command: {text}"));
    let line = text[start..].split(end).next().unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\n' {}", &line["twofa ".len()..]))
        .output()
        .unwrap();
    assert!(out.status.success(), "{line}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// What a hint or note suggests, pasted into a shell, reaches twofa with the same
/// database (on PostgreSQL, a URL the hint quotes for the shell).
fn assert_keeps_the_database(env: &Env, text: &str, end: char, command: &[&str]) {
    let db = env.db.display().to_string();
    if env.pg.is_none() {
        // A plain path, as given.
        let shown = format!("twofa --db={db} {}", command.join(" "));
        assert!(text.contains(&shown), "{text}");
    }
    let mut expected = vec![format!("--db={db}")];
    expected.extend(command.iter().map(|w| w.to_string()));
    assert_eq!(suggested_words(text, end), expected, "{text}");
}

fn hints_keep_the_database_given_with_db(env: Env) {
    env.json(&["user", "add", "someone"]);
    let (_, _, err) = env.run(&["status", "nobody"]);
    assert_keeps_the_database(&env, &err, '`', &["user", "add", "nobody"]);
}

fn nothing_reaches_stdout_before_the_organization_is_known(env: Env) {
    env.active("alice");
    let (code, out, _) = env.run(&["--json", "org", "status", "nope"]);
    assert_eq!(code, exit::NOT_FOUND);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    assert_eq!(v["error"]["kind"], "not_found");
    let (code, out, _) = env.run(&["org", "status", "nope"]);
    assert_eq!((code, out.as_str()), (exit::NOT_FOUND, ""));
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    let v = env.json(&["org", "status", "acme"]);
    assert_eq!(v["members"].as_array().unwrap().len(), 1);
}

/// A mistyped path is not a new, empty database: commands that only read (or check)
/// say there is none and create nothing; only the commands that start a database do.
#[test]
fn commands_that_read_create_no_database() {
    let env = Env::new();
    let typo = env.dir.path().join("typo.db");
    for args in [
        &["status", "alice"][..],
        &["org", "status", "acme"],
        &["org", "list"],
        &["user", "list"],
        &["audit"],
        &["audit", "verify"],
        &["access", "alice"],
        &["config", "list"],
        &["verify", "alice", "--code", "123456"],
    ] {
        let out = env.cmd_on(&typo).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(exit::NOT_FOUND), "{args:?}: {err}");
        assert!(err.contains("no database at") && err.contains("typo.db"), "{err}");
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    // Nor the default location under a fresh HOME.
    let home = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("twofa")
        .unwrap()
        .env_clear()
        .env("HOME", home.path())
        .args(["status", "alice"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(exit::NOT_FOUND));
    assert!(!home.path().join(".local").exists(), "no data directory made");
    // The commands that start one do.
    env.cmd_on(&typo).args(["user", "add", "alice"]).assert().success();
    assert!(typo.exists());
}

/// Notes that name a command repeat the database given with --db, as hints do.
fn notes_keep_the_database_given_with_db(env: Env) {
    let (code, _, err) = env.run(&["enroll", "alice"]);
    assert_eq!(code, exit::OK, "{err}");
    assert_keeps_the_database(&env, &err, '\n', &["enroll", "alice", "--code", "-"]);
}

/// Words for people: singular and plural, a grace as typed, reasons in words.
fn words_for_people(env: Env) {
    env.json(&["user", "add", "olga"]);
    let (_, out, _) = env.run(&["org", "create", "acme", "--owner", "olga"]);
    assert!(out.contains("1 member") && !out.contains("1 members"), "{out}");
    let (_, out, _) = env.run(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    assert!(out.contains("grace 7d"), "{out}");
    let (_, out, _) = env.run(&["org", "status", "acme"]);
    assert!(out.contains("1 member:") && out.contains("┆"), "{out}");
    let (_, out, _) = env.run(&["access", "olga", "--org", "acme"]);
    assert!(
        out.contains("in the grace period") && !out.contains("grace_period"),
        "{out}"
    );
    let v = env.json(&["access", "olga", "--org", "acme"]);
    assert_eq!(v["reason"], "grace_period", "snake_case stays in JSON");
}

/// Names in hints are quoted for the shell: a pasted hint runs what it shows, only.
fn names_in_hints_are_quoted_for_the_shell(env: Env) {
    env.json(&["user", "add", "someone"]);
    let (_, _, err) = env.run(&["status", "x; touch PWNED"]);
    assert!(err.contains("user add 'x; touch PWNED'`"), "{err}");
}

/// Names and the step-up code cannot both come from standard input.
fn names_and_a_step_up_code_cannot_share_stdin(env: Env) {
    env.json(&["user", "add", "olga"]);
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    let out = env
        .cmd()
        .args(["--actor", "olga", "--actor-code", "-", "org", "add", "acme", "-"])
        .write_stdin("bob\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(exit::USAGE));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot both come from standard input"));
}

on_both_backends!(
    json_errors_are_one_object_on_stdout_with_a_stable_kind,
    a_mistyped_option_is_named_but_a_stray_value_is_not_repeated,
    nothing_reaches_stdout_before_the_organization_is_known,
    words_for_people,
    names_in_hints_are_quoted_for_the_shell,
    names_and_a_step_up_code_cannot_share_stdin,
    hints_keep_the_database_given_with_db,
    notes_keep_the_database_given_with_db,
);
