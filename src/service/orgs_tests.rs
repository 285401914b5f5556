//! Organization rules against a real store, with deadlines driven by a manual clock.

use super::fixture::*;
use super::*;
use crate::policy::{AccessReason, Compliance, Role};
use crate::service::Deadlines;

fn statuses(f: &mut Fixture, org: &str) -> Vec<MemberStatus> {
    let mut out = vec![];
    f.svc
        .org_status(org, false, |m| {
            out.push(m.clone());
            Ok(())
        })
        .unwrap();
    out
}

fn of<'a>(rows: &'a [MemberStatus], user: &str) -> &'a MemberStatus {
    rows.iter().find(|m| m.user == user).unwrap()
}

#[test]
fn grace_deadlines_for_existing_joining_and_blocked_members() {
    let mut f = fixture();
    f.svc.add_user("owner", None, false).unwrap();
    f.svc.create_org("acme", Some("owner")).unwrap();
    f.active("enrolled");
    f.svc.add_user("lazy", None, false).unwrap();
    f.svc.add_member("acme", "enrolled", Role::Member).unwrap();
    f.svc.add_member("acme", "lazy", Role::Member).unwrap();

    let report = f
        .svc
        .require_2fa("acme", true, Some(48 * 3600), false, false, None)
        .unwrap();
    let must: Vec<&str> = report.must_enroll.iter().map(|m| m.user.as_str()).collect();
    assert_eq!(must, ["lazy", "owner"]);
    let start = f.clock.now();
    assert!(report.must_enroll.iter().all(|m| m.deadline == Some(start + 48 * 3600)));

    f.clock.advance(3600);
    f.svc.add_user("late", None, false).unwrap();
    f.svc.add_member("acme", "late", Role::Member).unwrap();
    let rows = statuses(&mut f, "acme");
    assert_eq!(
        of(&rows, "late").deadline,
        Some(start + 3600 + 48 * 3600),
        "join time + grace"
    );
    assert_eq!(of(&rows, "enrolled").compliance, Compliance::Ok);
    assert_eq!(of(&rows, "lazy").compliance, Compliance::Grace);

    f.clock.set(start + 48 * 3600);
    let rows = statuses(&mut f, "acme");
    assert_eq!(of(&rows, "lazy").compliance, Compliance::Blocked);
    assert_eq!(of(&rows, "late").compliance, Compliance::Grace);
    assert!(!f.svc.access("lazy", Some("acme")).unwrap()[0].allowed);

    // Blocked → enroll → allowed the moment the enrollment is activated.
    let p = f.svc.enroll("lazy", &EnrollRequest::default()).unwrap();
    assert_eq!(
        f.svc.access("lazy", Some("acme")).unwrap()[0].reason,
        AccessReason::EnrollmentRequired,
        "pending is not enough"
    );
    f.svc.activate("lazy", &f.code(&p, 0)).unwrap();
    let d = &f.svc.access("lazy", Some("acme")).unwrap()[0];
    assert!(d.allowed);
    assert_eq!(d.reason, AccessReason::TwoFactorActive);
}

#[test]
fn grace_zero_blocks_at_once_and_off_lifts_it() {
    let mut f = fixture();
    f.svc.add_user("bob", None, false).unwrap();
    org(&mut f, "acme");
    f.svc.add_member("acme", "bob", Role::Member).unwrap();
    assert_eq!(
        f.svc.access("bob", Some("acme")).unwrap()[0].reason,
        AccessReason::NotRequired
    );
    f.svc.require_2fa("acme", true, Some(0), false, false, None).unwrap();
    assert_eq!(
        f.svc.access("bob", Some("acme")).unwrap()[0].reason,
        AccessReason::EnrollmentRequired
    );
    f.svc.require_2fa("acme", false, Some(0), false, false, None).unwrap();
    assert!(f.svc.access("bob", Some("acme")).unwrap()[0].allowed);
}

