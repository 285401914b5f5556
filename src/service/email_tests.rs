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
    let _ = f.svc.store.checkpoint();
    let bytes = std::fs::read(f.dir.path().join("t.db")).unwrap();
    let code = sent.code.as_bytes();
    assert!(
        !bytes.windows(code.len()).any(|w| w == code),
        "the code is in the database"
    );
    let wal = std::fs::read(f.dir.path().join("t.db-wal")).unwrap_or_default();
    assert!(!wal.windows(code.len()).any(|w| w == code), "the code is in the WAL");
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
    let report = f.svc.require_2fa("acme", true, Some(0), false, false, false).unwrap();
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

    let report = f.svc.require_2fa("acme", true, Some(0), false, false, true).unwrap();
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
