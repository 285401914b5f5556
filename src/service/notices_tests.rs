//! The outbox and the notices against a real store, on a manual clock, with a mailer
//! that records what it is given (and fails when told to).

use super::fixture::*;
use super::*;
use crate::mail::{MailError, Mailer, Outgoing};
use crate::policy::Role;
use crate::store::NewMail;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Recorder {
    sent: Arc<Mutex<Vec<(String, String, String)>>>,
    down: Arc<AtomicBool>,
    /// Every attempt's subject, sent or not.
    tried: Arc<Mutex<Vec<String>>>,
    /// Recipients the server refuses for good (an SMTP 5xx answer).
    refused: Arc<Mutex<Vec<String>>>,
    /// The process dies (a panic here) at this attempt, counted from 1.
    die_at: Arc<Mutex<Option<usize>>>,
}

impl Mailer for Recorder {
    fn send(&self, m: &Outgoing<'_>) -> std::result::Result<String, MailError> {
        let attempt = {
            let mut tried = self.tried.lock().unwrap();
            tried.push(m.subject.to_string());
            tried.len()
        };
        if *self.die_at.lock().unwrap() == Some(attempt) {
            panic!("killed while sending");
        }
        if self.down.load(Ordering::SeqCst) {
            return Err(MailError::Send("connection refused".into()));
        }
        if self.refused.lock().unwrap().iter().any(|r| r == m.to) {
            return Err(MailError::Rejected("550 5.1.1 no such mailbox".into()));
        }
        self.sent
            .lock()
            .unwrap()
            .push((m.to.to_string(), m.subject.to_string(), m.body.to_string()));
        Ok("250 OK".into())
    }
    fn describe(&self) -> String {
        "recorder".into()
    }
}

impl Recorder {
    fn subjects(&self) -> Vec<String> {
        self.sent.lock().unwrap().iter().map(|(_, s, _)| s.clone()).collect()
    }
}

fn mailing() -> (Fixture, Recorder) {
    let mut f = fixture();
    let r = Recorder::default();
    f.svc.set_mailer(Box::new(r.clone()));
    (f, r)
}

#[test]
fn nothing_is_queued_without_a_way_to_send() {
    let mut f = fixture();
    f.svc.add_user("alice", Some("alice@example.com"), false).unwrap();
    f.svc.create_org("acme", Some("alice")).unwrap();
    f.svc
        .require_2fa("acme", true, Some(86_400), false, false, None)
        .unwrap();
    assert!(!f.svc.mail_queued());
    assert!(f.svc.mail_queue().unwrap().is_empty());
    // Configured, but switched off for this service (--no-mail).
    f.svc.set_setting("mail_sendmail", "/bin/true").unwrap();
    f.svc.add_user("bob", Some("bob@example.com"), false).unwrap();
    f.svc.set_mail(false);
    f.svc.add_member("acme", "bob", Role::Member).unwrap();
    assert!(f.svc.mail_queue().unwrap().is_empty());
}

#[test]
fn a_failed_send_keeps_the_change_and_the_message() {
    let (mut f, r) = mailing();
    f.svc.add_user("alice", Some("alice@example.com"), false).unwrap();
    f.svc.create_org("acme", Some("alice")).unwrap();
    r.down.store(true, Ordering::SeqCst);
    f.svc
        .require_2fa("acme", true, Some(3 * 86_400), false, false, None)
        .unwrap();
    assert!(f.svc.mail_queued());
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.sent.len(), d.failed.len(), d.queued), (0, 1, 1));
    assert_eq!(d.failed[0].answer, "connection refused");
    let q = f.svc.mail_queue().unwrap();
    assert_eq!((q[0].attempts, q[0].kind.as_str()), (1, "invitation"));
    assert!(f.svc.list_orgs().unwrap()[0].require_2fa, "the change stands");

    r.down.store(false, Ordering::SeqCst);
    f.clock.advance(60);
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.sent.len(), d.failed.len(), d.queued), (1, 0, 0));
    let sent = r.sent.lock().unwrap().clone();
    assert_eq!(sent[0].0, "alice@example.com");
    assert!(
        sent[0].2.contains(&crate::text::timefmt::rfc3339(T0 + 3 * 86_400)),
        "{}",
        sent[0].2
    );
    // Sent once: a second delivery sends nothing again.
    assert!(f.svc.deliver_mail().unwrap().sent.is_empty());
    let audit = f.svc.audit(&Default::default()).unwrap();
    let sends: Vec<_> = audit.iter().filter(|r| r.entry.action == "mail.send").collect();
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[0].entry.outcome, crate::audit::Outcome::Ok);
    assert_eq!(sends[1].entry.outcome, crate::audit::Outcome::Failed);
}

