//! The PostgreSQL store, for several hosts verifying against one database. Every SQL
//! statement for PostgreSQL lives in this module, one file per concern as for SQLite.
//!
//! Writers are serialised from their first statement, as SQLite's `BEGIN IMMEDIATE`
//! does: a write transaction is `BEGIN ISOLATION LEVEL READ COMMITTED` and, in the same
//! round trip, `pg_advisory_xact_lock(WRITE_LOCK)`, one lock for the whole database,
//! held until commit or rollback. So no two write transactions, from any process on any
//! host, ever run at once: one acceptance per code, a lockout after exactly the limit,
//! a code spent once and a linear audit chain hold as on SQLite. READ COMMITTED rather
//! than SERIALIZABLE on purpose: the snapshot of a SERIALIZABLE (or REPEATABLE READ)
//! transaction is taken when its first statement starts, which is *before* the lock is
//! granted, so a writer that waited would read the state from before the writer ahead
//! of it committed and fail with a serialization failure on its first update; READ
//! COMMITTED reads, statement by statement, everything committed before the lock was
//! granted, and under the lock nothing else commits. Reads are `REPEATABLE READ READ
//! ONLY`: one consistent snapshot, never blocked, never failing to serialise.
//!
//! Waiting for the lock ends after [`BUSY_TIMEOUT`] (`lock_timeout`) as
//! [`StoreError::Busy`]; serialization failures and deadlocks (which the single lock
//! leaves no room for between twofa writers) are retried when they meet the start of
//! a transaction, and otherwise reported as [`StoreError::Busy`].

mod audit;
pub mod connect;
mod keys;
mod migrations;
mod orgs;
mod outbox;
mod tables;

use super::*;

use crate::clock::Timestamp;
use crate::factors::lockout::LockState;
use crate::factors::otp::{Algorithm, Params};
use crate::factors::{FactorKind, FactorState};
use crate::settings::Settings;
use ::postgres::types::{FromSql, ToSql, Type};
use ::postgres::{Client, Row};
use connect::Target;
use std::cell::{Cell, RefCell, RefMut};
use std::path::PathBuf;
use zeroize::Zeroizing;

pub use connect::is_url;
pub use migrations::LATEST as SCHEMA_VERSION;
#[doc(hidden)]
pub use migrations::MIGRATIONS;

/// The advisory lock every write transaction holds (a constant: "twofa" and 1).
pub const WRITE_LOCK: i64 = 0x7477_6f66_6101;
/// The advisory lock migrations run under, so that two hosts starting at once
/// migrate once.
pub const MIGRATE_LOCK: i64 = 0x7477_6f66_6102;

/// How often the start of a transaction is tried again after a serialization failure
/// or a deadlock.
const RETRIES: u32 = 3;

/// The engine's message as one short printable line.
fn engine_message(e: &::postgres::Error) -> String {
    const MAX: usize = 300;
    let text = match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{} ({d})", db.message()),
            None => db.message().to_string(),
        },
        None => connect::message(e),
    };
    let line = crate::text::names::printable(&text);
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.into_owned(),
    }
}

/// The SQLSTATE of a server error.
fn sqlstate(e: &::postgres::Error) -> Option<&str> {
    e.code().map(|c| c.code())
}

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        match sqlstate(&e) {
            // serialization_failure, deadlock_detected, lock_not_available, query_canceled
            Some("40001" | "40P01" | "55P03" | "57014") => StoreError::Busy,
            Some("25006") => StoreError::ReadOnly,
            Some("53100") => StoreError::Full,
            Some("58030") => StoreError::Io,
            Some("XX001" | "XX002") => StoreError::Corrupt(engine_message(&e)),
            Some("42501") => StoreError::Privilege(format!(
                "{} (the role twofa connects as lacks a privilege on twofa's tables)",
                engine_message(&e)
            )),
            _ if e.is_closed() => StoreError::Other("the connection to the PostgreSQL server was lost".into()),
            _ => StoreError::Other(engine_message(&e)),
        }
    }
}

/// A value the schema's constraints should have kept out.
fn bad_value(column: &str, value: impl std::fmt::Debug) -> StoreError {
    StoreError::Corrupt(format!("unexpected {column} {value:?}"))
}

/// A statement parameter that knows its PostgreSQL type, so that a statement goes to
/// the server in one round trip (parse, bind and execute together) instead of three.
pub(super) trait Param: ToSql + Sync {
    fn ty(&self) -> Type;
}

/// The PostgreSQL type of a Rust type, for [`Param`].
pub(super) trait HasType {
    const TY: Type;
}

macro_rules! has_type {
    ($($t:ty => $ty:ident),* $(,)?) => {$(
        impl HasType for $t {
            const TY: Type = Type::$ty;
        }
    )*};
}

has_type!(i64 => INT8, i32 => INT4, bool => BOOL, String => TEXT, Vec<u8> => BYTEA);

impl HasType for &str {
    const TY: Type = Type::TEXT;
}

impl HasType for &[u8] {
    const TY: Type = Type::BYTEA;
}

impl HasType for Vec<&[u8]> {
    const TY: Type = Type::BYTEA_ARRAY;
}

impl<T: HasType> HasType for Option<T> {
    const TY: Type = T::TY;
}

impl<T: HasType + ToSql + Sync> Param for T {
    fn ty(&self) -> Type {
        T::TY
    }
}

/// Parameters with their types, as `*_typed` takes them.
fn typed<'a>(params: &'a [&'a dyn Param]) -> Vec<(&'a (dyn ToSql + Sync), Type)> {
    params.iter().map(|p| (*p as &(dyn ToSql + Sync), p.ty())).collect()
}

