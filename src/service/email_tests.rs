//! Email codes against the service, on a manual clock: enrollment proves the
//! address, a code works once within its lifetime, wrong tries burn it, sends are
//! limited, and organizations decide whether email counts.

use super::fixture::*;
use super::*;
use crate::error::Kind;
use crate::policy::{AccessReason, Compliance};

fn with_address(f: &mut Fixture, user: &str) {
    f.svc
        .add_user(user, Some(&format!("{user}@example.org")), false)
        .unwrap();
}

/// `user` with email codes active (no other factor); returns their backup codes.
fn email_active(f: &mut Fixture, user: &str) -> Vec<String> {
    with_address(f, user);
    let first = f.svc.enroll_email(user).unwrap();
    assert!(first.activation);
    assert_eq!(first.to, format!("{user}@example.org"));
    let issued = f.svc.activate(user, &first.code).unwrap();
    f.clock.advance(61);
    issued.codes.iter().map(|c| c.to_string()).collect()
}

#[test]
fn enrolling_email_needs_an_address_and_the_first_code_proves_it() {
    let mut f = fixture();
    f.svc.add_user("nomail", None, false).unwrap();
    let err = f.svc.enroll_email("nomail").unwrap_err();
    assert_eq!(err.kind(), Kind::InvalidInput, "{err}");

    with_address(&mut f, "erin");
    let first = f.svc.enroll_email("erin").unwrap();
    assert_eq!(f.svc.state("erin").unwrap(), State::Pending);
    assert!(matches!(f.svc.verify("erin", &first.code), Err(Error::Pending(_))));
    let issued = f.svc.activate("erin", &first.code).unwrap();
    assert_eq!(issued.codes.len(), 10, "backup codes come with the first factor");
    assert_eq!(f.svc.state("erin").unwrap(), State::Active);
    // The activating code is spent.
    f.clock.advance(61);
    assert_eq!(f.svc.verify("erin", &first.code).unwrap_err().kind(), Kind::Rejected);
}

#[test]
fn a_code_signs_in_once_within_its_lifetime() {
    let mut f = fixture();
    email_active(&mut f, "erin");
    let sent = f.svc.send_code("erin").unwrap();
    assert!(!sent.activation);
    assert_eq!(sent.expires_at, f.clock.now() + 300);
    let v = f.svc.verify("erin", &sent.code).unwrap();
    assert_eq!(v.method, Method::Email);
    assert!(matches!(f.svc.verify("erin", &sent.code), Err(Error::Rejected { .. })));
    let history = f.svc.history("erin", 5).unwrap();
    assert_eq!(history[1].method, Some(Method::Email));
    assert_eq!(history[1].outcome, crate::audit::Outcome::Accepted);

    // Expired: refused as wrong, even though the digits are right.
    f.clock.advance(61);
    let sent = f.svc.send_code("erin").unwrap();
    f.clock.advance(300);
    assert!(matches!(f.svc.verify("erin", &sent.code), Err(Error::Rejected { .. })));
}

#[test]
fn five_wrong_tries_burn_the_code_and_count_toward_the_lockout() {
    let mut f = fixture();
    f.svc.set_setting("max_failures", "20").unwrap();
    email_active(&mut f, "erin");
    let sent = f.svc.send_code("erin").unwrap();
    let wrong = if sent.code.as_str() == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        assert!(matches!(f.svc.verify("erin", wrong), Err(Error::Rejected { .. })));
    }
    assert_eq!(f.svc.status("erin").unwrap().failed_attempts, 5);
    // Burned: the right code no longer works.
    assert!(matches!(f.svc.verify("erin", &sent.code), Err(Error::Rejected { .. })));
}