#[test]
fn dry_run_reports_and_changes_nothing() {
    let mut f = fixture();
    f.svc.add_user("bob", None, false).unwrap();
    org(&mut f, "acme");
    f.svc.add_member("acme", "bob", Role::Member).unwrap();
    let report = f.svc.require_2fa("acme", true, Some(0), false, true, None).unwrap();
    assert_eq!(report.must_enroll.len(), 1);
    assert_eq!(report.must_enroll[0].compliance, Compliance::Blocked);
    assert!(f.svc.access("bob", Some("acme")).unwrap()[0].allowed);
    assert!(!f.svc.list_orgs().unwrap()[0].require_2fa);
}

#[test]
fn sso_users_are_exempt_until_unmarked() {
    let mut f = fixture();
    f.svc.add_user("sam", None, true).unwrap();
    org(&mut f, "acme");
    f.svc.add_member("acme", "sam", Role::Member).unwrap();
    f.svc.require_2fa("acme", true, Some(0), false, false, None).unwrap();
    let d = &f.svc.access("sam", Some("acme")).unwrap()[0];
    assert_eq!((d.allowed, d.reason), (true, AccessReason::SsoExempt));
    f.svc.set_sso("sam", false).unwrap();
    assert_eq!(
        f.svc.access("sam", Some("acme")).unwrap()[0].reason,
        AccessReason::EnrollmentRequired,
        "grace 0"
    );
}

#[test]
fn disable_is_refused_under_policy() {
    let mut f = fixture();
    let (p, _) = f.active("alice");
    org(&mut f, "acme");
    f.svc.add_member("acme", "alice", Role::Member).unwrap();
    f.svc.require_2fa("acme", true, Some(0), false, false, None).unwrap();
    let code = f.code(&p, 0);
    assert!(matches!(f.svc.disable("alice", Some(&code)), Err(Error::Denied { .. })));
    assert_eq!(f.svc.state("alice").unwrap(), State::Active);
    // The refused attempt did not spend the code's step.
    f.svc.verify("alice", &code).unwrap();
}

#[test]
fn an_organization_keeps_an_owner() {
    let mut f = fixture();
    f.svc.add_user("olga", None, false).unwrap();
    f.svc.add_user("max", None, false).unwrap();
    f.svc.create_org("acme", Some("olga")).unwrap();
    assert!(matches!(f.svc.remove_member("acme", "olga"), Err(Error::LastOwner(_))));
    assert!(matches!(
        f.svc.set_role("acme", "olga", Role::Admin),
        Err(Error::LastOwner(_))
    ));
    assert!(matches!(f.svc.remove_user("olga"), Err(Error::LastOwner(_))));
    f.svc.add_member("acme", "max", Role::Owner).unwrap();
    f.svc.set_role("acme", "olga", Role::Member).unwrap();
    f.svc.remove_member("acme", "olga").unwrap();
    assert!(matches!(
        f.svc.access("olga", Some("acme")).unwrap()[0].reason,
        AccessReason::NotAMember
    ));
}

#[test]
fn removing_a_user_removes_everything_of_theirs() {
    let mut f = fixture();
    f.active("alice");
    org(&mut f, "acme");
    f.svc.add_member("acme", "alice", Role::Admin).unwrap();
    f.svc.remove_user("alice").unwrap();
    assert!(matches!(f.svc.status("alice"), Err(Error::UnknownUser(_))));
    assert_eq!(f.svc.list_orgs().unwrap()[0].members, 1, "the owner stays");
}

#[test]
fn access_without_org_answers_for_each_membership() {
    let mut f = fixture();
    f.svc.add_user("bob", None, false).unwrap();
    for name in ["a", "b"] {
        org(&mut f, name);
        f.svc.add_member(name, "bob", Role::Member).unwrap();
    }
    f.svc.require_2fa("b", true, Some(0), false, false, None).unwrap();
    let ds = f.svc.access("bob", None).unwrap();
    let got: Vec<(&str, bool)> = ds.iter().map(|d| (d.org.as_str(), d.allowed)).collect();
    assert_eq!(got, [("a", true), ("b", false)]);
    assert!(matches!(f.svc.access("bob", Some("zzz")), Err(Error::UnknownOrg(_))));
}

