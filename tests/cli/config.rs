use crate::common::{Env, exit};

fn settings_are_listed_and_changed(env: Env) {
    env.json(&["user", "add", "someone"]);
    let list = env.json(&["config", "list"]);
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "issuer",
            "skew",
            "max_failures",
            "lockout_seconds",
            "lockout_max_seconds",
            "audit_min_retention",
            "email_code_digits",
            "email_code_ttl",
            "email_send_interval",
            "email_sends_per_hour",
            "allow_multiple_factors",
            "mail_smtp_url",
            "mail_from",
            "mail_credentials_file",
            "mail_sendmail"
        ]
    );
    env.json(&["config", "set", "issuer", "Acme"]);
    let (_, out, _) = env.run(&["config", "get", "issuer"]);
    assert_eq!(out.trim(), "Acme");
    assert!(
        env.json(&["enroll", "alice"])["otpauth_uri"]
            .as_str()
            .unwrap()
            .contains("/Acme:alice?")
    );
}

fn bad_settings_are_refused(env: Env) {
    env.expect_exit(&["config", "set", "skew", "10"], exit::USAGE);
    env.expect_exit(&["config", "set", "nope", "1"], exit::USAGE);
    env.expect_exit(&["config", "get", "nope"], exit::USAGE);
}

fn lockout_threshold_and_skew_are_configurable(env: Env) {
    env.json(&["config", "set", "max_failures", "2"]);
    let (acct, _) = env.active("alice");
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    env.expect_exit(&["verify", "alice", "--code", &acct.code(1)], exit::LOCKED);

    // Skew: the window edges are tested with the injected clock in the service tests;
    // here, that the setting reaches the binary.
    env.json(&["config", "set", "skew", "0"]);
    let (_, out, _) = env.run(&["config", "get", "skew"]);
    assert_eq!(out.trim(), "0");
}

/// `twofa …` without `--db`, with this environment's HOME (so its `~/.config/twofa`).
fn without_db(env: &Env) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("twofa").unwrap();
    c.env_clear()
        .env("HOME", env.dir.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c
}

#[test]
fn the_configuration_file_names_the_database_and_the_key() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let conf = env.dir.path().join(".config/twofa");
    std::fs::create_dir_all(&conf).unwrap();
    let data = env.dir.path().join("srv");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let (db, key) = (data.join("fleet.db"), data.join("fleet.key"));
    std::fs::write(
        conf.join("config.toml"),
        format!(
            "# where twofa keeps its data\ndatabase = {:?}\nkey_file = {:?}\n",
            db, key
        ),
    )
    .unwrap();
    without_db(&env).args(["user", "add", "alice"]).assert().success();
    assert!(db.exists(), "the database is where the configuration says");
    without_db(&env).args(["enroll", "alice"]).assert().success();
    assert!(key.exists(), "and so is the key");
    assert!(!env.db.exists(), "nothing at the default place");
    // --db still wins.
    env.cmd().args(["user", "add", "bob"]).assert().success();
    assert!(env.db.exists());
    // A file others may write is refused, with one line and nothing done.
    std::fs::set_permissions(conf.join("config.toml"), std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = without_db(&env).args(["user", "add", "carol"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("writable by others") && err.lines().count() <= 2, "{err}");
}

on_both_backends!(
    settings_are_listed_and_changed,
    bad_settings_are_refused,
    lockout_threshold_and_skew_are_configurable,
);