/// Reading a column, with the error as a [`StoreError`].
trait Get {
    fn val<'a, T: FromSql<'a>>(&'a self, col: &str) -> Result<T>;
    /// A `BIGINT` column read as a `u32` (counts, digits, the period).
    fn u32(&self, col: &str) -> Result<u32>;
}

impl Get for Row {
    fn val<'a, T: FromSql<'a>>(&'a self, col: &str) -> Result<T> {
        self.try_get(col)
            .map_err(|e| StoreError::Corrupt(format!("column {col}: {}", connect::message(&e))))
    }

    fn u32(&self, col: &str) -> Result<u32> {
        let v: i64 = self.val(col)?;
        u32::try_from(v).map_err(|_| bad_value(col, v))
    }
}

fn kind_of(s: &str) -> Result<FactorKind> {
    FactorKind::parse(s).ok_or_else(|| bad_value("factor kind", s))
}

fn state_of(s: &str) -> Result<FactorState> {
    FactorState::parse(s).ok_or_else(|| bad_value("factor state", s))
}

/// Refuses a database written by a newer schema than this binary knows.
fn check_version(display: &str, version: i64) -> Result<()> {
    if version > migrations::LATEST as i64 {
        return Err(StoreError::TooNew {
            path: PathBuf::from(display),
            found: version,
            supported: migrations::LATEST,
        });
    }
    Ok(())
}

pub struct PgStore {
    client: Client,
    /// The URL without its password, for messages.
    display: String,
    witness: Option<Witness>,
    /// `SET LOCAL lock_timeout`, sent at the start of every transaction: a lock is
    /// waited for at most [`BUSY_TIMEOUT`], as on SQLite. Per transaction, not per
    /// connection: through a transaction-pooling PgBouncer a session setting would
    /// reach other clients, and a startup `options` parameter is refused.
    lock_timeout: String,
}

fn lock_timeout(wait: std::time::Duration) -> String {
    format!("SET LOCAL lock_timeout = {}", wait.as_millis())
}

impl PgStore {
    /// Connects to the database named by `url` (see [`connect`]) and migrates it.
    pub fn open(url: &str) -> Result<PgStore> {
        let target = Target::parse(url)?;
        let client = target.connect().map_err(|reason| StoreError::CannotOpen {
            path: PathBuf::from(&target.display),
            reason,
        })?;
        let mut store = PgStore {
            client,
            display: target.display,
            witness: None,
            lock_timeout: lock_timeout(BUSY_TIMEOUT),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The URL, without password or parameters.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Sends every audit entry, once committed, to `witness` as well.
    pub fn set_witness(&mut self, witness: Witness) {
        self.witness = Some(witness);
    }

    /// The schema version recorded, `None` where twofa never migrated: one round trip
    /// (a simple query, so no statement outlives it on a pooled server connection).
    fn version(&mut self) -> Result<Option<i64>> {
        let sql = format!(
            "BEGIN; {}; SELECT coalesce(max(version), 0)::BIGINT AS v FROM schema_version; COMMIT",
            self.lock_timeout
        );
        match self.client.simple_query(&sql) {
            Ok(messages) => {
                let v = messages.iter().find_map(|m| match m {
                    ::postgres::SimpleQueryMessage::Row(r) => Some(r.get("v").map(str::to_owned)),
                    _ => None,
                });
                match v.flatten().map(|v| v.parse::<i64>()) {
                    Some(Ok(v)) => Ok(Some(v)),
                    _ => Err(StoreError::Corrupt("schema_version: no version".into())),
                }
            }
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK");
                match sqlstate(&e) {
                    Some("42P01") => Ok(None),
                    _ => Err(e.into()),
                }
            }
        }
    }

    fn check_version(&self, version: i64) -> Result<()> {
        check_version(&self.display, version)
    }

    /// Applies the migrations this database lacks, each in a transaction of its own
    /// holding [`MIGRATE_LOCK`], with its `schema_version` row. A database with tables of
    /// its own but no `schema_version` is someone else's and is left alone.
    fn migrate(&mut self) -> Result<()> {
        let version = self.version()?;
        if let Some(v) = version {
            self.check_version(v)?;
            if v as usize == migrations::LATEST {
                return Ok(());
            }
        }
        self.migrate_locked()
    }

    fn migrate_locked(&mut self) -> Result<()> {
        let privilege = |e: ::postgres::Error| match sqlstate(&e) {
            Some("42501") => StoreError::Privilege(format!(
                "cannot create twofa's tables: {} (the role twofa connects as needs CREATE on the schema, or a role that has it must create the tables first)",
                engine_message(&e)
            )),
            _ => e.into(),
        };
        loop {
            let mut tx = self.client.transaction()?;
            // Each step holds the migration lock for its transaction only (a session
            // lock would not survive a transaction-pooling PgBouncer), and reads the
            // version again under it: a host that waited finds the work done.
            tx.batch_execute(&format!(
                "{}; SELECT pg_advisory_xact_lock({MIGRATE_LOCK})",
                self.lock_timeout
            ))?;
            let exists: bool = tx
                .query_one(
                    "SELECT to_regclass(quote_ident(current_schema()) || '.schema_version') IS NOT NULL AS e",
                    &[],
                )?
                .val("e")?;
            if !exists {
                let foreign: i64 = tx
                    .query_one(
                        "SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
                        &[],
                    )?
                    .val("n")?;
                if foreign > 0 {
                    return Err(StoreError::NotTwofa(PathBuf::from(&self.display)));
                }
                tx.batch_execute(migrations::VERSION_TABLE).map_err(privilege)?;
            }
            let from: i64 = tx
                .query_one("SELECT coalesce(max(version), 0)::BIGINT AS v FROM schema_version", &[])?
                .val("v")?;
            check_version(&self.display, from)?;
            let from = from as usize;
            if from == migrations::LATEST {
                return Ok(());
            }
            tx.batch_execute(migrations::MIGRATIONS[from]).map_err(privilege)?;
            if from == 0 {
                let mut id = [0u8; crate::secrets::crypto::DB_ID_LEN];
                getrandom::fill(&mut id)
                    .map_err(|e| StoreError::Other(format!("no randomness for the database id: {e}")))?;
                tx.execute("INSERT INTO meta (one, db_id) VALUES (1, $1)", &[&id.as_slice()])?;
            }
            tx.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&((from + 1) as i32)],
            )?;
            tx.commit()?;
        }
    }

