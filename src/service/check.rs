//! One code checked against one user's factors: the read before the write lock (what
//! Argon2 work can be done first), and the check itself inside the write transaction.

use super::*;
use crate::factors::email;

/// Whether `input` has the shape of a backup code (as [`code::classify`] reads it,
/// surrounding white space and all): only then is an Argon2 hash worth computing
/// before the write transaction.
pub(super) fn looks_like_backup(input: &str) -> bool {
    matches!(code::classify(input, 6), Ok(Submitted::Backup(_)))
}

/// What a read before the write transaction found out about a code for a user.
pub(super) enum Precheck {
    /// A well-formed code for an enrollment (TOTP or email, or a backup code without a
    /// set yet); whether the user already holds a set of backup codes.
    Code { backup_set: bool },
    /// A backup code, and the salt of the user's set as it is now.
    Backup { salt: Vec<u8>, code: Zeroizing<String> },
}

impl<C: Clock> Service<C> {
    /// Reads (without the write lock) what expensive work a check of `code` for `user`
    /// will need, so that it can be done before the write transaction: `None` when the
    /// check will be refused anyway (not the actor's own factor, no such user or
    /// enrollment, malformed code) — the write transaction then says why.
    pub(super) fn precheck(&mut self, user: &str, code: &str) -> Result<Option<Precheck>> {
        if !(self.caller.actor.is_operator() || self.caller.actor.is(user)) {
            return Ok(None);
        }
        let tx = self.store.read()?;
        let Some(row) = tx.user(user)? else { return Ok(None) };
        if load_held(&*tx, row.id)?.state() == State::None {
            return Ok(None);
        }
        if let Some(code) = code::as_backup(code) {
            return Ok(Some(match tx.backup_set(row.id)? {
                Some(set) => Precheck::Backup { salt: set.salt, code },
                None => Precheck::Code { backup_set: false },
            }));
        }
        let digits = tx.totp(row.id)?.map_or(6, |t| t.params.digits);
        let email_digits = tx.settings()?.email.digits;
        let fits = code::classify(code, digits).is_ok() || code::as_otp(code, email_digits).is_some();
        let backup_set = tx.backup_set(row.id)?.is_some();
        Ok(fits.then_some(Precheck::Code { backup_set }))
    }
}

/// A candidate backup code hashed with the user's salt before the write transaction
/// (Argon2 takes tens of milliseconds: never while holding the write lock).
pub(super) struct Prehashed {
    pub(super) salt: Vec<u8>,
    pub(super) hash: backup::Hash,
}

/// One code attempt against one user's factors, inside a write transaction: lockout
/// check, then the code tried against each factor the user holds, in order (the
/// pending ones for an activation, else the active ones), as far as it fits that
/// factor's format; then the bookkeeping that follows (failure count, replay guard,
/// log entry).
///
/// Step-up codes count toward the step-up lockout, every other check toward the
/// login lockout, so neither flood locks the person out of the other. A valid backup
/// code is accepted even while locked out (50 random bits: guessing one is hopeless),
/// and clears the lock; a wrong one then is refused without counting.
pub(super) struct Check<'a, 'c> {
    pub(super) tx: &'a (dyn Transaction + 'c),
    pub(super) actor: &'a Actor,
    pub(super) key: &'a Unlocked,
    pub(super) user: &'a UserRow,
    pub(super) held: &'a Held,
    pub(super) purpose: Purpose,
    pub(super) now: Timestamp,
    /// The candidate already hashed, when it is a backup code.
    pub(super) pre: Option<&'a Prehashed>,
    /// Whether email codes may answer (not for a step-up where they do not count).
    pub(super) email_ok: bool,
}

/// What trying a code against the user's factors came to.
enum Tried {
    Hit(Hit),
    /// Refused by the factor of this kind (the first one the code fitted), and by how
    /// many factors as a wrong code: each factor a guess was tried against counts.
    Rejected(Method, Rejection, u32),
}

