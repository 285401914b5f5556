//! Bad input gets one clear line (plus perhaps a hint) and the right exit code; never
//! a panic, never a backtrace, and nothing stored is lost.

use crate::common::{Env, exit};

fn assert_clean_error(err: &str) {
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert!(err.lines().count() <= 2, "one line and an optional hint: {err}");
}

fn user_names_with_control_characters_or_too_long(env: Env) {
    for name in ["al\nice", "al\x1b[2Jice", "\u{202E}ecila", "tab\there", ""] {
        let err = env.expect_exit(&["enroll", name], exit::USAGE);
        assert_clean_error(&err);
        assert!(!err.contains('\x1b'), "no terminal escapes echoed");
    }
    let long = "a".repeat(257);
    let err = env.expect_exit(&["enroll", &long], exit::USAGE);
    assert!(err.contains("257 bytes"), "{err}");
    env.json(&["enroll", &"a".repeat(256)]);
}

fn malformed_codes_are_usage_errors_that_do_not_count(env: Env) {
    env.active("alice");
    for code in ["", "12345", "1234567", "１２３４５６", "12a456", &"9".repeat(100_000)] {
        let err = env.expect_exit(&["verify", "alice", "--code", code], exit::USAGE);
        assert_clean_error(&err);
    }
    assert_eq!(env.status("alice")["failed_attempts"], 0);
}

#[test]
fn database_path_that_is_a_directory() {
    let env = Env::new();
    let (code, err) = twofa_at(env.dir.path(), &["status", "x"]);
    assert_eq!(code, exit::FAILURE);
    assert_clean_error(&err);
    assert!(err.contains("is a directory"), "{err}");
}

fn twofa_at(db: &std::path::Path, args: &[&str]) -> (i32, String) {
    let mut c = assert_cmd::Command::cargo_bin("twofa").unwrap();
    let home = db.parent().expect("a database in a directory");
    let out = c
        .env_clear()
        .env("HOME", home)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let env = Env::new();
    let path = env.dir.path().join("notes.txt");
    let content = "these are my notes, not a database\n".repeat(100);
    std::fs::write(&path, &content).unwrap();
    crate::common::private(&path);
    let (code, err) = twofa_at(&path, &["enroll", "alice"]);
    assert_eq!(code, exit::FAILURE);
    assert_clean_error(&err);
    assert!(err.contains("not an SQLite database"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
}

fn a_database_from_a_newer_version_is_refused_and_left_alone(env: Env) {
    let (acct, _) = env.active("alice");
    env.tamper(match env.pg {
        Some(_) => "INSERT INTO schema_version (version) VALUES (99)",
        None => "PRAGMA user_version = 99",
    });
    let (code, _, err) = env.run(&["verify", "alice", "--code", &acct.code(1)]);
    assert_eq!(code, exit::FAILURE);
    assert_clean_error(&err);
    assert!(err.contains("newer twofa"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM users"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM factors"),
        2,
        "nothing dropped or rolled back"
    );
}

#[test]
fn an_unopenable_path() {
    let env = Env::new();
    let file = env.dir.path().join("plain");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = twofa_at(&file.join("twofa.db"), &["enroll", "alice"]);
    assert_eq!(code, exit::FAILURE);
    assert_clean_error(&err);
    assert!(err.contains("cannot open database"), "{err}");
}

fn usage_errors_exit_2(env: Env) {
    env.expect_exit(&["frobnicate"], exit::USAGE);
    env.expect_exit(&["verify"], exit::USAGE);
    env.expect_exit(&["backup-codes", "alice", "--code", "123456"], exit::USAGE);
}

#[test]
fn the_database_is_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.enroll("alice");
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn twofa_db_environment_variable_and_default_location() {
    let env = Env::new();
    let other = env.dir.path().join("from-env.db");
    let mut c = assert_cmd::Command::cargo_bin("twofa").unwrap();
    c.env_clear()
        .env("TWOFA_DB", &other)
        .env("TWOFA_KEY_FILE", env.dir.path().join("from-env.key"))
        .args(["--json", "enroll", "alice"])
        .assert()
        .success();
    assert!(other.exists());
    // Without either, the platform data directory under $HOME.
    let mut c = assert_cmd::Command::cargo_bin("twofa").unwrap();
    c.env_clear()
        .env("HOME", env.dir.path())
        .args(["--json", "enroll", "bob"])
        .assert()
        .success();
    assert!(env.dir.path().join(".local/share/twofa/twofa.db").exists());
}

fn a_code_typed_without_code_flag_is_not_echoed(env: Env) {
    let (code, _, err) = env.run(&["verify", "alice", "493817"]);
    assert_eq!(code, exit::USAGE);
    assert!(!err.contains("493817"), "{err}");
    assert!(err.contains("--code"), "{err}");
}

#[test]
fn a_tiny_file_is_not_turned_into_a_database() {
    let env = Env::new();
    let path = env.dir.path().join("one-byte");
    std::fs::write(&path, "x").unwrap();
    let (code, err) = twofa_at(&path, &["enroll", "alice"]);
    assert_eq!(code, exit::FAILURE, "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"x");
}

fn json_into_a_closed_pipe_is_not_an_error(env: Env) {
    use std::process::{Command, Stdio};
    env.enroll("alice");
    let bin = assert_cmd::cargo::cargo_bin("twofa");
    // `true` exits without reading: twofa meets a closed pipe.
    let script = format!(
        "{} --db '{}' --json status alice | true; echo ${{PIPESTATUS[0]}}",
        bin.display(),
        env.db.display()
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&out.stdout);
    assert_eq!(status.trim(), "0", "stderr: {}", String::from_utf8_lossy(&out.stderr));
}

fn a_name_too_long_for_a_qr_code_still_enrolls_by_hand(env: Env) {
    let name = "!".repeat(256);
    let (code, out, err) = env.run(&["enroll", &name, "--issuer", &"!".repeat(256)]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(err.contains("no QR code"), "{err}");
    assert!(out.contains("Or add the key by hand"));
}

on_both_backends!(
    user_names_with_control_characters_or_too_long,
    malformed_codes_are_usage_errors_that_do_not_count,
    usage_errors_exit_2,
    a_code_typed_without_code_flag_is_not_echoed,
    a_name_too_long_for_a_qr_code_still_enrolls_by_hand,
    json_into_a_closed_pipe_is_not_an_error,
    a_database_from_a_newer_version_is_refused_and_left_alone,
);
