//! Secrets at rest: sealed under the master key, never plain on disk; the
//! key file's rules; rotation; plain secrets of an older database sealed in place.

use crate::common::{Account, Env, exit, holds};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

fn key_path(env: &Env) -> PathBuf {
    env.dir.path().join("keys/master.key")
}

/// `twofa --db DB ARGS` with TWOFA_KEY_FILE pointing into the test directory.
fn keyed(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env
        .cmd()
        .env("TWOFA_KEY_FILE", key_path(env))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn keyed_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, out, err) = keyed(env, &all);
    assert_eq!(code, exit::OK, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// No form of the secret in any byte the database keeps (on PostgreSQL, a dump of it).
fn assert_not_on_disk(env: &Env, acct: &Account) {
    let bytes = env.dump();
    assert!(!holds(&bytes, &acct.secret), "raw secret on disk");
    assert!(!holds(&bytes, acct.secret_b32.as_bytes()), "base32 secret on disk");
    assert!(
        !holds(&bytes, acct.secret_b32.to_lowercase().as_bytes()),
        "lowercase base32 on disk"
    );
}

fn no_secret_is_ever_written_in_plain_form(env: Env) {
    let (code, out, err) = keyed(&env, &["--json", "enroll", "alice"]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(
        err.contains("created the master key") && err.contains("back it up"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let acct = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
    let (_, _, err) = keyed(&env, &["status", "alice"]);
    assert!(!err.contains("created the master key"), "said once: {err}");
    assert_eq!(v["secret"].as_str().unwrap().replace(' ', ""), acct.secret_b32);
    assert_not_on_disk(&env, &acct);
    keyed_json(&env, &["enroll", "alice", "--code", &acct.code(0)]);
    let (code, _, err) = keyed(&env, &["verify", "alice", "--code", &acct.code(1)]);
    assert_eq!(code, exit::OK, "{err}");
    assert_not_on_disk(&env, &acct);
    // The key was made on first use, owner-only.
    let mode = std::fs::metadata(key_path(&env)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

fn a_loose_key_file_is_refused_naming_the_file_and_the_fix(env: Env) {
    let (acct, _) = {
        let v = keyed_json(&env, &["enroll", "alice"]);
        let a = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
        keyed_json(&env, &["enroll", "alice", "--code", &a.code(0)]);
        (a, ())
    };
    std::fs::set_permissions(key_path(&env), std::fs::Permissions::from_mode(0o644)).unwrap();
    let path = key_path(&env).display().to_string();
    for args in [
        &["verify", "alice", "--code", &acct.code(1)][..],
        &["enroll", "bob"],
        &["admin", "rotate-key"],
    ] {
        let (code, _, err) = keyed(&env, args);
        assert_eq!(code, exit::KEY, "{args:?}: {err}");
        assert!(err.contains(&path) && err.contains("chmod 600"), "{err}");
    }
    // Commands that never touch a secret still work.
    let (code, _, err) = keyed(&env, &["status", "alice"]);
    assert_eq!(code, exit::OK, "{err}");
}

fn a_missing_or_wrong_key_is_an_error_never_a_new_key(env: Env) {
    let v = keyed_json(&env, &["enroll", "alice"]);
    let acct = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
    let key = std::fs::read(key_path(&env)).unwrap();
    std::fs::remove_file(key_path(&env)).unwrap();
    let (code, _, err) = keyed(&env, &["enroll", "alice", "--code", &acct.code(0)]);
    assert_eq!(code, exit::KEY, "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(!key_path(&env).exists(), "no silent new key");
    // Another database's key: refused before any secret is touched.
    let other = env.another();
    keyed_json(&other, &["enroll", "x"]);
    std::fs::copy(key_path(&other), key_path(&env)).unwrap();
    let (code, _, err) = keyed(&env, &["enroll", "alice", "--code", &acct.code(0)]);
    assert_eq!(code, exit::KEY, "{err}");
    assert!(err.contains("belongs to another database"), "{err}");
    // A key file naming this database but holding another key: refused too.
    let text = String::from_utf8(key.clone()).unwrap();
    let (_, binding) = text.split_once('\n').unwrap();
    std::fs::write(key_path(&env), format!("{}\n{binding}", "ab".repeat(32))).unwrap();
    let (code, _, err) = keyed(&env, &["enroll", "alice", "--code", &acct.code(0)]);
    assert_eq!(code, exit::KEY, "{err}");
    assert!(err.contains("does not open"), "{err}");
    // The right key back: all is well.
    std::fs::write(key_path(&env), key).unwrap();
    keyed_json(&env, &["enroll", "alice", "--code", &acct.code(0)]);
}

fn a_sealed_secret_copied_to_another_row_does_not_open(env: Env) {
    let mut accts = vec![];
    for u in ["alice", "bob"] {
        let v = keyed_json(&env, &["enroll", u]);
        let a = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
        keyed_json(&env, &["enroll", u, "--code", &a.code(0)]);
        accts.push(a);
    }
    env.tamper(
        "UPDATE factors SET secret = (SELECT f.secret FROM factors f JOIN users u ON u.id = f.user_id WHERE u.name = 'alice' AND f.kind = 'totp')
         WHERE kind = 'totp' AND user_id = (SELECT id FROM users WHERE name = 'bob')",
    );
    // With alice's sealed secret, bob's row opens to nothing: not even alice's code works.
    let (code, _, err) = keyed(&env, &["verify", "bob", "--code", &accts[0].code(1)]);
    assert_eq!(code, exit::FAILURE, "{err}");
    assert!(err.contains("copied from another user"), "{err}");
    let (code, _, _) = keyed(&env, &["verify", "alice", "--code", &accts[0].code(1)]);
    assert_eq!(code, exit::OK);
}

fn rotate_key_reseals_everything_and_keeps_the_old_key_aside(env: Env) {
    let mut accts = vec![];
    for u in ["alice", "bob", "carol"] {
        let v = keyed_json(&env, &["enroll", u]);
        let a = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
        if u != "carol" {
            keyed_json(&env, &["enroll", u, "--code", &a.code(0)]);
        }
        accts.push(a);
    }
    let before = std::fs::read(key_path(&env)).unwrap();
    let sealed_before = env.blobs("SELECT secret FROM factors WHERE secret IS NOT NULL");
    let r = keyed_json(&env, &["admin", "rotate-key"]);
    assert_eq!(r["resealed"], 3, "active and pending");
    // What the retired key sealed is gone from every file twofa keeps, the WAL too
    // (on PostgreSQL, from every row of the database).
    let bytes = env.dump();
    for old in &sealed_before {
        assert!(!holds(&bytes, old), "an old sealed secret lingers");
    }
    let backup = PathBuf::from(r["previous_key"].as_str().unwrap());
    assert_eq!(std::fs::read(&backup).unwrap(), before, "the previous key is kept");
    assert_ne!(std::fs::read(key_path(&env)).unwrap(), before);
    assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    for (u, a) in ["alice", "bob"].iter().zip(&accts) {
        let (code, _, err) = keyed(&env, &["verify", u, "--code", &a.code(1)]);
        assert_eq!(code, exit::OK, "{u} after rotation: {err}");
    }
    keyed_json(&env, &["enroll", "carol", "--code", &accts[2].code(0)]);
    // The old key no longer opens the database.
    let (code, _, err) = env
        .cmd()
        .env("TWOFA_KEY_FILE", &backup)
        .args(["verify", "alice", "--code", &accts[0].code(1)])
        .output()
        .map(|o| {
            (
                o.status.code().unwrap(),
                (),
                String::from_utf8_lossy(&o.stderr).to_string(),
            )
        })
        .unwrap();
    assert_eq!(code, exit::KEY, "{err}");
    let log = keyed_json(&env, &["audit", "--action", "admin.rotate_key"]);
    assert!(
        log[0]["details"].as_str().unwrap().contains("3 secrets resealed"),
        "{log}"
    );
}

fn an_interrupted_rotation_is_finished_by_the_next_command(env: Env) {
    let v = keyed_json(&env, &["enroll", "alice"]);
    let acct = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
    keyed_json(&env, &["enroll", "alice", "--code", &acct.code(0)]);
    let old = std::fs::read(key_path(&env)).unwrap();
    keyed_json(&env, &["admin", "rotate-key"]);
    // Recreate the moment after the commit and before the rename: new key staged,
    // old key still in place.
    let mut staged = key_path(&env).into_os_string();
    staged.push(".new");
    std::fs::rename(key_path(&env), &staged).unwrap();
    std::fs::write(key_path(&env), &old).unwrap();
    std::fs::set_permissions(key_path(&env), std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = keyed(&env, &["verify", "alice", "--code", &acct.code(1)]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(!PathBuf::from(&staged).exists(), "the staged key moved into place");
}

fn plain_secrets_of_an_older_database_are_sealed_in_place(env: Env) {
    let v = keyed_json(&env, &["enroll", "alice"]);
    let acct = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
    keyed_json(&env, &["enroll", "alice", "--code", &acct.code(0)]);
    // Make it look like a database from before encryption, with no key yet.
    let hex: String = acct.secret.iter().map(|b| format!("{b:02x}")).collect();
    env.tamper(&match env.pg {
        Some(_) => format!(
            "UPDATE factors SET secret = '\\x{hex}'::BYTEA, sealed = false WHERE kind = 'totp';
             DELETE FROM key_check;"
        ),
        None => format!(
            "UPDATE factors SET secret = X'{hex}', sealed = 0 WHERE kind = 'totp';
             DELETE FROM key_check;"
        ),
    });
    std::fs::remove_file(key_path(&env)).unwrap();
    assert!(holds(&env.dump(), &acct.secret));
    // The first command of any kind seals them, even one that needs no secret.
    let (code, _, err) = keyed(&env, &["status", "alice"]);
    assert_eq!(code, exit::OK, "{err}");
    assert_not_on_disk(&env, &acct);
    let (code, _, err) = keyed(&env, &["verify", "alice", "--code", &acct.code(1)]);
    assert_eq!(code, exit::OK, "{err}");
    let log = keyed_json(&env, &["audit", "--action", "key.seal_existing"]);
    assert_eq!(log[0]["details"].as_str().unwrap().split(' ').next(), Some("1"));
}

on_both_backends!(
    no_secret_is_ever_written_in_plain_form,
    a_loose_key_file_is_refused_naming_the_file_and_the_fix,
    a_missing_or_wrong_key_is_an_error_never_a_new_key,
    a_sealed_secret_copied_to_another_row_does_not_open,
    rotate_key_reseals_everything_and_keeps_the_old_key_aside,
    an_interrupted_rotation_is_finished_by_the_next_command,
    plain_secrets_of_an_older_database_are_sealed_in_place,
);
