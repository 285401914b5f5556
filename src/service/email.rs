//! Email codes: enrolling an address as a factor, and sending a code to sign in with.
//! The code leaves the service once, in the [`EmailCode`] the caller delivers; the
//! store keeps only its digest.

use super::notices::CodeMail;
use super::*;
use crate::error::{Kind, Remedy};
use crate::factors::email;
use crate::factors::{FactorKind, FactorState};
use crate::text::timefmt::serde_ts;
use serde::Serialize;

/// A fresh code to deliver to `to`. Never serialised with its code: the code goes
/// only into the message to the user.
#[derive(Serialize)]
pub struct EmailCode {
    pub user: String,
    pub to: String,
    #[serde(skip)]
    pub code: Zeroizing<String>,
    /// The code activates a pending email factor (rather than signing in).
    pub activation: bool,
    /// The code's mail is in the outbox (else mail is off or not configured, and
    /// the caller delivers the code itself).
    pub queued: bool,
    #[serde(with = "serde_ts")]
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for EmailCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailCode")
            .field("user", &self.user)
            .field("to", &self.to)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl<C: Clock> Service<C> {
    /// Starts email codes as `user`'s factor: a pending email factor and a first code
    /// to their address, which activates it (proving the address is theirs). Only the
    /// user or the operator may; the user needs an address on record.
    pub fn enroll_email(&mut self, user: &str) -> Result<EmailCode> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, "enroll", now)?;
        let (row, held) = load(&*tx, user)?;
        let to = address_of(&row)?;
        if held.active_kinds().contains(&FactorKind::Email) {
            return Err(Error::AlreadyActive(row.name));
        }
        let settings = tx.settings()?;
        check_send_rate(&*tx, &row, &settings, now)?;
        let tx = self
            .caller
            .another_factor(tx, &row, &held, FactorKind::Email, &settings, now)?;
        let factor_id = tx.put_pending_email(row.id, now)?;
        let key = self.caller.keys.for_tx(&*tx, &self.caller.actor, now)?;
        let (code, expires_at) = issue(&*tx, &key, &row, factor_id, &settings, now)?;
        let mail = CodeMail {
            user: &row.name,
            to: &to,
            code: &code,
            expires_at,
            activation: true,
        };
        let queued = self.caller.queue_code(&*tx, &key, &mail, now)?;
        tx.append_audit(
            &Entry::new(&self.caller.actor, now, "enroll")
                .subject(&row.name)
                .details(format!(
                    "pending; email codes, first code sent, valid until {}",
                    rfc3339(expires_at)
                )),
        )?;
        tx.commit()?;
        Ok(EmailCode {
            user: row.name,
            to,
            code,
            activation: true,
            queued,
            expires_at,
        })
    }

    /// A fresh code for `user`'s email factor (active, or pending activation), in
    /// place of any earlier one; refused while a send was too recent.
    pub fn send_code(&mut self, user: &str) -> Result<EmailCode> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, "send_code", now)?;
        let (row, held) = load(&*tx, user)?;
        let Some(factor) = held.0.iter().find(|f| f.kind == FactorKind::Email) else {
            return Err(Error::Unless {
                kind: Kind::NotFound,
                message: format!("`{}` does not receive codes by email", row.name),
                remedy: Remedy::Advice(format!("enroll email codes for `{}` first", row.name)),
            });
        };
        let to = address_of(&row)?;
        let settings = tx.settings()?;
        if let Err(e) = check_send_rate(&*tx, &row, &settings, now) {
            tx.append_audit(
                &Entry::new(&self.caller.actor, now, "send_code")
                    .subject(&row.name)
                    .outcome(AuditOutcome::Denied)
                    .details("too soon after the last code"),
            )?;
            tx.commit()?;
            return Err(e);
        }
        let key = self.caller.keys.for_tx(&*tx, &self.caller.actor, now)?;
        let (code, expires_at) = issue(&*tx, &key, &row, factor.id, &settings, now)?;
        let activation = factor.state == FactorState::Pending;
        let mail = CodeMail {
            user: &row.name,
            to: &to,
            code: &code,
            expires_at,
            activation,
        };
        let queued = self.caller.queue_code(&*tx, &key, &mail, now)?;
        tx.append_audit(
            &Entry::new(&self.caller.actor, now, "send_code")
                .subject(&row.name)
                .details(format!("code sent by email, valid until {}", rfc3339(expires_at))),
        )?;
        tx.commit()?;
        Ok(EmailCode {
            user: row.name,
            to,
            code,
            activation,
            queued,
            expires_at,
        })
    }
}

fn address_of(row: &UserRow) -> Result<String> {
    row.email.clone().ok_or_else(|| Error::Unless {
        kind: Kind::InvalidInput,
        message: format!("`{}` has no email address on record", row.name),
        remedy: Remedy::Advice("record their address first".into()),
    })
}

/// Refuses a send within the interval after the last one, or past the hourly cap.
fn check_send_rate(tx: &dyn Transaction, row: &UserRow, settings: &Settings, now: Timestamp) -> Result<()> {
    let sends = tx.email_sends(row.id, now.saturating_sub(3600))?;
    match email::wait_before_send(&settings.email, &sends, now) {
        Some(wait_secs) => Err(Error::TooSoon {
            user: row.name.clone(),
            wait_secs,
        }),
        None => Ok(()),
    }
}

/// Makes a code for the factor, stores its digest (replacing the last code) and
/// records the send.
fn issue(
    tx: &dyn Transaction,
    key: &Unlocked,
    row: &UserRow,
    factor_id: i64,
    settings: &Settings,
    now: Timestamp,
) -> Result<(Zeroizing<String>, Timestamp)> {
    let code = email::generate(settings.email.digits).map_err(|e| Error::Crypto(e.to_string()))?;
    let digest = email::digest(&key.email_key(), row.id, factor_id, now, &code);
    let expires_at = now.saturating_add(settings.email.ttl_secs);
    tx.put_email_code(factor_id, &digest, now, expires_at)?;
    tx.record_email_send(row.id, now)?;
    Ok((code, expires_at))
}