#[test]
fn re_applying_the_requirement_keeps_deadlines_and_changing_the_grace_is_explicit() {
    let mut f = fixture();
    f.svc.add_user("olga", None, false).unwrap();
    f.svc.create_org("acme", Some("olga")).unwrap();
    f.svc.add_user("bob", Some("bob@acme.test"), false).unwrap();
    f.svc.add_member("acme", "bob", Role::Member).unwrap();
    let first = f
        .svc
        .require_2fa("acme", true, Some(86_400), false, false, None)
        .unwrap();
    assert_eq!(first.deadlines, Deadlines::Set);
    let bob = first.must_enroll.iter().find(|m| m.user == "bob").unwrap();
    assert_eq!(bob.email.as_deref(), Some("bob@acme.test"), "for the invitation");
    let deadline = bob.deadline.unwrap();
    f.clock.advance(2 * 86_400);
    // The same again (a configuration job re-running): nobody's deadline moves, and
    // bob stays blocked.
    for grace in [Some(86_400), None] {
        let again = f.svc.require_2fa("acme", true, grace, false, false, None).unwrap();
        assert_eq!(again.deadlines, Deadlines::Kept);
        let bob = again.must_enroll.iter().find(|m| m.user == "bob").unwrap();
        assert_eq!((bob.deadline, bob.compliance), (Some(deadline), Compliance::Blocked));
    }
    // Another grace moves deadlines: only when asked.
    let err = f
        .svc
        .require_2fa("acme", true, Some(7 * 86_400), false, false, None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unless {
                remedy: crate::error::Remedy::ResetDeadlines,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.kind(), crate::error::Kind::Conflict);
    let dry = f
        .svc
        .require_2fa("acme", true, Some(7 * 86_400), true, true, None)
        .unwrap();
    assert_eq!(dry.deadlines, Deadlines::Reset);
    let reset = f
        .svc
        .require_2fa("acme", true, Some(7 * 86_400), true, false, None)
        .unwrap();
    let bob = reset.must_enroll.iter().find(|m| m.user == "bob").unwrap();
    assert_eq!(bob.deadline, Some(f.clock.now() + 7 * 86_400));
}

/// Creates `name` owned by `owner`, an SSO-managed user (exempt from the 2FA
/// requirement, so they never appear among those who must enroll).
fn org(f: &mut Fixture, name: &str) {
    if f.svc.state("owner").is_err() {
        f.svc.add_user("owner", None, true).unwrap();
    }
    f.svc.create_org(name, Some("owner")).unwrap();
}

#[test]
fn an_organization_is_never_created_without_an_owner() {
    let mut f = fixture();
    // The operator is no user here: an owner must be named.
    let err = f.svc.create_org("acme", None).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unless {
                remedy: crate::error::Remedy::NameOwner,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.kind(), crate::error::Kind::InvalidInput);
    assert!(f.svc.list_orgs().unwrap().is_empty());
}

/// Listings are in the same order on every backend: by the bytes of the names
/// (PostgreSQL's collation for the database would put `adam` before `Zed`).
#[test]
fn listings_sort_by_the_bytes_of_names_on_every_backend() {
    let mut f = fixture();
    let names = ["bob", "Zed", "émile", "adam", "Ada"];
    for n in names {
        f.svc.add_user(n, None, false).unwrap();
    }
    let mut bytes: Vec<&str> = names.to_vec();
    bytes.sort();
    assert_eq!(bytes, ["Ada", "Zed", "adam", "bob", "émile"]);
    let users: Vec<String> = f.svc.list_users().unwrap().into_iter().map(|u| u.user).collect();
    assert_eq!(users, bytes);

    for org in ["zeta", "Alpha", "beta"] {
        f.svc.create_org(org, Some("bob")).unwrap();
    }
    for owner in ["émile", "Zed", "adam"] {
        f.svc.add_member("beta", owner, Role::Owner).unwrap();
    }
    let orgs = f.svc.list_orgs().unwrap();
    let order: Vec<&str> = orgs.iter().map(|o| o.org.as_str()).collect();
    assert_eq!(order, ["Alpha", "beta", "zeta"]);
    let beta = orgs.iter().find(|o| o.org == "beta").unwrap();
    assert_eq!(beta.owners, ["Zed", "adam", "bob", "émile"]);
}
