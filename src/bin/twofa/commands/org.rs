//! `twofa org …`: organizations, members, roles, the 2FA requirement, the teammates table.

use super::Context;
use crate::cli::OrgCommand;
use crate::input;
use crate::output::{Output, Render, StreamTable, list, plural, time_or_dash};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::policy::Compliance;
use twofa::service::{Added, Deadlines, MemberStatus, Membership, OrgInfo, RequireReport, State};

pub fn run(ctx: &Context, cmd: OrgCommand) -> Result<()> {
    let mut svc = match cmd {
        OrgCommand::Create { .. } => ctx.service_or_create()?,
        _ => ctx.service()?,
    };
    match cmd {
        OrgCommand::Create { org, owner } => ctx
            .out
            .print(&ctx.privileged(&mut svc, |s| s.create_org(&org, owner.as_deref()))?),
        OrgCommand::List => ctx.out.print(&Orgs(svc.list_orgs()?)),
        OrgCommand::Delete { org, yes } => {
            input::confirm_destructive(yes, &format!("Delete organization {org} and its memberships?"))?;
            ctx.privileged(&mut svc, |s| s.delete_org(&org))?;
            ctx.out.print(&Deleted { org, deleted: true })
        }
        OrgCommand::Add { org, users, role } => {
            if users == ["-"] && ctx.actor_code.as_deref() == Some("-") {
                return Err(crate::exit::CliError::Usage(
                    "names and the step-up code cannot both come from standard input: give the code at the terminal prompt, or the names as arguments".into(),
                )
                .into());
            }
            let users = if users == ["-"] {
                crate::input::names_from_stdin()?
            } else {
                users
            };
            match users.as_slice() {
                [one] => ctx
                    .out
                    .print(&ctx.privileged(&mut svc, |s| s.add_member(&org, one, role.into()))?),
                _ => ctx
                    .out
                    .print(&ctx.privileged(&mut svc, |s| s.add_members(&org, &users, role.into()))?),
            }
        }
        OrgCommand::Remove { org, user } => ctx
            .out
            .print(&ctx.privileged(&mut svc, |s| s.remove_member(&org, &user))?),
        OrgCommand::Role { org, user, role } => ctx
            .out
            .print(&ctx.privileged(&mut svc, |s| s.set_role(&org, &user, role.into()))?),
        OrgCommand::Require2fa {
            org,
            state,
            grace,
            reset_deadlines,
            dry_run,
            allow_email,
            disallow_email,
        } => ctx.out.print(&ctx.privileged(&mut svc, |s| {
            let email = match (allow_email, disallow_email) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            s.require_2fa(&org, state.on(), grace, reset_deadlines, dry_run, email)
        })?),
        OrgCommand::Remind { org, within } => {
            let done = ctx.privileged(&mut svc, |s| s.remind(&org, within))?;
            ctx.out.print(&done)?;
            if done.mail_off {
                ctx.out.hint("mail is not configured, so nothing was sent: set mail_smtp_url (or mail_sendmail) and mail_from with `twofa config set`");
            }
            Ok(())
        }
        OrgCommand::Status { org, non_compliant } => status(ctx, &mut svc, &org, non_compliant),
    }
}

/// Streams the teammates table: rows are written as the query yields them, so a
/// 100,000-member organization needs neither the memory nor the wait of a full table.
fn status<C: twofa::clock::Clock>(
    ctx: &Context,
    svc: &mut twofa::service::Service<C>,
    org: &str,
    only_non_compliant: bool,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let json = ctx.out.json;
    let mut first = true;
    // Nothing reaches stdout before the organization is known to exist: the header
    // is written with the first member (or after the query, for an empty one).
    let mut table: Option<StreamTable> = None;
    let header = |out: &mut dyn Write| -> std::io::Result<Option<StreamTable>> {
        if json {
            write!(out, "{{\"members\":[")?;
            Ok(None)
        } else {
            StreamTable::new(out, &COLUMNS).map(Some)
        }
    };
    let team = svc.org_status(org, only_non_compliant, |m| {
        if first {
            crate::output::mark_stdout_used();
            table = header(&mut out)?;
        }
        if json {
            if !first {
                write!(out, ",")?;
            }
            first = false;
            serde_json::to_writer(&mut out, m)?;
            Ok(())
        } else {
            first = false;
            table.as_ref().map_or(Ok(()), |t| t.row(&mut out, &row(m)))
        }
    })?;
    if first {
        table = header(&mut out)?;
    }
    if json {
        // The members array is already written; the summary's fields follow it in
        // the same object (its serialisation minus the opening brace).
        let tail = serde_json::to_string(&team)?;
        writeln!(out, "],{}", &tail[1..])?;
    } else {
        if let Some(t) = &table {
            t.end(&mut out)?;
        }
        let summary = &team.summary;
        let policy = if team.require_2fa {
            format!("2FA required, grace {}", team.grace)
        } else {
            "2FA not required".into()
        };
        writeln!(
            out,
            "{}: {policy}. {}: {} enrolled, {} in grace, {} blocked, {} exempt (SSO)",
            team.org,
            plural(summary.members as i64, "member", "members"),
            summary.enrolled,
            summary.in_grace,
            summary.blocked,
            summary.exempt
        )?;
    }
    out.flush()?;
    Ok(())
}

