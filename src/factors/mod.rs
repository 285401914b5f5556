//! Second factors: TOTP codes (RFC 4226/6238), email codes, backup codes, telling them apart in
//! what a person typed, and the lockout that follows failures. Pure: no SQL, no
//! terminal; time comes from the caller.

pub mod backup;
pub mod code;
pub mod email;
pub mod lockout;
pub mod otp;

/// The kinds of factor a user may hold, in the order a typed code is tried against
/// them (the derived `Ord`): an authenticator app first, a backup code last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorKind {
    /// A TOTP authenticator (RFC 6238).
    Totp,
    /// One-time codes sent by email: a fallback for people without an authenticator app.
    Email,
    /// Single-use backup codes: a factor of their own, issued with the first factor.
    Backup,
}

impl FactorKind {
    pub const ALL: [FactorKind; 3] = [FactorKind::Totp, FactorKind::Email, FactorKind::Backup];

    /// The name stored and shown (JSON, the audit log, the login history).
    pub fn as_str(self) -> &'static str {
        match self {
            FactorKind::Totp => "totp",
            FactorKind::Email => "email",
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
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

/// What a code was checked for (stored in the login history, shown as the snake_case
/// word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Activate,
    Verify,
    Regenerate,
    Disable,
    /// The actor proving themselves before a privileged change.
    StepUp,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [
        Purpose::Activate,
        Purpose::Verify,
        Purpose::Regenerate,
        Purpose::Disable,
        Purpose::StepUp,
    ];

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Activate => "activate",
            Purpose::Verify => "verify",
            Purpose::Regenerate => "regenerate",
            Purpose::Disable => "disable",
            Purpose::StepUp => "step_up",
        }
    }

    /// The audit log's name for a code check of this purpose.
    pub fn action(self) -> &'static str {
        match self {
            Purpose::Regenerate => "backup_codes.regenerate",
            p => p.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_are_the_json_words_and_parse_back() {
        for p in Purpose::ALL {
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.as_str()));
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        for k in FactorKind::ALL {
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
            assert_eq!(FactorKind::parse(k.as_str()), Some(k));
        }
        for s in [FactorState::Pending, FactorState::Active] {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
            assert_eq!(FactorState::parse(s.as_str()), Some(s));
        }
    }
}
