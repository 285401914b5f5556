//! The SQLite store: every SQL statement of twofa lives in this module, so that another
//! backend can stand in for it without touching the commands or the core.
//!
//! Every write goes through [`Store::write`], one `BEGIN IMMEDIATE` transaction: the
//! write lock is taken before anything is read, so two processes can never both read
//! the same state and both act on it (a code accepted twice, a guess past the limit).

mod audit;
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
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;
use zeroize::Zeroizing;

pub use migrations::LATEST as SCHEMA_VERSION;
/// The schema migrations, for tests that build databases of older versions.
#[doc(hidden)]
pub use migrations::MIGRATIONS;

/// The engine's message as one short printable line: from a damaged file it can
/// quote whatever bytes the damage left in the schema.
fn engine_message(e: &rusqlite::Error) -> String {
    const MAX: usize = 200;
    let text = e.to_string();
    let line = crate::text::names::printable(&text);
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.into_owned(),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::Full,
            Some(ErrorCode::SystemIoFailure) => StoreError::Io,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(engine_message(&e)),
            _ => StoreError::Other(engine_message(&e)),
        }
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    witness: Option<Witness>,
}

impl Store {
    /// Opens (creating if needed, owner-only) and migrates the database at `path`.
    /// The database and its `-wal` and `-shm` files must belong to the effective user
    /// and be private to them; otherwise nothing is read or written.
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsDirectory(path.to_path_buf()));
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            crate::secrets::files::check_private(Path::new(&p)).map_err(StoreError::Unsafe)?;
        }
        create_owner_only(path)?;
        let cannot_open = |reason: String| StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason,
        };
        // Ask the OS first: its error ("Permission denied") says more than SQLite's.
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| cannot_open(e.to_string()))?;
        // SQLite treats a file shorter than a page as empty and would happily write a
        // database over it: refuse any non-empty file without SQLite's header.
        let mut header = [0u8; 16];
        let len = file.metadata().map_err(|e| cannot_open(e.to_string()))?.len();
        if len > 0 {
            use std::io::Read;
            if file.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
                return Err(StoreError::NotADatabase(path.to_path_buf()));
            }
        }
        drop(file);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| cannot_open(e.to_string()))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            witness: None,
        };
        store.configure().map_err(|e| store.explain(e))?;
        store.migrate()?;
        Ok(store)
    }

    /// Moves every committed page from the WAL into the database file and empties
    /// the WAL (after sealing plain secrets, so none stays behind in it).
    pub fn checkpoint(&mut self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| self.explain(e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sends every audit entry, once committed, to `witness` as well.
    pub fn set_witness(&mut self, witness: Witness) {
        self.witness = Some(witness);
    }

    /// Per-connection settings; they are not persistent, so not part of a migration.
    fn configure(&mut self) -> rusqlite::Result<()> {
        self.conn.busy_handler(Some(prompt_retry()))?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // FULL: a committed change survives power loss, not just a killed process.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // Deleted content (an old sealed secret, a spent backup code's hash) is
        // overwritten with zeros rather than left in free pages.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        // One durable write per check: no checkpoint when the process closes the
        // database, and the WAL file stays (with its header) for the next process
        // instead of being deleted and created again. Checkpoints happen as the WAL
        // grows (SQLite's auto-checkpoint, every 1000 pages).
        self.conn
            .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let mut persist: std::ffi::c_int = 1;
        // SAFETY: a valid open connection, the "main" schema, and a pointer to a live
        // int, as SQLITE_FCNTL_PERSIST_WAL expects.
        unsafe {
            rusqlite::ffi::sqlite3_file_control(
                self.conn.handle(),
                c"main".as_ptr(),
                rusqlite::ffi::SQLITE_FCNTL_PERSIST_WAL,
                (&raw mut persist).cast(),
            );
        }
        Ok(())
    }

    /// WAL mode is persistent in the file; switching needs a moment of exclusive
    /// access, and SQLite answers BUSY at once rather than waiting, so retry.
    fn use_wal(&mut self) -> Result<()> {
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let mode: rusqlite::Result<String> = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0));
            let result = match mode {
                Ok(m) if m.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(_) => self
                    .conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)),
                Err(e) => Err(e),
            };
            match result {
                Ok(m) if m.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(m) => {
                    return Err(StoreError::Other(format!(
                        "the database stays in journal mode {m}, not WAL"
                    )));
                }
                Err(e)
                    if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(self.explain(e)),
            }
        }
    }

    /// Turns an SQLite error met while opening into one that names the file.
    fn explain(&self, e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(self.path.clone()),
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen {
                path: self.path.clone(),
                reason: e.to_string(),
            },
            _ => e.into(),
        }
    }

    fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
    }

    fn has_foreign_tables(&self) -> Result<bool> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.explain(e))?;
        Ok(n > 0)
    }

    fn migrate(&mut self) -> Result<()> {
        // Read-only look first: a newer or foreign database is refused untouched
        // (not even switched to WAL).
        let version = Self::user_version(&self.conn).map_err(|e| self.explain(e))?;
        check_version(&self.path, version)?;
        if version == 0 && self.has_foreign_tables()? && Self::user_version(&self.conn)? == 0 {
            // (Tables with version 0 could be another twofa mid-migration; its version
            // and tables commit together, so reading the version again settles it.)
            return Err(StoreError::NotTwofa(self.path.clone()));
        }
        self.use_wal()?;
        if version as usize == migrations::LATEST {
            return Ok(());
        }
        loop {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Decide under the write lock: another process may have migrated meanwhile.
            let version = Self::user_version(&tx)?;
            check_version(&self.path, version)?;
            let from = version as usize;
            if from == migrations::LATEST {
                return Ok(());
            }
            tx.execute_batch(migrations::MIGRATIONS[from])?;
            tx.pragma_update(None, "user_version", (from + 1) as i64)?;
            tx.commit()?;
        }
    }

    /// A read-write transaction holding the write lock from its first statement.
    pub fn write(&mut self) -> Result<Tx<'_>> {
        Ok(Tx {
            tx: self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            witness: self.witness.as_deref(),
            appended: Default::default(),
        })
    }

    /// A read-only snapshot.
    pub fn read(&mut self) -> Result<Tx<'_>> {
        Ok(Tx {
            tx: self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?,
            witness: None,
            appended: Default::default(),
        })
    }
}

