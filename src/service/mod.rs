//! The operations of twofa, each one transaction against the store. This is the API
//! another Rust program embeds; the command-line tool is a thin layer over it.

use crate::actor::Actor;
use crate::audit::{Entry, Outcome as AuditOutcome};
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::factors::backup;
use crate::factors::code::{self, Submitted};
use crate::factors::lockout::LockState;
use crate::factors::otp::{self, Algorithm, Params, Rejection};
use crate::secrets::keyfile::KeyFile;
use crate::settings::Settings;
use crate::store::{Attempt, EnrollmentRow, EnrollmentState, Store, Tx, UserRow};
use crate::text::names;
use crate::text::timefmt::{rfc3339, serde_opt, serde_ts};
use serde::Serialize;
use zeroize::Zeroizing;

/// How many recent successes the drift report looks at.
const DRIFT_SAMPLES: u32 = 20;

pub struct Service<C: Clock> {
    store: Store,
    clock: C,
    /// Who is acting (checked before privileged changes, named in the audit log),
    /// their step-up code, and the master key.
    caller: Caller,
}

/// What the caller asked for in `enroll`; `None` means "the default" (or, on a retry,
/// "whatever the pending enrollment already uses").
#[derive(Debug, Default, Clone)]
pub struct EnrollRequest {
    pub issuer: Option<String>,
    pub algorithm: Option<Algorithm>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
    pub new_secret: bool,
}

/// A pending enrollment: what the authenticator app must be given.
pub struct Pending {
    pub user: String,
    pub issuer: String,
    pub params: Params,
    pub secret: Zeroizing<Vec<u8>>,
    pub enrolled_at: Timestamp,
    /// True when this call made the secret; false when it is the pending one again.
    pub new_secret: bool,
}

impl std::fmt::Debug for IssuedCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCodes")
            .field("user", &self.user)
            .field("count", &self.codes.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("user", &self.user)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Pending {
    pub fn otpauth_uri(&self) -> Zeroizing<String> {
        otp::otpauth_uri(&self.secret, self.params, &self.issuer, &self.user)
    }
}

/// Backup codes in clear, for showing once.
pub struct IssuedCodes {
    pub user: String,
    pub codes: Vec<Zeroizing<String>>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Totp,
    Backup,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Totp => "totp",
            Method::Backup => "backup",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub user: String,
    pub method: Method,
    /// Which time step relative to now the code belonged to (TOTP only).
    pub step_offset: Option<i64>,
    /// Backup codes left, when one was spent.
    pub backup_codes_remaining: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    None,
    Pending,
    Active,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::None => "none",
            State::Pending => "pending",
            State::Active => "active",
        }
    }
}

/// Which way the user's authenticator clock leans, from recent successful codes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Drift {
    pub samples: u32,
    /// Codes from the previous step: the device clock is behind.
    pub behind: u32,
    pub on_time: u32,
    /// Codes from the next step: the device clock is ahead.
    pub ahead: u32,
    /// Mean step offset (−1 … +1); `None` without samples.
    pub mean_steps: Option<f64>,
}

