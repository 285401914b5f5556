//! The operations of twofa, each one transaction against the store. This is the API
//! another Rust program embeds; the command-line tool is a thin layer over it.

use crate::actor::Actor;
use crate::audit::{Entry, Outcome as AuditOutcome};
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::factors::FactorKind;
use crate::factors::backup;
use crate::factors::code::{self, Submitted};
use crate::factors::lockout::LockState;
use crate::factors::otp::{self, Params, Rejection};
use crate::secrets::keyfile::KeyFile;
use crate::settings::Settings;
use crate::store::{Attempt, Backend, Transaction, UserRow};
use crate::text::names;
use crate::text::timefmt::rfc3339;
use zeroize::Zeroizing;

/// Settings that name a program or a file of the account twofa runs as: the operator's.
const MACHINE_SETTINGS: [&str; 2] = ["mail_sendmail", "mail_credentials_file"];

/// How many recent successes the drift report looks at.
const DRIFT_SAMPLES: u32 = 20;

pub struct Service<C: Clock> {
    /// The store, behind the seam: SQLite today ([`crate::store::sqlite::Store`]).
    store: Box<dyn Backend>,
    clock: C,
    /// Who is acting (checked before privileged changes, named in the audit log),
    /// their step-up code, and the master key.
    caller: Caller,
}

use crate::factors::Purpose;

/// The result of one code attempt, already written to the transaction. A refusal is
/// not an `Err` here because its bookkeeping (failure count, lockout) must be committed.
enum Outcome {
    Accepted(Verified),
    Refused(Error),
}

/// What a correct code matched.
enum Hit {
    /// The TOTP factor, and the time step matched.
    Totp(i64, otp::Match),
    /// The email factor (its code already spent).
    Email(i64),
    /// The backup-code factor, and the row of the code to be spent.
    Backup(i64, i64),
}

impl<C: Clock> Service<C> {
    /// A service acting as `actor`. Every name the actor carries is checked like a
    /// user name before anything can be written (no control or direction characters,
    /// bounded length), since each lands in the audit log.
    pub fn new(store: impl Backend + 'static, clock: C, actor: Actor, keys: KeyFile) -> Result<Self> {
        for (what, name) in actor.names() {
            names::validate(what, name)?;
        }
        Ok(Service {
            store: Box::new(store),
            clock,
            caller: Caller {
                actor,
                step_up: None,
                step_up_pre: None,
                keys: Keyring::new(keys),
                mail: Default::default(),
            },
        })
    }

    /// The actor's current code, checked (once) by the next privileged change.
    pub fn set_step_up_code(&mut self, code: Zeroizing<String>) -> Result<()> {
        // A backup code given for step-up is hashed now, before any write lock.
        self.caller.step_up_pre = None;
        if looks_like_backup(&code) {
            let tx = self.store.read()?;
            let salt = match tx.user(&self.caller.actor.name)? {
                Some(row) => tx.backup_set(row.id)?.map(|b| b.salt),
                None => None,
            };
            drop(tx);
            if let (Some(salt), Ok(Submitted::Backup(c))) = (salt, code::classify(&code, 6)) {
                self.caller.step_up_pre = Some(Prehashed {
                    hash: backup::hash(&salt, &c)?,
                    salt,
                });
            }
        }
        self.caller.step_up = Some(code);
        Ok(())
    }

