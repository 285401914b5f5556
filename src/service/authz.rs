//! Who may make a privileged change, and step-up: an actor with active 2FA proves
//! it with their own current code, checked in the transaction of the change.

use super::{Outcome, Purpose, attempt};
use crate::actor::Actor;
use crate::audit::Entry;
use crate::clock::Timestamp;
use crate::crypto::MasterKey;
use crate::error::{Error, Result};
use crate::names;
use crate::policy::{self, Need, Powers, Role};
use crate::store::{EnrollmentState, OrgRow, Tx, UserRow};
use crate::timefmt::rfc3339;
use zeroize::Zeroizing;

/// A privileged change: its audit action, what it needs, and what it is about.
pub(super) struct Change<'a> {
    pub action: &'static str,
    pub need: Need,
    pub org: Option<&'a OrgRow>,
    pub subject: Option<&'a str>,
    /// For support: the id of the user being supported.
    supported: Option<i64>,
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

    /// Support on `user` (`admin.reset`, `admin.unlock`): an owner or admin of one
    /// of their organizations, or a global admin.
    pub fn support(action: &'static str, user: &'a UserRow) -> Change<'a> {
        Change {
            need: Need::SupportOf,
            supported: Some(user.id),
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

    /// The command, as typed: `org.require_2fa` → `twofa org require-2fa`.
    fn command(&self) -> String {
        format!("`twofa {}`", self.action.replace('.', " ").replace('_', "-"))
    }

    fn what(&self) -> String {
        let command = self.command();
        match (self.subject, self.org) {
            (Some(u), Some(o)) => format!("run {command} for `{u}` in `{}`", o.name),
            (Some(u), None) => format!("run {command} for `{u}`"),
            (None, Some(o)) => format!("run {command} in `{}`", o.name),
            (None, None) => format!("run {command}"),
        }
    }
}

/// Authorizes `change` for `actor` inside the write transaction `tx`, and hands the
/// transaction back. A refusal is written to the audit log and committed (and so is
/// a wrong step-up code, which counts toward the actor's lockout).
pub(super) fn guard<'c>(
    tx: Tx<'c>,
    actor: &Actor,
    step_up: Option<&Zeroizing<String>>,
    key: Option<&MasterKey>,
    now: Timestamp,
    change: &Change<'_>,
) -> Result<Tx<'c>> {
    names::validate("actor name", &actor.name)?;
    let row = tx.user(&actor.name)?;
    let bootstrap = actor.owns_database && !tx.has_global_admin()?;
    let global_admin = bootstrap || row.as_ref().is_some_and(|r| r.global_admin);
    let role = match (&row, change.need) {
        (None, _) | (_, Need::GlobalAdmin) => None,
        (Some(r), Need::SupportOf) => match change.supported {
            Some(subject) => tx.best_shared_role(r.id, subject)?,
            None => None,
        },
        (Some(r), _) => match change.org {
            Some(org) => tx.membership(org.id, r.id)?.map(|m| m.role),
            None => None,
        },
    };
    let refuse = |tx: Tx<'c>, message: String, hint: Option<String>| -> Result<Tx<'c>> {
        tx.append_audit(&change.entry(actor, now).outcome("denied").details(message.clone()))?;
        tx.commit()?;
        Err(Error::Denied { message, hint })
    };
    if !policy::permits(Powers { global_admin, role }, change.need) {
        let org = change.org.map(|o| o.name.as_str());
        let message = format!(
            "`{}` may not {}: that needs {}",
            actor.name,
            change.what(),
            change.need.describe(org)
        );
        return refuse(tx, message, Some(standing(actor, row.as_ref(), role, change)));
    }
    if change.need == Need::SupportOf && change.subject == Some(actor.name.as_str()) {
        let message = format!(
            "`{}` may not run {} on themselves: that would defeat their second factor",
            actor.name,
            change.command()
        );
        return refuse(tx, message, Some("another admin must do it".into()));
    }
    let Some(row) = row.filter(|_| !change.read_only) else {
        return Ok(tx);
    };
    let Some(enrollment) = tx.enrollment(row.id)?.filter(|e| e.state == EnrollmentState::Active) else {
        return Ok(tx);
    };
    let (Some(code), Some(key)) = (step_up, key) else {
        return Err(Error::StepUpRequired(actor.name.clone()));
    };
    match attempt(&tx, actor, key, &row, &enrollment, code, Purpose::StepUp, now)? {
        Outcome::Accepted(_) => Ok(tx),
        Outcome::Refused(e) => {
            tx.commit()?;
            Err(match e {
                Error::Rejected { locked_until, .. } => Error::Denied {
                    message: match locked_until {
                        Some(t) => format!(
                            "step-up failed: the code of actor `{}` was not accepted; they are locked out until {}",
                            actor.name,
                            rfc3339(t)
                        ),
                        None => format!("step-up failed: the code of actor `{}` was not accepted", actor.name),
                    },
                    hint: Some("pass the actor's own current code with --actor-code (or `--actor-code -`)".into()),
                },
                other => other,
            })
        }
    }
}

/// Says what the actor is, so the refusal explains itself.
fn standing(actor: &Actor, row: Option<&UserRow>, role: Option<Role>, change: &Change<'_>) -> String {
    let who = format!("`{}` (identified by {})", actor.name, actor.via.describe());
    match (row, role, change.org) {
        (None, _, _) => format!("{who} is not a user of this database; a global admin can add them"),
        (Some(_), Some(r), Some(o)) => format!("{who} is {} of `{}`", r.as_str(), o.name),
        (Some(_), None, Some(o)) => format!("{who} is not a member of `{}`", o.name),
        (Some(_), Some(r), None) => format!("{who} is {} in the user's organizations", r.as_str()),
        (Some(_), None, None) => format!("{who} has no role that allows it"),
    }
}