#[test]
fn a_new_code_replaces_the_last_and_sends_are_limited() {
    let mut f = fixture();
    email_active(&mut f, "erin");
    let old = f.svc.send_code("erin").unwrap();
    let err = f.svc.send_code("erin").unwrap_err();
    assert!(matches!(err, Error::TooSoon { wait_secs: 60, .. }), "{err}");
    assert_eq!(err.kind(), Kind::LockedOut);
    f.clock.advance(60);
    let new = f.svc.send_code("erin").unwrap();
    if old.code != new.code {
        assert!(matches!(f.svc.verify("erin", &old.code), Err(Error::Rejected { .. })));
    }
    f.svc.verify("erin", &new.code).unwrap();
    // Ten sends an hour at most (the enrollment's first code counted too).
    let mut sent = 3;
    while sent < 10 {
        f.clock.advance(60);
        f.svc.send_code("erin").unwrap();
        sent += 1;
    }
    f.clock.advance(60);
    let err = f.svc.send_code("erin").unwrap_err();
    let Error::TooSoon { wait_secs, .. } = err else {
        panic!("{err}")
    };
    assert!(wait_secs > 60, "the hourly cap, not the interval: {wait_secs}");
    f.clock.advance(wait_secs);
    f.svc.send_code("erin").unwrap();
}

#[test]
fn the_database_holds_no_code() {
    let mut f = fixture();
    f.svc.set_setting("email_code_digits", "8").unwrap();
    email_active(&mut f, "erin");
    let sent = f.svc.send_code("erin").unwrap();
    let bytes = f.dump();
    assert!(
        !super::fixture::holds(&bytes, sent.code.as_bytes()),
        "the code is in the database"
    );
    // The digest is all there is, and it still checks the code.
    f.svc.verify("erin", &sent.code).unwrap();
}

#[test]
fn a_second_factor_only_when_the_settings_allow_it() {
    let mut f = fixture();
    with_address(&mut f, "erin");
    let (p, _) = f.active("erin");
    let err = f.svc.enroll_email("erin").unwrap_err();
    assert_eq!(err.kind(), Kind::Conflict, "{err}");
    f.svc.set_setting("allow_multiple_factors", "on").unwrap();
    let first = f.svc.enroll_email("erin").unwrap();
    // Still active (TOTP) while email is pending; the first email code activates it.
    assert_eq!(f.svc.state("erin").unwrap(), State::Active);
    f.svc.activate("erin", &first.code).unwrap();
    f.clock.advance(61);
    // Either factor signs in: the app's code, and a code by email.
    assert_eq!(f.svc.verify("erin", &f.code(&p, 0)).unwrap().method, Method::Totp);
    let sent = f.svc.send_code("erin").unwrap();
    assert_eq!(f.svc.verify("erin", &sent.code).unwrap().method, Method::Email);
    let status = f.svc.status("erin").unwrap();
    let held: Vec<_> = status.factors.iter().map(|f| (f.kind, f.state)).collect();
    use crate::factors::FactorState::Active;
    assert_eq!(held, [(Method::Totp, Active), (Method::Email, Active)]);
    // And an email-only user may not add TOTP while one factor is the rule.
    f.svc.set_setting("allow_multiple_factors", "off").unwrap();
    email_active(&mut f, "fay");
    let err = f.svc.enroll("fay", &EnrollRequest::default()).unwrap_err();
    assert_eq!(err.kind(), Kind::Conflict, "{err}");
}