#[test]
fn a_claimed_message_is_not_sent_twice_and_a_code_message_expires() {
    let (mut f, r) = mailing();
    let now = f.clock.now();
    {
        let tx = f.svc.store.write().unwrap();
        for (kind, expires_at) in [("notice", None), ("code", Some(now + 300))] {
            tx.queue_mail(&NewMail {
                created_at: now,
                user: Some("alice"),
                recipient: "alice@example.com",
                subject: "s",
                body: "the code is 123456",
                sealed_body: None,
                kind,
                expires_at,
            })
            .unwrap();
        }
        tx.commit().unwrap();
    }
    // Another process holds the first one (claimed, not yet settled).
    {
        let tx = f.svc.store.write().unwrap();
        let claimed = tx.claim_mail(now, now + 120, 0, false).unwrap();
        assert!(claimed.is_some());
        tx.commit().unwrap();
    }
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!(d.sent.len(), 1, "only the unclaimed one");
    assert_eq!(d.sent[0].kind, "code");
    // The claim runs out (that process died): the first one goes now. The code
    // message is gone from the queue, and its body with it.
    f.clock.advance(121);
    assert_eq!(f.svc.deliver_mail().unwrap().sent.len(), 1);
    assert_eq!(r.sent.lock().unwrap().len(), 2);

    // A code message that cannot be sent before its code expires leaves the queue.
    r.down.store(true, Ordering::SeqCst);
    let now = f.clock.now();
    {
        let tx = f.svc.store.write().unwrap();
        tx.queue_mail(&NewMail {
            created_at: now,
            user: Some("alice"),
            recipient: "alice@example.com",
            subject: "s",
            body: "the code is 654321",
            sealed_body: None,
            kind: "code",
            expires_at: Some(now + 300),
        })
        .unwrap();
        tx.commit().unwrap();
    }
    assert_eq!(f.svc.deliver_mail().unwrap().failed.len(), 1);
    f.clock.advance(300);
    assert!(f.svc.mail_queue().unwrap().is_empty(), "not listed once expired");
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.expired.len(), d.failed.len()), (1, 0));
    assert!(
        f.svc.store.read().unwrap().queued_mail(None).unwrap().is_empty(),
        "removed, body and all"
    );
    let audit = f.svc.audit(&Default::default()).unwrap();
    assert!(audit.iter().any(|r| r.entry.action == "mail.expire"));
    assert!(
        audit
            .iter()
            .all(|r| !r.entry.details.as_deref().unwrap_or("").contains("654321"))
    );
}

