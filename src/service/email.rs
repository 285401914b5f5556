//! The email factor: enrolling with an address, sending a code, the limits on sends.
//! The code itself is checked with every other code (`check.rs`); here it is made,
//! MACed into the store, and queued for mail with its expiry, in one transaction.

use super::notices::Notice;
use super::{Service, State, load};
use crate::audit::Entry;
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::factors::{FactorKind, FactorState};
use crate::store::{NewMail, Transaction, UserRow};
use crate::text::names;
use crate::text::timefmt::{rfc3339, serde_ts};
use serde::Serialize;

/// A code on its way by mail.
#[derive(Debug, Clone, Serialize)]
pub struct CodeSent {
    pub user: String,
    /// The address, partly hidden (`a***@example.com`).
    pub sent_to: String,
    #[serde(with = "serde_ts")]
    pub expires_at: Timestamp,
    /// The email factor is pending: activate it with this code.
    pub pending: bool,
}

/// `alice@example.com` → `a***@example.com`.
fn masked(addr: &str) -> String {
    match addr.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

impl<C: Clock> Service<C> {
    /// Starts an email factor for `user`, who must have an address: a pending factor
    /// and a first code by mail; activating with that code proves the address. Only
    /// the user themselves or the operator may.
    pub fn enroll_email(&mut self, user: &str) -> Result<CodeSent> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, "enroll", now)?;
        let (row, held) = load(&*tx, user)?;
        let settings = tx.settings()?;
        let email = address_of(&row)?;
        if held
            .0
            .iter()
            .any(|f| f.kind == FactorKind::Email && f.state == FactorState::Active)
        {
            return Err(Error::AlreadyActive(row.name));
        }
        if held.state() != State::None && held.0.iter().any(|f| f.kind == FactorKind::Totp) && !settings.email.with_totp
        {
            return Err(Error::Denied {
                message: format!(
                    "`{}` has an authenticator app enrolled, and the settings do not allow an email factor beside it (email_with_totp)",
                    row.name
                ),
                hint: None,
            });
        }
        mail_must_work(&self.caller, &settings)?;
        tx.put_pending_email_factor(row.id, now)?;
        tx.append_audit(
            &Entry::new(&self.caller.actor, now, "enroll")
                .subject(&row.name)
                .details(format!("pending; email to {email}")),
        )?;
        let sent = issue_code(&mut self.caller, &*tx, &row, &email, now, true)?;
        tx.commit()?;
        Ok(sent)
    }

    /// Mails `user` a fresh code for their email factor (replacing any earlier one),
    /// within the resend limits. Only the user themselves or the operator (a login
    /// service) may.
    pub fn send_code(&mut self, user: &str) -> Result<CodeSent> {
        names::validate_user(user)?;
        let now = self.clock.now();
        let tx = self.store.write()?;
        let tx = self.caller.own_factor(tx, user, "send_code", now)?;
        let (row, held) = load(&*tx, user)?;
        let Some(factor) = held.0.iter().find(|f| f.kind == FactorKind::Email) else {
            return Err(Error::NotFound(format!("`{}` has no email factor", row.name)));
        };
        let pending = factor.state == FactorState::Pending;
        let settings = tx.settings()?;
        let email = address_of(&row)?;
        mail_must_work(&self.caller, &settings)?;
        let sent = issue_code(&mut self.caller, &*tx, &row, &email, now, pending)?;
        tx.commit()?;
        Ok(sent)
    }
}

fn mail_must_work(caller: &super::Caller, settings: &crate::settings::Settings) -> Result<()> {
    if caller.mail.off {
        return Err(Error::InvalidInput(
            "a code by email cannot be sent with mail switched off".into(),
        ));
    }
    if caller.mail.mailer.is_none() && !settings.mail.configured() {
        return Err(crate::mail::MailError::NotConfigured.into());
    }
    if caller.mail.mailer.is_none() && settings.mail.from.is_none() {
        return Err(crate::mail::MailError::NoSender.into());
    }
    Ok(())
}

/// Checks the resend limits, makes a code, stores its MAC, queues the mail (which
/// leaves the queue when the code expires) and audits the send (never the code).
fn issue_code(
    caller: &mut super::Caller,
    tx: &dyn Transaction,
    row: &UserRow,
    email: &str,
    now: Timestamp,
    pending: bool,
) -> Result<CodeSent> {
    let settings = tx.settings()?.email;
    let (last_hour, latest) = tx.email_sends_since(row.id, now.saturating_sub(3600))?;
    if let Some(latest) = latest
        && now < latest + settings.resend_secs
    {
        return Err(Error::TooSoon {
            user: row.name.clone(),
            why: format!("a code was sent {}s ago", now - latest),
            wait: latest + settings.resend_secs - now,
        });
    }
    if last_hour >= settings.per_hour {
        // The oldest send of the hour must leave the window first.
        let (_, _) = (last_hour, latest);
        let mut wait = 3600;
        for back in (0..3600).rev().step_by(60) {
            let (n, _) = tx.email_sends_since(row.id, now.saturating_sub(back))?;
            if n < settings.per_hour {
                wait = 3600 - back;
                break;
            }
        }
        return Err(Error::TooSoon {
            user: row.name.clone(),
            why: format!("{last_hour} codes were sent in the last hour, the most allowed"),
            wait,
        });
    }
    let key = caller.keys.for_tx(tx, &caller.actor, now)?;
    let code = crate::factors::email::generate(settings.digits).map_err(|e| Error::Crypto(e.to_string()))?;
    let mac = key.email_code_mac(row, now, &code);
    let expires_at = now.saturating_add(settings.ttl_secs);
    tx.put_email_code(row.id, &mac, now, expires_at)?;
    let notice = Notice::Code {
        code: &code,
        expires_at,
        ttl_secs: settings.ttl_secs,
        enrolling: pending,
    };
    let (subject, body) = notice.compose(&row.name, now);
    let body = zeroize::Zeroizing::new(super::notices::wrap(&body, 72));
    tx.queue_mail(&NewMail {
        created_at: now,
        user: Some(&row.name),
        recipient: email,
        subject: &subject,
        body: &body,
        kind: "email_code",
        expires_at: Some(expires_at),
    })?;
    caller.mail.queued.set(caller.mail.queued.get() + 1);
    tx.append_audit(
        &Entry::new(&caller.actor, now, "send_code")
            .subject(&row.name)
            .details(format!("code queued for {email}, valid until {}", rfc3339(expires_at))),
    )?;
    Ok(CodeSent {
        user: row.name.clone(),
        sent_to: masked(email),
        expires_at,
        pending,
    })
}

fn address_of(row: &UserRow) -> Result<String> {
    let Some(email) = row.email.clone() else {
        return Err(Error::InvalidInput(format!(
            "`{}` has no email address to send a code to",
            row.name
        )));
    };
    crate::mail::address::validate("email address", &email).map_err(crate::mail::MailError::from)?;
    Ok(email)
}