    /// Starts a transaction with `begin` (one round trip), again after a serialization
    /// failure or a deadlock, a few times.
    fn begin(&mut self, begin: &str, write: bool) -> Result<Tx<'_>> {
        let mut tries = 0;
        loop {
            match self.client.batch_execute(begin) {
                Ok(()) => break,
                Err(e) => {
                    let _ = self.client.batch_execute("ROLLBACK");
                    tries += 1;
                    if tries < RETRIES && matches!(sqlstate(&e), Some("40001" | "40P01")) {
                        continue;
                    }
                    return Err(e.into());
                }
            }
        }
        Ok(Tx {
            client: RefCell::new(&mut self.client),
            open: Cell::new(true),
            failed: Cell::new(false),
            witness: if write { self.witness.as_deref() } else { None },
            appended: Default::default(),
            prepared: Default::default(),
        })
    }

    /// A read-write transaction holding the write lock from its first statement.
    pub fn write(&mut self) -> Result<Tx<'_>> {
        self.begin(
            &format!(
                "BEGIN ISOLATION LEVEL READ COMMITTED; {}; SELECT pg_advisory_xact_lock({WRITE_LOCK})",
                self.lock_timeout
            ),
            true,
        )
    }

    /// A read-only snapshot.
    pub fn read(&mut self) -> Result<Tx<'_>> {
        self.begin(
            &format!("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; {}", self.lock_timeout),
            false,
        )
    }

    /// PostgreSQL keeps removed rows until VACUUM; vacuum the tables that held secrets
    /// or hashes so that their space is reclaimed (best effort: PostgreSQL does not
    /// zero freed space, but nothing there was ever a plain secret).
    pub fn checkpoint(&mut self) -> Result<()> {
        Ok(self.client.batch_execute("VACUUM factors, backup_codes, email_codes")?)
    }
}

/// A transaction on a [`PgStore`]: rolled back when dropped uncommitted.
pub struct Tx<'c> {
    client: RefCell<&'c mut Client>,
    /// Not yet committed or rolled back.
    open: Cell<bool>,
    /// A statement failed: PostgreSQL has aborted the transaction, so a commit would
    /// silently roll back; [`Tx::commit`] says so instead.
    failed: Cell<bool>,
    witness: Option<&'c dyn Fn(&crate::audit::Record)>,
    /// Audit entries appended in this transaction, for the witness after the commit.
    appended: RefCell<Vec<crate::audit::Record>>,
    /// Statements prepared in this transaction (copying loads many rows alike).
    prepared: RefCell<std::collections::HashMap<String, ::postgres::Statement>>,
}

impl<'c> Tx<'c> {
    pub fn commit(self) -> Result<()> {
        if self.failed.get() {
            return Err(StoreError::Other(
                "a statement of the transaction failed, so nothing was committed".into(),
            ));
        }
        self.open.set(false);
        // Statements are closed inside the transaction, on the server connection
        // that prepared them (through a pooler the next transaction may have another).
        self.prepared.borrow_mut().clear();
        self.client.borrow_mut().batch_execute("COMMIT")?;
        if let Some(w) = self.witness {
            self.appended.borrow().iter().for_each(w);
        }
        Ok(())
    }

    fn client(&self) -> RefMut<'_, &'c mut Client> {
        self.client.borrow_mut()
    }

    fn track<T>(&self, r: std::result::Result<T, ::postgres::Error>) -> Result<T> {
        r.map_err(|e| {
            self.failed.set(true);
            e.into()
        })
    }

    fn exec(&self, sql: &str, params: &[&dyn Param]) -> Result<u64> {
        let r = self.client().execute_typed(sql, &typed(params));
        self.track(r)
    }

    fn rows(&self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>> {
        let r = self.client().query_typed(sql, &typed(params));
        self.track(r)
    }

    fn opt(&self, sql: &str, params: &[&dyn Param]) -> Result<Option<Row>> {
        let r = self.client().query_typed_opt(sql, &typed(params));
        self.track(r)
    }

    fn one(&self, sql: &str, params: &[&dyn Param]) -> Result<Row> {
        let r = self.client().query_typed_one(sql, &typed(params));
        self.track(r)
    }

    /// Streams the rows of `sql` to `each`, `CHUNK` at a time, through a portal: a
    /// long audit log is never held in memory at once, and `each` may use the
    /// transaction between chunks.
    fn stream(
        &self,
        sql: &str,
        params: &[&dyn Param],
        each: &mut dyn FnMut(Row) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        const CHUNK: i32 = 500;
        let cursor = format!(
            "twofa_cursor_{}",
            CURSORS.with(|c| {
                c.set(c.get() + 1);
                c.get()
            })
        );
        self.exec(&format!("DECLARE {cursor} NO SCROLL CURSOR FOR {sql}"), params)?;
        loop {
            let rows = self.rows(&format!("FETCH {CHUNK} FROM {cursor}"), &[])?;
            let done = rows.len() < CHUNK as usize;
            for row in rows {
                each(row)?;
            }
            if done {
                break;
            }
        }
        self.exec(&format!("CLOSE {cursor}"), &[])?;
        Ok(())
    }
}

thread_local! {
    /// Numbers the cursors of a connection's transactions apart.
    static CURSORS: Cell<u64> = const { Cell::new(0) };
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open.get() {
            self.prepared.get_mut().clear();
            let _ = self.client.get_mut().batch_execute("ROLLBACK");
        }
    }
}

