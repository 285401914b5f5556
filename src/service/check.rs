//! One code checked against one user's factors: the read before the write lock (what
//! Argon2 work can be done first), and the check itself inside the write transaction.

use super::*;

/// Whether `input` has the shape of a backup code (as [`code::classify`] reads it,
/// surrounding white space and all): only then is an Argon2 hash worth computing
/// before the write transaction.
pub(super) fn looks_like_backup(input: &str) -> bool {
    matches!(code::classify(input, 6), Ok(Submitted::Backup(_)))
}

/// What a read before the write transaction found out about a code for a user.
pub(super) enum Precheck {
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
    pub(super) fn precheck(&mut self, user: &str, code: &str) -> Result<Option<Precheck>> {
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
pub(super) struct Prehashed {
    pub(super) salt: Vec<u8>,
    pub(super) hash: backup::Hash,
}

/// One code attempt against one user's factors, inside a write transaction: lockout
/// check, format check, TOTP window or backup-code lookup, and the bookkeeping that
/// follows (failure count, replay guard, log entry).
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
    pub(super) enrollment: &'a EnrollmentRow,
    pub(super) purpose: Purpose,
    pub(super) now: Timestamp,
    /// The candidate already hashed, when it is a backup code.
    pub(super) pre: Option<&'a Prehashed>,
}

impl Check<'_, '_> {
    pub(super) fn run(&self, input: &str) -> Result<Outcome> {
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
