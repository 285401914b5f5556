//! The errors callers branch on. Messages are one line, name the user, and never
//! contain a secret or a code.

use crate::clock::Timestamp;
use crate::factors::code::CodeError;
use crate::factors::otp::Rejection;
use crate::text::names::NameError;
use crate::text::timefmt::rfc3339;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure this is; the binary maps each to an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rejected,
    InvalidInput,
    LockedOut,
    NotFound,
    Denied,
    Conflict,
    Storage,
    /// The master key file: missing, loose permissions, wrong key.
    Key,
}

/// What the person can do about an error, as a fact: the caller words it (the
/// command-line tool names its own commands and options), so no advice here speaks
/// the language of one front end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// The actor must enroll first (privileged roles need active 2FA), then give a code.
    EnrollFirst { user: String },
    /// The actor must give their own current code (step-up).
    StepUpCode,
    /// Replacing a pending enrollment's secret must be asked for explicitly.
    NewSecret,
    /// The organization needs an owner who is a user of this database.
    NameOwner,
    /// Changing a grace period moves deadlines: that must be asked for explicitly.
    ResetDeadlines,
    /// Advice that names nothing of a front end.
    Advice(String),
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("unknown user `{0}`")]
    UnknownUser(String),
    #[error("`{0}` has no two-factor authentication enrolled")]
    NotEnrolled(String),
    #[error("`{0}` has an enrollment that is still pending activation")]
    Pending(String),
    #[error("`{0}` has no pending enrollment to activate")]
    NothingPending(String),
    #[error("`{0}` already has active two-factor authentication")]
    AlreadyActive(String),
    /// Several things not found at once (the message lists them).
    #[error("{0}")]
    NotFound(String),
    #[error("no database at {}", .0.display())]
    NoDatabase(std::path::PathBuf),
    #[error("unknown organization `{0}`")]
    UnknownOrg(String),
    #[error("`{user}` is not a member of `{org}`")]
    NotMember { user: String, org: String },
    #[error("{0}")]
    Exists(String),
    #[error("`{0}` must keep at least one owner")]
    LastOwner(String),
    /// Refused by organization policy or by role; the message says which.
    #[error("{message}")]
    Denied { message: String, hint: Option<Remedy> },
    /// Refused until the caller says more; `remedy` says what.
    #[error("{message}")]
    Unless {
        kind: Kind,
        message: String,
        remedy: Remedy,
    },
    /// The actor has active 2FA and must prove it with their own code first.
    #[error("actor `{0}` has two-factor authentication: a privileged change needs their current code (step-up)")]
    StepUpRequired(String),
    #[error("{}", rejected_message(user, *backup, *reason, *locked_until))]
    Rejected {
        user: String,
        /// A backup code: a spent one is gone, so "wrong" and "already used" look alike.
        backup: bool,
        reason: Rejection,
        locked_until: Option<Timestamp>,
    },
    #[error("`{user}` is locked out after too many failed codes until {}", rfc3339(*until))]
    LockedOut { user: String, until: Timestamp },
    /// A code was sent to the user too recently (or too often this hour).
    #[error("a code was sent to `{user}` too recently; wait {wait_secs}s before sending another")]
    TooSoon { user: String, wait_secs: i64 },
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("{0}")]
    InvalidInput(String),
    #[error(transparent)]
    Storage(#[from] crate::store::StoreError),
    #[error("{0}")]
    Crypto(String),
    #[error(transparent)]
    Key(#[from] crate::secrets::keyfile::KeyFileError),
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    /// Mail could not be sent, or is not set up to be (the change it belongs to, if
    /// any, is kept and the message stays queued).
    #[error("{}", mail_message(.0))]
    Mail(crate::mail::MailError),
}

impl From<crate::mail::MailError> for Error {
    fn from(e: crate::mail::MailError) -> Self {
        Error::Mail(e)
    }
}

fn mail_message(e: &crate::mail::MailError) -> String {
    match e {
        // An address refused is bad input, wherever it was typed.
        crate::mail::MailError::Address(a) => a.to_string(),
        e => format!("mail: {e}"),
    }
}

fn rejected_message(user: &str, backup: bool, reason: Rejection, locked_until: Option<Timestamp>) -> String {
    let what = match (backup, reason) {
        (true, _) => format!("backup code not accepted for `{user}`: wrong, or already used (each works once)"),
        (false, Rejection::Wrong) => format!("wrong code for `{user}`"),
        (false, Rejection::Reused) => format!("code for `{user}` was already used; wait for the next one"),
    };
    match locked_until {
        Some(until) => format!("{what}; too many failures, locked out until {}", rfc3339(until)),
        None => what,
    }
}

impl Error {
    pub fn kind(&self) -> Kind {
        match self {
            Error::Rejected { .. } => Kind::Rejected,
            Error::Code(_) | Error::Name(_) | Error::InvalidInput(_) => Kind::InvalidInput,
            Error::LockedOut { .. } | Error::TooSoon { .. } => Kind::LockedOut,
            Error::UnknownUser(_) | Error::NotEnrolled(_) | Error::Pending(_) | Error::NothingPending(_) => {
                Kind::NotFound
            }
            Error::UnknownOrg(_) | Error::NotMember { .. } | Error::NoDatabase(_) | Error::NotFound(_) => {
                Kind::NotFound
            }
            Error::Denied { .. } | Error::StepUpRequired(_) => Kind::Denied,
            Error::AlreadyActive(_) | Error::Exists(_) | Error::LastOwner(_) => Kind::Conflict,
            Error::Storage(crate::store::StoreError::NotEmpty(_)) => Kind::Conflict,
            Error::Storage(_) | Error::Crypto(_) | Error::Io(_) => Kind::Storage,
            Error::Unless { kind, .. } => *kind,
            Error::Key(_) => Kind::Key,
            Error::Mail(e) if e.is_configuration() => Kind::InvalidInput,
            Error::Mail(_) => Kind::Storage,
        }
    }
}

impl From<crate::secrets::crypto::CryptoError> for Error {
    fn from(e: crate::secrets::crypto::CryptoError) -> Self {
        Error::Crypto(e.to_string())
    }
}

impl From<crate::factors::backup::BackupError> for Error {
    fn from(e: crate::factors::backup::BackupError) -> Self {
        Error::Crypto(e.to_string())
    }
}
