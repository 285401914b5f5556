//! The service against a real (temporary) SQLite store, with time from a manual clock.

use super::fixture::*;
use super::*;
use crate::factors::code::CodeError;

fn rejected(e: Error) -> Rejection {
    match e {
        Error::Rejected { reason, .. } => reason,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn enroll_is_pending_until_activated_and_retries_show_the_same_secret() {
    let mut f = fixture();
    let p1 = f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
    assert!(p1.new_secret);
    assert_eq!(f.svc.state("alice").unwrap(), State::Pending);
    let p2 = f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
    assert!(!p2.new_secret);
    assert_eq!(*p1.secret, *p2.secret);
    let p3 = f
        .svc
        .enroll(
            "alice",
            &EnrollRequest {
                new_secret: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_ne!(*p1.secret, *p3.secret);
    // A pending enrollment never passes verify.
    assert!(matches!(f.svc.verify("alice", &f.code(&p3, 0)), Err(Error::Pending(_))));
}

#[test]
fn retry_with_other_settings_needs_new_secret() {
    let mut f = fixture();
    f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
    let other = EnrollRequest {
        digits: Some(8),
        ..Default::default()
    };
    let err = f.svc.enroll("alice", &other).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unless {
                remedy: crate::error::Remedy::NewSecret,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.kind(), crate::error::Kind::InvalidInput);
    let p = f
        .svc
        .enroll(
            "alice",
            &EnrollRequest {
                new_secret: true,
                ..other
            },
        )
        .unwrap();
    assert_eq!(p.params.digits, 8);
}

#[test]
fn activation_code_cannot_be_replayed() {
    let mut f = fixture();
    let p = f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
    let code = f.code(&p, 0);
    let issued = f.svc.activate("alice", &code).unwrap();
    assert_eq!(issued.codes.len(), 10);
    assert_eq!(f.svc.state("alice").unwrap(), State::Active);
    assert_eq!(rejected(f.svc.verify("alice", &code).unwrap_err()), Rejection::Reused);
    // Nor can an older step's code be used after a newer one.
    let prev = f.code(&p, -1);
    assert_eq!(rejected(f.svc.verify("alice", &prev).unwrap_err()), Rejection::Reused);
    assert!(matches!(
        f.svc.enroll("alice", &EnrollRequest::default()),
        Err(Error::AlreadyActive(_))
    ));
}

#[test]
fn wrong_activation_code_stays_pending_and_counts_toward_lockout() {
    let mut f = fixture();
    let p = f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
    let wrong = if f.code(&p, 0) == "000000" { "111111" } else { "000000" };
    assert_eq!(rejected(f.svc.activate("alice", wrong).unwrap_err()), Rejection::Wrong);
    assert_eq!(f.svc.state("alice").unwrap(), State::Pending);
    assert_eq!(f.svc.status("alice").unwrap().failed_attempts, 1);
    assert!(
        matches!(f.svc.activate("alice", "k7wq3-mx9fd"), Err(Error::InvalidInput(_))),
        "backup codes cannot activate"
    );
}

#[test]
fn verify_accepts_the_window_once_per_step_and_records_drift() {
    let mut f = fixture();
    let (p, _) = f.active("alice");
    let v = f.svc.verify("alice", &f.code(&p, -1)).unwrap();
    assert_eq!((v.method, v.step_offset), (Method::Totp, Some(-1)));
    let v = f.svc.verify("alice", &f.code(&p, 0)).unwrap();
    assert_eq!(v.step_offset, Some(0));
    let v = f.svc.verify("alice", &f.code(&p, 1)).unwrap();
    assert_eq!(v.step_offset, Some(1));
    // +1 was used, so now and −1 are replays.
    assert_eq!(
        rejected(f.svc.verify("alice", &f.code(&p, 0)).unwrap_err()),
        Rejection::Reused
    );
    f.clock.advance(60);
    assert_eq!(
        rejected(f.svc.verify("alice", &f.code(&p, 2)).unwrap_err()),
        Rejection::Wrong
    );
    let s = f.svc.status("alice").unwrap();
    // The activation (offset 0) counts too.
    assert_eq!(
        (s.drift.samples, s.drift.behind, s.drift.on_time, s.drift.ahead),
        (4, 1, 2, 1)
    );
    assert!(s.last_used_at.is_some());
}

#[test]
fn lockout_refuses_even_right_codes_then_expires() {
    let mut f = fixture();
    let (p, backup) = f.active("alice");
    for i in 1..=5 {
        let err = f.svc.verify("alice", "000000").unwrap_err();
        match err {
            Error::Rejected { locked_until, .. } => assert_eq!(locked_until.is_some(), i == 5, "attempt {i}"),
            other if f.code(&p, 0) == "000000" => panic!("unlucky code collision: {other}"),
            other => panic!("{other}"),
        }
    }
    let right = f.code(&p, 0);
    assert!(matches!(f.svc.verify("alice", &right), Err(Error::LockedOut { .. })));
    // A wrong backup code while locked is refused and not counted.
    assert!(matches!(
        f.svc.verify("alice", "aaaaa-aaaaa"),
        Err(Error::LockedOut { .. })
    ));
    let until = f.svc.status("alice").unwrap().locked_until.expect("locked");
    assert_eq!(until, f.clock.now() + 300);
    f.clock.set(until - 1);
    assert!(matches!(
        f.svc.verify("alice", &f.code(&p, 0)),
        Err(Error::LockedOut { .. })
    ));
    f.clock.set(until);
    f.svc.verify("alice", &f.code(&p, 0)).unwrap();
    let s = f.svc.status("alice").unwrap();
    assert_eq!((s.failed_attempts, s.locked_until), (0, None));
    assert_eq!(s.backup_codes_remaining, 10);
    let _ = backup;
}

#[test]
fn a_backup_code_gets_a_locked_out_user_in_and_clears_the_lock() {
    let mut f = fixture();
    let (_, backup) = f.active("alice");
    for _ in 0..5 {
        let _ = f.svc.verify("alice", "999999");
    }
    assert!(f.svc.status("alice").unwrap().locked_until.is_some());
    let v = f.svc.verify("alice", &backup[0]).unwrap();
    assert_eq!(v.backup_codes_remaining, Some(9));
    let s = f.svc.status("alice").unwrap();
    assert_eq!((s.failed_attempts, s.locked_until), (0, None));
    // The lock and the doubling are gone: five more failures lock for the base time.
    for _ in 0..5 {
        let _ = f.svc.verify("alice", "999999");
    }
    let until = f.svc.status("alice").unwrap().locked_until.expect("locked");
    assert_eq!(until - f.clock.now(), 300);
}

#[test]
fn step_up_failures_and_login_failures_are_counted_apart() {
    let mut f = fixture();
    let (boss, _) = f.active("boss");
    f.svc.set_global_admin("boss", true).unwrap();
    f.svc.caller.actor = Actor::new("boss", crate::actor::Via::Flag);
    let wrong = if f.code(&boss, 0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    // A flood of bogus step-ups locks step-up…
    for _ in 0..5 {
        f.svc.set_step_up_code(Zeroizing::new(wrong.into())).unwrap();
        assert!(f.svc.add_user("x", None, false).is_err());
    }
    f.svc.set_step_up_code(Zeroizing::new(f.code(&boss, 0))).unwrap();
    assert!(matches!(f.svc.add_user("x", None, false), Err(Error::LockedOut { .. })));
    // …but not the login: boss still signs in.
    f.svc.verify("boss", &f.code(&boss, 0)).unwrap();
    // And a flood of bogus logins does not stop boss from administering.
    f.clock.advance(600);
    for _ in 0..5 {
        let _ = f.svc.verify("boss", wrong);
    }
    assert!(matches!(
        f.svc.verify("boss", &f.code(&boss, 1)),
        Err(Error::LockedOut { .. })
    ));
    f.svc.set_step_up_code(Zeroizing::new(f.code(&boss, 1))).unwrap();
    f.svc.add_user("x", None, false).unwrap();
}

#[test]
fn second_lockout_doubles() {
    let mut f = fixture();
    f.active("alice");
    for round in [300, 600] {
        for _ in 0..5 {
            let _ = f.svc.verify("alice", "999999");
        }
        let until = f.svc.status("alice").unwrap().locked_until.expect("locked");
        assert_eq!(until - f.clock.now(), round);
        f.clock.set(until);
    }
}

#[test]
fn skew_is_a_setting() {
    let mut f = fixture();
    f.svc.set_setting("skew", "0").unwrap();
    let (p, _) = f.active("alice");
    assert_eq!(
        rejected(f.svc.verify("alice", &f.code(&p, -1)).unwrap_err()),
        Rejection::Wrong
    );
    assert_eq!(
        rejected(f.svc.verify("alice", &f.code(&p, 1)).unwrap_err()),
        Rejection::Wrong
    );
    f.svc.verify("alice", &f.code(&p, 0)).unwrap();
    f.svc.set_setting("skew", "2").unwrap();
    f.clock.advance(30);
    assert_eq!(f.svc.verify("alice", &f.code(&p, 2)).unwrap().step_offset, Some(2));
}

#[test]
fn drift_counts_only_the_current_enrollment() {
    let mut f = fixture();
    let (p, _) = f.active("alice");
    f.svc.verify("alice", &f.code(&p, 1)).unwrap();
    f.clock.advance(60);
    f.svc.disable("alice", Some(&f.code(&p, 0))).unwrap();
    f.clock.advance(60);
    f.active("alice");
    let s = f.svc.status("alice").unwrap();
    assert_eq!((s.drift.samples, s.drift.ahead), (1, 0), "only the new activation");
}

#[test]
fn lockout_threshold_is_a_setting() {
    let mut f = fixture();
    f.svc.set_setting("max_failures", "2").unwrap();
    f.active("alice");
    let _ = f.svc.verify("alice", "999999");
    assert!(matches!(
        f.svc.verify("alice", "999999"),
        Err(Error::Rejected {
            locked_until: Some(_),
            ..
        })
    ));
}

#[test]
fn backup_codes_work_once_in_any_spelling() {
    let mut f = fixture();
    let (_, codes) = f.active("alice");
    let shouted = codes[3].to_uppercase().replace('-', "");
    let v = f.svc.verify("alice", &shouted).unwrap();
    assert_eq!((v.method, v.backup_codes_remaining), (Method::Backup, Some(9)));
    assert_eq!(
        rejected(f.svc.verify("alice", &codes[3]).unwrap_err()),
        Rejection::Wrong
    );
    assert_eq!(f.svc.backup_summary("alice").unwrap().backup_codes_remaining, 9);
}

#[test]
fn regenerate_replaces_the_whole_set() {
    let mut f = fixture();
    let (p, old) = f.active("alice");
    let new = f.svc.regenerate_backup_codes("alice", &f.code(&p, 0)).unwrap();
    assert_eq!(new.codes.len(), 10);
    assert_eq!(rejected(f.svc.verify("alice", &old[0]).unwrap_err()), Rejection::Wrong);
    f.svc.verify("alice", &new.codes[0]).unwrap();
    // A backup code can prove possession for regeneration too.
    let newer = f.svc.regenerate_backup_codes("alice", &new.codes[1]).unwrap();
    assert_eq!(f.svc.backup_summary("alice").unwrap().backup_codes_remaining, 10);
    assert!(f.svc.verify("alice", &new.codes[2]).is_err());
    f.svc.verify("alice", &newer.codes[0]).unwrap();
}

#[test]
fn regenerate_with_a_wrong_code_changes_nothing_but_the_failure_count() {
    let mut f = fixture();
    let (_, old) = f.active("alice");
    assert!(f.svc.regenerate_backup_codes("alice", "000001").is_err());
    f.svc.verify("alice", &old[0]).unwrap();
}

#[test]
fn disable_needs_a_code_and_removes_everything() {
    let mut f = fixture();
    let (p, codes) = f.active("alice");
    assert!(matches!(
        f.svc.disable("alice", None),
        Err(Error::Code(CodeError::Empty))
    ));
    assert!(f.svc.disable("alice", Some("000001")).is_err());
    assert_eq!(f.svc.state("alice").unwrap(), State::Active);
    let d = f.svc.disable("alice", Some(&f.code(&p, 0))).unwrap();
    assert_eq!(d.was, State::Active);
    let s = f.svc.status("alice").unwrap();
    assert_eq!((s.status, s.backup_codes_remaining), (State::None, 0));
    assert!(matches!(f.svc.verify("alice", &codes[0]), Err(Error::NotEnrolled(_))));
    // And the user can enroll again at once.
    f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
}

#[test]
fn disable_cancels_a_pending_enrollment_without_a_code() {
    let mut f = fixture();
    f.svc.enroll("bob", &EnrollRequest::default()).unwrap();
    assert_eq!(f.svc.disable("bob", None).unwrap().was, State::Pending);
    assert_eq!(f.svc.state("bob").unwrap(), State::None);
}

#[test]
fn unknown_users_and_bad_names() {
    let mut f = fixture();
    assert!(matches!(f.svc.verify("nobody", "123456"), Err(Error::UnknownUser(_))));
    assert!(matches!(f.svc.status("nobody"), Err(Error::UnknownUser(_))));
    assert!(matches!(
        f.svc.enroll("a\nb", &EnrollRequest::default()),
        Err(Error::Name(_))
    ));
    assert!(matches!(
        f.svc.enroll(&"x".repeat(300), &EnrollRequest::default()),
        Err(Error::Name(_))
    ));
}

#[test]
fn malformed_codes_do_not_count_as_guesses() {
    let mut f = fixture();
    f.active("alice");
    for bad in ["", "12345", "abc", "１２３４５６"] {
        assert!(matches!(f.svc.verify("alice", bad), Err(Error::Code(_))), "{bad:?}");
    }
    assert_eq!(f.svc.status("alice").unwrap().failed_attempts, 0);
}

#[test]
fn issuer_comes_from_settings_unless_given() {
    let mut f = fixture();
    f.svc.set_setting("issuer", "Acme").unwrap();
    let p = f.svc.enroll("alice", &EnrollRequest::default()).unwrap();
    assert!(p.otpauth_uri().starts_with("otpauth://totp/Acme:alice?"));
    let p = f
        .svc
        .enroll(
            "bob",
            &EnrollRequest {
                issuer: Some("Other".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(p.issuer, "Other");
}

/// The previous version's files: a schema-4 database with `alice` (id 7) whose secret
/// and the key check are sealed in the first format (bound to the user id only) under
/// `sealed_with`, and key files from before database ids (`files`: path, key).
fn previous_version(
    dir: &std::path::Path,
    secret: &[u8],
    sealed_with: &crate::secrets::crypto::MasterKey,
    files: &[(&str, &crate::secrets::crypto::MasterKey)],
) -> (
    Service<std::sync::Arc<crate::clock::ManualClock>>,
    std::sync::Arc<crate::clock::ManualClock>,
) {
    use crate::secrets::crypto;
    use std::os::unix::fs::PermissionsExt;
    let db = dir.join("old.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for m in &crate::store::sqlite::MIGRATIONS[..4] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute("INSERT INTO users (id, name, created_at) VALUES (7, 'alice', 0)", [])
            .unwrap();
        conn.execute(
            "INSERT INTO enrollments (user_id, state, secret, sealed, issuer, algorithm, digits, period, enrolled_at, activated_at, last_step)
             VALUES (7, 'active', ?1, 1, 'old', 'SHA1', 6, 30, 0, 0, 0)",
            [crypto::seal_v1(sealed_with, 7, "totp-secret", secret)],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO key_check (one, sealed) VALUES (1, ?1)",
            [crypto::seal_v1(sealed_with, 0, "key-check", b"twofa master key check")],
        )
        .unwrap();
        conn.execute("INSERT INTO backup_codes (user_id, hash) VALUES (7, zeroblob(32))", [])
            .unwrap();
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    for (name, key) in files {
        let path = dir.join(name);
        std::fs::write(&path, format!("{}\n", crate::audit::to_hex(key.as_bytes()))).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let clock = std::sync::Arc::new(crate::clock::ManualClock::new(T0));
    let svc = Service::new(
        crate::store::sqlite::Store::open(&db).unwrap(),
        clock.clone(),
        Actor::operator("operator", crate::actor::Via::Api),
        KeyFile::new(dir.join("master.key")),
    )
    .unwrap();
    (svc, clock)
}

/// A database as the previous version left it: schema 4, secrets and key check sealed
/// in the first format (bound to the user id only), a key file naming no database.
#[test]
fn a_database_of_the_previous_version_upgrades_and_every_user_still_verifies() {
    use crate::secrets::crypto::{self, MasterKey};
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().unwrap();
    let secret = b"12345678901234567890";
    let (mut svc, clock) = previous_version(dir.path(), secret, &key, &[("master.key", &key)]);
    let key_file = dir.path().join("master.key");
    svc.seal_existing().unwrap();
    let params = Params::default();
    let code = otp::code_at(secret, params, clock.now()).to_string();
    let v = svc.verify("alice", &code).unwrap();
    assert_eq!(v.method, Method::Totp);
    // The key file now names its database, and the secret is sealed in the new format.
    let loaded = KeyFile::new(&key_file).load().unwrap().unwrap();
    let db_id = svc.store.read().unwrap().db_id().unwrap();
    assert_eq!(loaded.db_id, Some(db_id));
    let row = svc.store.read().unwrap().all_secrets().unwrap().remove(0);
    assert!(!crypto::is_v1(&row.secret));
    // And a rotation afterwards reseals it again, still verifying.
    svc.rotate_key().unwrap();
    clock.advance(30);
    let code = otp::code_at(secret, params, clock.now()).to_string();
    svc.verify("alice", &code).unwrap();
}

/// An older twofa cut off after committing a rotation (its staged key names no
/// database): the next command finishes the rotation and binds the key.
#[test]
fn a_rotation_left_unfinished_by_the_previous_version_is_finished() {
    use crate::secrets::crypto::MasterKey;
    let dir = tempfile::tempdir().unwrap();
    let (retired, current) = (MasterKey::generate().unwrap(), MasterKey::generate().unwrap());
    let secret = b"12345678901234567890";
    let (mut svc, clock) = previous_version(
        dir.path(),
        secret,
        &current,
        &[("master.key", &retired), ("master.key.new", &current)],
    );
    svc.seal_existing().unwrap();
    let code = otp::code_at(secret, Params::default(), clock.now()).to_string();
    svc.verify("alice", &code).unwrap();
    let loaded = KeyFile::new(dir.path().join("master.key")).load().unwrap().unwrap();
    assert_eq!(loaded.key.as_bytes(), current.as_bytes(), "the staged key is in place");
    assert!(loaded.db_id.is_some(), "and bound to its database");
    assert!(!dir.path().join("master.key.new").exists());
}

/// A database as the version before factors left it (schema 5: one `enrollments` row
/// per user, the backup salt in it, secrets sealed in the current format under a key
/// file naming the database): after the upgrade every user still verifies, every
/// backup code is still valid, and a pending enrollment is still pending.
#[test]
fn a_database_from_before_factors_upgrades_with_every_code_still_valid() {
    use crate::secrets::crypto::{self, Binding};
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v5.db");
    let key_file = KeyFile::new(dir.path().join("master.key"));
    let secrets: [&[u8]; 2] = [b"12345678901234567890", b"abcdefghijabcdefghij"];
    let backup = backup::FreshSet::generate().unwrap();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for m in &crate::store::sqlite::MIGRATIONS[..5] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        let db_id: Vec<u8> = conn.query_row("SELECT db_id FROM meta", [], |r| r.get(0)).unwrap();
        let db_id: [u8; 16] = db_id.try_into().unwrap();
        let key = key_file.create(&db_id).unwrap();
        let seal = |owner: i64, name: &str, plain: &[u8]| {
            let purpose = keys::SECRET;
            crypto::seal(
                &key,
                &Binding {
                    db_id: &db_id,
                    owner,
                    name,
                    purpose,
                },
                plain,
            )
            .unwrap()
        };
        conn.execute(
            "INSERT INTO key_check (one, sealed) VALUES (1, ?1)",
            [crypto::seal(&key, &keys::check_binding(&db_id), keys::KEY_CHECK_PLAIN).unwrap()],
        )
        .unwrap();
        for (id, name) in [(3, "alice"), (4, "bob")] {
            conn.execute(
                "INSERT INTO users (id, name, created_at) VALUES (?1, ?2, 0)",
                rusqlite::params![id, name],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO enrollments (user_id, state, secret, sealed, issuer, algorithm, digits, period,
                                      enrolled_at, activated_at, last_used_at, last_step, backup_salt)
             VALUES (3, 'active', ?1, 1, 'old', 'SHA1', 6, 30, 0, 0, 0, 0, ?2)",
            rusqlite::params![seal(3, "alice", secrets[0]), backup.salt.as_slice()],
        )
        .unwrap();
        for h in &backup.hashes {
            conn.execute(
                "INSERT INTO backup_codes (user_id, hash) VALUES (3, ?1)",
                [h.as_slice()],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO enrollments (user_id, state, secret, sealed, issuer, algorithm, digits, period, enrolled_at)
             VALUES (4, 'pending', ?1, 1, 'old', 'SHA1', 6, 30, 0)",
            [seal(4, "bob", secrets[1])],
        )
        .unwrap();
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let clock = std::sync::Arc::new(crate::clock::ManualClock::new(T0));
    let mut svc = Service::new(
        crate::store::sqlite::Store::open(&db).unwrap(),
        clock.clone(),
        Actor::operator("operator", crate::actor::Via::Api),
        key_file,
    )
    .unwrap();
    let params = Params::default();
    assert_eq!(svc.state("alice").unwrap(), State::Active);
    assert_eq!(svc.state("bob").unwrap(), State::Pending);
    let v = svc
        .verify("alice", otp::code_at(secrets[0], params, clock.now()).as_ref())
        .unwrap();
    assert_eq!(v.method, Method::Totp);
    for (i, code) in backup.codes.iter().enumerate() {
        let v = svc.verify("alice", code).unwrap();
        assert_eq!(v.method, Method::Backup);
        assert_eq!(v.backup_codes_remaining, Some((backup.codes.len() - i - 1) as u32));
    }
    let codes = svc
        .activate("bob", otp::code_at(secrets[1], params, clock.now()).as_ref())
        .unwrap();
    assert_eq!(codes.codes.len(), backup.codes.len());
    let held = svc.store.read().unwrap().factors(4).unwrap();
    let kinds: Vec<_> = held.iter().map(|f| (f.kind, f.state)).collect();
    use crate::factors::{FactorKind, FactorState};
    assert_eq!(
        kinds,
        [
            (FactorKind::Totp, FactorState::Active),
            (FactorKind::Backup, FactorState::Active)
        ]
    );
}