/// The teammates table's columns and their widths.
const COLUMNS: [(&str, usize); 5] = [
    ("user", 24),
    ("role", 6),
    ("2FA", 8),
    ("compliance", 32),
    ("last verified", 20),
];

fn row(m: &MemberStatus) -> Vec<String> {
    let tfa = match m.two_factor {
        State::Active => "active ✓",
        State::Pending => "pending",
        State::None => "none",
    };
    let compliance = match m.compliance {
        Compliance::Grace => format!("grace until {}", time_or_dash(m.deadline)),
        Compliance::Exempt => "exempt (managed by SSO)".into(),
        c => c.as_str().into(),
    };
    vec![
        m.user.clone(),
        m.role.as_str().into(),
        tfa.into(),
        compliance,
        time_or_dash(m.last_verified),
    ]
}

impl Render for OrgInfo {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let owners = if self.owners.is_empty() {
            "no owner".into()
        } else {
            format!("owner {}", self.owners.join(", "))
        };
        writeln!(
            out,
            "Organization {}: {owners}, {}",
            self.org,
            plural(self.members, "member", "members")
        )
    }
}

#[derive(Serialize)]
#[serde(transparent)]
struct Orgs(Vec<OrgInfo>);

impl Render for Orgs {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let mut table = list(&["organization", "members", "owners", "2FA required"]);
        for o in &self.0 {
            let req = if o.require_2fa {
                format!("yes, grace {}", o.grace)
            } else {
                "no".into()
            };
            table.add_row(vec![o.org.clone(), o.members.to_string(), o.owners.join(", "), req]);
        }
        writeln!(out, "{table}")
    }
}

impl Render for Membership {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(out, "{} is {} of {}", self.user, self.role.as_str(), self.org)
    }
}

impl Render for twofa::service::AddedMembers {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        for m in &self.members {
            match (m.result, m.deadline) {
                (Added::Added, Some(d)) => writeln!(
                    out,
                    "added {} to {} as {}; must enroll by {}",
                    m.user,
                    self.org,
                    self.role.as_str(),
                    time_or_dash(Some(d))
                )?,
                (Added::Added, None) => writeln!(out, "added {} to {} as {}", m.user, self.org, self.role.as_str())?,
                _ => writeln!(out, "{} is already a member of {}; unchanged", m.user, self.org)?,
            }
        }
        Ok(())
    }
}

impl Render for RequireReport {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let what = match (self.require_2fa, self.dry_run) {
            (true, false) if self.deadlines == Deadlines::Kept => format!(
                "{} already requires 2FA (grace {}); every deadline is kept (--reset-deadlines gives new ones).",
                self.org, self.grace
            ),
            (true, false) => format!("{} now requires 2FA (grace {}).", self.org, self.grace),
            (true, true) => format!(
                "Dry run: requiring 2FA in {} (grace {}) would give:",
                self.org, self.grace
            ),
            (false, false) => format!("{} no longer requires 2FA; members keep their 2FA.", self.org),
            (false, true) => format!("Dry run: {} would no longer require 2FA.", self.org),
        };
        writeln!(out, "{what}")?;
        if self.must_enroll.is_empty() {
            return if self.require_2fa {
                writeln!(out, "Every member is compliant.")
            } else {
                Ok(())
            };
        }
        writeln!(out, "\nMembers who must enroll:")?;
        let table = StreamTable::new(out, &COLUMNS)?;
        for m in &self.must_enroll {
            table.row(out, &row(m))?;
        }
        table.end(out)
    }
}

impl Render for twofa::service::Reminders {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if self.reminded.is_empty() {
            return writeln!(out, "Nobody in {} must still enroll.", self.org);
        }
        for r in &self.reminded {
            let whom = match (&r.email, r.queued) {
                (Some(e), true) => format!("reminded {} <{e}>", r.user),
                (Some(e), false) => format!("not reminded {} <{e}> (mail off)", r.user),
                (None, _) => format!("not reminded {} (no email address)", r.user),
            };
            writeln!(out, "{whom}; must enroll by {}", time_or_dash(r.deadline))?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Deleted {
    org: String,
    deleted: bool,
}

impl Render for Deleted {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(out, "Deleted organization {}.", self.org)
    }
}
