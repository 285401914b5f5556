use crate::common::{Account, Env, exit};

#[test]
fn json_enroll_is_pending_with_a_160_bit_secret_and_a_key_uri() {
    let env = Env::new();
    let v = env.json(&["enroll", "alice"]);
    assert_eq!(v["status"], "pending");
    assert_eq!(v["user"], "alice");
    let secret = v["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 32, "160 bits of base32, no padding");
    assert!(!secret.contains('='));
    assert_eq!(
        v["otpauth_uri"].as_str().unwrap(),
        format!("otpauth://totp/twofa:alice?secret={secret}&issuer=twofa")
    );
    assert_eq!(env.status("alice")["status"], "pending");
}

#[test]
fn enrolling_again_shows_the_same_secret_unless_new_secret() {
    let env = Env::new();
    let first = env.json(&["enroll", "alice"]);
    let again = env.json(&["enroll", "alice"]);
    assert_eq!(first["secret"], again["secret"]);
    let fresh = env.json(&["enroll", "alice", "--new-secret"]);
    assert_ne!(first["secret"], fresh["secret"]);
}

#[test]
fn activation_returns_ten_backup_codes_once() {
    let env = Env::new();
    let acct = env.enroll("alice");
    let v = env.json(&["enroll", "alice", "--code", &acct.code(0)]);
    assert_eq!(v["status"], "active");
    let codes = v["backup_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    for c in codes {
        let c = c.as_str().unwrap();
        assert_eq!(c.len(), 11, "{c}");
        assert_eq!(c.as_bytes()[5], b'-');
    }
    let s = env.status("alice");
    assert_eq!(s["status"], "active");
    assert_eq!(s["backup_codes_remaining"], 10);
    // Status never shows the codes again.
    let (_, out, _) = env.run(&["--json", "status", "alice"]);
    assert!(!out.contains(codes[0].as_str().unwrap()));
}

#[test]
fn activation_code_from_stdin() {
    let env = Env::new();
    let acct = env.enroll("alice");
    env.cmd()
        .args(["enroll", "alice", "--code", "-"])
        .write_stdin(format!("{}\n", acct.code(0)))
        .assert()
        .success();
    assert_eq!(env.status("alice")["status"], "active");
}

#[test]
fn wrong_activation_code_keeps_it_pending_and_counts() {
    let env = Env::new();
    let acct = env.enroll("alice");
    let err = env.expect_exit(&["enroll", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    assert!(err.contains("wrong code"), "{err}");
    let s = env.status("alice");
    assert_eq!(s["status"], "pending");
    assert_eq!(s["failed_attempts"], 1);
}

#[test]
fn activating_without_a_pending_enrollment_is_not_found() {
    let env = Env::new();
    env.expect_exit(&["enroll", "ghost", "--code", "123456"], exit::NOT_FOUND);
}

#[test]
fn enrolling_an_active_user_is_refused_with_the_way_to_change_device() {
    let env = Env::new();
    env.active("alice");
    let err = env.expect_exit(&["enroll", "alice"], exit::CONFLICT);
    assert!(err.contains("already has active"), "{err}");
    assert!(err.contains("disable alice`"), "{err}");
}

#[test]
fn non_default_parameters_appear_in_the_uri_and_work() {
    let env = Env::new();
    let v = env.json(&[
        "enroll",
        "bob",
        "--algorithm",
        "SHA256",
        "--digits",
        "8",
        "--period",
        "60",
        "--issuer",
        "Acme Co",
    ]);
    let uri = v["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Acme%20Co:bob?secret="), "{uri}");
    assert!(
        uri.ends_with("&issuer=Acme%20Co&algorithm=SHA256&digits=8&period=60"),
        "{uri}"
    );
    let acct = Account::from_uri(uri);
    assert_eq!((acct.label.as_str(), acct.issuer.as_str()), ("Acme Co:bob", "Acme Co"));
    assert_eq!(acct.code(0).len(), 8);
    env.json(&["enroll", "bob", "--code", &acct.code(0)]);
    env.cmd()
        .args(["verify", "bob", "--code", &acct.code(1)])
        .assert()
        .success();
}

#[test]
fn out_of_range_parameters_are_usage_errors() {
    let env = Env::new();
    env.expect_exit(&["enroll", "bob", "--digits", "7"], exit::USAGE);
    env.expect_exit(&["enroll", "bob", "--period", "5"], exit::USAGE);
    env.expect_exit(&["enroll", "bob", "--algorithm", "MD5"], exit::USAGE);
    env.expect_exit(&["enroll", "bob", "--issuer", "a:b"], exit::USAGE);
}

#[test]
fn human_output_has_qr_grouped_secret_and_no_prompt_without_a_terminal() {
    let env = Env::new();
    let (code, out, err) = env.run(&["enroll", "alice", "--qr", "unicode"]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(out.contains("Scan this QR code"));
    assert!(out.contains('█'));
    let uri = out.lines().find_map(|l| l.strip_prefix("URI: ")).unwrap();
    let acct = Account::from_uri(uri);
    let grouped: Vec<String> = acct
        .secret_b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into())
        .collect();
    assert!(out.contains(&grouped.join(" ")), "secret in groups of four");
    assert!(err.contains("twofa enroll alice --code -"), "{err}");
    assert_eq!(env.status("alice")["status"], "pending");
    let (_, out, _) = env.run(&["enroll", "alice", "--qr", "none"]);
    assert!(!out.contains('█'));
    // Piped stdout: the default QR has no escape codes.
    let (_, out, _) = env.run(&["enroll", "alice"]);
    assert!(out.contains('█') && !out.contains('\x1b'));
}