    /// Starts (or, for scripts that retry, shows again) a pending enrollment. Only the
    /// user themselves or the operator may; each showing of a secret is audited.
    pub fn enroll(&mut self, user: &str, req: &EnrollRequest) -> Result<Pending> {
        names::validate_user(user)?;
        if let Some(issuer) = &req.issuer {
            names::validate("issuer", issuer)?;
        }
        let now = self.clock.now();
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, "enroll", now)?;
        let row = match tx.user(user)? {
            Some(row) => row,
            // Only whoever may add users creates one by enrolling it: the operator (a
            // global admin enrolling someone else is refused above).
            None if self.caller.actor.is_operator() => {
                let row = tx.insert_user(user, now)?;
                tx.append_audit(
                    &Entry::new(&self.caller.actor, now, "user.add")
                        .subject(user)
                        .details("added by enroll"),
                )?;
                row
            }
            None => return Err(Error::UnknownUser(user.to_string())),
        };
        let settings = tx.settings()?;
        let key = self.caller.keys.for_tx(&*tx, &self.caller.actor, now)?;
        let held = load_held(&*tx, row.id)?;
        if held.active_kinds().contains(&FactorKind::Totp) {
            return Err(Error::AlreadyActive(row.name));
        }
        let tx = self
            .caller
            .another_factor(tx, &row, &held, FactorKind::Totp, &settings, now)?;
        if !req.new_secret
            && let Some(existing) = tx.totp(row.id)?
        {
            let differs = req.issuer.as_ref().is_some_and(|i| *i != existing.issuer)
                || req.algorithm.is_some_and(|a| a != existing.params.algorithm)
                || req.digits.is_some_and(|d| d != existing.params.digits)
                || req.period.is_some_and(|p| p != existing.params.period);
            if differs {
                return Err(Error::Unless {
                    kind: crate::error::Kind::InvalidInput,
                    message: format!("`{user}` already has a pending enrollment with other settings"),
                    remedy: crate::error::Remedy::NewSecret,
                });
            }
            let secret = key.open_secret(&row, &existing)?;
            tx.append_audit(
                &Entry::new(&self.caller.actor, now, "enroll.show")
                    .subject(&row.name)
                    .details("pending secret shown again"),
            )?;
            tx.commit()?;
            return Ok(Pending {
                secret,
                user: row.name,
                issuer: existing.issuer,
                params: existing.params,
                enrolled_at: existing.enrolled_at,
                new_secret: false,
            });
        }
        let defaults = Params::default();
        let params = Params {
            algorithm: req.algorithm.unwrap_or(defaults.algorithm),
            digits: req.digits.unwrap_or(defaults.digits),
            period: req.period.unwrap_or(defaults.period),
        };
        params.validate().map_err(Error::InvalidInput)?;
        let issuer = req.issuer.clone().unwrap_or(settings.issuer);
        let secret = otp::generate_secret().map_err(|e| Error::Crypto(e.to_string()))?;
        tx.put_pending_totp(row.id, &key.seal_secret(&row, &secret)?, &issuer, &params, now)?;
        tx.append_audit(
            &Entry::new(&self.caller.actor, now, "enroll")
                .subject(&row.name)
                .details(format!(
                    "pending; {}, {} digits, {}s, issuer {issuer}",
                    params.algorithm.as_str(),
                    params.digits,
                    params.period
                )),
        )?;
        tx.commit()?;
        Ok(Pending {
            user: row.name,
            issuer,
            params,
            secret,
            enrolled_at: now,
            new_secret: true,
        })
    }

    /// Activates a pending factor with its first code (from the authenticator app, or
    /// sent by email) and issues the backup codes, all in one transaction. A second
    /// factor keeps the backup codes the person already has: new ones would silently
    /// void the printed set (the codes returned are then none).
    pub fn activate(&mut self, user: &str, code: &str) -> Result<IssuedCodes> {
        self.issue_backup_codes(user, code, Purpose::Activate)
    }

    /// Checks a TOTP code, an email code or a backup code.
    pub fn verify(&mut self, user: &str, code: &str) -> Result<Verified> {
        self.with_code(user, code, Purpose::Verify, |_, _, v| Ok(v))
    }

    /// Replaces all backup codes, after proving possession with a code.
    pub fn regenerate_backup_codes(&mut self, user: &str, code: &str) -> Result<IssuedCodes> {
        self.issue_backup_codes(user, code, Purpose::Regenerate)
    }

    /// A fresh set of backup codes in the transaction that accepts `code`: hashed
    /// before the write lock is taken (and only for a well-formed code from someone
    /// who may use it), stored in place of the old set.
    fn issue_backup_codes(&mut self, user: &str, code: &str, purpose: Purpose) -> Result<IssuedCodes> {
        names::validate_user(user)?;
        let now = self.clock.now();
        // A second factor's activation keeps the set the person has: none is made.
        let fresh = match self.precheck(user, code)? {
            Some(Precheck::Code { backup_set: true }) if purpose == Purpose::Activate => None,
            Some(_) => Some(backup::FreshSet::generate()?),
            None => None,
        };
        self.with_code(user, code, purpose, |tx, row, _| {
            if purpose == Purpose::Activate && tx.backup_set(row.id)?.is_some() {
                return Ok(IssuedCodes {
                    user: row.name.clone(),
                    codes: vec![],
                    at: now,
                });
            }
            // (None only when the state changed since the read: rare; hash now.)
            let fresh = match fresh {
                Some(f) => f,
                None => backup::FreshSet::generate()?,
            };
            Ok(IssuedCodes {
                user: row.name.clone(),
                codes: store_backup_codes(tx, row.id, fresh, now)?,
                at: now,
            })
        })
    }

    /// Removes the user's 2FA. An active enrollment needs a current code or a backup
    /// code; a pending one (never activated, protecting nothing) is simply cancelled.
    pub fn disable(&mut self, user: &str, code: Option<&str>) -> Result<Disabled> {
        let done = self.remove_factor(user, code)?;
        // The removed secret and hashes must not linger in the WAL (best effort).
        let _ = self.store.checkpoint();
        Ok(done)
    }

    fn remove_factor(&mut self, user: &str, code: Option<&str>) -> Result<Disabled> {
        names::validate_user(user)?;
        let now = self.clock.now();
        {
            let tx = self.store.write()?;
            let tx = self.caller.own_factor(tx, user, "disable", now)?;
            let (row, held) = load(&*tx, user)?;
            match held.state() {
                State::None => return Err(Error::NotEnrolled(row.name)),
                State::Pending => {
                    tx.delete_factors(row.id)?;
                    tx.append_audit(
                        &Entry::new(&self.caller.actor, now, "disable")
                            .subject(&row.name)
                            .details("pending enrollment cancelled"),
                    )?;
                    tx.commit()?;
                    return Ok(Disabled {
                        user: row.name,
                        was: State::Pending,
                        at: now,
                    });
                }
                State::Active => {}
            }
            // Refuse before asking for a code…
            Self::check_may_disable(&*tx, &row)?;
        }
        let code = code.ok_or(Error::Code(code::CodeError::Empty))?;
        self.with_code(user, code, Purpose::Disable, |tx, row, _| {
            // …and again in the transaction that deletes (rolling back the code's use).
            Self::check_may_disable(tx, row)?;
            tx.delete_factors(row.id)?;
            Ok(Disabled {
                user: row.name.clone(),
                was: State::Active,
                at: now,
            })
        })
    }

    /// Refuses (without recording anything) when the acting person may not touch
    /// `user`'s second factor, and when `user` has no active 2FA: for callers that
    /// would otherwise ask a person for a code first. The operation itself checks
    /// again, and records a refusal.
    pub fn ready_for_code(&mut self, user: &str) -> Result<()> {
        self.may_touch_factor(user)?;
        match self.state(user)? {
            State::Active => Ok(()),
            State::Pending => Err(Error::Pending(user.to_string())),
            State::None => Err(Error::NotEnrolled(user.to_string())),
        }
    }

    /// Refuses (without recording anything) when the acting person may not touch
    /// `user`'s second factor: only they and the operator may.
    pub fn may_touch_factor(&self, user: &str) -> Result<()> {
        names::validate_user(user)?;
        if self.caller.actor.is_operator() || self.caller.actor.is(user) {
            return Ok(());
        }
        Err(Error::Denied {
            message: format!(
                "{} may not touch the second factor of `{user}`: it is their own",
                self.caller.actor.describe()
            ),
            hint: None,
        })
    }

    /// Whether `user` has an active or pending enrollment; `Err` for unknown users.
    pub fn state(&mut self, user: &str) -> Result<State> {
        names::validate_user(user)?;
        let tx = self.store.read()?;
        let (_, held) = load(&*tx, user)?;
        Ok(held.state())
    }

    /// How many backup codes the user has left: the user's own business (or the
    /// operator's).
    pub fn backup_summary(&mut self, user: &str) -> Result<BackupSummary> {
        names::validate_user(user)?;
        if !(self.caller.actor.is_operator() || self.caller.actor.is(user)) {
            return Err(Error::Denied {
                message: format!(
                    "{} may not see the backup codes of `{user}`: a user's second factor is their own",
                    self.caller.actor.describe()
                ),
                hint: None,
            });
        }
        let tx = self.store.read()?;
        let (row, held) = load(&*tx, user)?;
        match held.state() {
            State::Active => {}
            State::Pending => return Err(Error::Pending(row.name)),
            State::None => return Err(Error::NotEnrolled(row.name)),
        }
        Ok(BackupSummary {
            backup_codes_remaining: tx.backup_count(row.id)?,
            user: row.name,
        })
    }

    pub fn status(&mut self, user: &str) -> Result<Status> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.read()?;
        let (row, held) = load(&*tx, user)?;
        let totp = tx.totp(row.id)?;
        // Only the current device's codes: drift of an earlier enrollment is history.
        let since = totp.as_ref().and_then(|e| e.activated_at).unwrap_or(i64::MAX);
        let drift = Drift::from_offsets(&tx.recent_offsets(row.id, since, DRIFT_SAMPLES)?);
        let backup_codes_remaining = tx.backup_count(row.id)?;
        let e = totp.as_ref();
        Ok(Status {
            status: held.state(),
            issuer: e.map(|e| e.issuer.clone()),
            algorithm: e.map(|e| e.params.algorithm),
            digits: e.map(|e| e.params.digits),
            period: e.map(|e| e.params.period),
            enrolled_at: held.primary().map(|f| f.enrolled_at),
            activated_at: held.primary().and_then(|f| f.activated_at),
            last_used_at: held.last_used_at(),
            factors: held
                .0
                .iter()
                .filter(|f| f.kind.is_primary())
                .map(|f| FactorInfo {
                    kind: f.kind,
                    state: f.state,
                    enrolled_at: f.enrolled_at,
                    activated_at: f.activated_at,
                    last_used_at: f.last_used_at,
                })
                .collect(),
            backup_codes_remaining,
            failed_attempts: row.lock.failures,
            locked_until: row.lock.locked(now),
            drift,
            user: row.name,
        })
    }

    pub fn settings(&mut self) -> Result<Settings> {
        Ok(self.store.read()?.settings()?)
    }

    /// Validates and stores one setting; returns the settings now in force.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<Settings> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        let mut settings = tx.settings()?;
        settings.set(key, value).map_err(Error::InvalidInput)?;
        let stored = settings.get(key).expect("a key that was just set exists");
        let change = Change::global("config.set");
        let tx = self.caller.guard(tx, now, &change)?;
        // A program to run, or a file to read, as the account twofa runs as: that is
        // the machine's authority, not a database role's (a global admin behind sudo
        // would otherwise run anything as the service account, or send its private
        // files to a server of theirs as SMTP credentials).
        if MACHINE_SETTINGS.contains(&key) && !self.caller.actor.is_operator() {
            let message = format!(
                "{} may not set {key}: it names a program or file of the account twofa runs as, which only the operator chooses",
                self.caller.actor.describe()
            );
            return self
                .caller
                .refuse(tx, change.entry(&self.caller.actor, now), message, None);
        }
        // What only the machine can tell (checked once the caller may set it, so that
        // nobody else learns from the refusal whether a file exists).
        crate::mail::check_setting_on_machine(key, value)?;
        tx.put_setting(key, &stored)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(format!("{key} = {stored}")),
        )?;
        tx.commit()?;
        Ok(settings)
    }

    /// Runs `then` in the same transaction as a successful code check against the
    /// user's enrollment (pending for an activation, else active); commits the
    /// bookkeeping of a refusal.
    fn with_code<T>(
        &mut self,
        user: &str,
        code: &str,
        purpose: Purpose,
        then: impl FnOnce(&dyn Transaction, &UserRow, Verified) -> Result<T>,
    ) -> Result<T> {
        names::validate_user(user)?;
        let now = self.clock.now();
        // Only what looks like a backup code is worth a read first (a TOTP code costs
        // microseconds to check under the lock).
        let pre = match looks_like_backup(code)
            .then(|| self.precheck(user, code))
            .transpose()?
            .flatten()
        {
            Some(Precheck::Backup { salt, code }) => Some(Prehashed {
                hash: backup::hash(&salt, &code)?,
                salt,
            }),
            _ => None,
        };
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, purpose.action(), now)?;
        let (row, held) = load(&*tx, user)?;
        match (purpose, held.state()) {
            (Purpose::Activate, _) if held.has_pending() => {}
            (Purpose::Activate, State::Active) => return Err(Error::AlreadyActive(row.name)),
            (Purpose::Activate, State::None) => return Err(Error::NothingPending(row.name)),
            (_, State::Active) => {}
            (_, State::Pending) => return Err(Error::Pending(row.name)),
            (_, State::None) => return Err(Error::NotEnrolled(row.name)),
        }
        let key = self.caller.keys.for_tx(&*tx, &self.caller.actor, now)?;
        let check = Check {
            tx: &*tx,
            actor: &self.caller.actor,
            key: &key,
            user: &row,
            held: &held,
            purpose,
            now,
            pre: pre.as_ref(),
            email_ok: true,
        };
        match check.run(code)? {
            Outcome::Refused(e) => {
                self.caller.after_check(&*tx, purpose, &row, Some(&e), now)?;
                tx.commit()?;
                Err(e)
            }
            Outcome::Accepted(v) => {
                let out = then(&*tx, &row, v)?;
                self.caller.after_check(&*tx, purpose, &row, None, now)?;
                tx.commit()?;
                Ok(out)
            }
        }
    }
}

