//! Users, organizations, memberships and the 2FA requirement.

use super::{Change, Notice, Service, State, load};
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::factors::FactorState;
use crate::policy::{self, AccessReason, Compliance, Facts, Need, Role};
use crate::store::{MemberRow, MemberView, OrgRow, Transaction, UserRow};
use crate::text::duration;
use crate::text::names;
use crate::text::timefmt::serde_opt;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct UserInfo {
    pub user: String,
    pub email: Option<String>,
    pub sso: bool,
    pub global_admin: bool,
    pub two_factor: State,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgInfo {
    pub org: String,
    pub require_2fa: bool,
    /// Grace period as typed (`0`, `48h`, `7d`).
    pub grace: String,
    pub members: i64,
    pub owners: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub org: String,
    pub user: String,
    pub role: Role,
}

/// One member as the teammates table shows them.
#[derive(Debug, Clone, Serialize)]
pub struct MemberStatus {
    pub user: String,
    /// Where to send the invitation to enroll.
    pub email: Option<String>,
    pub role: Role,
    pub two_factor: State,
    /// The kinds of the member's active factors (`totp`, `email`).
    pub factors: Vec<crate::factors::FactorKind>,
    pub compliance: Compliance,
    /// Why active 2FA does not make the member compliant (`email_not_accepted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<AccessReason>,
    #[serde(with = "serde_opt")]
    pub deadline: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub last_verified: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub members: u64,
    pub enrolled: u64,
    pub in_grace: u64,
    pub blocked: u64,
    pub exempt: u64,
}

impl Summary {
    fn count(&mut self, m: &MemberStatus) {
        self.members += 1;
        match m.compliance {
            Compliance::Grace => self.in_grace += 1,
            Compliance::Blocked => self.blocked += 1,
            Compliance::Exempt => self.exempt += 1,
            Compliance::Ok => {}
        }
        if m.two_factor == State::Active {
            self.enrolled += 1;
        }
    }
}

/// What follows the teammates table: the organization's policy and the counts.
#[derive(Debug, Clone, Serialize)]
pub struct TeamSummary {
    pub org: String,
    pub require_2fa: bool,
    pub grace: String,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequireReport {
    pub org: String,
    pub require_2fa: bool,
    pub grace: String,
    pub dry_run: bool,
    /// What happened to the deadlines.
    pub deadlines: Deadlines,
    /// Members who must enroll, with their deadlines.
    pub must_enroll: Vec<MemberStatus>,
    pub summary: Summary,
}

/// What `require_2fa` did to the deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadlines {
    /// The requirement is new: every member without 2FA got now + grace.
    Set,
    /// Re-applied with the same grace: nobody's deadline moved.
    Kept,
    /// Everyone who must enroll got now + grace (asked for).
    Reset,
    /// The requirement is off.
    Cleared,
}

impl Deadlines {
    pub fn as_str(self) -> &'static str {
        match self {
            Deadlines::Set => "set",
            Deadlines::Kept => "kept",
            Deadlines::Reset => "reset",
            Deadlines::Cleared => "cleared",
        }
    }
}

/// What adding one name did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Added {
    Added,
    AlreadyMember,
}

