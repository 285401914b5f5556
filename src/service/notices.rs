//! Mail from the service: notices queued in the outbox inside the transaction of the
//! change that causes them, and delivery after the commit. A failed send never undoes
//! the change: the message stays queued, the next delivery tries again.
//!
//! Notices are short plain text addressed to the user by name. They never hold a
//! secret or a code, and name no command (the people reading them may not run twofa).

use super::{Actor, Change, Service};
use crate::audit::{Entry, Outcome as AuditOutcome};
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::mail::{self, MailError, Mailer, Outgoing};
use crate::policy::{Compliance, Need};
use crate::settings::Settings;
use crate::store::{MailRow, MailSummary, NewMail, Transaction};
use crate::text::names;
use crate::text::timefmt::{rfc3339, serde_opt, serde_ts};
use serde::Serialize;

/// How long a process sending a message holds it (others leave it alone meanwhile).
pub(super) const CLAIM_SECS: i64 = 300;
/// Sent messages (already without their bodies) are kept this long.
const KEEP_SENT_SECS: i64 = 7 * 86_400;

/// Whether this service queues and sends mail, and with what.
#[derive(Default)]
pub(super) struct MailState {
    /// `--no-mail`: queue nothing, send nothing (for scripts that do their own mailing).
    pub off: bool,
    /// A mailer that replaces the one the settings describe (tests, embedders).
    pub mailer: Option<Box<dyn Mailer>>,
    /// Messages queued by this service (in transactions that may yet roll back).
    pub queued: std::cell::Cell<u32>,
}

impl MailState {
    fn enabled(&self, settings: &Settings) -> bool {
        !self.off && (self.mailer.is_some() || settings.mail.configured())
    }
}

/// A message about someone's second factor.
pub(super) enum Notice<'a> {
    /// Their organization requires 2FA (or they joined one that does).
    Invitation {
        org: &'a str,
        deadline: Timestamp,
        joined: bool,
    },
    /// The deadline approaches (or has passed) and they have not enrolled.
    Reminder {
        org: &'a str,
        deadline: Timestamp,
    },
    /// Support removed their 2FA.
    Reset {
        by: &'a str,
        deadlines: &'a [super::Deadline],
    },
    Disabled {
        by: &'a str,
    },
    BackupCodes {
        by: &'a str,
    },
    LockedOut {
        until: Timestamp,
        step_up: bool,
    },
    /// Support ended their lockout.
    Unlocked {
        by: &'a str,
    },
    /// A code for the email factor: the one message that carries a secret (it leaves
    /// the queue when the code expires, and its text is wiped once sent).
    Code {
        code: &'a str,
        expires_at: Timestamp,
        ttl_secs: i64,
        activation: bool,
    },
    /// Their address was changed or removed: told at the old one.
    AddressChanged {
        by: &'a str,
        removed: bool,
    },
}

