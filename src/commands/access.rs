//! `twofa access USER [--org ORG]`: the check a login flow calls. Exit 0 when the user
//! may enter, 5 (denied by policy) otherwise, with the reason on stderr and in JSON.

use super::Context;
use crate::cli::AccessArgs;
use crate::output::{Output, Render};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::service::AccessDecision;
use twofa::timefmt::rfc3339;

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
    match decisions.iter().find(|d| !d.allowed) {
        None => Ok(()),
        Some(d) => Err(twofa::Error::Denied {
            message: format!("`{}` may not enter `{}`: {}", d.user, d.org, d.reason),
            hint: Some(match d.reason {
                "not_a_member" => format!("add them with `twofa org add {} {}`", d.org, d.user),
                _ => format!("`{}` requires 2FA; enroll with `twofa enroll {}`", d.org, d.user),
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
    format!("{verdict}: {} in {}: {}{until}", d.user, d.org, d.reason)
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