impl Drift {
    fn from_offsets(offsets: &[i64]) -> Drift {
        let mut d = Drift {
            samples: offsets.len() as u32,
            ..Drift::default()
        };
        for &o in offsets {
            match o.signum() {
                -1 => d.behind += 1,
                0 => d.on_time += 1,
                _ => d.ahead += 1,
            }
        }
        if !offsets.is_empty() {
            d.mean_steps = Some(offsets.iter().sum::<i64>() as f64 / offsets.len() as f64);
        }
        d
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub user: String,
    pub status: State,
    pub issuer: Option<String>,
    pub algorithm: Option<Algorithm>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
    #[serde(with = "serde_opt")]
    pub enrolled_at: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub activated_at: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub last_used_at: Option<Timestamp>,
    pub backup_codes_remaining: u32,
    pub failed_attempts: u32,
    #[serde(with = "serde_opt")]
    pub locked_until: Option<Timestamp>,
    pub drift: Drift,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disabled {
    pub user: String,
    /// What was removed: an active enrollment, or a pending one that was cancelled.
    pub was: State,
    #[serde(with = "serde_ts")]
    pub at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupSummary {
    pub user: String,
    pub backup_codes_remaining: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Activate,
    Verify,
    Regenerate,
    Disable,
    /// The actor proving themselves before a privileged change.
    StepUp,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Activate => "activate",
            Purpose::Verify => "verify",
            Purpose::Regenerate => "regenerate",
            Purpose::Disable => "disable",
            Purpose::StepUp => "step_up",
        }
    }

    /// The audit log's name for a code check of this purpose.
    fn action(self) -> &'static str {
        match self {
            Purpose::Regenerate => "backup_codes.regenerate",
            p => p.as_str(),
        }
    }
}

/// The result of one code attempt, already written to the transaction. A refusal is
/// not an `Err` here because its bookkeeping (failure count, lockout) must be committed.
enum Outcome {
    Accepted(Verified),
    Refused(Error),
}

/// What a correct code matched.
enum Hit {
    Totp(otp::Match),
    /// The row of the backup code, to be spent.
    Backup(i64),
}

