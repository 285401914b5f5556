//! SQL for the audit log, the login history and the few lookups authorization needs.

use super::super::{AuditLog, *};
use super::{Result, StoreError, Tx};
use crate::actor::Via;
use crate::audit::{self, Entry, GENESIS, Hash, Outcome, Record};
use crate::clock::Timestamp;
use rusqlite::{OptionalExtension, params};

const COLUMNS: &str = "id, at, actor, actor_via, action, subject, org, outcome, reason, ticket, details, hash, os_user, sudo_user, operator";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let via = Via::parse(&r.get::<_, String>("actor_via")?);
    let outcome = Outcome::parse(&r.get::<_, String>("outcome")?);
    let hash: Vec<u8> = r.get("hash")?;
    Ok(Record {
        id: r.get("id")?,
        entry: Entry {
            time: r.get("at")?,
            actor: r.get("actor")?,
            actor_via: via.unwrap_or(Via::Api),
            os_user: r.get("os_user")?,
            sudo_user: r.get("sudo_user")?,
            operator: r.get("operator")?,
            action: r.get("action")?,
            subject: r.get("subject")?,
            org: r.get("org")?,
            outcome: outcome.unwrap_or(Outcome::Denied),
            reason: r.get("reason")?,
            ticket: r.get("ticket")?,
            details: r.get("details")?,
        },
        // Only an edit makes an unknown `actor_via` tag or a hash of the wrong length:
        // give such a row a hash that no recomputation matches, so the walk stops there.
        hash: match (via, outcome, <[u8; 32]>::try_from(hash)) {
            (Some(_), Some(_), Ok(h)) => h,
            _ => BROKEN,
        },
    })
}

/// Stands for a stored hash that cannot be right (see [`record`]).
const BROKEN: Hash = [0xff; 32];

