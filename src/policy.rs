//! Organization policy: who must have 2FA, by when, and whether they may enter now.
//! Pure functions of the facts; the store supplies them, the service acts on them.

use crate::clock::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
    Owner,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// Owners and admins manage an organization.
    pub fn manages(self) -> bool {
        self >= Role::Admin
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Active 2FA, or the organization does not require it.
    Ok,
    /// Must enroll, and may still enter until the deadline.
    Grace,
    /// Must enroll, and may not enter.
    Blocked,
    /// Login managed by an identity provider: its second factor counts.
    Exempt,
}

impl Compliance {
    pub fn as_str(self) -> &'static str {
        match self {
            Compliance::Ok => "ok",
            Compliance::Grace => "grace",
            Compliance::Blocked => "blocked",
            Compliance::Exempt => "exempt",
        }
    }

    pub fn allows_entry(self) -> bool {
        !matches!(self, Compliance::Blocked)
    }
}

/// The facts about one member.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub required: bool,
    pub sso: bool,
    pub active_2fa: bool,
    /// When the member must have 2FA by; `None` while required means "already due".
    pub deadline: Option<Timestamp>,
}

pub fn compliance(f: &Facts, now: Timestamp) -> Compliance {
    if f.sso {
        return Compliance::Exempt;
    }
    if !f.required || f.active_2fa {
        return Compliance::Ok;
    }
    match f.deadline {
        Some(d) if now < d => Compliance::Grace,
        _ => Compliance::Blocked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};

    fn facts(required: bool, sso: bool, active_2fa: bool, deadline: Option<i64>) -> Facts {
        Facts {
            required,
            sso,
            active_2fa,
            deadline,
        }
    }

    #[test]
    fn grace_runs_out_at_the_deadline() {
        let clock = ManualClock::new(1000);
        let f = facts(true, false, false, Some(1000 + 48 * 3600));
        assert_eq!(compliance(&f, clock.now()), Compliance::Grace);
        clock.advance(48 * 3600 - 1);
        assert_eq!(compliance(&f, clock.now()), Compliance::Grace);
        clock.advance(1);
        assert_eq!(compliance(&f, clock.now()), Compliance::Blocked);
    }

    #[test]
    fn the_rules() {
        assert_eq!(compliance(&facts(false, false, false, None), 0), Compliance::Ok);
        assert_eq!(compliance(&facts(true, false, true, Some(0)), 9), Compliance::Ok);
        assert_eq!(compliance(&facts(true, true, false, None), 9), Compliance::Exempt);
        assert_eq!(compliance(&facts(true, false, false, None), 9), Compliance::Blocked);
        assert_eq!(
            compliance(&facts(true, false, false, Some(9)), 9),
            Compliance::Blocked,
            "grace 0: at once"
        );
        assert!(!Compliance::Blocked.allows_entry() && Compliance::Grace.allows_entry());
    }

    #[test]
    fn roles_order() {
        assert!(Role::Owner.manages() && Role::Admin.manages() && !Role::Member.manages());
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("Admin"), None);
    }
}
