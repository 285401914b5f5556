//! Codes computed the way authenticator apps compute them, from the otpauth URI alone,
//! are accepted: by totp-lite (see `common::Account`) and by oathtool.

use crate::common::{Account, Env};
use std::process::Command;

#[test]
fn an_independent_implementation_reading_the_uri_is_accepted() {
    for (alg, digits, period) in [("SHA1", "6", "30"), ("SHA256", "8", "30"), ("SHA512", "8", "60")] {
        let env = Env::new();
        let v = env.json(&[
            "enroll",
            "carol",
            "--algorithm",
            alg,
            "--digits",
            digits,
            "--period",
            period,
        ]);
        let acct = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
        assert_eq!(
            (
                acct.algorithm.as_str(),
                acct.digits.to_string(),
                acct.period.to_string()
            ),
            (alg, digits.into(), period.into())
        );
        env.json(&["enroll", "carol", "--code", &acct.code(0)]);
        env.cmd()
            .args(["verify", "carol", "--code", &acct.code(1)])
            .assert()
            .success();
    }
}

/// oathtool (Debian package `oathtool`) as a second, independent authenticator.
/// `.ci/run` installs it; elsewhere the test says it was skipped, and under CI a
/// missing oathtool is a failure rather than a silent pass.
fn oathtool(acct: &Account, t: u64) -> Option<String> {
    let out = Command::new("oathtool")
        .arg(format!("--totp={}", acct.algorithm.to_lowercase()))
        .arg(format!("--digits={}", acct.digits))
        .arg(format!("--time-step-size={}s", acct.period))
        .arg(format!("--now=@{t}"))
        .arg("--base32")
        .arg(&acct.secret_b32)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8(o.stdout).unwrap().trim().to_string()),
        Ok(o) => panic!("oathtool failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) if std::env::var_os("CI").is_some() => panic!("oathtool is not installed; .ci/run should install it"),
        Err(_) => None,
    }
}

#[test]
fn oathtool_codes_are_accepted() {
    for args in [
        &["--qr", "none"][..],
        &["--algorithm", "SHA256", "--digits", "8", "--period", "60"][..],
    ] {
        let env = Env::new();
        let mut full = vec!["enroll", "dave"];
        full.extend_from_slice(args);
        let acct = Account::from_uri(env.json(&full)["otpauth_uri"].as_str().unwrap());
        let now = crate::common::now();
        let Some(first) = oathtool(&acct, now) else {
            eprintln!("skipped: oathtool is not installed (apt-get install oathtool)");
            return;
        };
        assert_eq!(first, acct.code_at(now), "oathtool and totp-lite agree");
        env.json(&["enroll", "dave", "--code", &first]);
        let next = oathtool(&acct, now + acct.period).unwrap();
        env.cmd().args(["verify", "dave", "--code", &next]).assert().success();
    }
}