fn user_row(r: &Row) -> Result<UserRow> {
    Ok(UserRow {
        id: r.val("id")?,
        name: r.val("name")?,
        created_at: r.val("created_at")?,
        lock: LockState {
            failures: r.u32("failed_attempts")?,
            locked_until: r.val("locked_until")?,
            lockouts: r.u32("lockouts")?,
        },
        step_up_lock: LockState {
            failures: r.u32("step_up_failures")?,
            locked_until: r.val("step_up_locked_until")?,
            lockouts: r.u32("step_up_lockouts")?,
        },
        email: r.val("email")?,
        sso: r.val("sso")?,
        global_admin: r.val("global_admin")?,
    })
}

/// Users, settings and the login history; the factor methods (the part of the schema
/// most likely to change) are together at the end.
impl Records for Tx<'_> {
    fn db_id(&self) -> Result<[u8; crate::secrets::crypto::DB_ID_LEN]> {
        let id: Vec<u8> = self.one("SELECT db_id FROM meta WHERE one = 1", &[])?.val("db_id")?;
        id.try_into()
            .map_err(|_| StoreError::Corrupt("the database id is not 16 bytes".into()))
    }

    fn user(&self, name: &str) -> Result<Option<UserRow>> {
        self.opt(
            "SELECT id, name, created_at, failed_attempts, locked_until, lockouts, email, sso, global_admin,
                    step_up_failures, step_up_locked_until, step_up_lockouts
             FROM users WHERE name = $1",
            &[&name],
        )?
        .as_ref()
        .map(user_row)
        .transpose()
    }

    fn insert_user(&self, name: &str, now: Timestamp) -> Result<UserRow> {
        let id: i64 = self
            .one(
                "INSERT INTO users (name, created_at) VALUES ($1, $2) RETURNING id",
                &[&name, &now],
            )?
            .val("id")?;
        Ok(UserRow {
            id,
            name: name.to_string(),
            created_at: now,
            lock: LockState::default(),
            step_up_lock: LockState::default(),
            email: None,
            sso: false,
            global_admin: false,
        })
    }

    fn set_lock(&self, user_id: i64, lock: &LockState) -> Result<()> {
        self.exec(
            "UPDATE users SET failed_attempts = $2, locked_until = $3, lockouts = $4 WHERE id = $1",
            &[
                &user_id,
                &i64::from(lock.failures),
                &lock.locked_until,
                &i64::from(lock.lockouts),
            ],
        )?;
        Ok(())
    }

    fn set_step_up_lock(&self, user_id: i64, lock: &LockState) -> Result<()> {
        self.exec(
            "UPDATE users SET step_up_failures = $2, step_up_locked_until = $3, step_up_lockouts = $4 WHERE id = $1",
            &[
                &user_id,
                &i64::from(lock.failures),
                &lock.locked_until,
                &i64::from(lock.lockouts),
            ],
        )?;
        Ok(())
    }

    fn log_attempt(&self, user_id: i64, a: &Attempt) -> Result<()> {
        self.exec(
            "INSERT INTO verifications (user_id, at, purpose, method, outcome, step_offset) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &user_id,
                &a.at,
                &a.purpose.as_str(),
                &a.method.map(FactorKind::as_str),
                &a.outcome.as_str(),
                &a.step_offset,
            ],
        )?;
        Ok(())
    }

    fn recent_offsets(&self, user_id: i64, since: Timestamp, limit: u32) -> Result<Vec<i64>> {
        self.rows(
            "SELECT step_offset FROM verifications
             WHERE user_id = $1 AND method = 'totp' AND outcome = 'accepted' AND step_offset IS NOT NULL
               AND at >= $2
             ORDER BY id DESC LIMIT $3",
            &[&user_id, &since, &i64::from(limit)],
        )?
        .iter()
        .map(|r| r.val("step_offset"))
        .collect()
    }

    fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::default();
        for row in self.rows("SELECT key, value FROM settings", &[])? {
            let (k, v): (String, String) = (row.val("key")?, row.val("value")?);
            // A value this version cannot read keeps its default rather than failing every command.
            let _ = settings.set(&k, &v);
        }
        Ok(settings)
    }

    fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.exec(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    // ---- factors: TOTP, email codes, backup codes ----

    fn factors(&self, user_id: i64) -> Result<Vec<FactorRow>> {
        let mut factors = self
            .rows(
                "SELECT id, kind, state, enrolled_at, activated_at, last_used_at FROM factors WHERE user_id = $1",
                &[&user_id],
            )?
            .iter()
            .map(|r| {
                Ok(FactorRow {
                    id: r.val("id")?,
                    kind: kind_of(r.val("kind")?)?,
                    state: state_of(r.val("state")?)?,
                    enrolled_at: r.val("enrolled_at")?,
                    activated_at: r.val("activated_at")?,
                    last_used_at: r.val("last_used_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        factors.sort_by_key(|f| f.kind);
        Ok(factors)
    }

    fn totp(&self, user_id: i64) -> Result<Option<TotpRow>> {
        let Some(r) = self.opt(
            "SELECT id, state, secret, issuer, algorithm, digits, period, enrolled_at, activated_at,
                    last_used_at, last_step, sealed
             FROM factors WHERE user_id = $1 AND kind = 'totp'",
            &[&user_id],
        )?
        else {
            return Ok(None);
        };
        let algorithm: &str = r.val("algorithm")?;
        let digits = r.u32("digits")?;
        Ok(Some(TotpRow {
            factor_id: r.val("id")?,
            state: state_of(r.val("state")?)?,
            secret: Zeroizing::new(r.val("secret")?),
            issuer: r.val("issuer")?,
            params: Params {
                algorithm: Algorithm::parse(algorithm).ok_or_else(|| bad_value("algorithm", algorithm))?,
                digits: u8::try_from(digits).map_err(|_| bad_value("digits", digits))?,
                period: r.u32("period")?,
            },
            enrolled_at: r.val("enrolled_at")?,
            activated_at: r.val("activated_at")?,
            last_used_at: r.val("last_used_at")?,
            last_step: r.val("last_step")?,
            sealed: r.val("sealed")?,
        }))
    }

    fn put_pending_totp(
        &self,
        user_id: i64,
        sealed_secret: &[u8],
        issuer: &str,
        params: &Params,
        now: Timestamp,
    ) -> Result<()> {
        self.exec(
            "DELETE FROM factors WHERE user_id = $1 AND kind = 'totp' AND state = 'pending'",
            &[&user_id],
        )?;
        self.exec(
            "INSERT INTO factors (user_id, kind, state, secret, sealed, issuer, algorithm, digits, period, enrolled_at)
             VALUES ($1, 'totp', 'pending', $2, true, $3, $4, $5, $6, $7)",
            &[
                &user_id,
                &sealed_secret,
                &issuer,
                &params.algorithm.as_str(),
                &i64::from(params.digits),
                &i64::from(params.period),
                &now,
            ],
        )?;
        Ok(())
    }

    fn activate_factor(&self, factor_id: i64, now: Timestamp, step: Option<i64>) -> Result<()> {
        self.exec(
            "UPDATE factors SET state = 'active', activated_at = $2, last_used_at = $2, last_step = $3
             WHERE id = $1 AND state = 'pending'",
            &[&factor_id, &now, &step],
        )?;
        Ok(())
    }

    fn mark_used(&self, factor_id: i64, now: Timestamp, step: Option<i64>) -> Result<()> {
        self.exec(
            "UPDATE factors SET last_used_at = $2, last_step = coalesce($3, last_step) WHERE id = $1",
            &[&factor_id, &now, &step],
        )?;
        Ok(())
    }

    fn delete_factor(&self, factor_id: i64) -> Result<()> {
        self.exec(
            "DELETE FROM backup_codes WHERE user_id = (SELECT user_id FROM factors WHERE id = $1 AND kind = 'backup')",
            &[&factor_id],
        )?;
        self.exec("DELETE FROM factors WHERE id = $1", &[&factor_id])?;
        Ok(())
    }

    fn delete_factors(&self, user_id: i64) -> Result<()> {
        self.exec("DELETE FROM backup_codes WHERE user_id = $1", &[&user_id])?;
        self.exec("DELETE FROM factors WHERE user_id = $1", &[&user_id])?;
        Ok(())
    }

    fn put_pending_email(&self, user_id: i64, now: Timestamp) -> Result<i64> {
        self.exec(
            "DELETE FROM factors WHERE user_id = $1 AND kind = 'email' AND state = 'pending'",
            &[&user_id],
        )?;
        self.one(
            "INSERT INTO factors (user_id, kind, state, enrolled_at) VALUES ($1, 'email', 'pending', $2) RETURNING id",
            &[&user_id, &now],
        )?
        .val("id")
    }

    fn email_code(&self, factor_id: i64) -> Result<Option<EmailCodeRow>> {
        self.opt(
            "SELECT digest, issued_at, expires_at, tries FROM email_codes WHERE factor_id = $1",
            &[&factor_id],
        )?
        .map(|r| {
            Ok(EmailCodeRow {
                digest: r.val("digest")?,
                issued_at: r.val("issued_at")?,
                expires_at: r.val("expires_at")?,
                tries: r.u32("tries")?,
            })
        })
        .transpose()
    }

    fn put_email_code(
        &self,
        factor_id: i64,
        digest: &[u8; 32],
        issued_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO email_codes (factor_id, digest, issued_at, expires_at, tries) VALUES ($1, $2, $3, $4, 0)
             ON CONFLICT (factor_id) DO UPDATE
             SET digest = excluded.digest, issued_at = excluded.issued_at, expires_at = excluded.expires_at, tries = 0",
            &[&factor_id, &digest.as_slice(), &issued_at, &expires_at],
        )?;
        Ok(())
    }

    fn email_code_tried(&self, factor_id: i64) -> Result<()> {
        self.exec(
            "UPDATE email_codes SET tries = tries + 1 WHERE factor_id = $1",
            &[&factor_id],
        )?;
        Ok(())
    }

    fn delete_email_code(&self, factor_id: i64) -> Result<()> {
        self.exec("DELETE FROM email_codes WHERE factor_id = $1", &[&factor_id])?;
        Ok(())
    }

    fn clear_email_codes(&self) -> Result<u64> {
        self.exec("DELETE FROM email_codes", &[])
    }

    fn email_sends(&self, user_id: i64, since: Timestamp) -> Result<Vec<Timestamp>> {
        self.rows(
            "SELECT at FROM email_sends WHERE user_id = $1 AND at >= $2 ORDER BY at",
            &[&user_id, &since],
        )?
        .iter()
        .map(|r| r.val("at"))
        .collect()
    }

    fn record_email_send(&self, user_id: i64, at: Timestamp) -> Result<()> {
        self.exec(
            "DELETE FROM email_sends WHERE user_id = $1 AND at < $2",
            &[&user_id, &at.saturating_sub(86_400)],
        )?;
        self.exec(
            "INSERT INTO email_sends (user_id, at) VALUES ($1, $2)",
            &[&user_id, &at],
        )?;
        Ok(())
    }

    fn backup_set(&self, user_id: i64) -> Result<Option<BackupSet>> {
        self.opt(
            "SELECT id, salt FROM factors WHERE user_id = $1 AND kind = 'backup'",
            &[&user_id],
        )?
        .map(|r| {
            Ok(BackupSet {
                factor_id: r.val("id")?,
                salt: r.val("salt")?,
            })
        })
        .transpose()
    }

    fn backup_hashes(&self, user_id: i64) -> Result<Vec<(i64, Vec<u8>)>> {
        self.rows("SELECT id, hash FROM backup_codes WHERE user_id = $1", &[&user_id])?
            .iter()
            .map(|r| Ok((r.val("id")?, r.val("hash")?)))
            .collect()
    }

    fn backup_count(&self, user_id: i64) -> Result<u32> {
        self.one("SELECT count(*) AS n FROM backup_codes WHERE user_id = $1", &[&user_id])?
            .u32("n")
    }

    fn spend_backup_code(&self, id: i64) -> Result<()> {
        self.exec("DELETE FROM backup_codes WHERE id = $1", &[&id])?;
        Ok(())
    }

    fn replace_backup_codes(&self, user_id: i64, salt: &[u8], hashes: &[[u8; 32]], now: Timestamp) -> Result<()> {
        self.exec("DELETE FROM backup_codes WHERE user_id = $1", &[&user_id])?;
        self.exec(
            "INSERT INTO factors (user_id, kind, state, enrolled_at, activated_at, salt)
             VALUES ($1, 'backup', 'active', $2, $2, $3)
             ON CONFLICT (user_id, kind) DO UPDATE SET salt = excluded.salt",
            &[&user_id, &now, &salt],
        )?;
        // One statement for the whole set.
        let hashes: Vec<&[u8]> = hashes.iter().map(|h| h.as_slice()).collect();
        self.exec(
            "INSERT INTO backup_codes (user_id, hash) SELECT $1, h FROM unnest($2::BYTEA[]) AS h",
            &[&user_id, &hashes],
        )?;
        Ok(())
    }
}

impl Backend for PgStore {
    fn write(&mut self) -> Result<Box<dyn Transaction + '_>> {
        Ok(Box::new(PgStore::write(self)?))
    }

    fn read(&mut self) -> Result<Box<dyn Transaction + '_>> {
        Ok(Box::new(PgStore::read(self)?))
    }

    fn checkpoint(&mut self) -> Result<()> {
        PgStore::checkpoint(self)
    }
}

impl Transaction for Tx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        Tx::commit(*self)
    }
}

