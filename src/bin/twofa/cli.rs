//! Every command-line definition of twofa, in one place. Completions and man pages
//! are generated from these (see `generated.rs`).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "twofa",
    version,
    about = "Manage TOTP two-factor authentication for the users of your organizations",
    long_about = "Manage TOTP two-factor authentication (RFC 6238) for the users of one or more \
                  organizations, kept in a local SQLite database.\n\n\
                  Exit codes: 0 success or code accepted, 1 code rejected, 2 usage error or bad input, \
                  3 locked out, 4 unknown user, organization, enrollment or database, 5 denied by policy, \
                  6 conflicts with the current state, 7 cancelled at a prompt, 8 audit log tampered with, \
                  9 master key file problem, 10 database or internal error.",
    after_help = "Run `twofa help <command>` for the details of one command."
)]
pub struct Cli {
    /// Database file [default: twofa.db in the platform data directory]
    #[arg(long, global = true, env = "TWOFA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print results as JSON (stable snake_case fields) on stdout
    #[arg(long, global = true)]
    pub json: bool,

    /// Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]
    #[arg(long, global = true, value_name = "NAME")]
    pub actor: Option<String>,

    /// The actor's own current code, when they have 2FA (step-up); `-` reads it from stdin,
    /// preferred: argv is visible to other users (`ps`) and logged by sudo
    #[arg(long, global = true, value_name = "CODE")]
    pub actor_code: Option<String>,