/// A busy handler that retries promptly, with jitter, until [`BUSY_TIMEOUT`]. SQLite's
/// own (`busy_timeout`) sleeps up to 100 ms between tries, so under contention a
/// waiting check can sleep long after the lock is free: a poor p99 for logins.
fn prompt_retry() -> impl FnMut(i32) -> bool + Send + 'static {
    let mut started = std::time::Instant::now();
    let mut seed = u64::from(std::process::id()) | 1;
    move |tries| {
        let now = std::time::Instant::now();
        if tries == 0 {
            started = now;
        }
        if now.duration_since(started) >= BUSY_TIMEOUT {
            return false;
        }
        // xorshift: jitter so that waiting processes do not retry in lockstep.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let cap = 100 * (1 + tries.clamp(0, 20) as u64);
        std::thread::sleep(Duration::from_micros(50 + seed % cap));
        true
    }
}

/// Refuses a database written by a newer schema than this binary knows.
fn check_version(path: &Path, version: i64) -> Result<()> {
    if version > migrations::LATEST as i64 {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    Ok(())
}

/// Creates the database file with mode 0600 if it does not exist. SQLite gives the
/// -wal and -shm files the same mode as the database, so they are owner-only too.
fn create_owner_only(path: &Path) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
    witness: Option<&'c dyn Fn(&crate::audit::Record)>,
    /// Audit entries appended in this transaction, for the witness after the commit.
    appended: std::cell::RefCell<Vec<crate::audit::Record>>,
}

