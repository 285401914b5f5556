//! SQL for the audit log, its anchor and prunes, and the login history.
//!
//! The chain never forks: an entry is appended only inside a write transaction, which
//! holds the database's one write lock (see the module above), so the newest entry read
//! here is the newest there is until the commit.

use super::super::{AuditLog, *};
use super::{Get, Param, Result, StoreError, Tx};
use crate::actor::Via;
use crate::audit::{self, Entry, GENESIS, Hash, Outcome, Record};
use crate::clock::Timestamp;
use ::postgres::Row;

const COLUMNS: &str = "id, at, actor, actor_via, action, subject, org, outcome, reason, ticket, details, hash, os_user, sudo_user, operator";

fn record(r: &Row) -> Result<Record> {
    let via = Via::parse(r.val("actor_via")?);
    let outcome = Outcome::parse(r.val("outcome")?);
    let hash: Vec<u8> = r.val("hash")?;
    Ok(Record {
        id: r.val("id")?,
        entry: Entry {
            time: r.val("at")?,
            actor: r.val("actor")?,
            actor_via: via.unwrap_or(Via::Api),
            os_user: r.val("os_user")?,
            sudo_user: r.val("sudo_user")?,
            operator: r.val("operator")?,
            action: r.val("action")?,
            subject: r.val("subject")?,
            org: r.val("org")?,
            outcome: outcome.unwrap_or(Outcome::Denied),
            reason: r.val("reason")?,
            ticket: r.val("ticket")?,
            details: r.val("details")?,
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
    fn append_audit(&self, e: &Entry) -> Result<()> {
        let last = self.opt("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &[])?;
        let (prev_id, prev) = match last {
            Some(r) => (r.val("id")?, r.val::<Vec<u8>>("hash")?.try_into().unwrap_or(BROKEN)),
            None => match self.audit_anchor()? {
                Some(a) => (a.last_id, a.hash),
                None => (0, GENESIS),
            },
        };
        let id = prev_id + 1;
        let hash = audit::chain(&prev, id, e);
        self.exec(
            "INSERT INTO audit (id, at, actor, actor_via, action, subject, org, outcome, reason, ticket, details, hash,
                                os_user, sudo_user, operator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            &[
                &id,
                &e.time,
                &e.actor,
                &e.actor_via.as_str(),
                &e.action,
                &e.subject,
                &e.org,
                &e.outcome.as_str(),
                &e.reason,
                &e.ticket,
                &e.details,
                &hash.as_slice(),
                &e.os_user,
                &e.sudo_user,
                &e.operator,
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
        self.opt("SELECT last_id, hash FROM audit_anchor WHERE one = 1", &[])?
            .map(|r| {
                Ok(Anchor {
                    last_id: r.val("last_id")?,
                    hash: r.val::<Vec<u8>>("hash")?.try_into().unwrap_or(BROKEN),
                })
            })
            .transpose()
    }

    fn for_each_audit_matching(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(Record) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        let mut clauses: Vec<String> = vec![];
        let mut args: Vec<Box<dyn Param>> = vec![];
        let mut add = |clause: &str, value: Box<dyn Param>| {
            args.push(value);
            clauses.push(format!("{clause} ${}", args.len()));
        };
        if let Some(v) = &f.user {
            add("subject =", Box::new(v.clone()));
        }
        if let Some(v) = &f.org {
            add("org =", Box::new(v.clone()));
        }
        if let Some(v) = &f.action {
            add("action =", Box::new(v.clone()));
        }
        if let Some(v) = f.since {
            add("at >=", Box::new(v));
        }
        if let Some(v) = f.until {
            add("at <", Box::new(v));
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
        let params: Vec<&dyn Param> = args.iter().map(|a| a.as_ref()).collect();
        self.stream(&sql, &params, &mut |row| each(record(&row)?))
    }

    fn for_each_audit(&self, each: &mut dyn FnMut(&Record)) -> Result<()> {
        let result = self.stream(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"), &[], &mut |row| {
            each(&record(&row)?);
            Ok(())
        });
        match result {
            Ok(()) => Ok(()),
            Err(crate::error::Error::Storage(e)) => Err(e),
            Err(e) => Err(StoreError::Other(e.to_string())),
        }
    }

    fn prune_audit(&self, before: Timestamp, by: &Entry) -> Result<u64> {
        let now = by.time;
        let last = self.opt(
            // Only the run of entries before the first one at or after the cutoff: if
            // the clock ever stepped back, a younger entry in the middle stays, and so
            // does everything after it.
            "SELECT id, hash FROM audit
             WHERE id < coalesce((SELECT min(id) FROM audit WHERE at >= $1), 9223372036854775807)
             ORDER BY id DESC LIMIT 1",
            &[&before],
        )?;
        let (removed, last_id, hash) = match last {
            Some(r) => {
                let (last_id, hash): (i64, Vec<u8>) = (r.val("id")?, r.val("hash")?);
                let removed = self.exec("DELETE FROM audit WHERE id <= $1", &[&last_id])?;
                self.exec(
                    "INSERT INTO audit_anchor (one, last_id, hash, pruned_at) VALUES (1, $1, $2, $3)
                     ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, pruned_at = excluded.pruned_at",
                    &[&last_id, &hash, &now],
                )?;
                (removed, last_id, hash)
            }
            // Nothing that old: the prune is still on record, at the current anchor.
            None => match self.audit_anchor()? {
                Some(a) => (0, a.last_id, a.hash.to_vec()),
                None => (0, 0, GENESIS.to_vec()),
            },
        };
        self.exec(
            "INSERT INTO audit_prunes (at, actor, os_user, sudo_user, before, removed, last_id, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &now,
                &by.actor,
                &by.os_user.as_deref().unwrap_or(""),
                &by.sudo_user,
                &before,
                &(removed as i64),
                &last_id,
                &hash,
            ],
        )?;
        Ok(removed)
    }

    fn audit_prunes(&self) -> Result<Vec<PruneRecord>> {
        self.rows(
            "SELECT at, actor, os_user, sudo_user, before, removed, last_id FROM audit_prunes ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(PruneRecord {
                at: r.val("at")?,
                actor: r.val("actor")?,
                os_user: r.val("os_user")?,
                sudo_user: r.val("sudo_user")?,
                before: r.val("before")?,
                removed: r.val::<i64>("removed")? as u64,
                last_id: r.val("last_id")?,
            })
        })
        .collect()
    }

    fn prune_history(&self, before: Timestamp) -> Result<u64> {
        self.exec("DELETE FROM verifications WHERE at < $1", &[&before])
    }

    fn history(&self, user_id: i64, limit: u32) -> Result<Vec<HistoryRow>> {
        self.rows(
            "SELECT at, purpose, method, outcome, step_offset FROM verifications
             WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
            &[&user_id, &i64::from(limit)],
        )?
        .iter()
        .map(|r| {
            let outcome: &str = r.val("outcome")?;
            Ok(HistoryRow {
                at: r.val("at")?,
                purpose: {
                    let p: &str = r.val("purpose")?;
                    crate::factors::Purpose::parse(p).ok_or_else(|| super::bad_value("purpose", p))?
                },
                method: r.val::<Option<&str>>("method")?.map(super::kind_of).transpose()?,
                outcome: Outcome::parse(outcome).ok_or_else(|| super::bad_value("outcome", outcome))?,
                step_offset: r.val("step_offset")?,
            })
        })
        .collect()
    }
}