/// The report of `add_members`: one line per name.
#[derive(Debug, Clone, Serialize)]
pub struct AddedMembers {
    pub org: String,
    pub role: Role,
    pub members: Vec<AddedMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AddedMember {
    pub user: String,
    pub result: Added,
    /// When they must have enrolled by (organizations that require 2FA).
    #[serde(with = "serde_opt")]
    pub deadline: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessDecision {
    pub user: String,
    pub org: String,
    pub allowed: bool,
    pub reason: AccessReason,
    #[serde(with = "serde_opt")]
    pub deadline: Option<Timestamp>,
}

fn two_factor(state: Option<FactorState>) -> State {
    match state {
        Some(FactorState::Active) => State::Active,
        Some(FactorState::Pending) => State::Pending,
        None => State::None,
    }
}

pub(super) fn member_status(org: &OrgRow, m: MemberView, now: Timestamp) -> MemberStatus {
    let state = two_factor(m.enrollment);
    let counted = m
        .active_kinds
        .iter()
        .any(|&k| policy::counts_as_2fa(k, org.allow_email));
    let facts = Facts {
        required: org.require_2fa,
        sso: m.sso,
        active_2fa: counted,
        deadline: m.deadline,
    };
    let compliance = policy::compliance(&facts, now);
    let not_counted =
        state == State::Active && !counted && matches!(compliance, Compliance::Grace | Compliance::Blocked);
    MemberStatus {
        user: m.user,
        email: m.email,
        role: m.role,
        two_factor: state,
        factors: m.active_kinds,
        reason: not_counted.then_some(AccessReason::EmailNotAccepted),
        compliance,
        deadline: if compliance == Compliance::Grace || compliance == Compliance::Blocked {
            m.deadline
        } else {
            None
        },
        last_verified: m.last_used_at,
    }
}

pub(super) fn load_org(tx: &dyn Transaction, org: &str) -> Result<OrgRow> {
    tx.org(org)?.ok_or_else(|| Error::UnknownOrg(org.to_string()))
}

/// The organization, the user, and their membership, or `NotMember`.
fn load_membership(tx: &dyn Transaction, org: &str, user: &str) -> Result<(OrgRow, UserRow, MemberRow)> {
    let org = load_org(tx, org)?;
    let (row, _) = load(tx, user)?;
    match tx.membership(org.id, row.id)? {
        Some(m) => Ok((org, row, m)),
        None => Err(Error::NotMember {
            user: row.name,
            org: org.name,
        }),
    }
}

impl<C: Clock> Service<C> {
    pub fn add_user(&mut self, name: &str, email: Option<&str>, sso: bool) -> Result<UserInfo> {
        names::validate_user(name)?;
        if let Some(e) = email {
            super::notices::check_address(e)?;
        }
        let now = self.clock.now();
        let tx = self.store.write()?;
        let change = Change::global("user.add").about(name);
        let tx = self.caller.guard(tx, now, &change)?;
        if tx.user(name)?.is_some() {
            return Err(Error::Exists(format!("user `{name}` already exists")));
        }
        let row = tx.insert_user(name, now)?;
        tx.set_user_profile(row.id, email, Some(sso))?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(if sso { "managed by SSO" } else { "added" }),
        )?;
        tx.commit()?;
        Ok(UserInfo {
            user: row.name,
            email: email.map(String::from),
            sso,
            global_admin: false,
            two_factor: State::None,
        })
    }

    pub fn list_users(&mut self) -> Result<Vec<UserInfo>> {
        let tx = self.store.read()?;
        Ok(tx
            .list_users()?
            .into_iter()
            .map(|u| UserInfo {
                two_factor: two_factor(u.enrollment),
                user: u.name,
                email: u.email,
                sso: u.sso,
                global_admin: u.global_admin,
            })
            .collect())
    }

    /// Removes the user and everything of theirs, in one transaction. An owner who is
    /// the last owner of an organization cannot be removed.
    pub fn remove_user(&mut self, name: &str) -> Result<()> {
        names::validate_user(name)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (row, held) = load(&*tx, name)?;
        let orgs = tx.orgs_of(row.id)?;
        let change = Change::global("user.remove").about(&row.name);
        let tx = self.caller.guard(tx, now, &change)?;
        for (org, m) in &orgs {
            if m.role == Role::Owner && tx.count_owners(org.id)? == 1 {
                return Err(Error::LastOwner(org.name.clone()));
            }
        }
        tx.delete_user(row.id)?;
        tx.append_audit(&change.entry(&self.caller.actor, now).details(format!(
            "2FA was {}; member of {} organizations",
            held.state().as_str(),
            orgs.len()
        )))?;
        tx.commit()?;
        Ok(())
    }

    /// Marks a user as managed (or no longer managed) by an identity provider.
    pub fn set_sso(&mut self, name: &str, on: bool) -> Result<UserInfo> {
        names::validate_user(name)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (row, held) = load(&*tx, name)?;
        let two_factor = held.state();
        let change = Change::global("user.sso").about(&row.name);
        let tx = self.caller.guard(tx, now, &change)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(if on { "on" } else { "off" }),
        )?;
        tx.set_user_profile(row.id, None, Some(on))?;
        if !on && row.sso && two_factor != State::Active {
            // No longer exempt: they get the grace period from now, not a past deadline.
            tx.restart_deadlines(row.id, now)?;
        }
        let info = UserInfo {
            two_factor,
            user: row.name,
            email: row.email,
            sso: on,
            global_admin: row.global_admin,
        };
        tx.commit()?;
        Ok(info)
    }

