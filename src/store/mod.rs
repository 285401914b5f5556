//! The store: where users, factors, organizations, settings and the audit log live.
//!
//! [`seam`] says what a transaction over a store must offer and guarantee; the row
//! types and [`StoreError`] here are plain data every backend speaks. [`sqlite`] is
//! the embedded backend, [`postgres`] the one several hosts share; each one's SQL
//! never leaves it. [`open`] chooses between them by the database's name.

pub mod copy;
pub mod postgres;
mod rows;
mod seam;
pub mod sqlite;

pub use rows::*;
pub use seam::{AuditLog, Backend, OrgStore, Outbox, Records, SecretStore, Tables, Transaction};

use std::path::PathBuf;
use std::time::Duration;

/// How long a command waits for another twofa process to finish its transaction.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// What went wrong in a store, in terms every backend can report: no engine type
/// crosses into the rest of twofa.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database path {} is a directory", .0.display())]
    IsDirectory(PathBuf),
    #[error("cannot open database {}: {reason}", path.display())]
    CannotOpen { path: PathBuf, reason: String },
    #[error("{} is not an SQLite database", .0.display())]
    NotADatabase(PathBuf),
    #[error("{} is an SQLite database but not a twofa database", .0.display())]
    NotTwofa(PathBuf),
    #[error("{} was written by a newer twofa (schema version {found}; this twofa knows up to {supported})", path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: usize,
    },
    #[error("the database stayed busy for {}s (another process is holding it)", BUSY_TIMEOUT.as_secs())]
    Busy,
    #[error("the database is read-only")]
    ReadOnly,
    #[error("the disk holding the database is full; nothing was changed")]
    Full,
    #[error("cannot write the database (disk I/O error); the change was rolled back")]
    Io,
    #[error("the database is corrupt ({0})")]
    Corrupt(String),
    #[error("database file {0}")]
    Unsafe(crate::secrets::files::Unsafe),
    /// A copy goes only into an empty database.
    #[error("the target database is not empty ({0}); a copy goes only into a new database")]
    NotEmpty(String),
    /// The database role twofa connects as may not do something twofa needs (a
    /// database server's privileges; the engine's message says which).
    #[error("{0}")]
    Privilege(String),
    /// Anything else the database engine reported (its message; no engine type
    /// crosses into the rest of twofa).
    #[error("database error: {0}")]
    Other(String),
}

/// Whether `db` names a PostgreSQL database (a `postgres://` or `postgresql://` URL)
/// rather than an SQLite file.
pub fn is_url(db: impl AsRef<std::ffi::OsStr>) -> bool {
    db.as_ref().to_str().is_some_and(postgres::is_url)
}

/// Opens (creating and migrating as needed) the database `db` names: a
/// `postgres://` or `postgresql://` URL opens PostgreSQL ([`postgres::PgStore`]),
/// anything else is the path of an SQLite file ([`sqlite::Store`]). Committed audit
/// entries go to `witness` as well, when there is one.
pub fn open(db: impl AsRef<std::ffi::OsStr>, witness: Option<Witness>) -> Result<Box<dyn Backend>> {
    let db = db.as_ref();
    match db.to_str() {
        Some(url) if postgres::is_url(url) => {
            let mut store = postgres::PgStore::open(url)?;
            if let Some(w) = witness {
                store.set_witness(w);
            }
            Ok(Box::new(store))
        }
        _ => {
            let mut store = sqlite::Store::open(std::path::Path::new(db))?;
            if let Some(w) = witness {
                store.set_witness(w);
            }
            Ok(Box::new(store))
        }
    }
}

/// The schema version this twofa migrates the database `db` names to.
pub fn schema_version(db: impl AsRef<std::ffi::OsStr>) -> usize {
    if is_url(&db) {
        postgres::SCHEMA_VERSION
    } else {
        sqlite::SCHEMA_VERSION
    }
}

/// The database's name for messages: an SQLite path, or a URL without its password
/// or parameters.
pub fn display(db: impl AsRef<std::ffi::OsStr>) -> String {
    let db = db.as_ref();
    match db.to_str() {
        Some(url) if postgres::is_url(url) => postgres::connect::redact(url),
        _ => std::path::Path::new(db).display().to_string(),
    }
}

/// The database as the person named it, less any password: for repeating `--db` in
/// a hint.
pub fn repeatable(db: impl AsRef<std::ffi::OsStr>) -> String {
    let db = db.as_ref();
    match db.to_str() {
        Some(url) if postgres::is_url(url) => postgres::connect::without_password(url),
        _ => std::path::Path::new(db).display().to_string(),
    }
}

pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Something outside the database that keeps every audit entry as it is committed
/// (syslog, say), so an external witness holds the head of the chain.
pub type Witness = Box<dyn Fn(&crate::audit::Record)>;