#[test]
fn notices_follow_the_changes_that_cause_them() {
    let (mut f, r) = mailing();
    f.svc.add_user("alice", Some("alice@example.com"), false).unwrap();
    let (p, codes) = f.active("alice");
    f.svc.regenerate_backup_codes("alice", &codes[0]).unwrap();
    f.svc.set_setting("max_failures", "1").unwrap();
    let wrong = if f.code(&p, 0) == "000000" { "111111" } else { "000000" };
    assert!(f.svc.verify("alice", wrong).is_err());
    f.svc.admin_reset("alice", "lost phone", Some("T-1")).unwrap();
    f.deliver();
    assert_eq!(
        r.subjects(),
        [
            "Your backup codes were regenerated",
            "You were locked out after too many wrong codes",
            "Your two-factor authentication was reset"
        ]
    );
    for (_, _, body) in r.sent.lock().unwrap().iter() {
        assert!(body.lines().all(|l| l.len() <= 72), "{body}");
        for c in &codes {
            assert!(!body.contains(c.as_str()));
        }
    }
    // Support ending a lockout is told; clearing failures of an unlocked account is not.
    f.active("alice");
    assert!(f.svc.verify("alice", wrong).is_err());
    f.svc.admin_unlock("alice", "called the desk", Some("T-2")).unwrap();
    f.deliver();
    assert_eq!(r.subjects().last().unwrap(), "Your account was unlocked");
    let body = r.sent.lock().unwrap().last().unwrap().2.clone();
    assert!(
        body.contains("unlocked by ") && body.contains("did not expect this"),
        "{body}"
    );
    let before = r.sent.lock().unwrap().len();
    f.svc.admin_unlock("alice", "just in case", None).unwrap();
    f.deliver();
    assert_eq!(r.sent.lock().unwrap().len(), before, "nothing to tell");
    // Removing the address is told at the old one; then nothing more is mailed.
    f.svc.set_email("alice", None).unwrap();
    f.deliver();
    assert_eq!(r.subjects().last().unwrap(), "Your email address was changed");
    f.svc.admin_reset("alice", "again", None).unwrap();
    assert!(f.svc.mail_queue().unwrap().is_empty());
}

#[test]
fn an_address_proven_by_email_codes_is_not_changed_behind_them() {
    let (mut f, r) = mailing();
    f.svc.add_user("erin", Some("erin@example.com"), false).unwrap();
    f.svc.enroll_email("erin").unwrap();
    f.deliver();
    let err = f.svc.set_email("erin", Some("eve@evil.example")).unwrap_err();
    assert_eq!(err.kind(), crate::error::Kind::Conflict, "{err}");
    assert_eq!(
        f.svc.list_users().unwrap()[0].email.as_deref(),
        Some("erin@example.com")
    );
    // Unchanged, it is no change.
    f.svc.set_email("erin", Some("erin@example.com")).unwrap();
    assert_eq!(r.sent.lock().unwrap().len(), 1, "only the code");
}

impl Fixture {
    fn deliver(&mut self) {
        let d = self.svc.deliver_mail().unwrap();
        assert!(d.failed.is_empty(), "{d:?}");
    }
}

/// The code in the newest mail the recorder holds.
fn last_code(r: &Recorder) -> String {
    let sent = r.sent.lock().unwrap();
    let body = &sent.last().expect("a mail").2;
    body.split("Your code is: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a code in the mail")
        .to_string()
}

#[test]
fn an_email_code_goes_through_the_outbox_and_leaves_no_trace() {
    let (mut f, r) = mailing();
    f.svc.add_user("erin", Some("erin@example.com"), false).unwrap();
    let issued = f.svc.enroll_email("erin").unwrap();
    assert!(issued.queued);
    let q = f.svc.mail_queue().unwrap();
    assert_eq!((q.len(), q[0].kind.as_str()), (1, "email_code"));
    assert_eq!(
        q[0].expires_at,
        Some(issued.expires_at),
        "leaves the queue with the code"
    );
    assert!(!q[0].subject.contains(issued.code.as_str()));
    f.deliver();
    let code = last_code(&r);
    assert_eq!(code, *issued.code);
    f.svc.activate("erin", &code).unwrap();

    // A code that cannot be sent before it expires leaves the queue unsent.
    f.clock.advance(120);
    r.down.store(true, Ordering::SeqCst);
    let waiting = f.svc.send_code("erin").unwrap();
    assert_eq!(f.svc.deliver_mail().unwrap().failed.len(), 1);
    // While it waits, its text is sealed: the database shows no live code...
    let bytes = f.dump();
    assert!(
        !super::fixture::holds(&bytes, waiting.code.as_bytes()),
        "a waiting code is in the database"
    );
    // ...and it is delivered, readable, once the server is back.
    r.down.store(false, Ordering::SeqCst);
    f.deliver();
    assert_eq!(last_code(&r), *waiting.code);
    f.clock.advance(61);
    r.down.store(true, Ordering::SeqCst);
    let second = f.svc.send_code("erin").unwrap();
    assert_eq!(f.svc.deliver_mail().unwrap().failed.len(), 1);
    f.clock.advance(600);
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.expired.len(), d.failed.len()), (1, 0));
    assert!(f.svc.store.read().unwrap().queued_mail(None).unwrap().is_empty());

    // Neither code is in the database (the file, or a dump on PostgreSQL), nor in the
    // audit log.
    let bytes = f.dump();
    for c in [code.as_str(), second.code.as_str()] {
        assert!(!super::fixture::holds(&bytes, c.as_bytes()), "{c} in the database");
        let audit = f.svc.audit(&Default::default()).unwrap();
        assert!(
            audit
                .iter()
                .all(|e| !e.entry.details.as_deref().unwrap_or("").contains(c))
        );
    }
}