impl Tx<'_> {
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        if let Some(w) = self.witness {
            self.appended.borrow().iter().for_each(w);
        }
        Ok(())
    }
}

impl Records for Tx<'_> {
    /// The database's random id (made by the migration that introduced it).
    fn db_id(&self) -> Result<[u8; crate::secrets::crypto::DB_ID_LEN]> {
        let id: Vec<u8> = self
            .tx
            .query_row("SELECT db_id FROM meta WHERE one = 1", [], |r| r.get(0))?;
        id.try_into()
            .map_err(|_| StoreError::Corrupt("the database id is not 16 bytes".into()))
    }

    fn user(&self, name: &str) -> Result<Option<UserRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, name, created_at, failed_attempts, locked_until, lockouts, email, sso, global_admin,
                        step_up_failures, step_up_locked_until, step_up_lockouts
                 FROM users WHERE name = ?1",
                [name],
                |r| {
                    Ok(UserRow {
                        id: r.get("id")?,
                        name: r.get("name")?,
                        created_at: r.get("created_at")?,
                        lock: LockState {
                            failures: r.get("failed_attempts")?,
                            locked_until: r.get("locked_until")?,
                            lockouts: r.get("lockouts")?,
                        },
                        step_up_lock: LockState {
                            failures: r.get("step_up_failures")?,
                            locked_until: r.get("step_up_locked_until")?,
                            lockouts: r.get("step_up_lockouts")?,
                        },
                        email: r.get("email")?,
                        sso: r.get("sso")?,
                        global_admin: r.get("global_admin")?,
                    })
                },
            )
            .optional()?)
    }

    fn insert_user(&self, name: &str, now: Timestamp) -> Result<UserRow> {
        self.tx.execute(
            "INSERT INTO users (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        Ok(UserRow {
            id: self.tx.last_insert_rowid(),
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
        self.tx.execute(
            "UPDATE users SET failed_attempts = ?2, locked_until = ?3, lockouts = ?4 WHERE id = ?1",
            params![user_id, lock.failures, lock.locked_until, lock.lockouts],
        )?;
        Ok(())
    }

    fn set_step_up_lock(&self, user_id: i64, lock: &LockState) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET step_up_failures = ?2, step_up_locked_until = ?3, step_up_lockouts = ?4 WHERE id = ?1",
            params![user_id, lock.failures, lock.locked_until, lock.lockouts],
        )?;
        Ok(())
    }

    fn factors(&self, user_id: i64) -> Result<Vec<FactorRow>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, kind, state, enrolled_at, activated_at, last_used_at FROM factors WHERE user_id = ?1",
        )?;
        let rows = stmt.query_map([user_id], |r| {
            Ok(FactorRow {
                id: r.get("id")?,
                kind: kind_of(r.get_ref("kind")?.as_str()?)?,
                state: state_of(r.get_ref("state")?.as_str()?)?,
                enrolled_at: r.get("enrolled_at")?,
                activated_at: r.get("activated_at")?,
                last_used_at: r.get("last_used_at")?,
            })
        })?;
        let mut factors = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        factors.sort_by_key(|f| f.kind);
        Ok(factors)
    }

    fn totp(&self, user_id: i64) -> Result<Option<TotpRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, state, secret, issuer, algorithm, digits, period, enrolled_at, activated_at,
                        last_used_at, last_step, sealed
                 FROM factors WHERE user_id = ?1 AND kind = 'totp'",
                [user_id],
                |r| {
                    let algorithm = r.get_ref("algorithm")?.as_str()?;
                    Ok(TotpRow {
                        factor_id: r.get("id")?,
                        state: state_of(r.get_ref("state")?.as_str()?)?,
                        secret: Zeroizing::new(r.get("secret")?),
                        issuer: r.get("issuer")?,
                        params: Params {
                            algorithm: Algorithm::parse(algorithm).ok_or_else(|| bad_value("algorithm", algorithm))?,
                            digits: r.get("digits")?,
                            period: r.get("period")?,
                        },
                        enrolled_at: r.get("enrolled_at")?,
                        activated_at: r.get("activated_at")?,
                        last_used_at: r.get("last_used_at")?,
                        last_step: r.get("last_step")?,
                        sealed: r.get("sealed")?,
                    })
                },
            )
            .optional()?)
    }

    fn put_pending_totp(
        &self,
        user_id: i64,
        sealed_secret: &[u8],
        issuer: &str,
        params: &Params,
        now: Timestamp,
    ) -> Result<()> {
        self.tx.execute(
            "DELETE FROM factors WHERE user_id = ?1 AND kind = 'totp' AND state = 'pending'",
            [user_id],
        )?;
        self.tx.execute(
            "INSERT INTO factors (user_id, kind, state, secret, sealed, issuer, algorithm, digits, period, enrolled_at)
             VALUES (?1, 'totp', 'pending', ?2, 1, ?3, ?4, ?5, ?6, ?7)",
            params![
                user_id,
                sealed_secret,
                issuer,
                params.algorithm.as_str(),
                params.digits,
                params.period,
                now
            ],
        )?;
        Ok(())
    }

    fn activate_factor(&self, factor_id: i64, now: Timestamp, step: Option<i64>) -> Result<()> {
        self.tx.execute(
            "UPDATE factors SET state = 'active', activated_at = ?2, last_used_at = ?2, last_step = ?3
             WHERE id = ?1 AND state = 'pending'",
            params![factor_id, now, step],
        )?;
        Ok(())
    }

    fn mark_used(&self, factor_id: i64, now: Timestamp, step: Option<i64>) -> Result<()> {
        self.tx.execute(
            "UPDATE factors SET last_used_at = ?2, last_step = coalesce(?3, last_step) WHERE id = ?1",
            params![factor_id, now, step],
        )?;
        Ok(())
    }

    fn delete_factor(&self, factor_id: i64) -> Result<()> {
        self.tx.execute(
            "DELETE FROM backup_codes WHERE user_id = (SELECT user_id FROM factors WHERE id = ?1 AND kind = 'backup')",
            [factor_id],
        )?;
        self.tx.execute("DELETE FROM factors WHERE id = ?1", [factor_id])?;
        Ok(())
    }

    fn delete_factors(&self, user_id: i64) -> Result<()> {
        self.tx
            .execute("DELETE FROM backup_codes WHERE user_id = ?1", [user_id])?;
        self.tx.execute("DELETE FROM factors WHERE user_id = ?1", [user_id])?;
        Ok(())
    }

    fn put_pending_email(&self, user_id: i64, now: Timestamp) -> Result<i64> {
        self.tx.execute(
            "DELETE FROM factors WHERE user_id = ?1 AND kind = 'email' AND state = 'pending'",
            [user_id],
        )?;
        self.tx.execute(
            "INSERT INTO factors (user_id, kind, state, enrolled_at) VALUES (?1, 'email', 'pending', ?2)",
            params![user_id, now],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn email_code(&self, factor_id: i64) -> Result<Option<EmailCodeRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT digest, issued_at, expires_at, tries FROM email_codes WHERE factor_id = ?1",
                [factor_id],
                |r| {
                    Ok(EmailCodeRow {
                        digest: r.get("digest")?,
                        issued_at: r.get("issued_at")?,
                        expires_at: r.get("expires_at")?,
                        tries: r.get("tries")?,
                    })
                },
            )
            .optional()?)
    }

    fn put_email_code(
        &self,
        factor_id: i64,
        digest: &[u8; 32],
        issued_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO email_codes (factor_id, digest, issued_at, expires_at, tries)
             VALUES (?1, ?2, ?3, ?4, 0)",
            params![factor_id, digest.as_slice(), issued_at, expires_at],
        )?;
        Ok(())
    }

    fn email_code_tried(&self, factor_id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE email_codes SET tries = tries + 1 WHERE factor_id = ?1",
            [factor_id],
        )?;
        Ok(())
    }

    fn delete_email_code(&self, factor_id: i64) -> Result<()> {
        self.tx
            .execute("DELETE FROM email_codes WHERE factor_id = ?1", [factor_id])?;
        Ok(())
    }

    fn clear_email_codes(&self) -> Result<u64> {
        Ok(self.tx.execute("DELETE FROM email_codes", [])? as u64)
    }

    fn email_sends(&self, user_id: i64, since: Timestamp) -> Result<Vec<Timestamp>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT at FROM email_sends WHERE user_id = ?1 AND at >= ?2 ORDER BY at")?;
        let rows = stmt.query_map(params![user_id, since], |r| r.get("at"))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn record_email_send(&self, user_id: i64, at: Timestamp) -> Result<()> {
        self.tx.execute(
            "DELETE FROM email_sends WHERE user_id = ?1 AND at < ?2",
            params![user_id, at.saturating_sub(86_400)],
        )?;
        self.tx.execute(
            "INSERT INTO email_sends (user_id, at) VALUES (?1, ?2)",
            params![user_id, at],
        )?;
        Ok(())
    }

    fn backup_set(&self, user_id: i64) -> Result<Option<BackupSet>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, salt FROM factors WHERE user_id = ?1 AND kind = 'backup'",
                [user_id],
                |r| {
                    Ok(BackupSet {
                        factor_id: r.get("id")?,
                        salt: r.get("salt")?,
                    })
                },
            )
            .optional()?)
    }

    fn backup_hashes(&self, user_id: i64) -> Result<Vec<(i64, Vec<u8>)>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT id, hash FROM backup_codes WHERE user_id = ?1")?;
        let rows = stmt.query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn backup_count(&self, user_id: i64) -> Result<u32> {
        Ok(self
            .tx
            .query_row("SELECT count(*) FROM backup_codes WHERE user_id = ?1", [user_id], |r| {
                r.get(0)
            })?)
    }

    fn spend_backup_code(&self, id: i64) -> Result<()> {
        self.tx.execute("DELETE FROM backup_codes WHERE id = ?1", [id])?;
        Ok(())
    }

    fn replace_backup_codes(&self, user_id: i64, salt: &[u8], hashes: &[[u8; 32]], now: Timestamp) -> Result<()> {
        self.tx
            .execute("DELETE FROM backup_codes WHERE user_id = ?1", [user_id])?;
        self.tx.execute(
            "INSERT INTO factors (user_id, kind, state, enrolled_at, activated_at, salt)
             VALUES (?1, 'backup', 'active', ?2, ?2, ?3)
             ON CONFLICT (user_id, kind) DO UPDATE SET salt = excluded.salt",
            params![user_id, now, salt],
        )?;
        let mut stmt = self
            .tx
            .prepare_cached("INSERT INTO backup_codes (user_id, hash) VALUES (?1, ?2)")?;
        for h in hashes {
            stmt.execute(params![user_id, h.as_slice()])?;
        }
        Ok(())
    }

    fn log_attempt(&self, user_id: i64, a: &Attempt) -> Result<()> {
        self.tx.execute(
            "INSERT INTO verifications (user_id, at, purpose, method, outcome, step_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user_id, a.at, a.purpose.as_str(), a.method.map(FactorKind::as_str), a.outcome.as_str(), a.step_offset],
        )?;
        Ok(())
    }

    /// Step offsets of the user's most recent accepted TOTP codes, newest first.
    fn recent_offsets(&self, user_id: i64, since: Timestamp, limit: u32) -> Result<Vec<i64>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT step_offset FROM verifications
             WHERE user_id = ?1 AND method = 'totp' AND outcome = 'accepted' AND step_offset IS NOT NULL
               AND at >= ?2
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![user_id, since, limit], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::default();
        let mut stmt = self.tx.prepare_cached("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (k, v) = row?;
            // A value this version cannot read keeps its default rather than failing every command.
            let _ = settings.set(&k, &v);
        }
        Ok(settings)
    }

    fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            [key, value],
        )?;
        Ok(())
    }
}

