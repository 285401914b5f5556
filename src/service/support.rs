//! The support desk (reset, unlock), the audit log and the login history.

use super::{Change, Held, Notice, Service, State, load};
use crate::audit::Outcome as AuditOutcome;
use crate::audit::{self, Record, Walker};
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::store::{AuditFilter, Transaction, UserRow};
use crate::text::names;
use crate::text::timefmt::{rfc3339, serde_opt, serde_ts};
use serde::Serialize;

/// What a reset would remove: shown before asking for confirmation.
#[derive(Debug, Clone, Serialize)]
pub struct ResetPreview {
    pub user: String,
    pub two_factor: State,
    #[serde(with = "serde_opt")]
    pub enrolled_at: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub activated_at: Option<Timestamp>,
    pub backup_codes_remaining: u32,
    #[serde(with = "serde_opt")]
    pub locked_until: Option<Timestamp>,
    /// Organizations the user belongs to; those requiring 2FA give a new deadline.
    pub orgs: Vec<String>,
}

/// What the support desk did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportAction {
    Reset,
    Unlock,
}

impl SupportAction {
    /// Its audit action.
    fn audit_action(self) -> &'static str {
        match self {
            SupportAction::Reset => "admin.reset",
            SupportAction::Unlock => "admin.unlock",
        }
    }
}

/// The result of `admin reset` or `admin unlock`.
#[derive(Debug, Clone, Serialize)]
pub struct Supported {
    pub user: String,
    pub action: SupportAction,
    pub reason: String,
    pub ticket: Option<String>,
    #[serde(with = "serde_ts")]
    pub at: Timestamp,
    /// The 2FA state now.
    pub two_factor: State,
    /// New deadlines to enroll by, in organizations that require 2FA (reset only).
    pub deadlines: Vec<Deadline>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub org: String,
    #[serde(with = "serde_ts")]
    pub deadline: Timestamp,
}

/// The outcome of walking the audit chain.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub ok: bool,
    pub entries: u64,
    /// Entries removed by `audit prune` (before the anchor).
    pub pruned_before: Option<i64>,
    pub broken: Option<audit::Break>,
    /// The hash of the newest good entry: record it elsewhere to catch the removal of
    /// the newest entries, which no chain can show by itself.
    pub head: String,
    /// Every prune ever made (a later prune never removes the record of an earlier one).
    pub prunes: Vec<crate::store::PruneRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pruned {
    pub removed: u64,
    /// Login-history entries (code checks) removed with them.
    pub history_removed: u64,
    #[serde(with = "serde_ts")]
    pub before: Timestamp,
}

/// One code check of the user, for `status --history`.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    #[serde(with = "serde_ts")]
    pub time: Timestamp,
    /// verify, activate, regenerate, disable, step_up
    pub purpose: crate::factors::Purpose,
    /// totp, backup; null when refused before the code was read (locked out)
    pub method: Option<crate::factors::FactorKind>,
    /// accepted, wrong, reused, locked
    pub outcome: AuditOutcome,
    /// The seed pages' "2fa_verified".
    pub two_factor_verified: bool,
    /// Time steps between the code and the server clock (TOTP, accepted only).
    pub drift: Option<i64>,
}

fn check_reason(reason: &str, ticket: Option<&str>) -> Result<()> {
    names::validate_text("reason", reason)?;
    if let Some(t) = ticket {
        names::validate_text("ticket", t)?;
    }
    Ok(())
}

