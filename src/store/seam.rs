//! The seam between the service and a store: what a transaction over the store must
//! offer, with the guarantees written on it, so that a second backend can stand in for
//! SQLite without touching the service. SQLite's `Tx`/`Store` in [`super::sqlite`] are one
//! implementation.
//!
//! Guarantees every implementation gives:
//! - A write transaction ([`Backend::write`]) serialises writers from its first
//!   statement: no two write transactions ever read the same state and both act on it
//!   (a code accepted twice, a guess past the lockout).
//! - [`Transaction::commit`] is atomic and durable: all of the transaction's changes,
//!   or, if it is dropped or fails, none of them.
//! - A read transaction ([`Backend::read`]) sees one consistent snapshot.
//! - Errors are [`StoreError`]s: busy, read-only, full, I/O, corrupt, or other — no
//!   engine type crosses the seam.

use super::copy::{Table, Value};
use super::*;
use crate::audit::{Entry, Record};
use crate::clock::Timestamp;
use crate::factors::lockout::LockState;
use crate::factors::otp::Params;
use crate::policy::Role;
use crate::settings::Settings;

/// What a transaction offers for users, their factors (TOTP, backup codes), the login
/// history and settings.
pub trait Records {
    /// The database's random id (made by the migration that introduced it).
    fn db_id(&self) -> Result<[u8; crate::secrets::crypto::DB_ID_LEN]>;
    fn user(&self, name: &str) -> Result<Option<UserRow>>;
    fn insert_user(&self, name: &str, now: Timestamp) -> Result<UserRow>;
    /// Clears failures and any lockout, of login and of step-up; the secret stays.
    fn clear_lock(&self, user_id: i64) -> Result<()> {
        self.set_lock(user_id, &LockState::default())?;
        self.set_step_up_lock(user_id, &LockState::default())
    }
    fn set_lock(&self, user_id: i64, lock: &LockState) -> Result<()>;
    fn set_step_up_lock(&self, user_id: i64, lock: &LockState) -> Result<()>;
    /// The factors the user holds, pending or active, in the order codes are tried
    /// ([`crate::factors::FactorKind`]'s order).
    fn factors(&self, user_id: i64) -> Result<Vec<FactorRow>>;
    /// The user's TOTP factor, with its sealed secret.
    fn totp(&self, user_id: i64) -> Result<Option<TotpRow>>;
    /// Stores a pending TOTP factor, replacing an earlier pending one. `sealed_secret`
    /// is the secret sealed under the master key; the plain secret never comes here.
    fn put_pending_totp(
        &self,
        user_id: i64,
        sealed_secret: &[u8],
        issuer: &str,
        params: &Params,
        now: Timestamp,
    ) -> Result<()>;
    /// Turns a pending factor active; `step` is the step of the activating code
    /// (TOTP), which can therefore never be used again.
    fn activate_factor(&self, factor_id: i64, now: Timestamp, step: Option<i64>) -> Result<()>;
    /// Records a successful use of a factor: `step` for a TOTP code (the replay
    /// guard), `None` for the others.
    fn mark_used(&self, factor_id: i64, now: Timestamp, step: Option<i64>) -> Result<()>;
    /// Removes one factor (a backup-code factor with its codes).
    fn delete_factor(&self, factor_id: i64) -> Result<()>;
    /// Removes every factor of the user, backup codes included.
    fn delete_factors(&self, user_id: i64) -> Result<()>;
    /// Stores a pending email factor, replacing an earlier pending one; returns its id.
    fn put_pending_email(&self, user_id: i64, now: Timestamp) -> Result<i64>;
    /// The live code of an email factor.
    fn email_code(&self, factor_id: i64) -> Result<Option<EmailCodeRow>>;
    /// Stores a new code for an email factor (its digest), replacing the last one.
    fn put_email_code(
        &self,
        factor_id: i64,
        digest: &[u8; 32],
        issued_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// Counts a wrong try against the factor's live code.
    fn email_code_tried(&self, factor_id: i64) -> Result<()>;
    /// Removes the factor's live code (spent, burned or expired).
    fn delete_email_code(&self, factor_id: i64) -> Result<()>;
    /// Removes every live email code (their digests are under the key being retired).
    fn clear_email_codes(&self) -> Result<u64>;
    /// When codes were sent to the user since `since`.
    fn email_sends(&self, user_id: i64, since: Timestamp) -> Result<Vec<Timestamp>>;
    /// Records a send (and forgets sends older than a day).
    fn record_email_send(&self, user_id: i64, at: Timestamp) -> Result<()>;
    /// The user's backup-code factor (the salt of the current set).
    fn backup_set(&self, user_id: i64) -> Result<Option<BackupSet>>;
    fn backup_hashes(&self, user_id: i64) -> Result<Vec<(i64, Vec<u8>)>>;
    fn backup_count(&self, user_id: i64) -> Result<u32>;
    fn spend_backup_code(&self, id: i64) -> Result<()>;
    /// Replaces the user's whole set of backup codes and their salt, making the
    /// backup-code factor (active) if the user had none.
    fn replace_backup_codes(&self, user_id: i64, salt: &[u8], hashes: &[[u8; 32]], now: Timestamp) -> Result<()>;
    fn log_attempt(&self, user_id: i64, a: &Attempt) -> Result<()>;
    /// Step offsets of the user's most recent accepted TOTP codes, newest first.
    fn recent_offsets(&self, user_id: i64, since: Timestamp, limit: u32) -> Result<Vec<i64>>;
    fn settings(&self) -> Result<Settings>;
    fn put_setting(&self, key: &str, value: &str) -> Result<()>;
}

/// What a transaction offers for the audit log, its anchor and prunes, and the login history.
pub trait AuditLog {
    /// Appends an entry chained to the newest one. Runs inside the write transaction
    /// of the change it records, so both land or neither does.
    fn append_audit(&self, e: &Entry) -> Result<()>;
    fn audit_anchor(&self) -> Result<Option<Anchor>>;
    /// Entries matching `f`, newest first, streamed to `each`. The WHERE clause holds
    /// only the filters given, so that SQLite can use the index for each (`subject`,
    /// `at`) instead of scanning the whole log.
    fn for_each_audit_matching(
        &self,
        f: &AuditFilter,
        each: &mut dyn FnMut(Record) -> crate::error::Result<()>,
    ) -> crate::error::Result<()>;
    /// Every entry in chain order, streamed.
    fn for_each_audit(&self, each: &mut dyn FnMut(&Record)) -> Result<()>;
    /// Removes entries older than `before`, moving the anchor to the last one removed,
    /// and records the prune in `audit_prunes`, which no prune removes. Returns how
    /// many entries went.
    fn prune_audit(&self, before: Timestamp, by: &Entry) -> Result<u64>;
    /// Every prune ever made, oldest first.
    fn audit_prunes(&self) -> Result<Vec<PruneRecord>>;
    /// Removes login-history entries older than `before`; returns how many went.
    fn prune_history(&self, before: Timestamp) -> Result<u64>;
    /// The user's most recent code checks, newest first.
    fn history(&self, user_id: i64, limit: u32) -> Result<Vec<HistoryRow>>;
}

/// What a transaction offers for sealed secrets and the key check.
pub trait SecretStore {
    fn key_check(&self) -> Result<Option<Vec<u8>>>;
    fn put_key_check(&self, sealed: &[u8]) -> Result<()>;
    /// Whether any secret is sealed: then a missing key must never be replaced by a
    /// new one. (Only asked when the key file is missing.)
    fn has_sealed(&self) -> Result<bool>;
    fn has_secrets(&self) -> Result<bool>;
    /// Every stored secret (for sealing plain ones, or resealing under a new key).
    fn all_secrets(&self) -> Result<Vec<StoredSecret>>;
    fn put_sealed_secret(&self, factor_id: i64, sealed: &[u8]) -> Result<()>;
}

/// What a transaction offers for users' profiles, organizations and memberships.
pub trait OrgStore {
    fn set_user_profile(&self, user_id: i64, email: Option<&str>, sso: Option<bool>) -> Result<()>;
    /// Sets or clears the address the user's mail goes to.
    fn set_user_email(&self, user_id: i64, email: Option<&str>) -> Result<()>;
    fn set_global_admin(&self, user_id: i64, on: bool) -> Result<()>;
    /// Deletes the user and, through foreign keys, everything of theirs.
    fn delete_user(&self, user_id: i64) -> Result<()>;
    fn list_users(&self) -> Result<Vec<UserSummary>>;
    fn org(&self, name: &str) -> Result<Option<OrgRow>>;
    fn insert_org(&self, name: &str, now: Timestamp) -> Result<OrgRow>;
    fn delete_org(&self, org_id: i64) -> Result<()>;
    fn list_orgs(&self) -> Result<Vec<OrgSummary>>;
    fn membership(&self, org_id: i64, user_id: i64) -> Result<Option<MemberRow>>;
    fn add_member(
        &self,
        org_id: i64,
        user_id: i64,
        role: Role,
        now: Timestamp,
        deadline: Option<Timestamp>,
        added_by: &str,
    ) -> Result<()>;
    fn remove_member(&self, org_id: i64, user_id: i64) -> Result<()>;
    fn set_role(&self, org_id: i64, user_id: i64, role: Role) -> Result<()>;
    fn count_owners(&self, org_id: i64) -> Result<i64>;
    /// Turns the requirement on or off (deadlines cleared). On, `reset` gives every
    /// member who lacks active 2FA (and is not SSO-managed) a fresh deadline of now +
    /// grace; without it only members who have none yet get one.
    /// `allow_email`: email codes count as 2FA there (members holding only email get
    /// no deadline then).
    fn set_require_2fa(
        &self,
        org_id: i64,
        on: bool,
        grace_secs: i64,
        allow_email: bool,
        now: Timestamp,
        reset: bool,
    ) -> Result<()>;
    /// Sets the user's deadline in every organization that requires 2FA, to
    /// `from` + that organization's grace (after a reset, or when joining).
    fn restart_deadlines(&self, user_id: i64, from: Timestamp) -> Result<()>;
    /// Organizations the user belongs to, with their membership.
    fn orgs_of(&self, user_id: i64) -> Result<Vec<(OrgRow, MemberRow)>>;
    /// Streams an organization's members (one query), in name order.
    fn for_each_member(&self, org_id: i64, f: &mut dyn FnMut(MemberView) -> Result<()>) -> Result<()>;
}

/// What a transaction offers for the outbox: mail queued in the transaction of the
/// change that causes it, sent after the commit. A message is claimed for a while
/// before it is sent (outside any transaction), so that two processes flushing at
/// once do not both send it; a claim that is never settled (a crash) runs out.
pub trait Outbox {
    /// Queues a message; returns its id.
    fn queue_mail(&self, m: &NewMail<'_>) -> Result<i64>;
    /// The oldest unsent, unexpired message after `after_id` that no other process
    /// holds: one carrying a code (an `expires_at`) when `codes`, else one without;
    /// claims it until `claim_until`.
    fn claim_mail(&self, now: Timestamp, claim_until: Timestamp, after_id: i64, codes: bool)
    -> Result<Option<MailRow>>;
    /// Marks a message sent: its body is wiped and its claim released.
    fn mail_sent(&self, id: i64, now: Timestamp) -> Result<()>;
    /// Records a failed attempt (the message stays queued) and releases the claim.
    fn mail_failed(&self, id: i64, now: Timestamp, error: &str) -> Result<()>;
    /// Removes a message that can never be sent (refused for good by the server, or
    /// sealed under a key since rotated); the audit log keeps what became of it.
    fn drop_mail(&self, id: i64) -> Result<()>;
    /// Removes unsent messages whose code has expired; returns what went (no bodies).
    fn expire_mail(&self, now: Timestamp) -> Result<Vec<MailSummary>>;
    /// Removes sent messages (already without body) sent before `before`.
    fn prune_sent_mail(&self, before: Timestamp) -> Result<u64>;
    /// Unsent messages, oldest first (no bodies): all of them, or with `now` only
    /// those not expired by then.
    fn queued_mail(&self, now: Option<Timestamp>) -> Result<Vec<MailSummary>>;
}

/// Whole tables as rows of [`Value`]s, for copying a database between backends
/// (see [`super::copy`]); tables and columns are named by [`super::copy::TABLES`] only.
pub trait Tables {
    fn count_rows(&self, table: &Table) -> Result<u64>;
    /// Every row of `table`, its columns in the table's order, in key order.
    fn dump_rows(&self, table: &Table, each: &mut dyn FnMut(Vec<Value>) -> Result<()>) -> Result<()>;
    fn clear_rows(&self, table: &Table) -> Result<()>;
    fn load_row(&self, table: &Table, row: &[Value]) -> Result<()>;
    /// After rows with explicit ids were loaded: new ids continue after them.
    fn after_load(&self) -> Result<()> {
        Ok(())
    }
}

/// A transaction over the store (see the module for its guarantees): everything the
/// service reads and writes, in one atomic unit.
pub trait Transaction: Records + AuditLog + SecretStore + OrgStore + Outbox + Tables {
    /// Makes every change of the transaction durable at once, or none of them.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// A store the service can open transactions on.
pub trait Backend {
    /// A read-write transaction holding the write lock from its first statement.
    fn write(&mut self) -> Result<Box<dyn Transaction + '_>>;
    /// A read-only snapshot.
    fn read(&mut self) -> Result<Box<dyn Transaction + '_>>;
    /// Moves committed changes out of any write-ahead log into the store proper and
    /// empties it, so removed values leave no copy behind.
    fn checkpoint(&mut self) -> Result<()>;
}

/// A boxed backend is a backend (what [`super::open`] returns can be handed to the service).
impl<B: Backend + ?Sized> Backend for Box<B> {
    fn write(&mut self) -> Result<Box<dyn Transaction + '_>> {
        (**self).write()
    }

    fn read(&mut self) -> Result<Box<dyn Transaction + '_>> {
        (**self).read()
    }

    fn checkpoint(&mut self) -> Result<()> {
        (**self).checkpoint()
    }
}
