//! Tells the tests which outside tools this machine has, so a test that needs a
//! missing one is reported as ignored (with the reason), never as passed. `.ci/run`
//! installs every tool and opts in to the deployment tests, so CI runs them all.

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=TWOFA_DEPLOYMENT_TESTS");
    // aiosmtpd: a real SMTP server on loopback for the mail tests (Debian python3-aiosmtpd).
    for (tool, cfg) in [
        ("faketime", "has_faketime"),
        ("oathtool", "has_oathtool"),
        ("aiosmtpd", "has_aiosmtpd"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if on_path(tool) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    // Tests that need a PostgreSQL server: only where one is named (`.ci/run` starts
    // one); without it they are reported as ignored, with the reason.
    println!("cargo::rerun-if-env-changed=TWOFA_TEST_PG");
    println!("cargo::rustc-check-cfg=cfg(twofa_pg)");
    if std::env::var("TWOFA_TEST_PG").is_ok_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=twofa_pg");
    }
    // The peer-authentication test needs the server's Unix socket and a role named
    // after the account running the tests.
    println!("cargo::rerun-if-env-changed=TWOFA_TEST_PG_SOCKET");
    println!("cargo::rustc-check-cfg=cfg(twofa_pg_socket)");
    if std::env::var("TWOFA_TEST_PG").is_ok_and(|v| !v.is_empty())
        && std::env::var("TWOFA_TEST_PG_SOCKET").is_ok_and(|v| !v.is_empty())
    {
        println!("cargo::rustc-cfg=twofa_pg_socket");
    }
    // The TLS test also needs the CA of the server's certificate.
    println!("cargo::rerun-if-env-changed=TWOFA_TEST_PG_CA");
    println!("cargo::rustc-check-cfg=cfg(twofa_pg_tls)");
    if std::env::var("TWOFA_TEST_PG").is_ok_and(|v| !v.is_empty())
        && std::env::var("TWOFA_TEST_PG_CA").is_ok_and(|v| !v.is_empty())
    {
        println!("cargo::rustc-cfg=twofa_pg_tls");
    }
    // Tests that create OS users, a sudoers rule and a service account: only where
    // asked for (CI, as root), never by a plain `cargo test` on someone's machine.
    println!("cargo::rustc-check-cfg=cfg(twofa_deployment)");
    if std::env::var("TWOFA_DEPLOYMENT_TESTS").as_deref() == Ok("1") {
        println!("cargo::rustc-cfg=twofa_deployment");
    }
}