impl<C: Clock> Service<C> {
    /// A service acting as `actor`. Every name the actor carries is checked like a
    /// user name before anything can be written (no control or direction characters,
    /// bounded length), since each lands in the audit log.
    pub fn new(store: Store, clock: C, actor: Actor, keys: KeyFile) -> Result<Self> {
        for (what, name) in actor.names() {
            names::validate(what, name)?;
        }
        Ok(Service {
            store,
            clock,
            caller: Caller {
                actor,
                step_up: None,
                step_up_pre: None,
                keys: Keyring::new(keys),
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
                Some(row) => tx.enrollment(row.id)?.and_then(|e| e.backup_salt),
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
        let key = self.caller.keys.for_tx(&tx, &self.caller.actor, now)?;
        if let Some(existing) = tx.enrollment(row.id)? {
            if existing.state == EnrollmentState::Active {
                return Err(Error::AlreadyActive(row.name));
            }
            if !req.new_secret {
                let differs = req.issuer.as_ref().is_some_and(|i| *i != existing.issuer)
                    || req.algorithm.is_some_and(|a| a != existing.params.algorithm)
                    || req.digits.is_some_and(|d| d != existing.params.digits)
                    || req.period.is_some_and(|p| p != existing.params.period);
                if differs {
                    return Err(Error::InvalidInput(format!(
                        "`{user}` already has a pending enrollment with other settings; pass --new-secret to replace it"
                    )));
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
        tx.put_pending(row.id, &key.seal_secret(&row, &secret)?, &issuer, &params, now)?;
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

    /// Activates a pending enrollment with the first code from the authenticator app
    /// and issues the backup codes, all in one transaction.
    pub fn activate(&mut self, user: &str, code: &str) -> Result<IssuedCodes> {
        names::validate_user(user)?;
        let now = self.clock.now();
        // The new backup codes are hashed before the write lock is taken (and only for
        // a well-formed code from someone who may activate).
        let fresh = match self.precheck(user, code)? {
            Some(_) => Some(backup::FreshSet::generate()?),
            None => None,
        };
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, "activate", now)?;
        let (row, enrollment) = load(&tx, user)?;
        let enrollment = match enrollment {
            Some(e) if e.state == EnrollmentState::Pending => e,
            Some(_) => return Err(Error::AlreadyActive(row.name)),
            None => return Err(Error::NothingPending(row.name)),
        };
        let key = self.caller.keys.for_tx(&tx, &self.caller.actor, now)?;
        let check = Check {
            tx: &tx,
            actor: &self.caller.actor,
            key: &key,
            user: &row,
            enrollment: &enrollment,
            purpose: Purpose::Activate,
            now,
            pre: None,
        };
        match check.run(code)? {
            Outcome::Refused(e) => {
                tx.commit()?;
                Err(e)
            }
            Outcome::Accepted(_) => {
                let fresh = match fresh {
                    Some(f) => f,
                    None => backup::FreshSet::generate()?,
                };
                let codes = store_backup_codes(&tx, row.id, fresh)?;
                tx.commit()?;
                Ok(IssuedCodes {
                    user: row.name,
                    codes,
                    at: now,
                })
            }
        }
    }

    /// Checks a TOTP code or a backup code.
    pub fn verify(&mut self, user: &str, code: &str) -> Result<Verified> {
        self.with_active(user, code, Purpose::Verify, |_, _, v| Ok(v))
    }

    /// Replaces all backup codes, after proving possession with a code.
    pub fn regenerate_backup_codes(&mut self, user: &str, code: &str) -> Result<IssuedCodes> {
        names::validate_user(user)?;
        let now = self.clock.now();
        // Hashed before the write lock is taken, as in activation.
        let fresh = match self.precheck(user, code)? {
            Some(_) => Some(backup::FreshSet::generate()?),
            None => None,
        };
        self.with_active(user, code, Purpose::Regenerate, |tx, row, _| {
            // (None only when the state changed since the read: rare; hash now.)
            let fresh = match fresh {
                Some(f) => f,
                None => backup::FreshSet::generate()?,
            };
            Ok(IssuedCodes {
                user: row.name.clone(),
                codes: store_backup_codes(tx, row.id, fresh)?,
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
            let (row, enrollment) = load(&tx, user)?;
            match enrollment.map(|e| e.state) {
                None => return Err(Error::NotEnrolled(row.name)),
                Some(EnrollmentState::Pending) => {
                    tx.delete_enrollment(row.id)?;
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
                Some(EnrollmentState::Active) => {}
            }
            // Refuse before asking for a code…
            Self::check_may_disable(&tx, &row)?;
        }
        let code = code.ok_or(Error::Code(code::CodeError::Empty))?;
        self.with_active(user, code, Purpose::Disable, |tx, row, _| {
            // …and again in the transaction that deletes (rolling back the code's use).
            Self::check_may_disable(tx, row)?;
            tx.delete_enrollment(row.id)?;
            Ok(Disabled {
                user: row.name.clone(),
                was: State::Active,
                at: now,
            })
        })
    }

    /// Whether `user` has an active or pending enrollment; `Err` for unknown users.
    pub fn state(&mut self, user: &str) -> Result<State> {
        names::validate_user(user)?;
        let tx = self.store.read()?;
        let (_, enrollment) = load(&tx, user)?;
        Ok(state_of(enrollment.as_ref()))
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
        let (row, enrollment) = load(&tx, user)?;
        match enrollment.map(|e| e.state) {
            Some(EnrollmentState::Active) => {}
            Some(EnrollmentState::Pending) => return Err(Error::Pending(row.name)),
            None => return Err(Error::NotEnrolled(row.name)),
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
        let (row, enrollment) = load(&tx, user)?;
        // Only the current device's codes: drift of an earlier enrollment is history.
        let since = enrollment.as_ref().and_then(|e| e.activated_at).unwrap_or(i64::MAX);
        let drift = Drift::from_offsets(&tx.recent_offsets(row.id, since, DRIFT_SAMPLES)?);
        let backup_codes_remaining = tx.backup_count(row.id)?;
        let e = enrollment.as_ref();
        Ok(Status {
            status: state_of(e),
            issuer: e.map(|e| e.issuer.clone()),
            algorithm: e.map(|e| e.params.algorithm),
            digits: e.map(|e| e.params.digits),
            period: e.map(|e| e.params.period),
            enrolled_at: e.map(|e| e.enrolled_at),
            activated_at: e.and_then(|e| e.activated_at),
            last_used_at: e.and_then(|e| e.last_used_at),
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
        tx.put_setting(key, &stored)?;
        tx.append_audit(
            &change
                .entry(&self.caller.actor, now)
                .details(format!("{key} = {stored}")),
        )?;
        tx.commit()?;
        Ok(settings)
    }

    /// Runs `then` in the same transaction as a successful code check against an
    /// active enrollment; commits the bookkeeping of a refusal.
    fn with_active<T>(
        &mut self,
        user: &str,
        code: &str,
        purpose: Purpose,
        then: impl FnOnce(&Tx<'_>, &UserRow, Verified) -> Result<T>,
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
        let (row, enrollment) = load(&tx, user)?;
        let enrollment = match enrollment {
            Some(e) if e.state == EnrollmentState::Active => e,
            Some(_) => return Err(Error::Pending(row.name)),
            None => return Err(Error::NotEnrolled(row.name)),
        };
        let key = self.caller.keys.for_tx(&tx, &self.caller.actor, now)?;
        let check = Check {
            tx: &tx,
            actor: &self.caller.actor,
            key: &key,
            user: &row,
            enrollment: &enrollment,
            purpose,
            now,
            pre: pre.as_ref(),
        };
        match check.run(code)? {
            Outcome::Refused(e) => {
                tx.commit()?;
                Err(e)
            }
            Outcome::Accepted(v) => {
                let out = then(&tx, &row, v)?;
                tx.commit()?;
                Ok(out)
            }
        }
    }
}

fn load(tx: &Tx<'_>, user: &str) -> Result<(UserRow, Option<EnrollmentRow>)> {
    let row = tx.user(user)?.ok_or_else(|| Error::UnknownUser(user.to_string()))?;
    let enrollment = tx.enrollment(row.id)?;
    Ok((row, enrollment))
}

fn state_of(e: Option<&EnrollmentRow>) -> State {
    match e.map(|e| e.state) {
        None => State::None,
        Some(EnrollmentState::Pending) => State::Pending,
        Some(EnrollmentState::Active) => State::Active,
    }
}

/// Whether `input` has the shape of a backup code (as [`code::classify`] reads it,
/// surrounding white space and all): only then is an Argon2 hash worth computing
/// before the write transaction.
fn looks_like_backup(input: &str) -> bool {
    matches!(code::classify(input, 6), Ok(Submitted::Backup(_)))
}

/// Stores a fresh set of backup codes (made before the transaction) in place of the
/// user's old ones; returns the codes, to be shown once.
fn store_backup_codes(tx: &Tx<'_>, user_id: i64, fresh: backup::FreshSet) -> Result<Vec<Zeroizing<String>>> {
    tx.replace_backup_codes(user_id, &fresh.salt, &fresh.hashes)?;
    Ok(fresh.codes)
}

/// What a read before the write transaction found out about a code for a user.
enum Precheck {
    /// A well-formed code for an enrollment (TOTP, or a backup code without a set yet).
    Code,
    /// A backup code, and the salt of the user's set as it is now.
    Backup { salt: Vec<u8>, code: Zeroizing<String> },
}

impl<C: Clock> Service<C> {
    /// Reads (without the write lock) what expensive work a check of `code` for `user`
    /// will need, so that it can be done before the write transaction: `None` when the
    /// check will be refused anyway (not the actor's own factor, no such user or
    /// enrollment, malformed code) — the write transaction then says why.
    fn precheck(&mut self, user: &str, code: &str) -> Result<Option<Precheck>> {
        if !(self.caller.actor.is_operator() || self.caller.actor.is(user)) {
            return Ok(None);
        }
        let tx = self.store.read()?;
        let Some(row) = tx.user(user)? else { return Ok(None) };
        let Some(e) = tx.enrollment(row.id)? else {
            return Ok(None);
        };
        Ok(match code::classify(code, e.params.digits) {
            Ok(Submitted::Backup(code)) => match e.backup_salt {
                Some(salt) => Some(Precheck::Backup { salt, code }),
                None => Some(Precheck::Code),
            },
            Ok(Submitted::Totp(_)) => Some(Precheck::Code),
            Err(_) => None,
        })
    }
}

/// A candidate backup code hashed with the user's salt before the write transaction
/// (Argon2 takes tens of milliseconds: never while holding the write lock).
struct Prehashed {
    salt: Vec<u8>,
    hash: backup::Hash,
}

/// One code attempt against one user's factors, inside a write transaction: lockout
/// check, format check, TOTP window or backup-code lookup, and the bookkeeping that
/// follows (failure count, replay guard, log entry).
///
/// Step-up codes count toward the step-up lockout, every other check toward the
/// login lockout, so neither flood locks the person out of the other. A valid backup
/// code is accepted even while locked out (50 random bits: guessing one is hopeless),
/// and clears the lock; a wrong one then is refused without counting.
struct Check<'a, 'c> {
    tx: &'a Tx<'c>,
    actor: &'a Actor,
    key: &'a Unlocked,
    user: &'a UserRow,
    enrollment: &'a EnrollmentRow,
    purpose: Purpose,
    now: Timestamp,
    /// The candidate already hashed, when it is a backup code.
    pre: Option<&'a Prehashed>,
}

impl Check<'_, '_> {
    fn run(&self, input: &str) -> Result<Outcome> {
        let Check {
            tx,
            actor,
            key,
            user,
            enrollment,
            purpose,
            now,
            pre,
        } = *self;
        let settings = tx.settings()?;
        let step_up = purpose == Purpose::StepUp;
        let lock = if step_up { user.step_up_lock } else { user.lock };
        let save_lock = |l: &LockState| {
            if step_up {
                tx.set_step_up_lock(user.id, l)
            } else {
                tx.set_lock(user.id, l)
            }
        };
        // Both the login history (with drift) and the audit log; never the code itself.
        let log = |method: Option<Method>, outcome: AuditOutcome, step_offset: Option<i64>, details: String| {
            tx.log_attempt(
                user.id,
                &Attempt {
                    at: now,
                    purpose: purpose.as_str(),
                    method: method.map(Method::as_str),
                    outcome: outcome.as_str(),
                    step_offset,
                },
            )?;
            tx.append_audit(
                &Entry::new(actor, now, purpose.action())
                    .subject(&user.name)
                    .outcome(outcome)
                    .details(details),
            )
        };
        let locked = lock.locked(now);
        if let Some(until) = locked {
            let backup = purpose != Purpose::Activate
                && matches!(
                    code::classify(input, enrollment.params.digits),
                    Ok(Submitted::Backup(_))
                );
            if !backup {
                log(
                    None,
                    AuditOutcome::Locked,
                    None,
                    format!("refused unread: locked until {}", rfc3339(until)),
                )?;
                return Ok(Outcome::Refused(Error::LockedOut {
                    user: user.name.clone(),
                    until,
                }));
            }
        }
        // Malformed input is refused before it counts as a guess: it cannot be right.
        let submitted = code::classify(input, enrollment.params.digits)?;
        let result: Result<Hit, Rejection> = match &submitted {
            Submitted::Totp(c) => otp::verify(
                &key.open_secret(user, enrollment)?,
                enrollment.params,
                c,
                now,
                settings.skew,
                enrollment.last_step,
            )
            .map(Hit::Totp),
            Submitted::Backup(c) => {
                if matches!(purpose, Purpose::Activate) {
                    return Err(Error::InvalidInput(
                        "an enrollment is activated with the code from the authenticator app, not a backup code".into(),
                    ));
                }
                let found = match &enrollment.backup_salt {
                    Some(salt) => {
                        let hash = match pre {
                            Some(p) if p.salt == *salt => p.hash,
                            // The set was replaced meanwhile (or nothing was hashed
                            // beforehand): hash with the salt in force now.
                            _ => backup::hash(salt, c)?,
                        };
                        backup::find(&hash, &tx.backup_hashes(user.id)?)
                    }
                    None => None,
                };
                found.map(Hit::Backup).ok_or(Rejection::Wrong)
            }
        };
        let method = match submitted {
            Submitted::Totp(_) => Method::Totp,
            Submitted::Backup(_) => Method::Backup,
        };
        match result {
            Ok(hit) => {
                let mut remaining = None;
                let mut offset = None;
                match hit {
                    Hit::Totp(m) if matches!(purpose, Purpose::Activate) => {
                        tx.activate(user.id, now, m.step)?;
                        offset = Some(m.offset);
                    }
                    Hit::Totp(m) => {
                        tx.mark_used(user.id, now, Some(m.step))?;
                        offset = Some(m.offset);
                    }
                    Hit::Backup(row_id) => {
                        tx.spend_backup_code(row_id)?;
                        tx.mark_used(user.id, now, None)?;
                        remaining = Some(tx.backup_count(user.id)?);
                    }
                }
                if lock != LockState::default() {
                    save_lock(&lock.after_success())?;
                }
                let mut details = match (remaining, offset) {
                    (Some(left), _) => format!("backup code used ({left} left)"),
                    (None, Some(o)) => format!("totp, step offset {o:+}"),
                    (None, None) => "totp".into(),
                };
                if locked.is_some() {
                    details.push_str("; was locked out, lock cleared");
                }
                log(Some(method), AuditOutcome::Accepted, offset, details)?;
                Ok(Outcome::Accepted(Verified {
                    user: user.name.clone(),
                    method,
                    step_offset: offset,
                    backup_codes_remaining: remaining,
                }))
            }
            Err(_) if locked.is_some() => {
                // A wrong backup code while locked out: refused, not counted (the lock
                // already holds; each guess costs a full Argon2 evaluation).
                let until = locked.unwrap_or(now);
                log(
                    Some(method),
                    AuditOutcome::Locked,
                    None,
                    format!("backup code while locked until {}; wrong, not counted", rfc3339(until)),
                )?;
                Ok(Outcome::Refused(Error::LockedOut {
                    user: user.name.clone(),
                    until,
                }))
            }
            Err(reason) => {
                // A replayed code is no guess (whoever sends it already knew it was
                // valid), so it does not count toward the lockout; a wrong one does.
                let lock = if reason == Rejection::Reused {
                    lock
                } else {
                    lock.after_failure(&settings.lockout, now)
                };
                save_lock(&lock)?;
                let mut details = match reason {
                    Rejection::Reused => format!("{}, replayed; not counted", method.as_str()),
                    Rejection::Wrong => format!("{}, failure {}", method.as_str(), lock.failures),
                };
                if let Some(until) = lock.locked(now) {
                    details = format!("{}; locked until {}", method.as_str(), rfc3339(until));
                }
                log(
                    Some(method),
                    if reason == Rejection::Reused {
                        AuditOutcome::Reused
                    } else {
                        AuditOutcome::Wrong
                    },
                    None,
                    details,
                )?;
                Ok(Outcome::Refused(Error::Rejected {
                    user: user.name.clone(),
                    backup: method == Method::Backup,
                    reason,
                    locked_until: lock.locked(now),
                }))
            }
        }
    }
}

mod authz;
mod keys;
mod orgs;
mod support;

use authz::{Caller, Change};
pub use keys::Rotated;
use keys::{Keyring, Unlocked};
pub use support::{AuditReport, Deadline, HistoryEntry, Pruned, ResetPreview, Supported};

pub use orgs::{
    AccessDecision, AddedMember, AddedMembers, MemberStatus, Membership, OrgInfo, RequireReport, Summary, TeamSummary,
    UserInfo,
};

#[cfg(test)]
mod orgs_tests;
#[cfg(test)]
mod support_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_support;
