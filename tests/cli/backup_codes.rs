use crate::common::{Env, exit};

fn a_backup_code_works_once_in_any_case_with_or_without_dash(env: Env) {
    let (_, codes) = env.active("alice");
    let v = env.json(&["verify", "alice", "--code", &codes[0].to_uppercase().replace('-', "")]);
    assert_eq!(v["method"], "backup");
    assert_eq!(v["backup_codes_remaining"], 9);
    env.expect_exit(&["verify", "alice", "--code", &codes[0]], exit::REJECTED);
    assert_eq!(env.json(&["backup-codes", "alice"])["backup_codes_remaining"], 9);
}

fn count_never_shows_the_codes(env: Env) {
    let (_, codes) = env.active("alice");
    let (code, out, _) = env.run(&["backup-codes", "alice"]);
    assert_eq!(code, 0);
    assert!(out.contains("10 of 10"), "{out}");
    assert!(codes.iter().all(|c| !out.contains(c.as_str())));
}

fn regenerate_needs_a_code_and_replaces_the_whole_set(env: Env) {
    let (acct, old) = env.active("alice");
    env.expect_exit(&["backup-codes", "alice", "--regenerate"], exit::USAGE);
    env.expect_exit(
        &["backup-codes", "alice", "--regenerate", "--code", &acct.wrong_code()],
        exit::REJECTED,
    );
    // A refused regeneration changed nothing.
    env.cmd()
        .args(["verify", "alice", "--code", &old[0]])
        .assert()
        .success();

    let v = env.json(&["backup-codes", "alice", "--regenerate", "--code", &acct.code(1)]);
    let new: Vec<String> = v["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().into())
        .collect();
    assert_eq!(new.len(), 10);
    for c in &old[1..3] {
        env.expect_exit(&["verify", "alice", "--code", c], exit::REJECTED);
    }
    env.cmd()
        .args(["verify", "alice", "--code", &new[5]])
        .assert()
        .success();
    // A backup code also proves possession for regeneration.
    env.json(&["backup-codes", "alice", "--regenerate", "--code", &new[6]]);
    env.expect_exit(&["verify", "alice", "--code", &new[7]], exit::REJECTED);
}

fn backup_codes_of_users_without_2fa(env: Env) {
    env.enroll("alice");
    env.expect_exit(&["backup-codes", "alice"], exit::NOT_FOUND);
    env.expect_exit(&["backup-codes", "nobody"], exit::NOT_FOUND);
}

/// --save writes the new codes to a new 0600 file; an existing file
/// is refused before anything is replaced.
fn regenerate_save_writes_a_new_private_file_and_never_overwrites(env: Env) {
    use std::os::unix::fs::PermissionsExt;
    let (acct, old) = env.active("alice");
    let taken = env.dir.path().join("taken");
    std::fs::write(&taken, "keep me\n").unwrap();
    let err = env.expect_exit(
        &[
            "backup-codes",
            "alice",
            "--regenerate",
            "--code",
            &acct.code(1),
            "--save",
            taken.to_str().unwrap(),
        ],
        exit::USAGE,
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "keep me\n");
    // No regeneration happened: the old codes still work, and the TOTP code was not spent.
    env.cmd()
        .args(["verify", "alice", "--code", &old[0]])
        .assert()
        .success();

    let file = env.dir.path().join("alice.codes");
    let v = env.json(&[
        "backup-codes",
        "alice",
        "--regenerate",
        "--code",
        &acct.code(1),
        "--save",
        file.to_str().unwrap(),
    ]);
    let codes: Vec<&str> = v["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    assert!(header.starts_with('#') && header.contains("alice"), "{header}");
    assert!(header.contains(v["regenerated_at"].as_str().unwrap()), "{header}");
    assert_eq!(rest.lines().collect::<Vec<_>>(), codes);
    env.cmd()
        .args(["verify", "alice", "--code", codes[3]])
        .assert()
        .success();

    // Only with --regenerate.
    env.expect_exit(&["backup-codes", "alice", "--save", "x"], exit::USAGE);
}

on_both_backends!(
    a_backup_code_works_once_in_any_case_with_or_without_dash,
    count_never_shows_the_codes,
    regenerate_needs_a_code_and_replaces_the_whole_set,
    backup_codes_of_users_without_2fa,
    regenerate_save_writes_a_new_private_file_and_never_overwrites,
);