impl Notice<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Notice::Invitation { .. } => "invitation",
            Notice::Reminder { .. } => "reminder",
            Notice::Reset { .. } => "reset",
            Notice::Disabled { .. } => "disabled",
            Notice::BackupCodes { .. } => "backup_codes",
            Notice::LockedOut { .. } => "locked_out",
            Notice::Unlocked { .. } => "unlocked",
            Notice::Code { .. } => "email_code",
            Notice::AddressChanged { .. } => "address_changed",
        }
    }

    /// The subject and the body, for `user`, at `now`.
    fn compose(&self, user: &str, now: Timestamp) -> (String, String) {
        let when = |t: Timestamp| {
            if t <= now {
                format!("{} (now)", rfc3339(t))
            } else {
                rfc3339(t)
            }
        };
        let not_you = "If you did not expect this, tell your administrator at once.";
        match self {
            Notice::Invitation { org, deadline, joined } => (
                format!(
                    "{org} requires two-factor authentication: set it up by {}",
                    rfc3339(*deadline)
                ),
                format!(
                    "Hello {user},\n\n{}\n\nPlease set up two-factor authentication with an authenticator app by {}.\nAfter that date you cannot enter {org} until you have.\n\nYour administrator can tell you how to set it up.\n",
                    if *joined {
                        format!(
                            "You were added to {org}, which requires two-factor authentication (2FA) of its members."
                        )
                    } else {
                        format!("{org} now requires two-factor authentication (2FA) of its members.")
                    },
                    when(*deadline)
                ),
            ),
            Notice::Reminder { org, deadline } => (
                format!(
                    "Reminder: {org} requires two-factor authentication by {}",
                    rfc3339(*deadline)
                ),
                format!(
                    "Hello {user},\n\n{org} requires two-factor authentication (2FA) of its members, and you have not set it up yet.\n\n{}\n\nYour administrator can tell you how to set it up.\n",
                    if *deadline <= now {
                        format!(
                            "The deadline passed at {}: you cannot enter {org} until you have set it up.",
                            rfc3339(*deadline)
                        )
                    } else {
                        format!(
                            "Please set it up by {}; after that you cannot enter {org} until you have.",
                            rfc3339(*deadline)
                        )
                    }
                ),
            ),
            Notice::Reset { by, deadlines } => {
                let mut body = format!(
                    "Hello {user},\n\nYour two-factor authentication was reset by {by} at {}: your authenticator app and your backup codes no longer work for this account, and you must set it up again.\n",
                    rfc3339(now)
                );
                for d in *deadlines {
                    body.push_str(&format!("\n{} requires it: set it up by {}.", d.org, when(d.deadline)));
                }
                if !deadlines.is_empty() {
                    body.push('\n');
                }
                body.push_str(&format!("\n{not_you}\n"));
                ("Your two-factor authentication was reset".into(), body)
            }
            Notice::Disabled { by } => (
                "Your two-factor authentication was disabled".into(),
                format!(
                    "Hello {user},\n\nTwo-factor authentication was disabled for your account at {}{}. Your backup codes no longer work.\n\n{not_you}\n",
                    rfc3339(now),
                    if *by == user {
                        String::new()
                    } else {
                        format!(" by {by}")
                    }
                ),
            ),
            Notice::Unlocked { by } => (
                "Your account was unlocked".into(),
                format!(
                    "Hello {user},\n\nYour account was unlocked by {by} at {} after a lockout for too many wrong codes; your failed attempts were cleared and codes are accepted again.\n\n{not_you}\n",
                    rfc3339(now)
                ),
            ),
            Notice::BackupCodes { by } => (
                "Your backup codes were regenerated".into(),
                format!(
                    "Hello {user},\n\nNew backup codes were made for your account at {}{}; the old ones no longer work.\n\n{not_you}\n",
                    rfc3339(now),
                    if *by == user {
                        String::new()
                    } else {
                        format!(" by {by}")
                    }
                ),
            ),
            Notice::Code {
                code,
                expires_at,
                ttl_secs,
                activation,
            } => (
                // Never the code in the subject: `mail status` lists subjects.
                "Your two-factor authentication code".into(),
                format!(
                    "Hello {user},\n\nYour code is: {code}\n\nIt works once, until {} ({}). {}\n\nIf you did not ask for a code, someone may know your password: tell your administrator at once.\n",
                    rfc3339(*expires_at),
                    crate::text::duration::format(*ttl_secs),
                    if *activation {
                        "Enter it to confirm this address as your second factor."
                    } else {
                        "Never tell it to anyone who asks for it."
                    }
                ),
            ),
            Notice::AddressChanged { by, removed } => (
                "Your email address was changed".into(),
                format!(
                    "Hello {user},\n\n{} by {by} at {}; notices about your two-factor authentication {}.\n\n{not_you}\n",
                    if *removed {
                        "Your email address was removed from your account"
                    } else {
                        "Your account's email address was changed"
                    },
                    rfc3339(now),
                    if *removed {
                        "are no longer mailed"
                    } else {
                        "now go to the new address"
                    }
                ),
            ),
            Notice::LockedOut { until, step_up } => (
                "You were locked out after too many wrong codes".into(),
                format!(
                    "Hello {user},\n\nAfter too many wrong two-factor codes, {} is locked until {}.\nA backup code still works meanwhile.\n\nIf these attempts were not yours, someone may know your password: tell your administrator at once.\n",
                    if *step_up {
                        "administering with your account"
                    } else {
                        "signing in to your account"
                    },
                    rfc3339(*until)
                ),
            ),
        }
    }
}