impl AuditLog for Tx<'_> {
    /// Appends an entry chained to the newest one. Runs inside the write transaction
    /// of the change it records, so both land or neither does.
    fn append_audit(&self, e: &Entry) -> Result<()> {
        let last: Option<(i64, Vec<u8>)> = self
            .tx
            .query_row("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (prev_id, prev) = match last {
            Some((id, h)) => (id, h.try_into().unwrap_or(BROKEN)),
            None => match self.audit_anchor()? {
                Some(a) => (a.last_id, a.hash),
                None => (0, GENESIS),
            },
        };
        let id = prev_id + 1;
        let hash = audit::chain(&prev, id, e);
        self.tx.execute(
            "INSERT INTO audit (id, at, actor, actor_via, action, subject, org, outcome, reason, ticket, details, hash,
                                os_user, sudo_user, operator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                id,
                e.time,
                e.actor,
                e.actor_via.as_str(),
                e.action,
                e.subject,
                e.org,
                e.outcome.as_str(),
                e.reason,
                e.ticket,
                e.details,
                hash.as_slice(),
                e.os_user,
                e.sudo_user,
                e.operator,
            ],
        )?;
        self.appended.borrow_mut().push(Record {
            id,
            entry: e.clone(),
            hash,
        });
        Ok(())
    }

    fn audit_anchor(&self) -> Result<Option<Anchor>> {
        let row: Option<(i64, Vec<u8>)> = self
            .tx
            .query_row("SELECT last_id, hash FROM audit_anchor WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(row.map(|(last_id, h)| Anchor {
            last_id,
            hash: h.try_into().unwrap_or(BROKEN),
        }))
    }

    /// Entries matching `f`, newest first, streamed to `each`. The WHERE clause holds
    /// only the filters given, so that SQLite can use the index for each (`subject`,
    /// `at`) instead of scanning the whole log.
    fn for_each_audit_matching(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(Record) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        let mut clauses: Vec<&str> = vec![];
        let mut args: Vec<rusqlite::types::Value> = vec![];
        let text = |v: &Option<String>| v.clone().map(rusqlite::types::Value::Text);
        for (clause, value) in [
            ("subject = ?", text(&f.user)),
            ("org = ?", text(&f.org)),
            ("action = ?", text(&f.action)),
            ("at >= ?", f.since.map(rusqlite::types::Value::Integer)),
            ("at < ?", f.until.map(rusqlite::types::Value::Integer)),
        ] {
            if let Some(v) = value {
                clauses.push(clause);
                args.push(v);
            }
        }
        let mut sql = format!("SELECT {COLUMNS} FROM audit");
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY id DESC");
        if let Some(limit) = f.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.tx.prepare_cached(&sql).map_err(StoreError::from)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args)).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            each(record(r).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// Every entry in chain order, streamed.
    fn for_each_audit(&self, each: &mut dyn FnMut(&Record)) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(&record(r).map_err(StoreError::from)?);
        }
        Ok(())
    }

    /// Removes entries older than `before`, moving the anchor to the last one removed,
    /// and records the prune in `audit_prunes`, which no prune removes. Returns how
    /// many entries went.
    fn prune_audit(&self, before: Timestamp, by: &Entry) -> Result<u64> {
        let now = by.time;
        let last: Option<(i64, Vec<u8>)> = self
            .tx
            .query_row(
                // Only the run of entries before the first one at or after the cutoff: if
                // the clock ever stepped back, a younger entry in the middle stays, and so
                // does everything after it.
                "SELECT id, hash FROM audit
                 WHERE id < coalesce((SELECT min(id) FROM audit WHERE at >= ?1), 9223372036854775807)
                 ORDER BY id DESC LIMIT 1",
                [before],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (removed, last_id, hash) = match last {
            Some((last_id, hash)) => {
                let removed = self.tx.execute("DELETE FROM audit WHERE id <= ?1", [last_id])?;
                self.tx.execute(
                    "INSERT INTO audit_anchor (one, last_id, hash, pruned_at) VALUES (1, ?1, ?2, ?3)
                     ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, pruned_at = excluded.pruned_at",
                    params![last_id, hash, now],
                )?;
                (removed, last_id, hash)
            }
            // Nothing that old: the prune is still on record, at the current anchor.
            None => match self.audit_anchor()? {
                Some(a) => (0, a.last_id, a.hash.to_vec()),
                None => (0, 0, GENESIS.to_vec()),
            },
        };
        self.tx.execute(
            "INSERT INTO audit_prunes (at, actor, os_user, sudo_user, before, removed, last_id, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                now,
                by.actor,
                by.os_user.as_deref().unwrap_or(""),
                by.sudo_user,
                before,
                removed as i64,
                last_id,
                hash
            ],
        )?;
        Ok(removed as u64)
    }

    /// Every prune ever made, oldest first.
    fn audit_prunes(&self) -> Result<Vec<PruneRecord>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT at, actor, os_user, sudo_user, before, removed, last_id FROM audit_prunes ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PruneRecord {
                at: r.get("at")?,
                actor: r.get("actor")?,
                os_user: r.get("os_user")?,
                sudo_user: r.get("sudo_user")?,
                before: r.get("before")?,
                removed: r.get::<_, i64>("removed")? as u64,
                last_id: r.get("last_id")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes login-history entries older than `before`; returns how many went.
    fn prune_history(&self, before: Timestamp) -> Result<u64> {
        Ok(self.tx.execute("DELETE FROM verifications WHERE at < ?1", [before])? as u64)
    }

    /// The user's most recent code checks, newest first.
    fn history(&self, user_id: i64, limit: u32) -> Result<Vec<HistoryRow>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT at, purpose, method, outcome, step_offset FROM verifications
             WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![user_id, limit], |r| {
            let outcome = r.get_ref("outcome")?.as_str()?;
            Ok(HistoryRow {
                at: r.get("at")?,
                purpose: {
                    let p = r.get_ref("purpose")?.as_str()?;
                    crate::factors::Purpose::parse(p).ok_or_else(|| super::bad_value("purpose", p))?
                },
                method: match r.get_ref("method")?.as_str_or_null()? {
                    None => None,
                    Some(m) => Some(super::kind_of(m)?),
                },
                outcome: Outcome::parse(outcome).ok_or_else(|| super::bad_value("outcome", outcome))?,
                step_offset: r.get("step_offset")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
