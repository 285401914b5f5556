//! Rows as plain structs: what a store hands the service, whatever its engine.

use crate::audit::{Hash, Outcome};
use crate::clock::Timestamp;
use crate::factors::lockout::LockState;
use crate::factors::otp::Params;
use crate::factors::{FactorKind, FactorState, Purpose};
use crate::policy::Role;
use zeroize::Zeroizing;

#[derive(Debug)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    /// Failed codes at login (and every check but step-up).
    pub lock: LockState,
    /// Failed step-up codes, counted apart: a flood of bogus step-ups cannot lock the
    /// person out of logging in, nor a flood of bogus logins out of administering.
    pub step_up_lock: LockState,
    pub email: Option<String>,
    /// Login managed by an identity provider: exempt from 2FA policy.
    pub sso: bool,
    pub global_admin: bool,
}

/// One factor a user holds, without its secret: enough to tell what the user has,
/// in which state, and to try a code against it.
#[derive(Debug, Clone)]
pub struct FactorRow {
    pub id: i64,
    pub kind: FactorKind,
    pub state: FactorState,
    pub enrolled_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// A user's TOTP factor, with its (sealed) secret and replay state.
pub struct TotpRow {
    pub factor_id: i64,
    pub state: FactorState,
    pub secret: Zeroizing<Vec<u8>>,
    pub issuer: String,
    pub params: Params,
    pub enrolled_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    /// The step of the last accepted code: no code of that step or earlier is taken again.
    pub last_step: Option<i64>,
    /// `secret` is sealed under the master key (always, once the key was first used;
    /// a database from before encryption holds plain secrets until then).
    pub sealed: bool,
}

impl std::fmt::Debug for TotpRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret, even in a debug dump.
        f.debug_struct("TotpRow")
            .field("factor_id", &self.factor_id)
            .field("state", &self.state)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// The live code of an email factor, as stored: its digest, never the code.
#[derive(Debug, Clone)]
pub struct EmailCodeRow {
    pub digest: Vec<u8>,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// Wrong codes tried against it so far.
    pub tries: u32,
}

/// A user's backup-code factor: the salt the set's hashes were made with.
#[derive(Debug, Clone)]
pub struct BackupSet {
    pub factor_id: i64,
    pub salt: Vec<u8>,
}

/// One entry of the verification log.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    pub at: Timestamp,
    pub purpose: Purpose,
    pub method: Option<FactorKind>,
    pub outcome: Outcome,
    pub step_offset: Option<i64>,
}

/// Which entries `audit` lists.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user: Option<String>,
    pub org: Option<String>,
    pub action: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub limit: Option<u32>,
}

/// Where the chain starts: after the last pruned entry, or from the beginning.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    pub last_id: i64,
    pub hash: Hash,
}

/// A prune, as `audit_prunes` keeps it for good.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PruneRecord {
    #[serde(with = "crate::text::timefmt::serde_ts")]
    pub at: Timestamp,
    pub actor: String,
    pub os_user: String,
    pub sudo_user: Option<String>,
    /// The cutoff: entries older than this went.
    #[serde(with = "crate::text::timefmt::serde_ts")]
    pub before: Timestamp,
    pub removed: u64,
    /// The last entry removed.
    pub last_id: i64,
}

/// One line of a user's login history.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: Timestamp,
    pub purpose: Purpose,
    pub method: Option<FactorKind>,
    pub outcome: Outcome,
    pub step_offset: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    pub require_2fa: bool,
    pub grace_secs: i64,
    /// Email codes count as two-factor authentication here.
    pub allow_email: bool,
}

#[derive(Debug, Clone)]
pub struct OrgSummary {
    pub name: String,
    pub require_2fa: bool,
    pub grace_secs: i64,
    pub members: i64,
    pub owners: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub role: Role,
    pub joined_at: Timestamp,
    pub deadline: Option<Timestamp>,
    /// The person who added the member (none for memberships from before it was kept).
    pub added_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UserSummary {
    pub name: String,
    pub email: Option<String>,
    pub sso: bool,
    pub global_admin: bool,
    /// The user's two-factor state: active with any active factor (backup codes
    /// aside), else pending with a pending one; `None` without either.
    pub enrollment: Option<FactorState>,
}

/// One row of an organization's teammates table.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub user: String,
    pub email: Option<String>,
    pub role: Role,
    pub sso: bool,
    /// As [`UserSummary::enrollment`].
    pub enrollment: Option<FactorState>,
    /// The kinds of the member's active factors (backup codes aside).
    pub active_kinds: Vec<FactorKind>,
    pub deadline: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// One stored secret, as the store holds it.
pub struct StoredSecret {
    pub factor_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub secret: Zeroizing<Vec<u8>>,
    pub sealed: bool,
}

/// A message to queue in the outbox.
pub struct NewMail<'a> {
    pub created_at: Timestamp,
    /// The user it is for (their name is its display name), if any.
    pub user: Option<&'a str>,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The text sealed under the master key instead (a message carrying a code);
    /// `body` is then empty.
    pub sealed_body: Option<&'a [u8]>,
    /// What it is: invitation, reminder, reset, disabled, backup_codes, locked_out, test, …
    pub kind: &'a str,
    /// A message carrying a code leaves the queue, unsent, when the code expires.
    pub expires_at: Option<Timestamp>,
}

/// A queued message, with its body, claimed for sending.
pub struct MailRow {
    pub id: i64,
    pub created_at: Timestamp,
    pub user: Option<String>,
    pub recipient: String,
    pub subject: String,
    pub body: Zeroizing<String>,
    /// The text sealed under the master key, when it carries a code (`body` is empty
    /// until the service opens it).
    pub sealed_body: Option<Vec<u8>>,
    pub kind: String,
    pub expires_at: Option<Timestamp>,
    pub attempts: u32,
}

impl std::fmt::Debug for MailRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may carry a code: never in a debug dump.
        f.debug_struct("MailRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("recipient", &self.recipient)
            .finish_non_exhaustive()
    }
}

/// A queued message as `mail status` lists it: never its body.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MailSummary {
    pub id: i64,
    #[serde(with = "crate::text::timefmt::serde_ts")]
    pub created_at: Timestamp,
    pub user: Option<String>,
    pub recipient: String,
    pub subject: String,
    pub kind: String,
    #[serde(with = "crate::text::timefmt::serde_opt")]
    pub expires_at: Option<Timestamp>,
    pub attempts: u32,
    pub last_error: Option<String>,
    #[serde(with = "crate::text::timefmt::serde_opt")]
    pub last_attempt_at: Option<Timestamp>,
}