/// Queues `notice` for `user` (who has `email`), when mail is on and configured and
/// the user has an address. An address that is not one (stored by an older version)
/// is skipped, with an audit entry. Runs inside the caller's transaction.
pub(super) fn queue(
    tx: &dyn Transaction,
    state: &MailState,
    actor: &crate::actor::Actor,
    user: &str,
    email: Option<&str>,
    notice: &Notice<'_>,
    now: Timestamp,
) -> Result<bool> {
    let Some(email) = email else { return Ok(false) };
    if !state.enabled(&tx.settings()?) {
        return Ok(false);
    }
    let kind = notice.kind();
    if let Err(e) = mail::address::validate("email address", email) {
        tx.append_audit(
            &Entry::new(actor, now, "mail.queue")
                .subject(user)
                .outcome(AuditOutcome::Failed)
                .details(format!("{kind} not queued: {e}")),
        )?;
        return Ok(false);
    }
    let (subject, body) = notice.compose(user, now);
    let body = wrap(&body, 72);
    tx.queue_mail(&NewMail {
        created_at: now,
        user: Some(user),
        recipient: email,
        subject: &subject,
        body: &body,
        sealed_body: None,
        kind,
        expires_at: None,
    })?;
    state.queued.set(state.queued.get() + 1);
    Ok(true)
}

/// `text` with every line longer than `width` broken at spaces (plain-text mail
/// reads best, and travels as 7-bit, below 78 columns).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split('\n') {
        let mut len = 0;
        for (i, word) in line.split(' ').enumerate() {
            let w = word.chars().count();
            if i > 0 {
                if len + 1 + w > width && len > 0 {
                    out.push('\n');
                    len = 0;
                } else {
                    out.push(' ');
                    len += 1;
                }
            }
            out.push_str(word);
            len += w;
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// What one delivery did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Delivery {
    pub sent: Vec<Delivered>,
    pub failed: Vec<Delivered>,
    /// Messages that can never be sent, removed from the queue: refused for good by
    /// the server (an SMTP 5xx answer), or sealed under a key since rotated.
    pub dropped: Vec<Delivered>,
    /// Messages whose code expired before they could be sent (removed).
    pub expired: Vec<MailSummary>,
    /// Messages still queued after this delivery (failed ones included).
    pub queued: usize,
}

/// One message of a delivery: where it went, and the answer or the error.
#[derive(Debug, Clone, Serialize)]
pub struct Delivered {
    pub id: i64,
    pub kind: String,
    pub user: Option<String>,
    pub recipient: String,
    /// The server's answer, or why it failed.
    pub answer: String,
}

/// The result of `mail test`.
#[derive(Debug, Clone, Serialize)]
pub struct MailTest {
    pub recipient: String,
    /// Where it went (`smtp://127.0.0.1:2525 (plain, loopback)`).
    pub via: String,
    /// The server's answer.
    pub answer: String,
    #[serde(with = "serde_ts")]
    pub at: Timestamp,
}

