//! `twofa audit [verify|prune]`: who did what and why, and proof it was not edited.

use super::Context;
use crate::cli::{AuditArgs, AuditCommand};
use crate::exit::CliError;
use crate::output::{Output, Render, list};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::audit::Record;
use twofa::service::{AuditReport, Pruned};
use twofa::store::AuditFilter;
use twofa::text::names::printable;
use twofa::text::timefmt::rfc3339;

/// People read a screenful; scripts get everything unless they ask for less.
const HUMAN_LIMIT: u32 = 50;

pub fn run(ctx: &Context, args: AuditArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    match args.command {
        Some(AuditCommand::Verify) => {
            let report = svc.audit_verify()?;
            ctx.out.print(&report)?;
            match &report.broken {
                None => Ok(()),
                Some(b) => Err(CliError::Tampered(format!(
                    "the audit log does not verify: entry {} {}",
                    b.id, b.problem
                ))
                .into()),
            }
        }
        Some(AuditCommand::Prune { before }) => ctx.out.print(&ctx.privileged(&mut svc, |s| s.audit_prune(before))?),
        None => {
            let filter = AuditFilter {
                user: args.user,
                org: args.org,
                action: args.action,
                since: args.since,
                until: args.until,
                limit: args.limit.or((!ctx.out.json).then_some(HUMAN_LIMIT)),
            };
            if ctx.out.json {
                return stream_json(&mut svc, &filter);
            }
            ctx.out.print(&Entries(svc.audit(&filter)?))
        }
    }
}

/// `--json audit`: the array written entry by entry as the rows are read, so a log of
/// millions of entries needs no more memory than one (the same JSON as serialising
/// the whole array).
fn stream_json<C: twofa::clock::Clock>(svc: &mut twofa::service::Service<C>, filter: &AuditFilter) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut first = true;
    crate::output::mark_stdout_used();
    out.write_all(b"[")?;
    svc.audit_each(filter, |r| {
        out.write_all(if first { b"\n  " } else { b",\n  " })?;
        first = false;
        let pretty = serde_json::to_string_pretty(&r).map_err(std::io::Error::other)?;
        out.write_all(pretty.replace('\n', "\n  ").as_bytes())?;
        Ok(())
    })?;
    out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
#[serde(transparent)]
struct Entries(Vec<Record>);

impl Render for Entries {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if self.0.is_empty() {
            return writeln!(out, "No audit entries match.");
        }
        let mut table = list(&["#", "time", "actor", "action", "user", "org", "outcome", "details"]);
        for r in &self.0 {
            let e = &r.entry;
            let mut details = e.details.clone().unwrap_or_default();
            if let Some(reason) = &e.reason {
                details = format!("reason: {reason}; {details}");
            }
            if let Some(ticket) = &e.ticket {
                details = format!("ticket {ticket}; {details}");
            }
            // The real person beside a named actor: "olga (--actor, by root)".
            let real = match (&e.sudo_user, &e.os_user) {
                (Some(s), Some(os)) => format!("{s} via sudo as {os}"),
                (None, Some(os)) => os.clone(),
                _ => String::new(),
            };
            let mut actor = format!("{} ({}", e.actor, e.actor_via.describe());
            if !real.is_empty() && real != e.actor && e.sudo_user.as_deref() != Some(e.actor.as_str()) {
                actor.push_str(&format!(", by {real}"));
            }
            if e.operator == Some(true) && !e.actor_via.is_claim() {
                actor.push_str(", operator");
            }
            actor.push(')');
            let cell = |s: &str| printable(s).into_owned();
            table.add_row(vec![
                r.id.to_string(),
                rfc3339(e.time),
                cell(&actor),
                cell(&e.action),
                cell(e.subject.as_deref().unwrap_or("-")),
                cell(e.org.as_deref().unwrap_or("-")),
                cell(e.outcome.as_str()),
                cell(&details),
            ]);
        }
        writeln!(out, "{table}")
    }
}

impl Render for AuditReport {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let from = match self.pruned_before {
            Some(id) => format!(" (entries before {id} pruned; checked from the recorded anchor)"),
            None => String::new(),
        };
        match &self.broken {
            None => writeln!(
                out,
                "Audit log intact: {} entries verified{from}.\nHead: {} (keep it elsewhere to detect removal of the newest entries)",
                self.entries, self.head
            ),
            Some(b) => writeln!(
                out,
                "Audit log BROKEN at entry {}: {}.\nEntries before it verified: {}{from}.",
                b.id,
                b.problem,
                self.entries.saturating_sub(1)
            ),
        }
    }
}

impl Render for Pruned {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "Removed {} audit entries and {} login-history entries before {}; the chain still verifies from the recorded anchor.",
            self.removed,
            self.history_removed,
            rfc3339(self.before)
        )
    }
}
