//! SQL for the outbox (mail queued with the change that causes it, claimed, sent
//! after the commit, marked sent with its body wiped, or failed and kept for the next
//! flush) and for the email factor (its codes as HMACs, the sends, the organizations
//! that accept it).

use super::super::{EmailFactor, Outbox, *};
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
            "INSERT INTO outbox (created_at, user_name, recipient, subject, body, kind, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                m.created_at,
                m.user,
                m.recipient,
                m.subject,
                m.body,
                m.kind,
                m.expires_at
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn claim_mail(
        &self,
        now: Timestamp,
        claim_until: Timestamp,
        only: Option<&[i64]>,
        limit: u32,
    ) -> Result<Vec<MailRow>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, created_at, user_name, recipient, subject, body, kind, expires_at, attempts
             FROM outbox
             WHERE sent_at IS NULL
               AND (expires_at IS NULL OR expires_at > ?1)
               AND (claimed_until IS NULL OR claimed_until <= ?1)
             ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now, if only.is_some() { -1 } else { i64::from(limit) }], |r| {
            Ok(MailRow {
                id: r.get("id")?,
                created_at: r.get("created_at")?,
                user: r.get("user_name")?,
                recipient: r.get("recipient")?,
                subject: r.get("subject")?,
                body: Zeroizing::new(r.get("body")?),
                kind: r.get("kind")?,
                expires_at: r.get("expires_at")?,
                attempts: r.get("attempts")?,
            })
        })?;
        let mut claimed: Vec<MailRow> = rows.collect::<rusqlite::Result<_>>()?;
        if let Some(ids) = only {
            claimed.retain(|m| ids.contains(&m.id));
            claimed.truncate(limit as usize);
        }
        let mut claim = self
            .tx
            .prepare_cached("UPDATE outbox SET claimed_until = ?2 WHERE id = ?1")?;
        for m in &claimed {
            claim.execute(params![m.id, claim_until])?;
        }
        Ok(claimed)
    }

    fn mail_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        self.tx.execute(
            "UPDATE outbox SET sent_at = ?2, body = '', attempts = attempts + 1, last_attempt_at = ?2,
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

    fn set_user_email(&self, user_id: i64, email: Option<&str>) -> Result<()> {
        self.tx
            .execute("UPDATE users SET email = ?2 WHERE id = ?1", params![user_id, email])?;
        Ok(())
    }
}

impl EmailFactor for Tx<'_> {
    fn put_pending_email_factor(&self, user_id: i64, now: Timestamp) -> Result<i64> {
        self.tx.execute(
            "INSERT OR IGNORE INTO factors (user_id, kind, state, enrolled_at) VALUES (?1, 'email', 'pending', ?2)",
            params![user_id, now],
        )?;
        Ok(self.tx.query_row(
            "SELECT id FROM factors WHERE user_id = ?1 AND kind = 'email'",
            [user_id],
            |r| r.get(0),
        )?)
    }

    fn email_code(&self, user_id: i64) -> Result<Option<EmailCodeRow>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .tx
            .query_row(
                "SELECT mac, issued_at, expires_at, wrong FROM email_codes WHERE user_id = ?1",
                [user_id],
                |r| {
                    Ok(EmailCodeRow {
                        mac: r.get("mac")?,
                        issued_at: r.get("issued_at")?,
                        expires_at: r.get("expires_at")?,
                        wrong: r.get("wrong")?,
                    })
                },
            )
            .optional()?)
    }

    fn put_email_code(&self, user_id: i64, mac: &[u8], now: Timestamp, expires_at: Timestamp) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO email_codes (user_id, mac, issued_at, expires_at, wrong) VALUES (?1, ?2, ?3, ?4, 0)",
            params![user_id, mac, now, expires_at],
        )?;
        self.tx.execute(
            "DELETE FROM email_code_sends WHERE user_id = ?1 AND at < ?2",
            params![user_id, now - 86_400],
        )?;
        self.tx.execute(
            "INSERT INTO email_code_sends (user_id, at) VALUES (?1, ?2)",
            params![user_id, now],
        )?;
        Ok(())
    }

    fn email_code_wrong(&self, user_id: i64) -> Result<u32> {
        self.tx
            .execute("UPDATE email_codes SET wrong = wrong + 1 WHERE user_id = ?1", [user_id])?;
        use rusqlite::OptionalExtension;
        Ok(self
            .tx
            .query_row("SELECT wrong FROM email_codes WHERE user_id = ?1", [user_id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    fn delete_email_code(&self, user_id: i64) -> Result<()> {
        self.tx
            .execute("DELETE FROM email_codes WHERE user_id = ?1", [user_id])?;
        Ok(())
    }

    fn email_sends_since(&self, user_id: i64, since: Timestamp) -> Result<(u32, Option<Timestamp>)> {
        Ok(self.tx.query_row(
            "SELECT count(*), max(at) FROM email_code_sends WHERE user_id = ?1 AND at >= ?2",
            params![user_id, since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    fn org_allows_email(&self, org_id: i64) -> Result<bool> {
        use rusqlite::OptionalExtension;
        Ok(self
            .tx
            .query_row(
                "SELECT allow_email FROM org_email_policy WHERE org_id = ?1",
                [org_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    fn set_org_allows_email(&self, org_id: i64, allow: bool) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO org_email_policy (org_id, allow_email) VALUES (?1, ?2)",
            params![org_id, allow],
        )?;
        Ok(())
    }

    fn active_kinds(&self, user_id: i64) -> Result<Vec<crate::factors::FactorKind>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT kind FROM factors WHERE user_id = ?1 AND state = 'active'")?;
        let kinds = stmt.query_map([user_id], |r| r.get::<_, String>(0))?;
        let mut out = vec![];
        for k in kinds {
            if let Some(kind) = crate::factors::FactorKind::parse(&k?) {
                out.push(kind);
            }
        }
        out.sort();
        Ok(out)
    }
}