/// A value the schema's CHECK constraints should have kept out: the database was
/// changed behind twofa's back.
pub(super) fn bad_value(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unexpected {column} {value:?}").into(),
    )
}

pub(super) fn kind_of(s: &str) -> rusqlite::Result<FactorKind> {
    FactorKind::parse(s).ok_or_else(|| bad_value("factor kind", s))
}

pub(super) fn state_of(s: &str) -> rusqlite::Result<FactorState> {
    FactorState::parse(s).ok_or_else(|| bad_value("factor state", s))
}

impl Backend for Store {
    fn write(&mut self) -> Result<Box<dyn Transaction + '_>> {
        Ok(Box::new(Store::write(self)?))
    }

    fn read(&mut self) -> Result<Box<dyn Transaction + '_>> {
        Ok(Box::new(Store::read(self)?))
    }

    fn checkpoint(&mut self) -> Result<()> {
        Store::checkpoint(self)
    }
}

impl Transaction for Tx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        Tx::commit(*self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn private(path: &Path) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    #[test]
    fn files_of_others_or_open_to_others_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        drop(Store::open(&path).unwrap());
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if !p.exists() {
                std::fs::write(&p, b"").unwrap();
            }
            let before = std::fs::read(&p).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
            let err = Store::open(&path).err().expect("refused");
            assert!(
                matches!(&err, StoreError::Unsafe(crate::secrets::files::Unsafe::Loose { path: bad, .. }) if *bad == p),
                "{suffix}: {err}"
            );
            assert!(matches!(&err, StoreError::Unsafe(u) if u.fix().contains("chmod 600")));
            assert_eq!(std::fs::read(&p).unwrap(), before, "{suffix} untouched");
            private(&p);
        }
        Store::open(&path).unwrap();
    }

    #[test]
    fn migrations_run_on_a_fresh_database_and_reopen_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        Store::open(&path).unwrap();
        let mut store = Store::open(&path).unwrap();
        let v: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v as usize, SCHEMA_VERSION);
        let tx = store.write().unwrap();
        let u = tx.insert_user("alice", 1).unwrap();
        assert_eq!(tx.user("alice").unwrap().unwrap().id, u.id);
        tx.commit().unwrap();
    }

    #[test]
    fn a_version_1_database_is_upgraded_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(migrations::MIGRATIONS[0]).unwrap();
        conn.execute(
            "INSERT INTO users (name, created_at, failed_attempts) VALUES ('alice', 1, 2)",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        drop(conn);
        private(&path);
        let mut store = Store::open(&path).unwrap();
        let v: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v as usize, SCHEMA_VERSION);
        let tx = store.read().unwrap();
        let alice = tx.user("alice").unwrap().expect("kept");
        assert_eq!((alice.lock.failures, alice.sso, alice.global_admin), (2, false, false));
    }

    #[cfg(unix)]
    #[test]
    fn database_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut store = Store::open(&path).unwrap();
        store.write().unwrap().insert_user("a", 1).unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{}{suffix}", path.display());
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{p}");
        }
    }

    #[test]
    fn newer_schema_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(err, StoreError::TooNew { found: 999, .. }), "{err}");
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 999);
    }

    #[test]
    fn foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        let content = "hello, this is not a database at all, just some text. ".repeat(20);
        std::fs::write(&text, &content).unwrap();
        private(&text);
        assert!(matches!(Store::open(&text), Err(StoreError::NotADatabase(_))));
        assert_eq!(std::fs::read_to_string(&text).unwrap(), content, "left untouched");

        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        private(&other);
        assert!(matches!(Store::open(&other), Err(StoreError::NotTwofa(_))));

        assert!(matches!(Store::open(dir.path()), Err(StoreError::IsDirectory(_))));
    }
}