    /// Queue and send no mail for this command (for scripts that do their own mailing)
    #[arg(long, global = true)]
    pub no_mail: bool,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The database when chosen with `--db` on this command line (not `TWOFA_DB`).
    pub fn db_flag(&self) -> Option<PathBuf> {
        let given = std::env::args_os().any(|a| a == "--db" || a.to_string_lossy().starts_with("--db="));
        self.db.clone().filter(|_| given)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start TOTP enrollment for a user: show the QR code, then activate with a first code
    Enroll(EnrollArgs),
    /// Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)
    Verify(VerifyArgs),
    /// Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)
    SendCode(SendCodeArgs),
    /// Show how many backup codes remain, or replace them all
    BackupCodes(BackupCodesArgs),
    /// Remove a user's 2FA (needs a current code or a backup code)
    Disable(DisableArgs),
    /// Show a user's 2FA state, lockout and clock drift
    Status(StatusArgs),
    /// Add, list and remove users; mark SSO-managed users and global admins
    #[command(subcommand)]
    User(UserCommand),
    /// Organizations: members, roles, and the 2FA requirement
    #[command(subcommand)]
    Org(OrgCommand),
    /// May USER enter an organization? Exit 0 when allowed, 5 when denied by policy
    Access(AccessArgs),
    /// Show or change settings kept in the database (issuer, skew, lockout)
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Support desk: reset a user's 2FA, clear a lockout, rotate the master key
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The audit log: list entries, verify the hash chain, prune old entries
    Audit(AuditArgs),
    /// Mail: send queued notices, list the queue, send a test message
    #[command(subcommand)]
    Mail(MailCommand),
    /// The database as a whole: create its tables, or copy it to a new one (operator only)
    #[command(subcommand)]
    Db(DbCommand),
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send every queued message now (a failed one stays queued)
    Flush,
    /// List queued and failed messages (never their text)
    Status,
    /// Send a test message to ADDRESS and show the server's answer
    Test {
        /// Recipient address
        address: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create the database's tables, or bring them up to date, and nothing else: how a
    /// privileged PostgreSQL role makes the schema ahead for the role twofa runs as
    Init,
    /// Copy a whole twofa database into a new, empty one: users, organizations,
    /// factors, backup codes, settings, login history and the audit log, with the same
    /// database id (the same key file opens the copy) and a verifiable audit chain
    Copy {
        /// The database to copy (a path)
        from: std::path::PathBuf,
        /// The new database (a path; created, or an existing empty twofa database)
        to: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Remove a user's TOTP secret, backup codes and lockout; they must enroll again
    Reset {
        /// User name
        user: String,
        /// Why (kept in the audit log)
        #[arg(long, required = true)]
        reason: String,
        /// Support ticket id (kept in the audit log)
        #[arg(long)]
        ticket: Option<String>,
        /// Do not ask for confirmation; required when standard input is not a terminal
        /// (without it: exit 2, nothing changed)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Seal every secret under a new master key; the old key file is kept as a dated backup
    RotateKey,
    /// Clear a lockout (failure counter and lock); the secret stays
    Unlock {
        /// User name
        user: String,
        /// Why (kept in the audit log)
        #[arg(long, required = true)]
        reason: String,
        /// Support ticket id (kept in the audit log)
        #[arg(long)]
        ticket: Option<String>,
    },
}

fn parse_time(s: &str) -> Result<twofa::clock::Timestamp, String> {
    use twofa::clock::Clock;
    twofa::text::timefmt::parse(s, twofa::clock::SystemClock.now())
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Only entries about this user
    #[arg(long)]
    pub user: Option<String>,
    /// Only entries about this organization
    #[arg(long)]
    pub org: Option<String>,
    /// Only this action (verify, enroll, admin.reset, org.add, …)
    #[arg(long)]
    pub action: Option<String>,
    /// From this time: RFC 3339, a date (2026-11-01), or an age (7d, 12h)
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub since: Option<twofa::clock::Timestamp>,
    /// Before this time (same forms as --since)
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub until: Option<twofa::clock::Timestamp>,
    /// At most this many entries [default: 50 for people, all with --json]
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry
    Verify,
    /// Remove audit and login-history entries older than TIME, keeping the chain verifiable
    Prune {
        /// RFC 3339, a date (2026-01-01), or an age (90d)
        #[arg(long, value_parser = parse_time, value_name = "TIME")]
        before: twofa::clock::Timestamp,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl OnOff {
    pub fn on(self) -> bool {
        self == OnOff::On
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Owner,
    Admin,
    Member,
}

impl From<RoleArg> for twofa::policy::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Owner => twofa::policy::Role::Owner,
            RoleArg::Admin => twofa::policy::Role::Admin,
            RoleArg::Member => twofa::policy::Role::Member,
        }
    }
}

fn parse_duration(s: &str) -> Result<i64, String> {
    twofa::text::duration::parse(s).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (enroll also adds users on the fly)
    Add {
        /// User name
        name: String,
        /// Email address: where invitations and notices go
        #[arg(long)]
        email: Option<String>,
        /// Login managed by an identity provider: exempt from 2FA requirements
        #[arg(long)]
        sso: bool,
    },
    /// List users with their 2FA state
    List,
    /// Remove a user and everything of theirs (2FA, backup codes, memberships)
    Remove {
        /// User name
        name: String,
        /// Do not ask for confirmation; required when standard input is not a terminal
        /// (without it: exit 2, nothing changed)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Mark or unmark a user as managed by SSO (exempt from 2FA policy)
    Sso {
        /// User name
        name: String,
        state: OnOff,
    },
    /// Set or remove a user's email address (where notices go)
    #[command(group = clap::ArgGroup::new("address").required(true))]
    Set {
        /// User name
        name: String,
        /// The new address
        #[arg(long, group = "address", value_name = "ADDRESS")]
        email: Option<String>,
        /// Remove the address: no more notices
        #[arg(long, group = "address")]
        no_email: bool,
    },
    /// Grant or revoke global admin (may manage every organization)
    Admin {
        /// User name
        name: String,
        state: OnOff,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organization
    Create {
        /// Organization name
        org: String,
        /// Its first owner (an existing user) [default: the acting person, when they are a user]
        #[arg(long, value_name = "USER")]
        owner: Option<String>,
    },
    /// List organizations
    List,
    /// Delete an organization and its memberships (users and their 2FA stay)
    Delete {
        /// Organization name
        org: String,
        /// Do not ask for confirmation; required when standard input is not a terminal
        /// (without it: exit 2, nothing changed)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Add members (several at once, or `-` to read names from stdin, one a line), in one
    /// transaction: all of them, or none when a name is not a user
    Add {
        /// Organization name
        org: String,
        /// User names (`-`: one per line on standard input)
        #[arg(required = true, num_args = 1.., value_name = "USER")]
        users: Vec<String>,
        /// Role of the new members: owner, admin or member
        #[arg(long, value_enum, default_value = "member")]
        role: RoleArg,
    },
    /// Remove a member (an organization always keeps one owner)
    Remove {
        /// Organization name
        org: String,
        /// User name
        user: String,
    },
    /// Change a member's role
    Role {
        /// Organization name
        org: String,
        /// User name
        user: String,
        /// The new role: owner, admin or member
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Require 2FA of every member (on), or stop requiring it (off)
    #[command(name = "require-2fa")]
    Require2fa {
        /// Organization name
        org: String,
        /// on or off
        state: OnOff,
        /// Time members without 2FA get to enroll: 0 (at once), 30m, 48h, 7d, 2w
        /// [default: 0, or the grace in force when re-applied]
        #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
        grace: Option<i64>,
        /// Give every member who must enroll a fresh deadline of now + grace (needed to
        /// change the grace of a requirement in force; re-applying keeps deadlines)
        #[arg(long)]
        reset_deadlines: bool,
        /// Show who would have to enroll or be blocked; change nothing
        #[arg(long)]
        dry_run: bool,
        /// Let codes by email satisfy the requirement (by default only an authenticator
        /// app does; kept when re-applied without --allow-email or --disallow-email)
        #[arg(long, conflicts_with = "disallow_email")]
        allow_email: bool,
        /// Stop letting codes by email satisfy the requirement
        #[arg(long)]
        disallow_email: bool,
    },
    /// Mail a reminder to every member who must still enroll (for cron)
    Remind {
        /// Organization name
        org: String,
        /// Only members whose deadline is within this time (or past): 3d, 12h
        #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
        within: Option<i64>,
    },
    /// The teammates table: who has 2FA and who is compliant
    Status {
        /// Organization name
        org: String,
        /// Only members who must act (in grace or blocked)
        #[arg(long)]
        non_compliant: bool,
    },
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// User name
    pub user: String,
    /// The organization; without it, every organization the user belongs to
    #[arg(long)]
    pub org: Option<String>,
}

/// Where a code comes from: the flag's value, `-` for standard input; without the flag,
/// standard input when it is not a terminal, else a prompt that does not echo.
#[derive(Debug, Args)]
pub struct CodeArg {
    /// The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from
    /// stdin, preferred: argv is visible to other users (`ps`) and logged by sudo
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// User name (created if new)
    pub user: String,

    /// The factor: totp (an authenticator app) or email (codes mailed to the user's
    /// address, set with `user set USER --email ADDR`; mail must be configured)
    #[arg(long, value_enum, default_value = "totp")]
    pub method: MethodArg,

    /// Activate the pending enrollment with this code from the app; `-` reads it from stdin,
    /// preferred: argv is visible to other users (`ps`) and logged by sudo. Without it, a
    /// code piped in (stdin not a terminal) activates a pending enrollment too
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,

    /// Issuer shown in the app [default: the `issuer` setting, "twofa"]
    #[arg(long)]
    pub issuer: Option<String>,

    /// HMAC algorithm [default: SHA1, the only one every app supports]
    #[arg(long, value_enum, ignore_case = true)]
    pub algorithm: Option<AlgorithmArg>,

    /// Code length: 6 or 8 digits [default: 6]
    #[arg(long, value_parser = parse_digits)]
    pub digits: Option<u8>,

    /// Seconds per code, 10 to 300 [default: 30; many apps only support 30]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(10..=300))]
    pub period: Option<u32>,

    /// How to draw the QR code [default: ansi on a colour terminal, else unicode]
    #[arg(long, value_enum)]
    pub qr: Option<QrArg>,

    /// Replace a pending enrollment's secret instead of showing it again
    #[arg(long)]
    pub new_secret: bool,

    /// Also write the backup codes of the activation to FILE: a new file (never
    /// overwritten; an existing one is exit 2, before anything changes), mode 0600
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

fn parse_digits(s: &str) -> Result<u8, String> {
    match s {
        "6" => Ok(6),
        "8" => Ok(8),
        _ => Err("must be 6 or 8".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    #[value(name = "SHA1")]
    Sha1,
    #[value(name = "SHA256")]
    Sha256,
    #[value(name = "SHA512")]
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QrArg {
    /// Half-block characters, no escape codes; light modules drawn, for dark themes
    Unicode,
    /// Half blocks in explicit black and white: reads the same on dark and light themes
    Ansi,
    /// No QR code; enter the secret by hand
    None,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// User name
    pub user: String,
    #[command(flatten)]
    pub code: CodeArg,
}

#[derive(Debug, Args)]
pub struct SendCodeArgs {
    /// User name
    pub user: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// An authenticator app (TOTP): the strongest choice
    Totp,
    /// Codes mailed to the user's address on request: a fallback for people without an app
    Email,
}

#[derive(Debug, Args)]
pub struct BackupCodesArgs {
    /// User name
    pub user: String,
    /// Replace every backup code with a new set (needs a current code or a backup code)
    #[arg(long)]
    pub regenerate: bool,
    #[command(flatten)]
    pub code: CodeArg,
    /// Also write the new backup codes to FILE: a new file (never overwritten; an existing
    /// one is exit 2, before anything changes), mode 0600
    #[arg(long, value_name = "FILE", requires = "regenerate")]
    pub save: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DisableArgs {
    /// User name
    pub user: String,
    #[command(flatten)]
    pub code: CodeArg,
    /// Do not ask for confirmation; required to remove an active enrollment when standard
    /// input is not a terminal (without it: exit 2, nothing changed)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// User name
    pub user: String,
    /// Show the user's recent code checks (time, outcome, method, drift)
    #[arg(long)]
    pub history: bool,
    /// How many history entries
    #[arg(long, default_value = "20", requires = "history", value_name = "N")]
    pub limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// List every setting with its value
    List,
    /// Print one setting
    Get {
        /// Setting name (see `twofa config list`)
        key: String,
    },
    /// Change one setting
    Set {
        /// Setting name (see `twofa config list`)
        key: String,
        /// New value
        value: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
