//! The store: where users, factors, organizations, settings and the audit log live.
//!
//! [`seam`] says what a transaction over a store must offer and guarantee; the row
//! types and [`StoreError`] here are plain data every backend speaks. [`sqlite`] is
//! the embedded backend; its SQL never leaves it.

pub mod copy;
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
    /// Anything else the database engine reported (its message; no engine type
    /// crosses into the rest of twofa).
    #[error("database error: {0}")]
    Other(String),
}

pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Something outside the database that keeps every audit entry as it is committed
/// (syslog, say), so an external witness holds the head of the chain.
pub type Witness = Box<dyn Fn(&crate::audit::Record)>;
