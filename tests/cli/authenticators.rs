//! Codes computed the way authenticator apps compute them, from the otpauth URI alone,
//! are accepted: by totp-lite (see `common::Account`) and by oathtool.

use crate::common::{Account, Env};
use std::process::Command;

fn an_independent_implementation_reading_the_uri_is_accepted(env: Env) {
    for (alg, digits, period) in [("SHA1", "6", "30"), ("SHA256", "8", "30"), ("SHA512", "8", "60")] {
        let env = env.another();
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
/// `.ci/run` installs it; where it is missing the test is reported as ignored.
fn oathtool(acct: &Account, t: u64) -> String {
    let out = Command::new("oathtool")
        .arg(format!("--totp={}", acct.algorithm.to_lowercase()))
        .arg(format!("--digits={}", acct.digits))
        .arg(format!("--time-step-size={}s", acct.period))
        .arg(format!("--now=@{t}"))
        .arg("--base32")
        .arg(&acct.secret_b32)
        .output();
    let o = out.expect("oathtool runs");
    assert!(
        o.status.success(),
        "oathtool failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

fn oathtool_codes_are_accepted(env: Env) {
    for args in [
        &["--qr", "none"][..],
        &["--algorithm", "SHA256", "--digits", "8", "--period", "60"][..],
    ] {
        let env = env.another();
        let mut full = vec!["enroll", "dave"];
        full.extend_from_slice(args);
        let acct = Account::from_uri(env.json(&full)["otpauth_uri"].as_str().unwrap());
        let now = crate::common::now();
        let first = oathtool(&acct, now);
        assert_eq!(first, acct.code_at(now), "oathtool and totp-lite agree");
        env.json(&["enroll", "dave", "--code", &first]);
        let next = oathtool(&acct, now + acct.period);
        env.cmd().args(["verify", "dave", "--code", &next]).assert().success();
    }
}

on_both_backends!(
    an_independent_implementation_reading_the_uri_is_accepted,
    #[cfg_attr(
        not(has_oathtool),
        ignore = "needs oathtool (Debian package oathtool, which .ci/run installs; then `touch build.rs`)"
    )]
    oathtool_codes_are_accepted,
);
