//! Step-up, reset and the audit chain against a real store, on a manual clock.

use super::fixture::*;
use super::*;
use crate::actor::Via;
use crate::policy::{Compliance, Role};

fn act_as(f: &mut Fixture, name: &str) {
    f.svc.caller.actor = Actor::new(name, Via::Flag);
    f.svc.caller.step_up = None;
}

#[test]
fn reset_gives_a_new_deadline_of_reset_time_plus_grace() {
    let mut f = fixture();
    f.svc.add_user("olga", None, false).unwrap();
    f.svc.create_org("acme", Some("olga")).unwrap();
    f.active("alice");
    f.svc.add_member("acme", "alice", Role::Member).unwrap();
    f.svc
        .require_2fa("acme", true, Some(3 * 86_400), false, false, None)
        .unwrap();
    f.clock.advance(10 * 86_400);
    let at = f.clock.now();
    let done = f.svc.admin_reset("alice", "lost phone", None).unwrap();
    assert_eq!(done.deadlines[0].deadline, at + 3 * 86_400);
    let mut rows = vec![];
    f.svc
        .org_status("acme", false, |m| {
            rows.push(m.clone());
            Ok(())
        })
        .unwrap();
    let alice = rows.iter().find(|m| m.user == "alice").unwrap();
    assert_eq!(alice.compliance, Compliance::Grace);
    f.clock.advance(3 * 86_400);
    assert!(
        !f.svc.access("alice", Some("acme")).unwrap()[0].allowed,
        "blocked when grace ends"
    );
}

#[test]
fn a_step_up_code_is_spent_like_any_other() {
    let mut f = fixture();
    let (boss, _) = f.active("boss");
    f.svc.set_global_admin("boss", true).unwrap();
    act_as(&mut f, "boss");
    assert!(matches!(
        f.svc.add_user("a", None, false),
        Err(Error::StepUpRequired(_))
    ));
    let code = f.code(&boss, 0);
    f.svc.set_step_up_code(Zeroizing::new(code.clone())).unwrap();
    f.svc.add_user("a", None, false).unwrap();
    // The same code again (still held by the service) is a replay.
    let again = f.svc.add_user("b", None, false).unwrap_err();
    assert!(matches!(again, Error::Denied { .. }), "{again}");
    f.clock.advance(30);
    f.svc.set_step_up_code(Zeroizing::new(f.code(&boss, 0))).unwrap();
    f.svc.add_user("b", None, false).unwrap();
}

#[test]
fn lockout_expiry_applies_to_step_up_too() {
    let mut f = fixture();
    let (boss, _) = f.active("boss");
    f.svc.set_global_admin("boss", true).unwrap();
    act_as(&mut f, "boss");
    let wrong = if f.code(&boss, 0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        f.svc.set_step_up_code(Zeroizing::new(wrong.into())).unwrap();
        assert!(f.svc.add_user("a", None, false).is_err());
    }
    f.svc.set_step_up_code(Zeroizing::new(f.code(&boss, 0))).unwrap();
    assert!(matches!(f.svc.add_user("a", None, false), Err(Error::LockedOut { .. })));
    f.clock.advance(300);
    f.svc.set_step_up_code(Zeroizing::new(f.code(&boss, 0))).unwrap();
    f.svc.add_user("a", None, false).unwrap();
}

#[test]
fn the_chain_survives_a_prune_and_every_entry_is_counted() {
    let mut f = fixture();
    f.active("alice");
    f.clock.advance(100);
    let cut = f.clock.now();
    f.active("bob");
    let before = f.svc.audit_verify().unwrap();
    assert!(before.ok);
    assert_eq!(before.entries, 6, "user added by enroll + enroll + activate, twice");
    // Nothing younger than the minimum retention (90 days) may go.
    let err = f.svc.audit_prune(cut).unwrap_err();
    assert!(err.to_string().contains("minimum retention"), "{err}");
    f.clock.advance(crate::settings::AUDIT_MIN_RETENTION);
    let pruned = f.svc.audit_prune(cut).unwrap();
    assert_eq!(pruned.removed, 3);
    let after = f.svc.audit_verify().unwrap();
    assert!(after.ok, "{after:?}");
    assert_eq!((after.entries, after.pruned_before), (4, Some(4)));
    assert_eq!(after.prunes.len(), 1);
    // A later prune never removes the record of an earlier one.
    f.clock.advance(crate::settings::AUDIT_MIN_RETENTION);
    f.svc
        .audit_prune(f.clock.now() - crate::settings::AUDIT_MIN_RETENTION)
        .unwrap();
    let again = f.svc.audit_verify().unwrap();
    assert!(again.ok, "{again:?}");
    assert_eq!(again.prunes.len(), 2);
    assert_eq!(again.prunes[0].removed, 3);
    assert_eq!(again.head, {
        let recs = f.svc.audit(&Default::default()).unwrap();
        crate::audit::to_hex(&recs[0].hash)
    });
}

#[test]
fn a_replayed_code_is_refused_but_not_counted_as_a_guess() {
    let mut f = fixture();
    let (p, _) = f.active("alice");
    let code = f.code(&p, 0);
    f.svc.verify("alice", &code).unwrap();
    for _ in 0..10 {
        let e = f.svc.verify("alice", &code).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Rejected {
                    reason: Rejection::Reused,
                    ..
                }
            ),
            "{e}"
        );
    }
    let s = f.svc.status("alice").unwrap();
    assert_eq!((s.failed_attempts, s.locked_until), (0, None));
}

#[test]
fn an_unknown_actor_tag_breaks_the_chain_even_where_it_reads_as_api() {
    let mut f = fixture();
    f.active("alice");
    // The fixture acts through the API; a forged tag must not read back as "api" and pass.
    let conn = rusqlite::Connection::open(f.dir.path().join("t.db")).unwrap();
    conn.execute("UPDATE audit SET actor_via = 'forged' WHERE id = 1", [])
        .unwrap();
    let report = f.svc.audit_verify().unwrap();
    assert_eq!(report.broken.map(|b| b.id), Some(1));
}

/// If the clock ever stepped back, a prune removes only the run of entries before the
/// first one at or after the cutoff: nothing younger than the minimum retention.
#[test]
fn a_prune_never_removes_an_entry_younger_than_the_cutoff() {
    let mut f = fixture();
    f.svc.add_user("a", None, false).unwrap(); // entry 1, at T0
    f.clock.advance(200 * 86_400);
    f.svc.add_user("b", None, false).unwrap(); // entry 2, young
    f.clock.set(T0 + 10); // the clock steps back
    f.svc.add_user("c", None, false).unwrap(); // entry 3, old by its stamp
    f.clock.set(T0 + 200 * 86_400 + 1);
    let cutoff = T0 + 100 * 86_400;
    let pruned = f.svc.audit_prune(cutoff).unwrap();
    assert_eq!(pruned.removed, 1, "only entry 1: entry 3 follows a younger one");
    let left: Vec<i64> = f.svc.audit(&Default::default()).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(left, [4, 3, 2]);
    assert!(f.svc.audit_verify().unwrap().ok);
}
