//! SQL for the outbox: mail queued with the change that causes it, claimed, sent
//! after the commit, marked sent (body wiped) or failed (kept for the next flush).

use super::super::{Outbox, *};
use super::{Get, Result, Tx};
use crate::clock::Timestamp;
use ::postgres::Row;
use zeroize::Zeroizing;

const SUMMARY: &str =
    "id, created_at, user_name, recipient, subject, kind, expires_at, attempts, last_error, last_attempt_at";

fn summary(r: &Row) -> Result<MailSummary> {
    Ok(MailSummary {
        id: r.val("id")?,
        created_at: r.val("created_at")?,
        user: r.val("user_name")?,
        recipient: r.val("recipient")?,
        subject: r.val("subject")?,
        kind: r.val("kind")?,
        expires_at: r.val("expires_at")?,
        attempts: r.u32("attempts")?,
        last_error: r.val("last_error")?,
        last_attempt_at: r.val("last_attempt_at")?,
    })
}

impl Outbox for Tx<'_> {
    fn queue_mail(&self, m: &NewMail<'_>) -> Result<i64> {
        self.one(
            "INSERT INTO outbox (created_at, user_name, recipient, subject, body, kind, expires_at, sealed_body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &m.created_at,
                &m.user,
                &m.recipient,
                &m.subject,
                &m.body,
                &m.kind,
                &m.expires_at,
                &m.sealed_body,
            ],
        )?
        .val("id")
    }

    /// One statement claims and returns the message; `SKIP LOCKED` leaves a row that
    /// another transaction holds (none, under the write lock, but a flush never waits).
    fn claim_mail(
        &self,
        now: Timestamp,
        claim_until: Timestamp,
        after_id: i64,
        codes: bool,
    ) -> Result<Option<MailRow>> {
        self.opt(
            "UPDATE outbox SET claimed_until = $3
             WHERE id = (SELECT id FROM outbox
                         WHERE sent_at IS NULL AND id > $2 AND (expires_at IS NOT NULL) = $4
                           AND (expires_at IS NULL OR expires_at > $1)
                           AND (claimed_until IS NULL OR claimed_until <= $1)
                         ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING id, created_at, user_name, recipient, subject, body, sealed_body, kind, expires_at, attempts",
            &[&now, &after_id, &claim_until, &codes],
        )?
        .map(|r| {
            Ok(MailRow {
                id: r.val("id")?,
                created_at: r.val("created_at")?,
                user: r.val("user_name")?,
                recipient: r.val("recipient")?,
                subject: r.val("subject")?,
                body: Zeroizing::new(r.val("body")?),
                sealed_body: r.val("sealed_body")?,
                kind: r.val("kind")?,
                expires_at: r.val("expires_at")?,
                attempts: r.u32("attempts")?,
            })
        })
        .transpose()
    }

    fn mail_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        self.exec(
            "UPDATE outbox SET sent_at = $2, body = '', sealed_body = NULL, attempts = attempts + 1, last_attempt_at = $2,
                               last_error = NULL, claimed_until = NULL
             WHERE id = $1",
            &[&id, &now],
        )?;
        Ok(())
    }

    fn mail_failed(&self, id: i64, now: Timestamp, error: &str) -> Result<()> {
        self.exec(
            "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = $2, last_error = $3, claimed_until = NULL
             WHERE id = $1",
            &[&id, &now, &error],
        )?;
        Ok(())
    }

    fn drop_mail(&self, id: i64) -> Result<()> {
        self.exec("DELETE FROM outbox WHERE id = $1", &[&id])?;
        Ok(())
    }

    fn expire_mail(&self, now: Timestamp) -> Result<Vec<MailSummary>> {
        let mut gone = self
            .rows(
                &format!(
                    "DELETE FROM outbox WHERE sent_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $1
                     RETURNING {SUMMARY}"
                ),
                &[&now],
            )?
            .iter()
            .map(summary)
            .collect::<Result<Vec<_>>>()?;
        gone.sort_by_key(|m| m.id);
        Ok(gone)
    }

    fn prune_sent_mail(&self, before: Timestamp) -> Result<u64> {
        self.exec(
            "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1",
            &[&before],
        )
    }

    fn queued_mail(&self, now: Option<Timestamp>) -> Result<Vec<MailSummary>> {
        self.rows(
            &format!(
                "SELECT {SUMMARY} FROM outbox
                 WHERE sent_at IS NULL AND ($1 IS NULL OR expires_at IS NULL OR expires_at > $1)
                 ORDER BY id"
            ),
            &[&now],
        )?
        .iter()
        .map(summary)
        .collect()
    }
}
