//! Who may make a privileged change, and step-up: a person holding a privileged role
//! must have active 2FA and prove it with their own current code, checked in the
//! transaction of the change. The operator (root, or the database's owner acting
//! directly) may do everything. A user's own factor is theirs and the operator's.

use super::keys::Keyring;
use super::{Check, Held, Outcome, Purpose, State, one_factor_only};
use crate::actor::Actor;
use crate::audit::Entry;
use crate::clock::Timestamp;
use crate::error::{Error, Remedy, Result};
use crate::factors::FactorKind;
use crate::policy::{self, Need, Powers, Role, SupportStanding};
use crate::settings::Settings;
use crate::store::{OrgRow, Transaction, UserRow};
use crate::text::timefmt::rfc3339;
use zeroize::Zeroizing;

/// A privileged change: its audit action, what it needs, and what it is about.
pub(super) struct Change<'a> {
    pub action: &'static str,
    pub need: Need,
    pub org: Option<&'a OrgRow>,
    pub subject: Option<&'a str>,
    /// For support: the user being supported.
    supported: Option<&'a UserRow>,
    /// Changes nothing (a dry run): roles are checked, step-up is not asked for.
    pub read_only: bool,
}

impl<'a> Change<'a> {
    pub fn global(action: &'static str) -> Change<'a> {
        Change {
            action,
            need: Need::GlobalAdmin,
            org: None,
            subject: None,
            supported: None,
            read_only: false,
        }
    }

    pub fn in_org(action: &'static str, need: Need, org: &'a OrgRow) -> Change<'a> {
        Change {
            action,
            need,
            org: Some(org),
            subject: None,
            supported: None,
            read_only: false,
        }
    }

    /// Support on `user` (`admin.reset`, `admin.unlock`): see [`policy::support`].
    pub fn support(action: &'static str, user: &'a UserRow) -> Change<'a> {
        Change {
            need: Need::SupportOf,
            supported: Some(user),
            ..Change::global(action)
        }
        .about(&user.name)
    }

    pub fn about(mut self, user: &'a str) -> Change<'a> {
        self.subject = Some(user);
        self
    }

    /// The audit entry for this change, to which the caller adds details.
    pub fn entry(&self, actor: &Actor, now: Timestamp) -> Entry {
        let mut e = Entry::new(actor, now, self.action);
        if let Some(u) = self.subject {
            e = e.subject(u);
        }
        if let Some(o) = self.org {
            e = e.org(&o.name);
        }
        e
    }

    fn what(&self) -> String {
        let action = self.action;
        match (self.subject, self.org) {
            (Some(u), Some(o)) => format!("do `{action}` for `{u}` in `{}`", o.name),
            (Some(u), None) => format!("do `{action}` for `{u}`"),
            (None, Some(o)) => format!("do `{action}` in `{}`", o.name),
            (None, None) => format!("do `{action}`"),
        }
    }
}

/// Who is calling, with what they brought to prove it, and the key to check it with.
pub(super) struct Caller {
    pub actor: Actor,
    /// The actor's own code, for step-up before a privileged change.
    pub step_up: Option<Zeroizing<String>>,
    /// That code hashed with the actor's backup-code salt, when it is a backup code.
    pub step_up_pre: Option<super::Prehashed>,
    pub keys: Keyring,
    /// Whether notices are queued and sent, and through what.
    pub mail: super::notices::MailState,
}

impl Caller {
    /// Writes a refusal to the audit log, commits it, and returns the error.
    pub(super) fn refuse<T>(
        &self,
        tx: Box<dyn Transaction + '_>,
        entry: Entry,
        message: String,
        hint: Option<Remedy>,
    ) -> Result<T> {
        tx.append_audit(&entry.outcome(crate::audit::Outcome::Denied).details(message.clone()))?;
        tx.commit()?;
        Err(Error::Denied { message, hint })
    }