/// The refusal of a second factor for someone who holds one, while each user may
/// hold only one.
fn one_factor_only(user: &str, held: &Held) -> Error {
    let kinds: Vec<&str> = held.active_kinds().iter().map(|k| k.as_str()).collect();
    Error::Unless {
        kind: crate::error::Kind::Conflict,
        message: format!(
            "`{user}` already has two-factor authentication ({}); each user holds one factor",
            kinds.join(", ")
        ),
        remedy: crate::error::Remedy::Advice(
            "remove the current factor first, or have an admin set allow_multiple_factors to on".into(),
        ),
    }
}

/// The user and the factors they hold; `UnknownUser` if there is no such user.
fn load(tx: &dyn Transaction, user: &str) -> Result<(UserRow, Held)> {
    let row = tx.user(user)?.ok_or_else(|| Error::UnknownUser(user.to_string()))?;
    let held = load_held(tx, row.id)?;
    Ok((row, held))
}

fn load_held(tx: &dyn Transaction, user_id: i64) -> Result<Held> {
    Ok(Held(tx.factors(user_id)?))
}

/// Stores a fresh set of backup codes (made before the transaction) in place of the
/// user's old ones; returns the codes, to be shown once.
fn store_backup_codes(
    tx: &dyn Transaction,
    user_id: i64,
    fresh: backup::FreshSet,
    now: Timestamp,
) -> Result<Vec<Zeroizing<String>>> {
    tx.replace_backup_codes(user_id, &fresh.salt, &fresh.hashes, now)?;
    Ok(fresh.codes)
}

mod authz;
mod check;
mod email;
mod held;
mod keys;
mod notices;
mod orgs;
mod support;
mod types;

use authz::{Caller, Change};
use check::{Check, Precheck, Prehashed, looks_like_backup};
pub use email::EmailCode;
use held::Held;
pub use keys::Rotated;
use keys::{Keyring, Unlocked};
use notices::Notice;
pub use notices::{Delivered, Delivery, MailTest, Reminded, Reminders};
pub use support::{AuditReport, Deadline, HistoryEntry, Pruned, ResetPreview, SupportAction, Supported};
pub use types::*;

pub use orgs::{
    AccessDecision, Added, AddedMember, AddedMembers, Deadlines, MemberStatus, Membership, OrgInfo, RequireReport,
    Summary, TeamSummary, UserInfo,
};

#[cfg(test)]
mod email_tests;
#[cfg(test)]
mod fixture;
#[cfg(test)]
mod notices_tests;
#[cfg(test)]
mod orgs_tests;
#[cfg(test)]
mod support_tests;
#[cfg(test)]
mod tests;