#[test]
fn organizations_count_email_only_when_they_allow_it() {
    let mut f = fixture();
    email_active(&mut f, "erin");
    f.svc.add_user("owner", None, true).unwrap();
    f.svc.create_org("acme", Some("owner")).unwrap();
    f.svc
        .add_members("acme", &["erin".into()], crate::policy::Role::Member)
        .unwrap();
    let report = f
        .svc
        .require_2fa("acme", true, Some(0), false, false, Some(false))
        .unwrap();
    let erin = report
        .must_enroll
        .iter()
        .find(|m| m.user == "erin")
        .expect("erin must enroll");
    assert_eq!(erin.reason, Some(AccessReason::EmailNotAccepted));
    assert_eq!(erin.factors, [Method::Email]);
    let access = f.svc.access("erin", Some("acme")).unwrap();
    assert!(!access[0].allowed);
    assert_eq!(access[0].reason, AccessReason::EmailNotAccepted);

    let report = f
        .svc
        .require_2fa("acme", true, Some(0), false, false, Some(true))
        .unwrap();
    assert!(report.must_enroll.iter().all(|m| m.user != "erin"));
    // Applied again without saying: email still counts.
    let report = f.svc.require_2fa("acme", true, Some(0), false, false, None).unwrap();
    assert!(report.must_enroll.iter().all(|m| m.user != "erin"));
    let access = f.svc.access("erin", Some("acme")).unwrap();
    assert!(access[0].allowed);
    assert_eq!(access[0].reason, AccessReason::TwoFactorActive);
    let mut compliance = None;
    f.svc
        .org_status("acme", false, |m| {
            if m.user == "erin" {
                compliance = Some(m.compliance);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(compliance, Some(Compliance::Ok));
}

fn act_as(f: &mut Fixture, name: &str, code: Option<&str>) {
    f.svc.caller.actor = crate::actor::Actor::new(name, crate::actor::Via::Flag);
    f.svc.caller.step_up = code.map(|c| Zeroizing::new(c.to_string()));
    f.svc.caller.step_up_pre = None;
}

#[test]
fn adding_a_second_factor_needs_a_code_of_one_held_and_keeps_the_backup_codes() {
    let mut f = fixture();
    f.svc.set_setting("allow_multiple_factors", "on").unwrap();
    with_address(&mut f, "erin");
    let (p, backup) = f.active("erin");
    // Erin herself (not the operator): without a code of her app, no second factor.
    act_as(&mut f, "erin", None);
    assert!(matches!(f.svc.enroll_email("erin"), Err(Error::StepUpRequired(_))));
    act_as(&mut f, "erin", Some("000000"));
    assert_eq!(f.svc.enroll_email("erin").unwrap_err().kind(), Kind::Rejected);
    assert_eq!(f.svc.state("erin").unwrap(), State::Active);
    let code = f.code(&p, 0);
    act_as(&mut f, "erin", Some(&code));
    let first = f.svc.enroll_email("erin").unwrap();
    let issued = f.svc.activate("erin", &first.code).unwrap();
    assert!(issued.codes.is_empty(), "no new backup codes for a second factor");
    // Her printed codes still work.
    f.svc.verify("erin", &backup[0]).unwrap();
}

#[test]
fn with_one_factor_per_user_enrolling_another_kind_switches_a_pending_one() {
    let mut f = fixture();
    with_address(&mut f, "erin");
    let p = f.svc.enroll("erin", &EnrollRequest::default()).unwrap();
    let first = f.svc.enroll_email("erin").unwrap();
    // The pending TOTP enrollment is gone: its code activates nothing.
    assert!(f.svc.activate("erin", &f.code(&p, 0)).is_err());
    f.svc.activate("erin", &first.code).unwrap();
    let held = f.svc.store.read().unwrap().factors(1).unwrap();
    let kinds: Vec<_> = held.iter().map(|h| h.kind).collect();
    assert_eq!(kinds, [Method::Email, Method::Backup]);
}

#[test]
fn a_replayed_app_code_spares_the_email_code_and_a_guess_counts_per_factor() {
    let mut f = fixture();
    f.svc.set_setting("allow_multiple_factors", "on").unwrap();
    f.svc.set_setting("max_failures", "20").unwrap();
    with_address(&mut f, "erin");
    let (p, _) = f.active("erin");
    let first = f.svc.enroll_email("erin").unwrap();
    f.svc.activate("erin", &first.code).unwrap();
    f.clock.advance(61);
    let used = f.code(&p, 0);
    f.svc.verify("erin", &used).unwrap();
    let sent = f.svc.send_code("erin").unwrap();
    // The app's code again, five times: a replay, not counted, and not a try at the
    // email code either.
    for _ in 0..5 {
        let err = f.svc.verify("erin", &used).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Rejected {
                    reason: Rejection::Reused,
                    ..
                }
            ),
            "{err}"
        );
    }
    assert_eq!(f.svc.status("erin").unwrap().failed_attempts, 0);
    // A wrong guess was tried against both factors: it counts twice.
    let wrong = ["000000", "111111", "222222"]
        .into_iter()
        .find(|w| *w != sent.code.as_str() && *w != f.code(&p, 0) && *w != f.code(&p, -1) && *w != f.code(&p, 1))
        .unwrap();
    assert!(f.svc.verify("erin", wrong).is_err());
    assert_eq!(f.svc.status("erin").unwrap().failed_attempts, 2);
    f.svc.verify("erin", &sent.code).unwrap();
}

#[test]
fn email_codes_prove_no_privileged_change_and_need_not_block_leaving_them() {
    let mut f = fixture();
    email_active(&mut f, "erin");
    f.svc.set_global_admin("erin", true).unwrap();
    let sent = f.svc.send_code("erin").unwrap();
    act_as(&mut f, "erin", Some(&sent.code));
    let err = f.svc.set_setting("issuer", "Erin's").unwrap_err();
    assert!(matches!(err, Error::Denied { .. }), "{err}");
    assert!(err.to_string().contains("email codes"), "{err}");

    // A member whose email codes the organization does not count may drop them (to
    // enroll an app instead), though the organization requires 2FA.
    let mut f = fixture();
    email_active(&mut f, "fay");
    f.svc.add_user("owner", None, true).unwrap();
    f.svc.create_org("acme", Some("owner")).unwrap();
    f.svc
        .add_members("acme", &["fay".into()], crate::policy::Role::Member)
        .unwrap();
    f.svc
        .require_2fa("acme", true, Some(86_400), false, false, Some(false))
        .unwrap();
    let sent = f.svc.send_code("fay").unwrap();
    f.svc.disable("fay", Some(&sent.code)).unwrap();
    assert_eq!(f.svc.state("fay").unwrap(), State::None);
}

#[test]
fn a_key_rotation_voids_live_email_codes() {
    let mut f = fixture();
    email_active(&mut f, "erin");
    let sent = f.svc.send_code("erin").unwrap();
    let factor = f.svc.store.read().unwrap().factors(1).unwrap()[0].id;
    assert!(f.svc.store.read().unwrap().email_code(factor).unwrap().is_some());
    f.svc.rotate_key().unwrap();
    assert!(
        f.svc.store.read().unwrap().email_code(factor).unwrap().is_none(),
        "voided"
    );
    assert!(matches!(f.svc.verify("erin", &sent.code), Err(Error::Rejected { .. })));
    f.clock.advance(61);
    let sent = f.svc.send_code("erin").unwrap();
    f.svc.verify("erin", &sent.code).unwrap();
}

#[test]
fn only_the_operator_names_a_program_or_file_for_mail() {
    let mut f = fixture();
    let (p, _) = f.active("gina");
    f.svc.set_global_admin("gina", true).unwrap();
    for (key, value) in [
        ("mail_sendmail", "/bin/sh -c id"),
        ("mail_credentials_file", "/nonexistent/pgpass"),
    ] {
        // Each step-up takes a fresh code.
        f.clock.advance(30);
        let code = f.code(&p, 0);
        act_as(&mut f, "gina", Some(&code));
        let err = f.svc.set_setting(key, value).unwrap_err();
        assert!(matches!(err, Error::Denied { .. }), "{key}: {err}");
        // Refused before the file is looked at: nothing said about whether it exists.
        assert!(!err.to_string().contains("no such file"), "{err}");
    }
    // A global admin still sets the rest of mail (where it goes, from whom).
    f.clock.advance(30);
    let code = f.code(&p, 0);
    act_as(&mut f, "gina", Some(&code));
    f.svc.set_setting("mail_from", "desk@example.org").unwrap();
    // The operator may name the program.
    f.svc.caller.actor = crate::actor::Actor::operator("operator", crate::actor::Via::Api);
    f.svc.set_setting("mail_sendmail", "/bin/true").unwrap();
    let refused = f
        .svc
        .audit(&Default::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.action == "config.set" && e.entry.outcome == crate::audit::Outcome::Denied)
        .count();
    assert_eq!(refused, 2, "each refusal is in the audit log");
}