    /// A user's second factor is theirs: starting, showing, activating, checking and
    /// removing it is for the user themselves and the operator, nobody else (a staff
    /// member behind sudo cannot test codes against someone or lock them out).
    /// A refusal is logged and committed.
    pub fn own_factor<'c>(
        &self,
        tx: Box<dyn Transaction + 'c>,
        user: &str,
        action: &'static str,
        now: Timestamp,
    ) -> Result<Box<dyn Transaction + 'c>> {
        if self.actor.is_operator() || self.actor.is(user) {
            return Ok(tx);
        }
        let message = format!(
            "{} may not do `{action}` for `{user}`: a user's second factor is their own; only `{user}` or the operator may",
            self.actor.describe(),
        );
        let entry = Entry::new(&self.actor, now, action).subject(user);
        self.refuse(tx, entry, message, None)
    }

    /// Authorizes `change` inside the write transaction `tx`, and hands the
    /// transaction back. A refusal is written to the audit log and committed (and so is
    /// a wrong step-up code, which counts toward the actor's step-up lockout).
    pub fn guard<'c>(
        &mut self,
        tx: Box<dyn Transaction + 'c>,
        now: Timestamp,
        change: &Change<'_>,
    ) -> Result<Box<dyn Transaction + 'c>> {
        let actor = &self.actor;
        if actor.is_operator() {
            return Ok(tx);
        }
        let row = tx.user(&actor.name)?;
        let global_admin = row.as_ref().is_some_and(|r| r.global_admin);
        let refusal = match (&row, change.need) {
            (None, _) => Some(format!(
                "{} is not a user of this database; a global admin can add them",
                actor.describe()
            )),
            (Some(r), Need::SupportOf) => match change.supported {
                Some(subject) => self.support_refusal(&*tx, r, subject)?,
                None => Some("nobody to support".into()),
            },
            (Some(r), need) => {
                let role = match change.org {
                    Some(org) => tx.membership(org.id, r.id)?.map(|m| m.role),
                    None => None,
                };
                (!policy::permits(Powers { global_admin, role }, need)).then(|| standing(actor, role, change))
            }
        };
        if let Some(why) = refusal {
            let org = change.org.map(|o| o.name.as_str());
            let message = format!(
                "`{}` may not {}: that needs {}",
                actor.name,
                change.what(),
                change.need.describe(org)
            );
            return self.refuse(tx, change.entry(actor, now), message, Some(Remedy::Advice(why)));
        }
        if change.need == Need::SupportOf && change.subject == Some(actor.name.as_str()) {
            let message = format!(
                "`{}` may not do `{}` to themselves: that would defeat their second factor",
                actor.name, change.action
            );
            return self.refuse(
                tx,
                change.entry(actor, now),
                message,
                Some(Remedy::Advice("another admin must do it".into())),
            );
        }
        if change.read_only {
            return Ok(tx);
        }
        let row = row.expect("only users are permitted");
        let held = super::load_held(&*tx, row.id)?;
        // Email codes, a fallback, prove nobody for a privileged change unless the
        // organization it is in counts them.
        let email_ok = change.org.is_some_and(|o| o.allow_email);
        if !held.active_kinds().iter().any(|&k| policy::counts_as_2fa(k, email_ok)) {
            let message = if held.state() == super::State::Active {
                format!(
                    "`{}` holds a privileged role but proves it only with email codes, which do not count for privileged changes here; they need an authenticator app",
                    actor.name
                )
            } else {
                format!(
                    "`{}` holds a privileged role but has no active two-factor authentication; privileged changes need it",
                    actor.name
                )
            };
            let hint = Remedy::EnrollFirst {
                user: actor.name.clone(),
            };
            return self.refuse(tx, change.entry(actor, now), message, Some(hint));
        }
        let Some(code) = self.step_up.as_ref() else {
            return Err(Error::StepUpRequired(actor.name.clone()));
        };
        let key = self.keys.for_tx(&*tx, actor, now)?;
        let check = Check {
            tx: &*tx,
            actor,
            key: &key,
            user: &row,
            held: &held,
            purpose: Purpose::StepUp,
            now,
            pre: self.step_up_pre.as_ref(),
            email_ok,
        };
        match check.run(code)? {
            Outcome::Accepted(_) => Ok(tx),
            Outcome::Refused(e) => {
                self.after_check(&*tx, Purpose::StepUp, &row, Some(&e), now)?;
                tx.commit()?;
                Err(match e {
                    Error::Rejected { locked_until, .. } => Error::Denied {
                        message: match locked_until {
                            Some(t) => format!(
                                "step-up failed: the code of actor `{}` was not accepted; their step-up is locked until {}",
                                actor.name,
                                rfc3339(t)
                            ),
                            None => format!("step-up failed: the code of actor `{}` was not accepted", actor.name),
                        },
                        hint: Some(Remedy::StepUpCode),
                    },
                    other => other,
                })
            }
        }
    }

    /// Why the actor may not support `subject`, if they may not.
    fn support_refusal(&self, tx: &dyn Transaction, actor: &UserRow, subject: &UserRow) -> Result<Option<String>> {
        let mut standing = Vec::new();
        for (org, m) in tx.orgs_of(subject.id)? {
            let mine = tx.membership(org.id, actor.id)?.map(|m| m.role);
            standing.push(SupportStanding {
                org: org.name,
                subject_role: m.role,
                actor_role: mine,
                added_by_actor: m.added_by.as_deref() == Some(actor.name.as_str()),
            });
        }
        Ok(policy::support(actor.global_admin, subject.global_admin, &standing)
            .err()
            .map(|why| format!("{} {why}", self.actor.describe())))
    }
}

