use crate::common::{Account, Env, exit};

fn json_enroll_is_pending_with_a_160_bit_secret_and_a_key_uri(env: Env) {
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

fn enrolling_again_shows_the_same_secret_unless_new_secret(env: Env) {
    let first = env.json(&["enroll", "alice"]);
    let again = env.json(&["enroll", "alice"]);
    assert_eq!(first["secret"], again["secret"]);
    let fresh = env.json(&["enroll", "alice", "--new-secret"]);
    assert_ne!(first["secret"], fresh["secret"]);
}

fn activation_returns_ten_backup_codes_once(env: Env) {
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

fn activation_code_from_stdin(env: Env) {
    let acct = env.enroll("alice");
    env.cmd()
        .args(["enroll", "alice", "--code", "-"])
        .write_stdin(format!("{}\n", acct.code(0)))
        .assert()
        .success();
    assert_eq!(env.status("alice")["status"], "active");
}

fn wrong_activation_code_keeps_it_pending_and_counts(env: Env) {
    let acct = env.enroll("alice");
    let err = env.expect_exit(&["enroll", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    assert!(err.contains("wrong code"), "{err}");
    let s = env.status("alice");
    assert_eq!(s["status"], "pending");
    assert_eq!(s["failed_attempts"], 1);
}

fn activating_without_a_pending_enrollment_is_not_found(env: Env) {
    env.expect_exit(&["enroll", "ghost", "--code", "123456"], exit::NOT_FOUND);
}

fn enrolling_an_active_user_is_refused_with_the_way_to_change_device(env: Env) {
    env.active("alice");
    let err = env.expect_exit(&["enroll", "alice"], exit::CONFLICT);
    assert!(err.contains("already has active"), "{err}");
    assert!(err.contains("disable alice`"), "{err}");
}

fn non_default_parameters_appear_in_the_uri_and_work(env: Env) {
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

fn out_of_range_parameters_are_usage_errors(env: Env) {
    env.expect_exit(&["enroll", "bob", "--digits", "7"], exit::USAGE);
    env.expect_exit(&["enroll", "bob", "--period", "5"], exit::USAGE);
    env.expect_exit(&["enroll", "bob", "--algorithm", "MD5"], exit::USAGE);
    env.expect_exit(&["enroll", "bob", "--issuer", "a:b"], exit::USAGE);
}

fn human_output_has_qr_grouped_secret_and_no_prompt_without_a_terminal(env: Env) {
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
    assert!(err.contains("enroll alice --code -"), "{err}");
    assert_eq!(env.status("alice")["status"], "pending");
    let (_, out, _) = env.run(&["enroll", "alice", "--qr", "none"]);
    assert!(!out.contains('█'));
    // Piped stdout: the default QR has no escape codes.
    let (_, out, _) = env.run(&["enroll", "alice"]);
    assert!(out.contains('█') && !out.contains('\x1b'));
}

/// A code piped in activates a pending enrollment, as `verify`
/// reads one; an empty or closed stdin only shows the enrollment again.
fn a_piped_code_activates_a_pending_enrollment(env: Env) {
    let acct = env.enroll("frank");
    let out = env
        .std_cmd()
        .args(["enroll", "frank"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(exit::OK));
    assert!(String::from_utf8_lossy(&out.stderr).contains("enroll frank --code -"));
    assert_eq!(env.status("frank")["status"], "pending", "</dev/null activates nothing");

    let out = env
        .cmd()
        .args(["enroll", "frank"])
        .write_stdin(format!("{}\n", acct.code(0)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(exit::OK), "{stdout}");
    assert!(
        stdout.contains("Two-factor authentication is active for frank"),
        "{stdout}"
    );
    let s = env.status("frank");
    assert_eq!(s["status"], "active");
    assert_eq!(s["backup_codes_remaining"], 10);

    // The same for --json, and a wrong code piped in is refused like --code's.
    let acct = env.enroll("gina");
    env.cmd()
        .args(["enroll", "gina"])
        .write_stdin(acct.wrong_code())
        .assert()
        .code(exit::REJECTED);
    let out = env
        .cmd()
        .args(["--json", "enroll", "gina"])
        .write_stdin(acct.code(1))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "active");
    assert_eq!(v["backup_codes"].as_array().unwrap().len(), 10);

    // Without a pending enrollment, stdin is not read: enrollment starts as before.
    env.cmd()
        .args(["enroll", "hank"])
        .write_stdin("123456\n")
        .assert()
        .success();
    assert_eq!(env.status("hank")["status"], "pending");
}

/// `verify` follows the same rule (a piped code is the code).
fn verify_reads_a_piped_code_and_an_empty_stdin_is_no_code(env: Env) {
    let (acct, _) = env.active("frank");
    env.cmd()
        .args(["verify", "frank"])
        .write_stdin(format!("{}\n", acct.code(1)))
        .assert()
        .success();
    let out = env
        .std_cmd()
        .args(["verify", "frank"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(exit::USAGE));
}

/// With --json, stderr carries errors and warnings only.
fn json_enroll_writes_nothing_on_stderr(env: Env) {
    // The first secret makes the master key, and that warning is kept; not this one.
    env.enroll("zoe");
    for _ in 0..2 {
        let (code, out, err) = env.run(&["--json", "enroll", "alice"]);
        assert_eq!(code, exit::OK, "{err}");
        assert_eq!(err, "", "first, then the pending enrollment again");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap()["status"],
            "pending"
        );
    }
    let acct = Account::from_uri(env.json(&["enroll", "alice"])["otpauth_uri"].as_str().unwrap());
    let (code, _, err) = env.run(&["--json", "enroll", "alice", "--code", &acct.code(0)]);
    assert_eq!((code, err.as_str()), (exit::OK, ""));
}

/// An activation that ends in a lockout says what to do about it.
fn an_activation_stopped_by_the_lockout_says_what_to_do(env: Env) {
    let acct = env.enroll("alice");
    env.json(&["config", "set", "max_failures", "1"]);
    let err = env.expect_exit(&["enroll", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    assert!(err.contains("locked out until"), "{err}");
    assert!(err.contains("Wait until then"), "{err}");
    assert!(err.contains("admin unlock alice"), "{err}");
    let err = env.expect_exit(&["enroll", "alice", "--code", &acct.code(0)], exit::LOCKED);
    assert!(err.contains("admin unlock alice"), "{err}");
    assert!(err.contains("no backup codes"), "{err}");
    // The advice works: unlocked, the code activates.
    env.json(&["admin", "unlock", "alice", "--reason", "locked out at enrollment"]);
    env.json(&["enroll", "alice", "--code", &acct.code(1)]);
}

/// --save writes the codes of the activation to a new 0600 file.
fn enroll_save_writes_a_new_private_file_and_never_overwrites(env: Env) {
    use std::os::unix::fs::PermissionsExt;
    let acct = env.enroll("alice");
    let file = env.dir.path().join("alice.codes");
    let v = env.json(&[
        "enroll",
        "alice",
        "--code",
        &acct.code(0),
        "--save",
        file.to_str().unwrap(),
    ]);
    let codes: Vec<&str> = v["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 10, "the JSON is unchanged: {v}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    assert!(header.starts_with('#') && header.contains("alice"), "{header}");
    assert!(header.contains(v["activated_at"].as_str().unwrap()), "{header}");
    assert_eq!(rest.lines().collect::<Vec<_>>(), codes);

    // An existing file: refused before the activation, which can then still happen.
    let acct = env.enroll("bob");
    let taken = env.dir.path().join("taken");
    std::fs::write(&taken, "keep me\n").unwrap();
    let err = env.expect_exit(
        &[
            "enroll",
            "bob",
            "--code",
            &acct.code(0),
            "--save",
            taken.to_str().unwrap(),
        ],
        exit::USAGE,
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "keep me\n");
    assert_eq!(env.status("bob")["status"], "pending", "nothing was activated");

    // A refused activation leaves no file behind.
    let none = env.dir.path().join("none");
    env.expect_exit(
        &[
            "enroll",
            "bob",
            "--code",
            &acct.wrong_code(),
            "--save",
            none.to_str().unwrap(),
        ],
        exit::REJECTED,
    );
    assert!(!none.exists());
    // Nothing to activate (no code, no terminal): a usage error, and no enrollment.
    env.expect_exit(&["enroll", "carl", "--save", none.to_str().unwrap()], exit::USAGE);
    assert!(!none.exists());
    env.expect_exit(&["status", "carl"], exit::NOT_FOUND);
}

/// COLUMNS narrower than the QR code: none, and why.
fn columns_too_few_for_the_qr_code_show_the_key_instead(env: Env) {
    let out = env
        .cmd()
        .args(["enroll", "alice", "--qr", "unicode"])
        .env("COLUMNS", "40")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        !stdout.contains('█') && stdout.contains("Or add the key by hand"),
        "{stdout}"
    );
    assert!(stderr.contains("terminal has 40"), "{stderr}");
    let out = env
        .cmd()
        .args(["enroll", "alice", "--qr", "unicode"])
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Scan this QR code"));
}

on_both_backends!(
    json_enroll_is_pending_with_a_160_bit_secret_and_a_key_uri,
    enrolling_again_shows_the_same_secret_unless_new_secret,
    activation_returns_ten_backup_codes_once,
    activation_code_from_stdin,
    wrong_activation_code_keeps_it_pending_and_counts,
    activating_without_a_pending_enrollment_is_not_found,
    enrolling_an_active_user_is_refused_with_the_way_to_change_device,
    non_default_parameters_appear_in_the_uri_and_work,
    out_of_range_parameters_are_usage_errors,
    human_output_has_qr_grouped_secret_and_no_prompt_without_a_terminal,
    json_enroll_writes_nothing_on_stderr,
    an_activation_stopped_by_the_lockout_says_what_to_do,
    columns_too_few_for_the_qr_code_show_the_key_instead,
    enroll_save_writes_a_new_private_file_and_never_overwrites,
    a_piped_code_activates_a_pending_enrollment,
    verify_reads_a_piped_code_and_an_empty_stdin_is_no_code,
);
