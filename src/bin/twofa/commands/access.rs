//! `twofa access USER [--org ORG]`: the check a login flow calls. Exit 0 when the user
//! may enter, 5 (denied by policy) otherwise; the verdict and its reason are the output.

use super::Context;
use crate::cli::AccessArgs;
use crate::exit::CliError;
use crate::output::{Output, Render, reason_words};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::policy::AccessReason;
use twofa::service::AccessDecision;
use twofa::text::timefmt::rfc3339;

pub fn run(ctx: &Context, args: AccessArgs) -> Result<()> {
    let decisions = ctx.service()?.access(&args.user, args.org.as_deref())?;
    if args.org.is_some() {
        ctx.out.print(&decisions[0])?;
    } else {
        ctx.out.print(&AllOrgs {
            user: &args.user,
            allowed: decisions.iter().all(|d| d.allowed),
            organizations: &decisions,
        })?;
    }
    // The verdict is the output (stdout, or the JSON); a denial adds only its hint on
    // stderr and exit 5, not a second "error:" line saying the same.
    match decisions.iter().find(|d| !d.allowed) {
        None => Ok(()),
        Some(d) => Err(CliError::Quiet {
            code: crate::exit::DENIED,
            hint: Some(match d.reason {
                AccessReason::NotAMember => format!(
                    "add them with `twofa org add {} {}`",
                    crate::exit::shell_word(&d.org),
                    crate::exit::shell_word(&d.user)
                ),
                _ => format!(
                    "`{}` requires 2FA; enroll with `twofa enroll {}`",
                    d.org,
                    crate::exit::shell_word(&d.user)
                ),
            }),
        }
        .into()),
    }
}

#[derive(Serialize)]
struct AllOrgs<'a> {
    user: &'a str,
    allowed: bool,
    organizations: &'a [AccessDecision],
}

fn line(d: &AccessDecision) -> String {
    let verdict = if d.allowed { "allowed" } else { "denied" };
    let until = d
        .deadline
        .map(|t| format!(" (deadline {})", rfc3339(t)))
        .unwrap_or_default();
    format!("{verdict}: {} in {}: {}{until}", d.user, d.org, reason_words(d.reason))
}

impl Render for AccessDecision {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(out, "{}", line(self))
    }
}

impl Render for AllOrgs<'_> {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if self.organizations.is_empty() {
            return writeln!(out, "allowed: {} belongs to no organization", self.user);
        }
        for d in self.organizations {
            writeln!(out, "{}", line(d))?;
        }
        Ok(())
    }
}