/// One member reminded (or not, for want of an address).
#[derive(Debug, Clone, Serialize)]
pub struct Reminded {
    pub user: String,
    pub email: Option<String>,
    #[serde(with = "serde_opt")]
    pub deadline: Option<Timestamp>,
    /// Whether a reminder was queued.
    pub queued: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reminders {
    pub org: String,
    pub reminded: Vec<Reminded>,
    /// Mail is off or not configured: nothing was queued.
    pub mail_off: bool,
}

/// A message of a delivery, with the answer or the error.
fn delivered(m: &MailRow, answer: &str) -> Delivered {
    Delivered {
        id: m.id,
        kind: m.kind.clone(),
        user: m.user.clone(),
        recipient: m.recipient.clone(),
        answer: answer.to_string(),
    }
}

/// The audit entry of a send that failed: what, to whom, which attempt, why, and
/// what became of the message.
fn failed_entry(actor: &Actor, now: Timestamp, m: &MailRow, error: &str, then: &str) -> Entry {
    let mut entry = Entry::new(actor, now, "mail.send")
        .outcome(AuditOutcome::Failed)
        .details(format!(
            "{} to {} (#{}), attempt {}: {}; {then}",
            m.kind,
            m.recipient,
            m.id,
            m.attempts + 1,
            names::printable(error)
        ));
    if let Some(u) = &m.user {
        entry = entry.subject(u);
    }
    entry
}

impl<C: Clock> Service<C> {
    /// `--no-mail`: this service queues no notices and sends nothing.
    pub fn set_mail(&mut self, on: bool) {
        self.caller.mail.off = !on;
    }

    /// Whether an operation of this service queued mail: then it is time for
    /// [`Service::deliver_mail`].
    pub fn mail_queued(&self) -> bool {
        self.caller.mail.queued.get() > 0
    }

    /// Sends through `mailer` instead of what the settings describe.
    pub fn set_mailer(&mut self, mailer: Box<dyn Mailer>) {
        self.caller.mail.mailer = Some(mailer);
    }

    /// The mailer in force: the one set, else the settings'.
    fn with_mailer<T>(&self, settings: &Settings, f: impl FnOnce(&dyn Mailer) -> T) -> Result<T, mail::MailError> {
        match &self.caller.mail.mailer {
            Some(m) => Ok(f(m.as_ref())),
            None => {
                let m = mail::transport(&settings.mail)?;
                Ok(f(m.as_ref()))
            }
        }
    }

    /// Sends every queued message, oldest first (call it after an operation that may
    /// have queued one; the binary does, after every command that did). A message
    /// that cannot be sent stays queued with its error; messages whose code expired
    /// are removed. Each send and failure is in the audit log (never a body).
    pub fn deliver_mail(&mut self) -> Result<Delivery> {
        self.deliver_at_most(usize::MAX)
    }

    /// [`Service::deliver_mail`], but at most `max` messages (the rest stay queued,
    /// counted in [`Delivery::queued`]): a command that queued thousands of
    /// invitations need not wait for all of them.
    pub fn deliver_at_most(&mut self, max: usize) -> Result<Delivery> {
        self.deliver(max, false)
    }

    /// [`Service::deliver_at_most`] for the end of a command (a login among them):
    /// the first failed send ends it, so a mail server that is down or silently drops
    /// connections costs the command one timeout, not one per queued message; what
    /// was not tried stays queued for `mail flush`.
    pub fn deliver_after_command(&mut self, max: usize) -> Result<Delivery> {
        self.deliver(max, true)
    }