impl<C: Clock> Service<C> {
    /// What a reset of `user` would remove, for the confirmation prompt. Only for an
    /// actor who may reset them: roles are checked first (step-up comes with the reset).
    pub fn reset_preview(&mut self, user: &str) -> Result<ResetPreview> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (row, held) = load(&*tx, user)?;
        let mut change = Change::support("admin.reset", &row);
        change.read_only = true;
        // Nothing is written on success; the transaction ends without a commit.
        let tx = self.caller.guard(tx, now, &change)?;
        Ok(ResetPreview {
            two_factor: held.state(),
            enrolled_at: held.primary().map(|f| f.enrolled_at),
            activated_at: held.primary().and_then(|f| f.activated_at),
            backup_codes_remaining: tx.backup_count(row.id)?,
            locked_until: row.lock.locked(now),
            orgs: tx.orgs_of(row.id)?.into_iter().map(|(o, _)| o.name).collect(),
            user: row.name,
        })
    }

    /// Removes the user's secret, pending enrollment, backup codes and lockout, in one
    /// transaction; organizations that require 2FA give them a new deadline from now.
    pub fn admin_reset(&mut self, user: &str, reason: &str, ticket: Option<&str>) -> Result<Supported> {
        let done = self.reset(user, reason, ticket)?;
        // The removed secret and hashes must not linger in the WAL (best effort).
        let _ = self.store.checkpoint();
        Ok(done)
    }

    fn reset(&mut self, user: &str, reason: &str, ticket: Option<&str>) -> Result<Supported> {
        self.support(SupportAction::Reset, user, reason, ticket, |tx, row, held, now| {
            let backup_left = tx.backup_count(row.id)?;
            tx.delete_factors(row.id)?;
            tx.clear_lock(row.id)?;
            if !row.sso {
                tx.restart_deadlines(row.id, now)?;
            }
            let deadlines: Vec<Deadline> = tx
                .orgs_of(row.id)?
                .into_iter()
                .filter_map(|(o, m)| {
                    Some(Deadline {
                        org: o.name,
                        deadline: m.deadline.filter(|_| o.require_2fa)?,
                    })
                })
                .collect();
            let was = held.state().as_str();
            let mut details = format!("2FA was {was}; {backup_left} backup codes removed");
            if row.lock.locked(now).is_some() {
                details.push_str("; lockout cleared");
            }
            for d in &deadlines {
                details.push_str(&format!("; must enroll in {} by {}", d.org, rfc3339(d.deadline)));
            }
            Ok((details, State::None, deadlines))
        })
    }

    /// Clears the failure counter and any lockout; the secret and backup codes stay.
    pub fn admin_unlock(&mut self, user: &str, reason: &str, ticket: Option<&str>) -> Result<Supported> {
        self.support(SupportAction::Unlock, user, reason, ticket, |tx, row, held, now| {
            tx.clear_lock(row.id)?;
            let details = match row.lock.locked(now) {
                Some(until) => format!("was locked until {}", rfc3339(until)),
                None => format!("was not locked; {} failures cleared", row.lock.failures),
            };
            Ok((details, held.state(), vec![]))
        })
    }

    /// A support action on `user`: authorized (and stepped up) in the transaction
    /// that `act` changes, which returns the audit details, the 2FA state after it,
    /// and any new deadlines.
    fn support(
        &mut self,
        action: SupportAction,
        user: &str,
        reason: &str,
        ticket: Option<&str>,
        act: impl FnOnce(&dyn Transaction, &UserRow, &Held, Timestamp) -> Result<(String, State, Vec<Deadline>)>,
    ) -> Result<Supported> {
        names::validate_user(user)?;
        check_reason(reason, ticket)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let (row, held) = load(&*tx, user)?;
        let change = Change::support(action.audit_action(), &row);
        let tx = self.caller.guard(tx, now, &change)?;
        let was_locked = row.lock.locked(now).is_some();
        let (details, two_factor, deadlines) = act(&*tx, &row, &held, now)?;
        if action == SupportAction::Unlock && was_locked {
            let notice = Notice::Unlocked {
                by: &self.caller.actor.name,
            };
            self.caller
                .notify(&*tx, &row.name, row.email.as_deref(), &notice, now)?;
        }
        if action == SupportAction::Reset && held.state() != State::None {
            let notice = Notice::Reset {
                by: &self.caller.actor.name,
                deadlines: &deadlines,
            };
            self.caller
                .notify(&*tx, &row.name, row.email.as_deref(), &notice, now)?;
        }
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .reason(Some(reason), ticket)
                .details(details),
        )?;
        tx.commit()?;
        Ok(Supported {
            user: row.name,
            action,
            reason: reason.into(),
            ticket: ticket.map(String::from),
            at: now,
            two_factor,
            deadlines,
        })
    }

    /// Audit entries, newest first.
    pub fn audit(&mut self, filter: &AuditFilter) -> Result<Vec<Record>> {
        let mut all = vec![];
        self.audit_each(filter, |r| {
            all.push(r);
            Ok(())
        })?;
        Ok(all)
    }

    /// Audit entries, newest first, handed to `each` as they are read (constant
    /// memory however long the log).
    pub fn audit_each(&mut self, filter: &AuditFilter, mut each: impl FnMut(Record) -> Result<()>) -> Result<()> {
        let tx = self.store.read()?;
        tx.for_each_audit_matching(filter, &mut each)
    }

    /// Walks the whole chain from its anchor.
    pub fn audit_verify(&mut self) -> Result<AuditReport> {
        let tx = self.store.read()?;
        let anchor = tx.audit_anchor()?;
        let mut walker = match anchor {
            Some(a) => Walker::new(a.hash, Some(a.last_id)),
            None => Walker::new(audit::GENESIS, Some(0)),
        };
        tx.for_each_audit(&mut |r| walker.next(r))?;
        Ok(AuditReport {
            ok: walker.broken.is_none(),
            entries: walker.checked,
            pruned_before: anchor.map(|a| a.last_id + 1),
            head: audit::to_hex(&walker.head()),
            broken: walker.broken,
            prunes: tx.audit_prunes()?,
        })
    }

    /// Removes entries older than `before`, keeping the chain verifiable; the prune
    /// itself is the first entry after the new anchor.
    pub fn audit_prune(&mut self, before: Timestamp) -> Result<Pruned> {
        let now = self.clock.now();
        if before > now {
            return Err(Error::InvalidInput(format!(
                "the cutoff {} is in the future; the audit log keeps everything up to now",
                rfc3339(before)
            )));
        }
        let tx = self.store.write()?;
        let change = Change::global("audit.prune");
        let tx = self.caller.guard(tx, now, &change)?;
        let retention = tx.settings()?.audit_min_retention;
        if before > now.saturating_sub(retention) {
            return Err(Error::InvalidInput(format!(
                "the cutoff {} would remove entries younger than the minimum retention of {} (setting audit_min_retention); the cutoff must be {} or earlier",
                rfc3339(before),
                crate::text::duration::format(retention),
                rfc3339(now.saturating_sub(retention))
            )));
        }
        let entry = change.entry(&self.caller.actor, now);
        let removed = tx.prune_audit(before, &entry)?;
        let history_removed = tx.prune_history(before)?;
        tx.append_audit(&entry.details(format!(
            "removed {removed} entries and {history_removed} login-history entries before {}",
            rfc3339(before)
        )))?;
        tx.commit()?;
        Ok(Pruned {
            removed,
            history_removed,
            before,
        })
    }

    /// The user's recent code checks, newest first.
    pub fn history(&mut self, user: &str, limit: u32) -> Result<Vec<HistoryEntry>> {
        names::validate_user(user)?;
        let tx = self.store.read()?;
        let (row, _) = load(&*tx, user)?;
        Ok(tx
            .history(row.id, limit)?
            .into_iter()
            .map(|h| HistoryEntry {
                time: h.at,
                two_factor_verified: h.outcome == AuditOutcome::Accepted,
                drift: h.step_offset,
                purpose: h.purpose,
                method: h.method,
                outcome: h.outcome,
            })
            .collect())
    }
}