/// Says what the actor is, so the refusal explains itself.
fn standing(actor: &Actor, role: Option<Role>, change: &Change<'_>) -> String {
    let who = actor.describe();
    match (role, change.org) {
        (Some(r), Some(o)) => format!("{who} is {} of `{}`", r.as_str(), o.name),
        (None, Some(o)) => format!("{who} is not a member of `{}`", o.name),
        (_, None) => format!("{who} has no role that allows it"),
    }
}

impl Caller {
    /// Before a factor of `kind` is enrolled for someone who holds others: while each
    /// user holds one factor, an active one of another kind refuses it and a pending
    /// one is cancelled (enrolling is then switching); where several are allowed, the
    /// person proves one they hold first (the operator excepted), so that whoever has
    /// a session and a mailbox but not the phone cannot add a factor of their own.
    pub(super) fn another_factor<'c>(
        &mut self,
        tx: Box<dyn Transaction + 'c>,
        row: &UserRow,
        held: &Held,
        kind: FactorKind,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<Box<dyn Transaction + 'c>> {
        if !settings.allow_multiple_factors {
            if held.state() == State::Active {
                return Err(one_factor_only(&row.name, held));
            }
            for f in held.0.iter().filter(|f| f.kind.is_primary() && f.kind != kind) {
                tx.delete_factor(f.id)?;
                tx.append_audit(
                    &Entry::new(&self.actor, now, "disable")
                        .subject(&row.name)
                        .details(format!(
                            "pending {} enrollment cancelled by enrolling {}",
                            f.kind.as_str(),
                            kind.as_str()
                        )),
                )?;
            }
            return Ok(tx);
        }
        if held.state() != State::Active || self.actor.is_operator() {
            return Ok(tx);
        }
        let Some(code) = self.step_up.as_ref() else {
            return Err(Error::StepUpRequired(row.name.clone()));
        };
        let key = self.keys.for_tx(&*tx, &self.actor, now)?;
        let outcome = Check {
            tx: &*tx,
            actor: &self.actor,
            key: &key,
            user: row,
            held,
            purpose: Purpose::StepUp,
            now,
            pre: self.step_up_pre.as_ref(),
            email_ok: true,
        }
        .run(code)?;
        match outcome {
            Outcome::Accepted(_) => Ok(tx),
            Outcome::Refused(e) => {
                tx.commit()?;
                Err(e)
            }
        }
    }
}