    /// Messages carrying a code go first (someone may be waiting to log in with it),
    /// then the rest, oldest first within each. One message at a time: claimed, sent,
    /// and its result recorded before the next is claimed, so a kill loses at most the
    /// result of the one in flight (sent again by the next flush), and no claim has
    /// to outlast more than one send.
    fn deliver(&mut self, max: usize, stop_at_failure: bool) -> Result<Delivery> {
        let mut report = Delivery::default();
        if self.caller.mail.off {
            return Ok(report);
        }
        self.caller.mail.queued.set(0);
        let mut handled = 0;
        let mut codes = false;
        let mut first = true;
        let mut settings = None;
        // The transport the settings describe, made once for the whole delivery.
        let mut built: Option<std::result::Result<Box<dyn Mailer>, String>> = None;
        'phases: for code_phase in [true, false] {
            let mut after = 0;
            while handled < max {
                let now = self.clock.now();
                let actor = &self.caller.actor;
                let (claimed, sendable) = {
                    let tx = self.store.write()?;
                    if settings.is_none() {
                        settings = Some(tx.settings()?);
                    }
                    if first {
                        first = false;
                        for m in tx.expire_mail(now)? {
                            let mut e = Entry::new(actor, now, "mail.expire").details(format!(
                                "{} to {} (#{}) expired unsent after {} attempts",
                                m.kind, m.recipient, m.id, m.attempts
                            ));
                            if let Some(u) = &m.user {
                                e = e.subject(u);
                            }
                            tx.append_audit(&e)?;
                            report.expired.push(m);
                        }
                        tx.prune_sent_mail(now.saturating_sub(KEEP_SENT_SECS))?;
                    }
                    let mut claimed = tx.claim_mail(now, now.saturating_add(CLAIM_SECS), after, code_phase)?;
                    let mut sendable = true;
                    if let Some(m) = claimed.as_mut()
                        && let Some(sealed) = m.sealed_body.take()
                    {
                        let key = self.caller.keys.for_tx(&*tx, actor, now)?;
                        match key.open_mail(&m.recipient, &sealed) {
                            Ok(body) => m.body = body,
                            Err(_) => {
                                // Sealed under a key since rotated: its code is void
                                // anyway, and it can never be sent.
                                let why = "its sealed text does not open with this key (rotated since)";
                                tx.drop_mail(m.id)?;
                                tx.append_audit(&failed_entry(actor, now, m, why, "dropped"))?;
                                report.dropped.push(delivered(m, why));
                                sendable = false;
                            }
                        }
                    }
                    tx.commit()?;
                    (claimed, sendable)
                };
                let Some(m) = claimed else {
                    continue 'phases;
                };
                after = m.id;
                if !sendable {
                    continue;
                }
                handled += 1;
                codes |= m.expires_at.is_some();
                let settings = settings.as_ref().expect("read with the first claim");
                let outgoing = Outgoing {
                    to: &m.recipient,
                    to_name: m.user.as_deref(),
                    subject: &m.subject,
                    body: &m.body,
                };
                let result = match &self.caller.mail.mailer {
                    Some(mailer) => mailer.send(&outgoing),
                    None => {
                        match built.get_or_insert_with(|| mail::transport(&settings.mail).map_err(|e| e.to_string())) {
                            Ok(mailer) => mailer.send(&outgoing),
                            Err(e) => Err(MailError::Send(e.clone())),
                        }
                    }
                };
                let failed = result.is_err();
                self.record_send(&m, result, &mut report)?;
                if failed && stop_at_failure {
                    break 'phases;
                }
            }
            break;
        }
        let now = self.clock.now();
        report.queued = self.store.read()?.queued_mail(Some(now))?.len();
        if codes {
            // A code's text was wiped from the queue: no copy stays in the WAL.
            let _ = self.store.checkpoint();
        }
        Ok(report)
    }

