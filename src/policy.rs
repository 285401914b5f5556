//! Organization policy: who must have 2FA, by when, and whether they may enter now.
//! Pure functions of the facts; the store supplies them, the service acts on them.

use crate::clock::Timestamp;
use crate::factors::FactorKind;
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

/// Why someone may or may not enter an organization (serialised as today's
/// snake_case words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessReason {
    TwoFactorActive,
    SsoExempt,
    GracePeriod,
    NotRequired,
    EnrollmentRequired,
    NotAMember,
    /// The member's only factor is email codes, which the organization does not count.
    EmailNotAccepted,
}

impl AccessReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessReason::TwoFactorActive => "two_factor_active",
            AccessReason::SsoExempt => "sso_exempt",
            AccessReason::GracePeriod => "grace_period",
            AccessReason::NotRequired => "not_required",
            AccessReason::EnrollmentRequired => "enrollment_required",
            AccessReason::NotAMember => "not_a_member",
            AccessReason::EmailNotAccepted => "email_not_accepted",
        }
    }
}

/// Whether an active factor of `kind` is two-factor authentication for an
/// organization: an authenticator app always; email codes (a weaker fallback) only
/// where the organization allows them; backup codes never on their own.
pub fn counts_as_2fa(kind: FactorKind, allow_email: bool) -> bool {
    match kind {
        FactorKind::Totp => true,
        FactorKind::Email => allow_email,
        FactorKind::Backup => false,
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

/// What a privileged change needs of the person making it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Operators only: users, settings, new organizations, the audit log.
    GlobalAdmin,
    /// An owner or admin of the organization: members, roles, the 2FA requirement.
    OrgAdmin,
    /// An owner of the organization: deleting it, making or unmaking owners.
    OrgOwner,
    /// Support: see [`support`].
    SupportOf,
}

/// What the actor is: global admin or not, and their best role where it matters
/// (in the organization, or in any organization of the user being supported).
#[derive(Debug, Clone, Copy, Default)]
pub struct Powers {
    pub global_admin: bool,
    pub role: Option<Role>,
}

/// Global admins may do everything; otherwise the role must be high enough. (Support
/// has its own rule, [`support`].)
pub fn permits(p: Powers, need: Need) -> bool {
    p.global_admin
        || match need {
            Need::GlobalAdmin | Need::SupportOf => false,
            Need::OrgAdmin => p.role.is_some_and(Role::manages),
            Need::OrgOwner => p.role == Some(Role::Owner),
        }
}

/// The supported user's place in one of their organizations, and the actor's there.
#[derive(Debug, Clone)]
pub struct SupportStanding {
    pub org: String,
    pub subject_role: Role,
    pub actor_role: Option<Role>,
    /// The actor added the user to this organization themselves.
    pub added_by_actor: bool,
}

/// Whether someone may reset or unlock a user (the operator always may): a global
/// admin may; nobody else may touch a global admin; otherwise the actor must be an
/// owner or admin of *every* organization the user belongs to (at least one) and
/// outrank the user in each (an admin cannot reset an owner). A membership the actor
/// made themselves gives no authority: adding someone to your organization must not
/// be a way to gain power over them. `Err` says why not, as a phrase after the actor.
pub fn support(actor_global_admin: bool, subject_global_admin: bool, orgs: &[SupportStanding]) -> Result<(), String> {
    if actor_global_admin {
        return Ok(());
    }
    if subject_global_admin {
        return Err("is not a global admin, and only a global admin may support another".into());
    }
    if orgs.is_empty() {
        return Err("cannot: the user belongs to no organization, so only a global admin may".into());
    }
    for o in orgs {
        match o.actor_role {
            Some(mine) if mine.manages() && mine > o.subject_role => {}
            Some(mine) if mine.manages() => {
                return Err(format!(
                    "is {} of `{}`, where the user is {}: only someone who outranks them there may",
                    mine.as_str(),
                    o.org,
                    o.subject_role.as_str()
                ));
            }
            Some(mine) => {
                return Err(format!(
                    "is only {} of `{}`, one of the user's organizations",
                    mine.as_str(),
                    o.org
                ));
            }
            None => {
                return Err(format!(
                    "is not an owner or admin of `{}`, one of the user's organizations",
                    o.org
                ));
            }
        }
        if o.added_by_actor {
            return Err(format!(
                "added the user to `{}` themselves, which gives no authority over them: another admin or a global admin must",
                o.org
            ));
        }
    }
    Ok(())
}

impl Need {
    /// The role that is missing, for the refusal message.
    pub fn describe(self, org: Option<&str>) -> String {
        let org = org
            .map(|o| format!("`{o}`"))
            .unwrap_or_else(|| "the organization".into());
        match self {
            Need::GlobalAdmin => "a global admin".into(),
            Need::OrgAdmin => format!("an owner or admin of {org}, or a global admin"),
            Need::OrgOwner => format!("an owner of {org}, or a global admin"),
            Need::SupportOf => {
                "a global admin, or an owner or admin of every organization of the user who outranks them there".into()
            }
        }
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
    fn who_may_do_what() {
        let p = |global_admin, role| Powers { global_admin, role };
        for need in [Need::GlobalAdmin, Need::OrgAdmin, Need::OrgOwner, Need::SupportOf] {
            assert!(permits(p(true, None), need), "a global admin may {need:?}");
            assert!(!permits(p(false, None), need), "a stranger may not {need:?}");
            assert!(
                !permits(p(false, Some(Role::Member)), need),
                "a member may not {need:?}"
            );
        }
        assert!(permits(p(false, Some(Role::Admin)), Need::OrgAdmin));
        assert!(!permits(p(false, Some(Role::Admin)), Need::OrgOwner));
        assert!(!permits(p(false, Some(Role::Owner)), Need::GlobalAdmin));
        assert!(permits(p(false, Some(Role::Owner)), Need::OrgOwner));
    }

    #[test]
    fn support_needs_authority_over_the_whole_user() {
        let at = |org: &str, subject_role, actor_role, added_by_actor| SupportStanding {
            org: org.into(),
            subject_role,
            actor_role,
            added_by_actor,
        };
        use Role::*;
        let admin_of_a = at("a", Member, Some(Admin), false);
        assert_eq!(support(false, false, std::slice::from_ref(&admin_of_a)), Ok(()));
        assert_eq!(support(false, false, &[at("a", Admin, Some(Owner), false)]), Ok(()));
        // Every organization of the user, not just one.
        let err = support(false, false, &[admin_of_a.clone(), at("b", Member, None, false)]).unwrap_err();
        assert!(err.contains("`b`"), "{err}");
        assert!(
            support(
                false,
                false,
                &[admin_of_a.clone(), at("b", Member, Some(Member), false)]
            )
            .is_err()
        );
        // Outranking: an admin cannot reset an owner, nor an owner another owner.
        assert!(support(false, false, &[at("a", Owner, Some(Admin), false)]).is_err());
        assert!(support(false, false, &[at("a", Owner, Some(Owner), false)]).is_err());
        assert!(support(false, false, &[at("a", Admin, Some(Admin), false)]).is_err());
        // Nobody in no organization; global admins only by global admins.
        assert!(support(false, false, &[]).is_err());
        assert!(support(false, true, &[at("a", Member, Some(Owner), false)]).is_err());
        assert_eq!(support(true, true, &[]), Ok(()));
        // Adding someone to your organization gives no power over them.
        let err = support(false, false, &[at("tiny", Member, Some(Owner), true)]).unwrap_err();
        assert!(err.contains("themselves"), "{err}");
    }

    #[test]
    fn roles_order() {
        assert!(Role::Owner.manages() && Role::Admin.manages() && !Role::Member.manages());
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("Admin"), None);
    }
}