impl<C: Clock> Service<C> {
    /// Copies this whole database into `target` (another backend, or another file),
    /// which must be empty: ids, the database id, sealed secrets and the audit chain
    /// come across unchanged, so the same key file opens the copy and `audit verify`
    /// passes there; the copy's audit log ends with a `db.copy` entry. All or nothing.
    /// Only the operator may: the copy holds every user's sealed secrets.
    pub fn copy_into(&mut self, target: &mut dyn crate::store::Backend) -> Result<crate::store::copy::Copied> {
        if !self.caller.actor.is_operator() {
            return Err(Error::Denied {
                message: format!(
                    "{} may not copy the database: only the operator may",
                    self.caller.actor.describe()
                ),
                hint: None,
            });
        }
        let now = self.clock.now();
        let src = self.store.read()?;
        let (dst, copied) = crate::store::copy::copy(&*src, target.write()?)?;
        drop(src);
        dst.append_audit(&audit::Entry::new(&self.caller.actor, now, "db.copy").details(format!(
            "copied in: {} users, {} organizations, {} factors, {} backup codes, {} history entries, {} audit entries",
            copied.rows("users"),
            copied.rows("orgs"),
            copied.rows("factors"),
            copied.rows("backup_codes"),
            copied.rows("verifications"),
            copied.rows("audit"),
        )))?;
        dst.commit()?;
        Ok(copied)
    }
}