    /// Records what became of one message, with its audit entry, in a transaction of
    /// its own: sent (its text wiped), refused for good (dropped), or failed (queued
    /// for the next flush).
    fn record_send(
        &mut self,
        m: &MailRow,
        result: std::result::Result<String, MailError>,
        report: &mut Delivery,
    ) -> Result<()> {
        let now = self.clock.now();
        let actor = &self.caller.actor;
        let tx = self.store.write()?;
        match result {
            Ok(answer) => {
                tx.mail_sent(m.id, now)?;
                let mut entry = Entry::new(actor, now, "mail.send").details(format!(
                    "{} to {} (#{}): {}",
                    m.kind,
                    m.recipient,
                    m.id,
                    names::printable(&answer)
                ));
                if let Some(u) = &m.user {
                    entry = entry.subject(u);
                }
                tx.append_audit(&entry)?;
                report.sent.push(delivered(m, &answer));
            }
            Err(MailError::Rejected(error)) => {
                tx.drop_mail(m.id)?;
                tx.append_audit(&failed_entry(actor, now, m, &error, "refused for good, dropped"))?;
                report.dropped.push(delivered(m, &error));
            }
            Err(e) => {
                let error = e.to_string();
                tx.mail_failed(m.id, now, &error)?;
                tx.append_audit(&failed_entry(actor, now, m, &error, "still queued"))?;
                report.failed.push(delivered(m, &error));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Queued and failed messages, oldest first: never their bodies.
    pub fn mail_queue(&mut self) -> Result<Vec<MailSummary>> {
        let now = self.clock.now();
        Ok(self.store.read()?.queued_mail(Some(now))?)
    }

    /// Sends a test message to `to` now (not through the queue) and returns the
    /// server's answer. For global admins (with step-up) and the operator.
    pub fn mail_test(&mut self, to: &str) -> Result<MailTest> {
        mail::address::validate("email address", to).map_err(mail::MailError::from)?;
        let now = self.clock.now();
        let settings = {
            let tx = self.store.write()?;
            let change = Change::global("mail.test");
            let tx = self.caller.guard(tx, now, &change)?;
            let settings = tx.settings()?;
            tx.commit()?;
            settings
        };
        let subject = "twofa test message";
        let body = format!(
            "This is a test message from twofa, sent at {} by {}.\nMail from twofa reaches this address.\n",
            rfc3339(now),
            self.caller.actor.name
        );
        let outcome = self.with_mailer(&settings, |m| {
            (
                m.describe(),
                m.send(&Outgoing {
                    to,
                    to_name: None,
                    subject,
                    body: &body,
                }),
            )
        });
        let (via, result) = match outcome {
            Ok((via, r)) => (via, r),
            Err(e) => ("(none)".to_string(), Err(e)),
        };
        let tx = self.store.write()?;
        let entry = Entry::new(&self.caller.actor, now, "mail.test");
        match &result {
            Ok(answer) => {
                tx.append_audit(&entry.details(format!("to {to} via {via}: {}", names::printable(answer))))?
            }
            Err(e) => tx.append_audit(
                &entry
                    .outcome(AuditOutcome::Failed)
                    .details(format!("to {to} via {via}: {}", names::printable(&e.to_string()))),
            )?,
        }
        tx.commit()?;
        let answer = result?;
        Ok(MailTest {
            recipient: to.to_string(),
            via,
            answer,
            at: now,
        })
    }

    /// Queues a reminder for every member of `org` who must still enroll (in the
    /// grace period or past it), or only those whose deadline is within `within`
    /// seconds (or past). For admins of the organization; meant for cron.
    pub fn remind(&mut self, org: &str, within: Option<i64>) -> Result<Reminders> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        let row = super::orgs::load_org(&*tx, org)?;
        let change = Change::in_org("org.remind", Need::OrgAdmin, &row);
        let tx = self.caller.guard(tx, now, &change)?;
        let mail_on = self.caller.mail.enabled(&tx.settings()?);
        let mut due = vec![];
        tx.for_each_member(row.id, &mut |m| {
            let s = super::orgs::member_status(&row, m, now);
            let soon = match (within, s.deadline) {
                (Some(w), Some(d)) => d <= now.saturating_add(w),
                (Some(_), None) => false,
                (None, _) => true,
            };
            if matches!(s.compliance, Compliance::Grace | Compliance::Blocked) && soon {
                due.push(s);
            }
            Ok(())
        })?;
        let mut reminded = vec![];
        for m in due {
            let deadline = m.deadline.unwrap_or(now);
            let queued = queue(
                &*tx,
                &self.caller.mail,
                &self.caller.actor,
                &m.user,
                m.email.as_deref(),
                &Notice::Reminder {
                    org: &row.name,
                    deadline,
                },
                now,
            )?;
            reminded.push(Reminded {
                user: m.user,
                email: m.email,
                deadline: m.deadline,
                queued,
            });
        }
        let queued = reminded.iter().filter(|r| r.queued).count();
        tx.append_audit(&change.entry(&self.caller.actor, now).details(format!(
            "{} members must still enroll; {queued} reminders queued",
            reminded.len()
        )))?;
        tx.commit()?;
        Ok(Reminders {
            org: row.name,
            reminded,
            mail_off: !mail_on,
        })
    }
}

/// A code's message: for whom, where, the code, until when, and whether it activates.
pub(super) struct CodeMail<'a> {
    pub user: &'a str,
    pub to: &'a str,
    pub code: &'a str,
    pub expires_at: Timestamp,
    pub activation: bool,
}

impl super::Caller {
    /// Queues a code for the email factor, in the transaction that issued it; the
    /// message leaves the queue, unsent, when the code expires, and its text waits
    /// sealed under the master key (a copy of the database shows no live code).
    /// Whether it was queued (not with mail off or unconfigured: the caller delivers
    /// the code itself).
    pub(super) fn queue_code(
        &self,
        tx: &dyn Transaction,
        key: &super::Unlocked,
        c: &CodeMail<'_>,
        now: Timestamp,
    ) -> Result<bool> {
        let settings = tx.settings()?;
        if !self.mail.enabled(&settings) {
            return Ok(false);
        }
        mail::address::validate("email address", c.to).map_err(|e| Error::Mail(e.into()))?;
        let notice = Notice::Code {
            code: c.code,
            expires_at: c.expires_at,
            ttl_secs: c.expires_at - now,
            activation: c.activation,
        };
        let (subject, body) = notice.compose(c.user, now);
        let body = zeroize::Zeroizing::new(wrap(&body, 72));
        let sealed = key.seal_mail(c.to, body.as_bytes())?;
        tx.queue_mail(&NewMail {
            created_at: now,
            user: Some(c.user),
            recipient: c.to,
            subject: &subject,
            body: "",
            sealed_body: Some(&sealed),
            kind: notice.kind(),
            expires_at: Some(c.expires_at),
        })?;
        self.mail.queued.set(self.mail.queued.get() + 1);
        Ok(true)
    }