/// Throw-away databases for tests: one per test, on the server a base URL names
/// (`TWOFA_TEST_PG`), dropped when done.
#[doc(hidden)]
pub mod testdb {
    use super::connect::Target;

    /// The environment variable naming the test server: a URL whose database the
    /// tests may connect to in order to create and drop their own.
    pub const ENV: &str = "TWOFA_TEST_PG";

    /// `pg_dump` of the database `url` names (its password from the environment, as
    /// for the tests' own connections), without the random key of the `\restrict`
    /// lines newer versions write: two dumps of an unchanged database are the same.
    pub fn pg_dump(url: &str) -> Vec<u8> {
        let out = std::process::Command::new("pg_dump")
            .arg("--dbname")
            .arg(url)
            .output()
            .expect("pg_dump runs (Debian package postgresql-client)");
        assert!(
            out.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
            .split_inclusive(|&b| b == b'\n')
            .filter(|line| !line.starts_with(b"\\restrict ") && !line.starts_with(b"\\unrestrict "))
            .flatten()
            .copied()
            .collect()
    }

    /// The base URL from [`ENV`], if the tests should use PostgreSQL.
    pub fn base() -> Option<String> {
        std::env::var(ENV).ok().filter(|u| !u.is_empty())
    }

    /// `url` with its database name replaced by `name`.
    pub fn with_dbname(url: &str, name: &str) -> String {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (url, None),
        };
        let (scheme, rest) = base.split_once("://").expect("a URL");
        let authority = rest.split('/').next().unwrap_or("");
        let mut out = format!("{scheme}://{authority}/{name}");
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        out
    }

