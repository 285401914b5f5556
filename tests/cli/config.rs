use crate::common::{Env, exit};

#[test]
fn settings_are_listed_and_changed() {
    let env = Env::new();
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

#[test]
fn bad_settings_are_refused() {
    let env = Env::new();
    env.expect_exit(&["config", "set", "skew", "10"], exit::USAGE);
    env.expect_exit(&["config", "set", "nope", "1"], exit::USAGE);
    env.expect_exit(&["config", "get", "nope"], exit::USAGE);
}

#[test]
fn lockout_threshold_and_skew_are_configurable() {
    let env = Env::new();
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
