//! Copying a whole twofa database from one store to another (SQLite to PostgreSQL and
//! back): every table, row for row, ids and all, so the database id (and with it the
//! key file), the sealed secrets and the audit chain come across unchanged.
//!
//! Each backend has the same tables with the same columns ([`TABLES`]); a backend
//! moves rows as [`Value`]s through its [`Tables`](super::Tables) implementation.

use super::{Backend, Result, StoreError, Transaction};

/// A column's value, as it moves between backends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// A table that is copied: its name and its columns, in an order every backend uses.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// The primary key: rows are copied in its order.
    pub key: &'static str,
}

const fn table(name: &'static str, key: &'static str, columns: &'static [&'static str]) -> Table {
    Table { name, columns, key }
}

/// Every table that is copied, parents before children.
pub const TABLES: &[Table] = &[
    table("meta", "one", &["one", "db_id"]),
    table("settings", "key", &["key", "value"]),
    table("key_check", "one", &["one", "sealed"]),
    table(
        "users",
        "id",
        &[
            "id",
            "name",
            "created_at",
            "failed_attempts",
            "locked_until",
            "lockouts",
            "email",
            "sso",
            "global_admin",
            "step_up_failures",
            "step_up_locked_until",
            "step_up_lockouts",
        ],
    ),
    table(
        "orgs",
        "id",
        &[
            "id",
            "name",
            "created_at",
            "require_2fa",
            "grace_secs",
            "required_since",
            "allow_email",
        ],
    ),
    table(
        "memberships",
        "org_id, user_id",
        &["org_id", "user_id", "role", "joined_at", "deadline", "added_by"],
    ),
    table(
        "factors",
        "id",
        &[
            "id",
            "user_id",
            "kind",
            "state",
            "enrolled_at",
            "activated_at",
            "last_used_at",
            "secret",
            "sealed",
            "issuer",
            "algorithm",
            "digits",
            "period",
            "last_step",
            "salt",
        ],
    ),
    table("backup_codes", "id", &["id", "user_id", "hash"]),
    table(
        "email_codes",
        "factor_id",
        &["factor_id", "digest", "issued_at", "expires_at", "tries"],
    ),
    table("email_sends", "id", &["id", "user_id", "at"]),
    table(
        "verifications",
        "id",
        &["id", "user_id", "at", "purpose", "method", "outcome", "step_offset"],
    ),
    table(
        "audit",
        "id",
        &[
            "id",
            "at",
            "actor",
            "actor_via",
            "action",
            "subject",
            "org",
            "outcome",
            "reason",
            "ticket",
            "details",
            "hash",
            "os_user",
            "sudo_user",
            "operator",
        ],
    ),
    table("audit_anchor", "one", &["one", "last_id", "hash", "pruned_at"]),
    table(
        "audit_prunes",
        "id",
        &[
            "id",
            "at",
            "actor",
            "os_user",
            "sudo_user",
            "before",
            "removed",
            "last_id",
            "hash",
        ],
    ),
    // Queued mail goes along, so that a move loses no notice (a code's message still
    // leaves the queue when its code expires).
    table(
        "outbox",
        "id",
        &[
            "id",
            "created_at",
            "user_name",
            "recipient",
            "subject",
            "body",
            "sealed_body",
            "kind",
            "expires_at",
            "attempts",
            "last_error",
            "last_attempt_at",
            "claimed_until",
            "sent_at",
        ],
    ),
];

/// Tables that are not copied, and why.
pub const NOT_COPIED: &[(&str, &str)] = &[];

/// Tables whose rows make a database non-empty (the others hold a fresh database's
/// own rows: its id, its key check, settings).
const CONTENT: &[&str] = &["users", "orgs", "audit", "audit_prunes", "verifications"];

/// How many rows of each table came across.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Copied {
    pub tables: Vec<TableCount>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: u64,
}

impl Copied {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables.iter().find(|t| t.table == table).map_or(0, |t| t.rows)
    }
}

/// Copies everything of `from` into `to`, in one write transaction on `to` (all or
/// nothing), which is returned uncommitted so the caller can add its audit entry.
/// Refuses a target that holds any user, organization, audit entry or history.
pub fn copy<'t>(from: &dyn Transaction, to: Box<dyn Transaction + 't>) -> Result<(Box<dyn Transaction + 't>, Copied)> {
    for name in CONTENT {
        let t = TABLES
            .iter()
            .find(|t| t.name == *name)
            .expect("content tables are copied");
        if to.count_rows(t)? > 0 {
            return Err(StoreError::NotEmpty(format!("it has {name}")));
        }
    }
    let mut copied = Copied::default();
    for t in TABLES {
        to.clear_rows(t)?;
        let mut rows = 0;
        from.dump_rows(t, &mut |row| {
            rows += 1;
            to.load_row(t, &row)
        })?;
        copied.tables.push(TableCount { table: t.name, rows });
    }
    to.after_load()?;
    Ok((to, copied))
}

/// [`copy`] between two backends, committed.
pub fn copy_between(from: &mut dyn Backend, to: &mut dyn Backend) -> Result<Copied> {
    let src = from.read()?;
    let (dst, copied) = copy(&*src, to.write()?)?;
    dst.commit()?;
    Ok(copied)
}