impl Check<'_, '_> {
    pub(super) fn run(&self, input: &str) -> Result<Outcome> {
        let Check {
            tx,
            actor,
            user,
            purpose,
            now,
            ..
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
                    purpose,
                    method,
                    outcome,
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
        let activating = purpose == Purpose::Activate;
        let backup_code = if activating { None } else { code::as_backup(input) };
        let locked = lock.locked(now);
        if let Some(until) = locked
            && backup_code.is_none()
        {
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
        let (method, result) = match self.try_factors(input, backup_code.as_ref().map(|c| c.as_str()), &settings)? {
            Tried::Hit(hit) => (hit.kind(), Ok(hit)),
            Tried::Rejected(kind, reason, wrong) => (kind, Err((reason, wrong))),
        };
        match result {
            Ok(hit) => {
                let mut remaining = None;
                let mut offset = None;
                match hit {
                    Hit::Totp(id, m) if activating => {
                        tx.activate_factor(id, now, Some(m.step))?;
                        offset = Some(m.offset);
                    }
                    Hit::Totp(id, m) => {
                        tx.mark_used(id, now, Some(m.step))?;
                        offset = Some(m.offset);
                    }
                    Hit::Email(id) if activating => tx.activate_factor(id, now, None)?,
                    Hit::Email(id) => tx.mark_used(id, now, None)?,
                    Hit::Backup(id, code_row) => {
                        tx.spend_backup_code(code_row)?;
                        tx.mark_used(id, now, None)?;
                        remaining = Some(tx.backup_count(user.id)?);
                    }
                }
                if lock != LockState::default() {
                    save_lock(&lock.after_success())?;
                }
                let mut details = match (method, remaining, offset) {
                    (_, Some(left), _) => format!("backup code used ({left} left)"),
                    (_, None, Some(o)) => format!("totp, step offset {o:+}"),
                    (m, None, None) => m.as_str().into(),
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
            Err((reason, wrong)) => {
                // A replayed code is no guess (whoever sends it already knew it was
                // valid), so it does not count toward the lockout; a wrong one does,
                // once for each factor it was tried against.
                let lock = if reason == Rejection::Reused {
                    lock
                } else {
                    (0..wrong.max(1)).fold(lock, |l, _| l.after_failure(&settings.lockout, now))
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

    /// Tries the code against each candidate factor whose format it fits, in order,
    /// until one accepts it. While locked out only a backup code is tried. Input that
    /// fits no factor the user holds is refused as malformed (before it can count as
    /// a guess), unless it is the format of a factor the user lacks: then it is simply
    /// wrong.
    fn try_factors(&self, input: &str, backup_code: Option<&str>, settings: &Settings) -> Result<Tried> {
        let Check {
            tx,
            key,
            user,
            held,
            purpose,
            now,
            pre,
            ..
        } = *self;
        let locked = (if purpose == Purpose::StepUp {
            user.step_up_lock
        } else {
            user.lock
        })
        .locked(now)
        .is_some();
        let mut seen = Rejections::default();
        let mut digits = None;
        for factor in held.candidates(purpose == Purpose::Activate) {
            match factor.kind {
                FactorKind::Totp if !locked => {
                    let Some(totp) = tx.totp(user.id)? else { continue };
                    digits = Some(totp.params.digits);
                    let Some(c) = code::as_otp(input, totp.params.digits) else {
                        continue;
                    };
                    match otp::verify(
                        &key.open_secret(user, &totp)?,
                        totp.params,
                        &c,
                        now,
                        settings.skew,
                        totp.last_step,
                    ) {
                        Ok(m) => return Ok(Tried::Hit(Hit::Totp(factor.id, m))),
                        Err(r) => seen.add(Method::Totp, r),
                    }
                }
                FactorKind::Totp => {}
                // A code the app's factor just saw used again is that code, not an
                // email guess: it must not wear down the live email code.
                FactorKind::Email if !locked && self.email_ok && !seen.replayed() => {
                    let policy = settings.email;
                    digits.get_or_insert(policy.digits);
                    let Some(c) = code::as_otp(input, policy.digits) else {
                        continue;
                    };
                    let Some(live) = tx.email_code(factor.id)? else {
                        seen.add(Method::Email, Rejection::Wrong);
                        continue;
                    };
                    if live.expires_at <= now {
                        tx.delete_email_code(factor.id)?;
                        seen.add(Method::Email, Rejection::Wrong);
                        continue;
                    }
                    let d = email::digest(&key.email_key(), user.id, factor.id, live.issued_at, &c);
                    if email::matches(&live.digest, &d) {
                        // Spent: deleted in the transaction that accepts it.
                        tx.delete_email_code(factor.id)?;
                        return Ok(Tried::Hit(Hit::Email(factor.id)));
                    }
                    if live.tries + 1 >= policy.max_tries {
                        // Burned: a fresh code must be sent.
                        tx.delete_email_code(factor.id)?;
                    } else {
                        tx.email_code_tried(factor.id)?;
                    }
                    seen.add(Method::Email, Rejection::Wrong);
                }
                FactorKind::Email => {}
                FactorKind::Backup => {
                    let Some(c) = backup_code else { continue };
                    let Some(set) = tx.backup_set(user.id)? else { continue };
                    let hash = match pre {
                        Some(p) if p.salt == set.salt => p.hash,
                        // The set was replaced meanwhile (or nothing was hashed
                        // beforehand): hash with the salt in force now.
                        _ => backup::hash(&set.salt, c)?,
                    };
                    match backup::find(&hash, &tx.backup_hashes(user.id)?) {
                        Some(row) => return Ok(Tried::Hit(Hit::Backup(factor.id, row))),
                        None => seen.add(Method::Backup, Rejection::Wrong),
                    }
                }
            }
        }
        if let Some((kind, reason)) = seen.first {
            return Ok(Tried::Rejected(kind, reason, seen.wrong));
        }
        // The code fitted no factor it was tried against.
        let digits = match digits {
            Some(d) => d,
            None => tx.totp(user.id)?.map_or(6, |t| t.params.digits),
        };
        match code::classify(input, digits)? {
            Submitted::Backup(_) if purpose == Purpose::Activate => Err(Error::InvalidInput(
                "an enrollment is activated with the code from the authenticator app, not a backup code".into(),
            )),
            Submitted::Backup(_) => Ok(Tried::Rejected(Method::Backup, Rejection::Wrong, 1)),
            Submitted::Totp(_) => Ok(Tried::Rejected(Method::Totp, Rejection::Wrong, 1)),
        }
    }
}

/// The factors' refusals of one code so far.
#[derive(Default)]
struct Rejections {
    /// The first factor that refused it, and why (a replay anywhere wins).
    first: Option<(Method, Rejection)>,
    /// How many factors found it wrong.
    wrong: u32,
}

impl Rejections {
    fn add(&mut self, kind: Method, reason: Rejection) {
        if reason == Rejection::Wrong {
            self.wrong += 1;
        }
        match &mut self.first {
            None => self.first = Some((kind, reason)),
            Some((_, r)) if reason == Rejection::Reused => *r = reason,
            Some(_) => {}
        }
    }

    fn replayed(&self) -> bool {
        matches!(self.first, Some((_, Rejection::Reused)))
    }
}

impl Hit {
    fn kind(&self) -> Method {
        match self {
            Hit::Totp(..) => Method::Totp,
            Hit::Email(..) => Method::Email,
            Hit::Backup(..) => Method::Backup,
        }
    }
}