    /// Sets (or with `None` clears) the address notices go to.
    pub fn set_email(&mut self, name: &str, email: Option<&str>) -> Result<UserInfo> {
        names::validate_user(name)?;
        if let Some(e) = email {
            super::notices::check_address(e)?;
        }
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (row, enrollment) = load(&*tx, name)?;
        let change = Change::global("user.email").about(&row.name);
        let tx = self.caller.guard(tx, now, &change)?;
        let changed = row.email.as_deref() != email;
        if changed && enrollment.0.iter().any(|f| f.kind == crate::factors::FactorKind::Email) {
            // The factor was proven for the address on record: codes must not start
            // going elsewhere unproven.
            return Err(Error::Unless {
                kind: crate::error::Kind::Conflict,
                message: format!(
                    "`{}` receives codes by email at the address on record, which their first code proved; a new address must be proven the same way",
                    row.name
                ),
                remedy: crate::error::Remedy::Advice("reset their 2FA first, then enroll the new address".into()),
            });
        }
        if changed && let Some(old) = row.email.as_deref() {
            let notice = Notice::AddressChanged {
                by: &self.caller.actor.name,
                removed: email.is_none(),
            };
            self.caller.notify(&*tx, &row.name, Some(old), &notice, now)?;
        }
        tx.set_user_email(row.id, email)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(match (&row.email, email) {
                    (Some(old), Some(new)) => format!("{old} → {new}"),
                    (None, Some(new)) => format!("set to {new}"),
                    (Some(old), None) => format!("{old} removed"),
                    (None, None) => "none (unchanged)".into(),
                }),
        )?;
        tx.commit()?;
        Ok(UserInfo {
            user: row.name,
            email: email.map(String::from),
            sso: row.sso,
            global_admin: row.global_admin,
            two_factor: enrollment.state(),
        })
    }

    pub fn set_global_admin(&mut self, name: &str, on: bool) -> Result<UserInfo> {
        names::validate_user(name)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (row, held) = load(&*tx, name)?;
        let change = Change::global("user.admin").about(&row.name);
        let tx = self.caller.guard(tx, now, &change)?;
        tx.set_global_admin(row.id, on)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(if on { "granted" } else { "revoked" }),
        )?;
        tx.commit()?;
        Ok(UserInfo {
            user: row.name,
            email: row.email,
            sso: row.sso,
            global_admin: on,
            two_factor: held.state(),
        })
    }

    pub fn create_org(&mut self, name: &str, owner: Option<&str>) -> Result<OrgInfo> {
        names::validate("organization name", name)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        // The first owner: the one named, else the actor when they are a user.
        let owner = match owner {
            Some(owner) => {
                names::validate_user(owner)?;
                Some(load(&*tx, owner)?.0)
            }
            None => tx.user(&self.caller.actor.name)?,
        };
        let mut change = Change::global("org.create");
        change.subject = owner.as_ref().map(|o| o.name.as_str());
        let tx = self.caller.guard(tx, now, &change)?;
        if tx.org(name)?.is_some() {
            return Err(Error::Exists(format!("organization `{name}` already exists")));
        }
        // An organization always has an owner, from its first moment.
        let Some(owner) = owner.as_ref() else {
            return Err(Error::Unless {
                kind: crate::error::Kind::InvalidInput,
                message: format!(
                    "organization `{name}` needs an owner: `{}` is not a user of this database",
                    self.caller.actor.name
                ),
                remedy: crate::error::Remedy::NameOwner,
            });
        };
        let org = tx.insert_org(name, now)?;
        tx.add_member(org.id, owner.id, Role::Owner, now, None, &self.caller.actor.name)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .org(&org.name)
                .details(format!("owner {}", owner.name)),
        )?;
        tx.commit()?;
        Ok(OrgInfo {
            org: org.name,
            require_2fa: false,
            grace: "0".into(),
            members: 1,
            owners: vec![owner.name.clone()],
        })
    }

    pub fn delete_org(&mut self, name: &str) -> Result<()> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        let org = load_org(&*tx, name)?;
        let change = Change::in_org("org.delete", Need::OrgOwner, &org);
        let tx = self.caller.guard(tx, now, &change)?;
        tx.delete_org(org.id)?;
        tx.append_audit(&change.entry(&self.caller.actor, now))?;
        tx.commit()?;
        Ok(())
    }

    pub fn list_orgs(&mut self) -> Result<Vec<OrgInfo>> {
        let tx = self.store.read()?;
        Ok(tx
            .list_orgs()?
            .into_iter()
            .map(|o| OrgInfo {
                org: o.name,
                require_2fa: o.require_2fa,
                grace: duration::format(o.grace_secs),
                members: o.members,
                owners: o.owners,
            })
            .collect())
    }

    /// Adds a member. If the organization requires 2FA and they have none, their
    /// deadline is now + the organization's grace period.
    pub fn add_member(&mut self, org: &str, user: &str, role: Role) -> Result<Membership> {
        let added = self.add_members(org, &[user.to_string()], role)?;
        if added.members[0].result == Added::AlreadyMember {
            return Err(Error::Exists(format!("`{user}` is already a member of `{org}`")));
        }
        Ok(Membership {
            org: added.org,
            user: added.members[0].user.clone(),
            role,
        })
    }

    /// Adds several members in one transaction (one authorization, one step-up): all
    /// of them, or, when any name is not a user, none. Those already members are
    /// left as they are and reported so.
    pub fn add_members(&mut self, org: &str, users: &[String], role: Role) -> Result<AddedMembers> {
        if users.is_empty() {
            return Err(Error::InvalidInput("no user names given".into()));
        }
        for u in users {
            names::validate_user(u)?;
        }
        let now = self.clock.now();
        let tx = self.store.write()?;
        let org = load_org(&*tx, org)?;
        let need = if role >= Role::Admin {
            Need::OrgOwner
        } else {
            Need::OrgAdmin
        };
        let mut change = Change::in_org("org.add", need, &org);
        if let [one] = users {
            change = change.about(one);
        }
        let tx = self.caller.guard(tx, now, &change)?;
        let mut rows = vec![];
        let mut unknown = vec![];
        for u in users {
            match tx.user(u)? {
                Some(row) => rows.push(row),
                None => unknown.push(u.as_str()),
            }
        }
        match unknown.as_slice() {
            [] => {}
            [one] => return Err(Error::UnknownUser(one.to_string())),
            many => {
                return Err(Error::NotFound(format!(
                    "{} names are not users: {}; nobody was added",
                    many.len(),
                    many.join(", ")
                )));
            }
        }
        let mut members = vec![];
        for row in rows {
            if members.iter().any(|m: &AddedMember| m.user == row.name) {
                continue;
            }
            if tx.membership(org.id, row.id)?.is_some() {
                members.push(AddedMember {
                    user: row.name,
                    result: Added::AlreadyMember,
                    deadline: None,
                });
                continue;
            }
            let active = super::load_held(&*tx, row.id)?
                .active_kinds()
                .into_iter()
                .any(|k| policy::counts_as_2fa(k, org.allow_email));
            let deadline = (org.require_2fa && !row.sso && !active).then(|| now.saturating_add(org.grace_secs));
            tx.add_member(org.id, row.id, role, now, deadline, &self.caller.actor.name)?;
            let mut details = format!("as {}", role.as_str());
            if let Some(d) = deadline {
                details.push_str(&format!("; must enroll by {}", crate::text::timefmt::rfc3339(d)));
            }
            tx.append_audit(
                &change
                    .entry(&self.caller.actor, now)
                    .subject(&row.name)
                    .details(details),
            )?;
            if let Some(deadline) = deadline {
                let invitation = Notice::Invitation {
                    org: &org.name,
                    deadline,
                    joined: true,
                };
                self.caller
                    .notify(&*tx, &row.name, row.email.as_deref(), &invitation, now)?;
            }
            members.push(AddedMember {
                user: row.name,
                result: Added::Added,
                deadline,
            });
        }
        tx.commit()?;
        Ok(AddedMembers {
            org: org.name,
            role,
            members,
        })
    }

    pub fn remove_member(&mut self, org: &str, user: &str) -> Result<Membership> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (org, row, m) = load_membership(&*tx, org, user)?;
        // Admins manage members; admins and owners are an owner's business (else an
        // admin could demote another admin and then reset them).
        let need = if m.role >= Role::Admin {
            Need::OrgOwner
        } else {
            Need::OrgAdmin
        };
        let change = Change::in_org("org.remove", need, &org).about(&row.name);
        let tx = self.caller.guard(tx, now, &change)?;
        if m.role == Role::Owner && tx.count_owners(org.id)? == 1 {
            return Err(Error::LastOwner(org.name.clone()));
        }
        tx.remove_member(org.id, row.id)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(format!("was {}", m.role.as_str())),
        )?;
        tx.commit()?;
        Ok(Membership {
            org: org.name,
            user: row.name,
            role: m.role,
        })
    }

    pub fn set_role(&mut self, org: &str, user: &str, role: Role) -> Result<Membership> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (org, row, m) = load_membership(&*tx, org, user)?;
        // Making or unmaking an admin or an owner is an owner's business.
        let need = if m.role >= Role::Admin || role >= Role::Admin {
            Need::OrgOwner
        } else {
            Need::OrgAdmin
        };
        let change = Change::in_org("org.role", need, &org).about(&row.name);
        let tx = self.caller.guard(tx, now, &change)?;
        if m.role == Role::Owner && role != Role::Owner && tx.count_owners(org.id)? == 1 {
            return Err(Error::LastOwner(org.name.clone()));
        }
        tx.set_role(org.id, row.id, role)?;
        tx.append_audit(&change.entry(&self.caller.actor, now).details(format!(
            "{} → {}",
            m.role.as_str(),
            role.as_str()
        )))?;
        tx.commit()?;
        Ok(Membership {
            org: org.name,
            user: row.name,
            role,
        })
    }

    /// Turns the 2FA requirement on or off. With `dry_run` the same work is done and
    /// then rolled back, so the report is exactly what would happen.
    ///
    /// Re-applying "on" (a configuration job run again) keeps every deadline: it must
    /// not extend anyone's grace. Changing the grace of a requirement in force, or
    /// giving everyone a fresh deadline, is explicit (`reset_deadlines`). `grace_secs`
    /// `None` keeps the grace in force (0 for a new requirement).
    pub fn require_2fa(
        &mut self,
        org: &str,
        on: bool,
        grace_secs: Option<i64>,
        reset_deadlines: bool,
        dry_run: bool,
        allow_email: Option<bool>,
    ) -> Result<RequireReport> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        let row = load_org(&*tx, org)?;
        // A dry run changes nothing, but shows who would be blocked: the same people
        // may ask for it as may do it (without step-up, as nothing is changed).
        let mut change = Change::in_org("org.require_2fa", Need::OrgAdmin, &row);
        change.read_only = dry_run;
        let tx = self.caller.guard(tx, now, &change)?;
        let already = row.require_2fa;
        let grace_secs = grace_secs.unwrap_or(if already { row.grace_secs } else { 0 });
        // Not said: as it is (off for a new requirement).
        let allow_email = allow_email.unwrap_or(row.allow_email);
        if on && already && grace_secs != row.grace_secs && !reset_deadlines {
            return Err(Error::Unless {
                kind: crate::error::Kind::Conflict,
                message: format!(
                    "`{}` already requires 2FA with a grace of {}; changing it to {} moves deadlines",
                    row.name,
                    duration::format(row.grace_secs),
                    duration::format(grace_secs)
                ),
                remedy: crate::error::Remedy::ResetDeadlines,
            });
        }
        let deadlines = match (on, already, reset_deadlines) {
            (false, _, _) => Deadlines::Cleared,
            (true, false, _) => Deadlines::Set,
            (true, true, false) => Deadlines::Kept,
            (true, true, true) => Deadlines::Reset,
        };
        tx.set_require_2fa(row.id, on, grace_secs, allow_email, now, reset_deadlines || !already)?;
        let org = OrgRow {
            require_2fa: on,
            grace_secs,
            allow_email,
            ..row.clone()
        };
        let mut report = RequireReport {
            org: org.name.clone(),
            require_2fa: on,
            grace: duration::format(grace_secs),
            dry_run,
            deadlines,
            must_enroll: vec![],
            summary: Summary::default(),
        };
        tx.for_each_member(org.id, &mut |m| {
            let s = member_status(&org, m, now);
            report.summary.count(&s);
            if matches!(s.compliance, Compliance::Grace | Compliance::Blocked) {
                report.must_enroll.push(s);
            }
            Ok(())
        })?;
        if !dry_run {
            // Invitations when deadlines were set or reset (re-applying sends none).
            if matches!(deadlines, Deadlines::Set | Deadlines::Reset) {
                for m in &report.must_enroll {
                    if let Some(deadline) = m.deadline {
                        let invitation = Notice::Invitation {
                            org: &org.name,
                            deadline,
                            joined: false,
                        };
                        self.caller
                            .notify(&*tx, &m.user, m.email.as_deref(), &invitation, now)?;
                    }
                }
            }
            let state = if on {
                let email = if allow_email { ", email codes count" } else { "" };
                format!("on, grace {}{email}, deadlines {}", report.grace, deadlines.as_str())
            } else {
                "off".into()
            };
            tx.append_audit(
                &change
                    .entry(&self.caller.actor, now)
                    .details(format!("{state}; {} members must enroll", report.must_enroll.len())),
            )?;
            tx.commit()?;
        }
        Ok(report)
    }

    /// The teammates table, streamed to `each` (one query); returns the summary.
    pub fn org_status(
        &mut self,
        org: &str,
        only_non_compliant: bool,
        mut each: impl FnMut(&MemberStatus) -> std::io::Result<()>,
    ) -> Result<TeamSummary> {
        let now = self.clock.now();
        let tx = self.store.read()?;
        let org = load_org(&*tx, org)?;
        let mut summary = Summary::default();
        let mut io_error = None;
        tx.for_each_member(org.id, &mut |m| {
            let s = member_status(&org, m, now);
            summary.count(&s);
            let show = !only_non_compliant || matches!(s.compliance, Compliance::Grace | Compliance::Blocked);
            if show && io_error.is_none() {
                io_error = each(&s).err();
            }
            Ok(())
        })?;
        if let Some(e) = io_error {
            return Err(Error::Io(e));
        }
        Ok(TeamSummary {
            org: org.name,
            require_2fa: org.require_2fa,
            grace: duration::format(org.grace_secs),
            summary,
        })
    }

    /// May `user` enter `org` (or each of their organizations)?
    pub fn access(&mut self, user: &str, org: Option<&str>) -> Result<Vec<AccessDecision>> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.read()?;
        let (row, held) = load(&*tx, user)?;
        let kinds = held.active_kinds();
        let decide = |org: &OrgRow, deadline: Option<Timestamp>| {
            let active = kinds.iter().any(|&k| policy::counts_as_2fa(k, org.allow_email));
            let facts = Facts {
                required: org.require_2fa,
                sso: row.sso,
                active_2fa: active,
                deadline,
            };
            let c = policy::compliance(&facts, now);
            let reason = match c {
                Compliance::Exempt => AccessReason::SsoExempt,
                Compliance::Ok if active => AccessReason::TwoFactorActive,
                Compliance::Ok => AccessReason::NotRequired,
                Compliance::Grace | Compliance::Blocked if !kinds.is_empty() => AccessReason::EmailNotAccepted,
                Compliance::Grace => AccessReason::GracePeriod,
                Compliance::Blocked => AccessReason::EnrollmentRequired,
            };
            AccessDecision {
                user: row.name.clone(),
                org: org.name.clone(),
                allowed: c.allows_entry(),
                reason,
                deadline: if matches!(c, Compliance::Grace | Compliance::Blocked) {
                    deadline
                } else {
                    None
                },
            }
        };
        match org {
            Some(name) => {
                let org = load_org(&*tx, name)?;
                Ok(vec![match tx.membership(org.id, row.id)? {
                    Some(m) => decide(&org, m.deadline),
                    None => AccessDecision {
                        user: row.name.clone(),
                        org: org.name,
                        allowed: false,
                        reason: AccessReason::NotAMember,
                        deadline: None,
                    },
                }])
            }
            None => Ok(tx
                .orgs_of(row.id)?
                .iter()
                .map(|(org, m)| decide(org, m.deadline))
                .collect()),
        }
    }

    /// Members may not switch 2FA off while an organization of theirs requires it
    /// (SSO-managed users are exempt from the requirement, so they may).
    /// Factors that do not count there (email codes where the organization does not
    /// accept them) may go: removing them cannot break the requirement, and it lets
    /// the member enroll one that counts.
    pub(super) fn check_may_disable(tx: &dyn Transaction, user: &UserRow) -> Result<()> {
        if user.sso {
            return Ok(());
        }
        let kinds = super::load_held(tx, user.id)?.active_kinds();
        let needed = |o: &OrgRow| o.require_2fa && kinds.iter().any(|&k| policy::counts_as_2fa(k, o.allow_email));
        match tx.orgs_of(user.id)?.into_iter().find(|(o, _)| needed(o)) {
            None => Ok(()),
            Some((org, _)) => Err(Error::Denied {
                message: format!(
                    "`{}` cannot switch 2FA off: organization `{}` requires it",
                    user.name, org.name
                ),
                hint: Some(crate::error::Remedy::Advice(format!(
                    "an owner or admin of `{}` can reset it after verifying who is asking",
                    org.name
                ))),
            }),
        }
    }
}