    /// A database made for one test; dropped (connections and all) with this value.
    pub struct TestDatabase {
        base: String,
        pub name: String,
        pub url: String,
    }

    impl TestDatabase {
        pub fn create(base: &str) -> TestDatabase {
            TestDatabase::create_with(base, "")
        }

        /// The same, with `options` for `CREATE DATABASE` (a locale, say).
        pub fn create_with(base: &str, options: &str) -> TestDatabase {
            let mut raw = [0u8; 8];
            getrandom::fill(&mut raw).unwrap();
            let name = format!("twofa_t_{}", raw.iter().map(|b| format!("{b:02x}")).collect::<String>());
            let mut admin = Target::parse(base).unwrap().connect().unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE {name} {options}"))
                .unwrap();
            TestDatabase {
                url: with_dbname(base, &name),
                base: base.to_string(),
                name,
            }
        }

        /// A plain connection to the server's database that `url` names.
        pub fn connect(url: &str) -> ::postgres::Client {
            Target::parse(url).unwrap().connect().unwrap()
        }

        /// A plain connection to the database, for tests that look behind twofa's back.
        pub fn client(&self) -> ::postgres::Client {
            Target::parse(&self.url).unwrap().connect().unwrap()
        }
    }

    impl Drop for TestDatabase {
        fn drop(&mut self) {
            if let Ok(mut admin) =
                Target::parse(&self.base).and_then(|t| t.connect().map_err(|e| super::StoreError::Other(e.to_string())))
            {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Against a real server (`TWOFA_TEST_PG`); without one these are reported as
    //! ignored. The service tests run on PostgreSQL too, through the fixture.
    use super::testdb::{TestDatabase, base};
    use super::*;

    fn db() -> TestDatabase {
        TestDatabase::create(&base().expect("TWOFA_TEST_PG names a server"))
    }

    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn migrations_run_once_and_reopen_cleanly() {
        let db = db();
        let mut store = PgStore::open(&db.url).unwrap();
        let id = store.read().unwrap().db_id().unwrap();
        drop(store);
        let mut store = PgStore::open(&db.url).unwrap();
        assert_eq!(store.read().unwrap().db_id().unwrap(), id, "the id stays");
        let versions: Vec<i32> = db
            .client()
            .query("SELECT version FROM schema_version ORDER BY version", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, (1..=SCHEMA_VERSION as i32).collect::<Vec<_>>());
        let tx = store.write().unwrap();
        let u = tx.insert_user("alice", 1).unwrap();
        assert_eq!(tx.user("alice").unwrap().unwrap().id, u.id);
        tx.commit().unwrap();
    }

    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn hosts_starting_at_once_migrate_once() {
        let db = db();
        let ids: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|_| s.spawn(|| PgStore::open(&db.url).unwrap().read().unwrap().db_id().unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "one database id");
        let n: i64 = db
            .client()
            .query_one("SELECT count(*) FROM schema_version", &[])
            .unwrap()
            .get(0);
        assert_eq!(n as usize, SCHEMA_VERSION);
    }

    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn a_newer_schema_is_refused_and_left_alone() {
        let db = db();
        drop(PgStore::open(&db.url).unwrap());
        db.client()
            .batch_execute("INSERT INTO schema_version (version) VALUES (999)")
            .unwrap();
        let err = PgStore::open(&db.url).err().expect("refused");
        assert!(matches!(err, StoreError::TooNew { found: 999, .. }), "{err}");
    }

    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn a_database_of_someone_else_is_refused_untouched() {
        let db = db();
        db.client().batch_execute("CREATE TABLE t (x INT)").unwrap();
        assert!(matches!(PgStore::open(&db.url), Err(StoreError::NotTwofa(_))));
        let n: i64 = db
            .client()
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(n, 1, "nothing created");
    }

    /// Every writer reads, waits, then writes what it read plus one: with writers
    /// serialised from their first statement no increment is lost, and none fails.
    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn writers_are_serialised_from_their_first_statement() {
        let db = db();
        PgStore::open(&db.url).unwrap();
        const N: usize = 8;
        std::thread::scope(|s| {
            for _ in 0..N {
                s.spawn(|| {
                    let mut store = PgStore::open(&db.url).unwrap();
                    let tx = store.write().unwrap();
                    let n: i64 = tx
                        .opt("SELECT value FROM settings WHERE key = 'n'", &[])
                        .unwrap()
                        .map_or(0, |r| r.val::<String>("value").unwrap().parse().unwrap());
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    tx.put_setting("n", &(n + 1).to_string()).unwrap();
                    tx.commit().unwrap();
                });
            }
        });
        let mut store = PgStore::open(&db.url).unwrap();
        let tx = store.read().unwrap();
        let n: String = tx
            .one("SELECT value FROM settings WHERE key = 'n'", &[])
            .unwrap()
            .val("value")
            .unwrap();
        assert_eq!(n, N.to_string());
    }

    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn a_failed_statement_is_never_committed_as_if_it_were_fine() {
        let db = db();
        let mut store = PgStore::open(&db.url).unwrap();
        let tx = store.write().unwrap();
        tx.insert_user("alice", 1).unwrap();
        assert!(tx.insert_user("alice", 1).is_err(), "a duplicate");
        assert!(tx.commit().is_err());
        assert!(store.read().unwrap().user("alice").unwrap().is_none());
        // The connection is usable after the rollback.
        let tx = store.write().unwrap();
        tx.insert_user("alice", 1).unwrap();
        tx.commit().unwrap();
        let tx = store.read().unwrap();
        assert!(tx.user("alice").unwrap().is_some());
        assert!(
            matches!(tx.insert_user("bob", 1), Err(StoreError::ReadOnly)),
            "reads are read-only"
        );
    }

    /// Listings sort by the bytes of names, as on SQLite, whatever the database's
    /// collation (here ICU's English one, which would put `adam` before `Zed`).
    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn listings_sort_by_bytes_under_a_linguistic_collation() {
        let db = TestDatabase::create_with(
            &base().unwrap(),
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' TEMPLATE template0",
        );
        let mut store = PgStore::open(&db.url).unwrap();
        let tx = store.write().unwrap();
        for name in ["bob", "Zed", "adam"] {
            tx.insert_user(name, 1).unwrap();
        }
        tx.commit().unwrap();
        let mut client = db.client();
        let linguistic: Vec<String> = client
            .query("SELECT name FROM users ORDER BY name", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(linguistic, ["adam", "bob", "Zed"], "the database's own order differs");
        let listed: Vec<String> = store
            .read()
            .unwrap()
            .list_users()
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(listed, ["Zed", "adam", "bob"]);
    }

    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn a_writer_waiting_too_long_is_told_busy() {
        let db = db();
        let mut holder = PgStore::open(&db.url).unwrap();
        let _held = holder.write().unwrap();
        let mut store = PgStore::open(&db.url).unwrap();
        store.lock_timeout = lock_timeout(std::time::Duration::from_millis(200));
        assert!(matches!(store.write().err(), Some(StoreError::Busy)));
        // Reads are not blocked by a writer.
        assert!(store.read().unwrap().user("x").unwrap().is_none());
    }

    /// Every table of the PostgreSQL schema is copied (or listed as not), with exactly
    /// the columns SQLite's has: a migration of one backend cannot leave the other or
    /// the copy behind.
    #[test]
    #[cfg_attr(
        not(twofa_pg),
        ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
    )]
    fn the_schema_matches_the_copy_and_sqlite() {
        use crate::store::copy::{NOT_COPIED, TABLES};
        let db = db();
        PgStore::open(&db.url).unwrap();
        let mut client = db.client();
        let tables: Vec<String> = client
            .query(
                "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version' ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for name in &tables {
            if NOT_COPIED.iter().any(|(n, _)| n == name) {
                continue;
            }
            let t = TABLES
                .iter()
                .find(|t| t.name == name)
                .unwrap_or_else(|| panic!("table {name} is neither copied nor listed in NOT_COPIED"));
            let mut columns: Vec<String> = client
                .query(
                    "SELECT column_name::TEXT FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
                    &[name],
                )
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut known: Vec<String> = t.columns.iter().map(|c| c.to_string()).collect();
            columns.sort();
            known.sort();
            assert_eq!(columns, known, "columns of {name}");
        }
        assert_eq!(tables.len(), TABLES.len() + NOT_COPIED.len(), "{tables:?}");
    }

    /// A self-signed CA that signed nothing of the test server's (no key kept).
    const UNRELATED_CA: &str = "-----BEGIN CERTIFICATE-----\n\
MIIDDzCCAfegAwIBAgIULv999NCzlBWVYJrWH5KVQHPC2U8wDQYJKoZIhvcNAQEL\n\
BQAwFzEVMBMGA1UEAwwMdW5yZWxhdGVkIENBMB4XDTI2MTEyMzIwNDQzMloXDTM2\n\
MTEyMDIwNDQzMlowFzEVMBMGA1UEAwwMdW5yZWxhdGVkIENBMIIBIjANBgkqhkiG\n\
9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzUsikdYtRULQIROztEDTn4wtTiYLWjGD66t+\n\
OcbZo0tY3lE/Oe5OTP+Eisq+qRMKMGTuwpZoBNT/Z97oEITO03s8xRFbsfE8GgUc\n\
tLKSwIUAR5+5GvWyZx9OGzmnoLmUAO2iEKF5HnQf4R4WgjadISGpRlSay54QdmOR\n\
/pmAOsHoclxF1g3DHeVHZuSmldZo1NcaJbwAy95T4f/Im+kK376Z9O2p+w6Wbc6S\n\
c+8Eyr9ySR8TagtOmBw+soAaex/7JfBDbJck9FpEd9pOVuitMMYE+FHfIk5Qjt5I\n\
BcSz/hjY0qqB6xAnxNjRtMlQ3P21CwxzDlevDXrtqTNjPyli2QIDAQABo1MwUTAd\n\
BgNVHQ4EFgQUS+t5L4LbagVDebhsqCP99nGo0L8wHwYDVR0jBBgwFoAUS+t5L4Lb\n\
agVDebhsqCP99nGo0L8wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC\n\
AQEARbK3rxb4cJqBbaXSmgJNtiC+0fO5v/UWDzNWTJxl0WGdHb9k0LyE2vqsunxP\n\
l3zM4kcuJ87X5m1SJRz3Wiz5ywswczI6/eSHWz7Ff9DQiMdQzDCrJrs2KFp8j5e1\n\
RcdBESJkz2p8iW+PZt3+n9Og2meMamVbmptCqhluVVdAo57ClZQ2aOn1r6Yyncb+\n\
m98KIEwTOM/D5/VV//zLJ8gVIzG9NBtItL+RM/YkRpk/Cprk1qWDTHzWTHDqCZAY\n\
u7sYvorUSu/npBBQ7GwwDreZS5IvgoAVLDN/qbQBbrs0hB0ju9bRmWn57LlT5wLB\n\
MEKRL5Sj/9APAdBYQlQZxbdPcA==\n\
-----END CERTIFICATE-----\n";

    /// `url` with more parameters.
    fn with(url: &str, more: &str) -> String {
        format!("{url}{}{more}", if url.contains('?') { '&' } else { '?' })
    }

    fn encrypted(store: &mut PgStore) -> bool {
        store
            .client
            .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
            .unwrap()
            .get(0)
    }

    /// `TWOFA_TEST_PG_CA` is the CA that signed the test server's certificate (for
    /// `localhost`): `verify-full` connects with it, and not with another CA.
    #[test]
    #[cfg_attr(
        not(twofa_pg_tls),
        ignore = "no TLS test server: set TWOFA_TEST_PG (host localhost) and TWOFA_TEST_PG_CA to run"
    )]
    fn tls_verify_full_checks_the_server_against_the_ca() {
        let ca = std::env::var("TWOFA_TEST_PG_CA").unwrap();
        let db = db();
        let mut store = PgStore::open(&with(&db.url, &format!("sslmode=verify-full&sslrootcert={ca}"))).unwrap();
        assert!(encrypted(&mut store), "verify-full is encrypted");
        let mut store = PgStore::open(&with(&db.url, "sslmode=require")).unwrap();
        assert!(encrypted(&mut store), "require is encrypted");
        let mut store = PgStore::open(&with(&db.url, "sslmode=disable")).unwrap();
        assert!(!encrypted(&mut store), "disable is not");
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.crt");
        std::fs::write(&other, UNRELATED_CA).unwrap();
        let err = PgStore::open(&with(
            &db.url,
            &format!("sslmode=verify-full&sslrootcert={}", other.display()),
        ))
        .err()
        .expect("a server the CA did not sign is refused");
        assert!(
            matches!(&err, StoreError::CannotOpen { reason, .. } if reason.contains("certificate")),
            "{err}"
        );
    }
}