    /// The notices a code check causes, queued in its transaction: a lockout it set
    /// off (`refused`), a disable or a regeneration it let through.
    pub(super) fn after_check(
        &self,
        tx: &dyn Transaction,
        purpose: super::Purpose,
        user: &crate::store::UserRow,
        refused: Option<&Error>,
        now: Timestamp,
    ) -> Result<()> {
        let by = self.actor.name.as_str();
        let notice = match (refused, purpose) {
            // Rejected with a lock: this failure set it off (an existing lock refuses
            // with LockedOut before any code is read).
            (
                Some(Error::Rejected {
                    locked_until: Some(until),
                    ..
                }),
                _,
            ) => Notice::LockedOut {
                until: *until,
                step_up: purpose == super::Purpose::StepUp,
            },
            (Some(_), _) => return Ok(()),
            (None, super::Purpose::Disable) => Notice::Disabled { by },
            (None, super::Purpose::Regenerate) => Notice::BackupCodes { by },
            (None, _) => return Ok(()),
        };
        self.notify(tx, &user.name, user.email.as_deref(), &notice, now)?;
        Ok(())
    }

    /// Queues `notice` for `user` in `tx` (see [`queue`]); whether it was.
    pub(super) fn notify(
        &self,
        tx: &dyn Transaction,
        user: &str,
        email: Option<&str>,
        notice: &Notice<'_>,
        now: Timestamp,
    ) -> Result<bool> {
        queue(tx, &self.mail, &self.actor, user, email, notice, now)
    }
}

/// `Error` for an address given on the command line (`user add --email`, `mail test`).
pub(super) fn check_address(addr: &str) -> Result<()> {
    mail::address::validate("email address", addr).map_err(|e| Error::Mail(e.into()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_are_wrapped_at_spaces() {
        assert_eq!(super::wrap("aaa bbb ccc\n\nddd", 7), "aaa bbb\nccc\n\nddd");
        assert_eq!(super::wrap("short", 72), "short");
        let long = "word ".repeat(40);
        assert!(super::wrap(long.trim(), 72).lines().all(|l| l.len() <= 72));
    }
}
