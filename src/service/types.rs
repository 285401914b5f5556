//! What the service's operations take and return: plain data, `Serialize` for
//! `--json` (field names are the stable JSON contract).

use crate::clock::Timestamp;
use crate::factors::otp::{self, Algorithm, Params};
use crate::text::timefmt::{serde_opt, serde_ts};
use serde::Serialize;
use zeroize::Zeroizing;

/// What the caller asked for in `enroll`; `None` means "the default" (or, on a retry,
/// "whatever the pending enrollment already uses").
#[derive(Debug, Default, Clone)]
pub struct EnrollRequest {
    pub issuer: Option<String>,
    pub algorithm: Option<Algorithm>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
    pub new_secret: bool,
}

/// A pending enrollment: what the authenticator app must be given.
pub struct Pending {
    pub user: String,
    pub issuer: String,
    pub params: Params,
    pub secret: Zeroizing<Vec<u8>>,
    pub enrolled_at: Timestamp,
    /// True when this call made the secret; false when it is the pending one again.
    pub new_secret: bool,
}

impl std::fmt::Debug for IssuedCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCodes")
            .field("user", &self.user)
            .field("count", &self.codes.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("user", &self.user)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Pending {
    pub fn otpauth_uri(&self) -> Zeroizing<String> {
        otp::otpauth_uri(&self.secret, self.params, &self.issuer, &self.user)
    }
}

/// Backup codes in clear, for showing once.
pub struct IssuedCodes {
    pub user: String,
    pub codes: Vec<Zeroizing<String>>,
    pub at: Timestamp,
}

/// The factor a code matched: `totp` or `backup` in JSON.
pub use crate::factors::FactorKind as Method;

#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub user: String,
    pub method: Method,
    /// Which time step relative to now the code belonged to (TOTP only).
    pub step_offset: Option<i64>,
    /// Backup codes left, when one was spent.
    pub backup_codes_remaining: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    None,
    Pending,
    Active,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::None => "none",
            State::Pending => "pending",
            State::Active => "active",
        }
    }
}

/// Which way the user's authenticator clock leans, from recent successful codes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Drift {
    pub samples: u32,
    /// Codes from the previous step: the device clock is behind.
    pub behind: u32,
    pub on_time: u32,
    /// Codes from the next step: the device clock is ahead.
    pub ahead: u32,
    /// Mean step offset (−1 … +1); `None` without samples.
    pub mean_steps: Option<f64>,
}

impl Drift {
    pub(super) fn from_offsets(offsets: &[i64]) -> Drift {
        let mut d = Drift {
            samples: offsets.len() as u32,
            ..Drift::default()
        };
        for &o in offsets {
            match o.signum() {
                -1 => d.behind += 1,
                0 => d.on_time += 1,
                _ => d.ahead += 1,
            }
        }
        if !offsets.is_empty() {
            d.mean_steps = Some(offsets.iter().sum::<i64>() as f64 / offsets.len() as f64);
        }
        d
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub user: String,
    pub status: State,
    pub issuer: Option<String>,
    pub algorithm: Option<Algorithm>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
    #[serde(with = "serde_opt")]
    pub enrolled_at: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub activated_at: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub last_used_at: Option<Timestamp>,
    /// Every factor the user holds (backup codes aside), in the order codes are tried.
    pub factors: Vec<FactorInfo>,
    pub backup_codes_remaining: u32,
    pub failed_attempts: u32,
    #[serde(with = "serde_opt")]
    pub locked_until: Option<Timestamp>,
    pub drift: Drift,
}

/// One factor a user holds, for `status`.
#[derive(Debug, Clone, Serialize)]
pub struct FactorInfo {
    pub kind: crate::factors::FactorKind,
    pub state: crate::factors::FactorState,
    #[serde(with = "serde_ts")]
    pub enrolled_at: Timestamp,
    #[serde(with = "serde_opt")]
    pub activated_at: Option<Timestamp>,
    #[serde(with = "serde_opt")]
    pub last_used_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disabled {
    pub user: String,
    /// What was removed: an active enrollment, or a pending one that was cancelled.
    pub was: State,
    #[serde(with = "serde_ts")]
    pub at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupSummary {
    pub user: String,
    pub backup_codes_remaining: u32,
}

/// Something the person using twofa should be told of, reported as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The master key file was created (it needs a backup of its own).
    CreatedKeyFile(std::path::PathBuf),
}
