//! SQL for the outbox: mail queued with the change that causes it, claimed, sent
//! after the commit, marked sent (body wiped) or failed (kept for the next flush).

use super::super::{Outbox, *};
use super::{Result, Tx};
use crate::clock::Timestamp;
use rusqlite::params;
use zeroize::Zeroizing;

const SUMMARY: &str =
    "id, created_at, user_name, recipient, subject, kind, expires_at, attempts, last_error, last_attempt_at";

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<MailSummary> {
    Ok(MailSummary {
        id: r.get("id")?,
        created_at: r.get("created_at")?,
        user: r.get("user_name")?,
        recipient: r.get("recipient")?,
        subject: r.get("subject")?,
        kind: r.get("kind")?,
        expires_at: r.get("expires_at")?,
        attempts: r.get("attempts")?,
        last_error: r.get("last_error")?,
        last_attempt_at: r.get("last_attempt_at")?,
    })
}

impl Outbox for Tx<'_> {
    fn queue_mail(&self, m: &NewMail<'_>) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO outbox (created_at, user_name, recipient, subject, body, kind, expires_at, sealed_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                m.created_at,
                m.user,
                m.recipient,
                m.subject,
                m.body,
                m.kind,
                m.expires_at,
                m.sealed_body
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn claim_mail(
        &self,
        now: Timestamp,
        claim_until: Timestamp,
        after_id: i64,
        codes: bool,
    ) -> Result<Option<MailRow>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, created_at, user_name, recipient, subject, body, sealed_body, kind, expires_at, attempts
             FROM outbox
             WHERE sent_at IS NULL AND id > ?2 AND (expires_at IS NOT NULL) = ?3
               AND (expires_at IS NULL OR expires_at > ?1)
               AND (claimed_until IS NULL OR claimed_until <= ?1)
             ORDER BY id LIMIT 1",
        )?;
        let mut rows = stmt.query_map(params![now, after_id, codes], |r| {
            Ok(MailRow {
                id: r.get("id")?,
                created_at: r.get("created_at")?,
                user: r.get("user_name")?,
                recipient: r.get("recipient")?,
                subject: r.get("subject")?,
                body: Zeroizing::new(r.get("body")?),
                sealed_body: r.get("sealed_body")?,
                kind: r.get("kind")?,
                expires_at: r.get("expires_at")?,
                attempts: r.get("attempts")?,
            })
        })?;
        let Some(claimed) = rows.next().transpose()? else {
            return Ok(None);
        };
        self.tx
            .prepare_cached("UPDATE outbox SET claimed_until = ?2 WHERE id = ?1")?
            .execute(params![claimed.id, claim_until])?;
        Ok(Some(claimed))
    }

    fn mail_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        self.tx.execute(
            "UPDATE outbox SET sent_at = ?2, body = '', sealed_body = NULL, attempts = attempts + 1, last_attempt_at = ?2,
                               last_error = NULL, claimed_until = NULL
             WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    fn mail_failed(&self, id: i64, now: Timestamp, error: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?2, last_error = ?3, claimed_until = NULL
             WHERE id = ?1",
            params![id, now, error],
        )?;
        Ok(())
    }

    fn drop_mail(&self, id: i64) -> Result<()> {
        self.tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
        Ok(())
    }

    fn expire_mail(&self, now: Timestamp) -> Result<Vec<MailSummary>> {
        let gone = {
            let mut stmt = self.tx.prepare_cached(&format!(
                "SELECT {SUMMARY} FROM outbox WHERE sent_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?1
                 ORDER BY id"
            ))?;
            stmt.query_map([now], summary)?.collect::<rusqlite::Result<Vec<_>>>()?
        };
        self.tx.execute(
            "DELETE FROM outbox WHERE sent_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?1",
            [now],
        )?;
        Ok(gone)
    }

    fn prune_sent_mail(&self, before: Timestamp) -> Result<u64> {
        Ok(self.tx.execute(
            "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?1",
            [before],
        )? as u64)
    }

    fn queued_mail(&self, now: Option<Timestamp>) -> Result<Vec<MailSummary>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {SUMMARY} FROM outbox
             WHERE sent_at IS NULL AND (?1 IS NULL OR expires_at IS NULL OR expires_at > ?1)
             ORDER BY id"
        ))?;
        Ok(stmt.query_map([now], summary)?.collect::<rusqlite::Result<_>>()?)
    }
}
