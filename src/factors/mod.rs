//! Second factors: TOTP codes (RFC 4226/6238), backup codes, telling them apart in
//! what a person typed, and the lockout that follows failures. Pure: no SQL, no
//! terminal; time comes from the caller.

pub mod backup;
pub mod code;
pub mod lockout;
pub mod otp;

/// The kinds of factor a user may hold, in the order a typed code is tried against
/// them (the derived `Ord`): an authenticator app first, a backup code last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorKind {
    /// A TOTP authenticator (RFC 6238).
    Totp,
    /// Single-use backup codes: a factor of their own, issued with the first factor.
    Backup,
}

impl FactorKind {
    pub const ALL: [FactorKind; 2] = [FactorKind::Totp, FactorKind::Backup];

    /// The name stored and shown (JSON, the audit log, the login history).
    pub fn as_str(self) -> &'static str {
        match self {
            FactorKind::Totp => "totp",
            FactorKind::Backup => "backup",
        }
    }

    pub fn parse(s: &str) -> Option<FactorKind> {
        FactorKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether holding this factor (active) is having two-factor authentication:
    /// backup codes only back up another factor.
    pub fn is_primary(self) -> bool {
        self != FactorKind::Backup
    }
}

/// A factor is pending from enrollment until a first code proves it works, then active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorState {
    Pending,
    Active,
}

impl FactorState {
    pub fn as_str(self) -> &'static str {
        match self {
            FactorState::Pending => "pending",
            FactorState::Active => "active",
        }
    }

    pub fn parse(s: &str) -> Option<FactorState> {
        match s {
            "pending" => Some(FactorState::Pending),
            "active" => Some(FactorState::Active),
            _ => None,
        }
    }
}