#[test]
fn with_mail_off_the_code_is_the_callers_to_deliver() {
    let (mut f, _r) = mailing();
    f.svc.add_user("erin", Some("erin@example.com"), false).unwrap();
    f.svc.set_mail(false);
    let issued = f.svc.enroll_email("erin").unwrap();
    assert!(!issued.queued);
    assert!(f.svc.mail_queue().unwrap().is_empty());
}

#[test]
fn deliveries_go_oldest_first_and_end_even_when_everything_fails() {
    let (mut f, r) = mailing();
    let now = f.clock.now();
    {
        let tx = f.svc.store.write().unwrap();
        for i in 0..450 {
            let to = format!("u{i}@example.com");
            tx.queue_mail(&NewMail {
                created_at: now,
                user: None,
                recipient: &to,
                subject: "s",
                body: "b",
                sealed_body: None,
                kind: "notice",
                expires_at: None,
            })
            .unwrap();
        }
        tx.commit().unwrap();
    }
    r.down.store(true, Ordering::SeqCst);
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.failed.len(), d.queued), (450, 450), "each tried once, then the end");
    r.down.store(false, Ordering::SeqCst);
    let d = f.svc.deliver_at_most(100).unwrap();
    assert_eq!((d.sent.len(), d.queued), (100, 350));
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.sent.len(), d.queued), (350, 0));
    let sent = r.sent.lock().unwrap();
    assert_eq!(sent[0].0, "u0@example.com", "oldest first");
    assert_eq!(sent.len(), 450);
}

/// After a command (a login among them), a server that is down costs one failed
/// send, not one per queued message; what was not tried stays queued for a flush.
#[test]
fn after_a_command_the_first_failed_send_ends_the_delivery() {
    let (mut f, r) = mailing();
    let now = f.clock.now();
    {
        let tx = f.svc.store.write().unwrap();
        for i in 0..5 {
            let to = format!("u{i}@example.com");
            tx.queue_mail(&NewMail {
                created_at: now,
                user: None,
                recipient: &to,
                subject: "s",
                body: "b",
                sealed_body: None,
                kind: "notice",
                expires_at: None,
            })
            .unwrap();
        }
        tx.commit().unwrap();
    }
    r.down.store(true, Ordering::SeqCst);
    let d = f.svc.deliver_after_command(100).unwrap();
    assert_eq!((d.failed.len(), d.queued), (1, 5), "one try, everything kept");
    let attempts: u32 = f.svc.mail_queue().unwrap().iter().map(|m| m.attempts).sum();
    assert_eq!(attempts, 1, "the others were not tried");
    // Once the server is back and the claims have run out, a flush sends them all.
    r.down.store(false, Ordering::SeqCst);
    f.clock.advance(301);
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.sent.len(), d.queued), (5, 0));
}

/// Queues `n` plain notices for alice, oldest first, then returns nothing.
fn queue_notices(f: &mut Fixture, subjects: &[&str], expires_at: Option<i64>) {
    let now = f.clock.now();
    let tx = f.svc.store.write().unwrap();
    for subject in subjects {
        tx.queue_mail(&NewMail {
            created_at: now,
            user: Some("alice"),
            recipient: "alice@example.com",
            subject,
            body: "text",
            sealed_body: None,
            kind: if expires_at.is_some() { "code" } else { "notice" },
            expires_at,
        })
        .unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn a_code_goes_before_older_mail() {
    let (mut f, r) = mailing();
    queue_notices(&mut f, &["notice 1", "notice 2", "notice 3"], None);
    let later = f.clock.now() + 300;
    queue_notices(&mut f, &["your code"], Some(later));
    let d = f.svc.deliver_at_most(1).unwrap();
    assert_eq!((d.sent.len(), d.queued), (1, 3));
    assert_eq!(r.subjects(), ["your code"], "the code first, though queued last");
    f.svc.deliver_mail().unwrap();
    assert_eq!(r.subjects(), ["your code", "notice 1", "notice 2", "notice 3"]);
}

#[test]
fn each_result_is_kept_as_it_happens_so_a_kill_resends_nothing_that_went() {
    let (mut f, r) = mailing();
    queue_notices(&mut f, &["one", "two", "three"], None);
    // The process dies while handing over the second message.
    *r.die_at.lock().unwrap() = Some(2);
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.svc.deliver_mail()));
    assert!(died.is_err());
    *r.die_at.lock().unwrap() = None;
    assert_eq!(r.subjects(), ["one"]);
    // The first is recorded as sent: never sent again. The second is claimed by the
    // dead process until its claim runs out, then goes with the third.
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!(d.sent.iter().map(|s| s.id).collect::<Vec<_>>(), [3]);
    f.clock.advance(super::notices::CLAIM_SECS + 1);
    f.svc.deliver_mail().unwrap();
    assert_eq!(r.subjects(), ["one", "three", "two"]);
    assert!(f.svc.mail_queue().unwrap().is_empty());
}

#[test]
fn a_message_refused_for_good_is_dropped_not_retried() {
    let (mut f, r) = mailing();
    f.svc.add_user("alice", Some("alice@example.com"), false).unwrap();
    f.svc.add_user("bob", Some("bob@example.com"), false).unwrap();
    f.svc.create_org("acme", Some("alice")).unwrap();
    f.svc.add_member("acme", "bob", Role::Member).unwrap();
    f.svc.deliver_mail().unwrap();
    r.refused.lock().unwrap().push("bob@example.com".into());
    let before = r.tried.lock().unwrap().len();
    f.svc
        .require_2fa("acme", true, Some(3 * 86_400), false, false, None)
        .unwrap();
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.sent.len(), d.failed.len(), d.dropped.len(), d.queued), (1, 0, 1, 0));
    assert_eq!(d.dropped[0].recipient, "bob@example.com");
    assert!(d.dropped[0].answer.contains("550"), "{}", d.dropped[0].answer);
    assert!(f.svc.mail_queue().unwrap().is_empty(), "not queued for another try");
    f.svc.deliver_mail().unwrap();
    assert_eq!(r.tried.lock().unwrap().len(), before + 2, "tried once, never again");
    let audit = f.svc.audit(&Default::default()).unwrap();
    let refused = audit
        .iter()
        .find(|e| e.entry.action == "mail.send" && e.entry.subject.as_deref() == Some("bob"))
        .unwrap();
    assert_eq!(refused.entry.outcome, crate::audit::Outcome::Failed);
    assert!(
        refused
            .entry
            .details
            .as_deref()
            .unwrap_or("")
            .contains("refused for good, dropped"),
        "{:?}",
        refused.entry.details
    );
    // A server that is down is another matter: that message stays queued.
    r.down.store(true, Ordering::SeqCst);
    f.svc.add_user("carol", Some("carol@example.com"), false).unwrap();
    f.svc.add_member("acme", "carol", Role::Member).unwrap();
    let d = f.svc.deliver_mail().unwrap();
    assert_eq!((d.failed.len(), d.dropped.len(), d.queued), (1, 0, 1));
}
