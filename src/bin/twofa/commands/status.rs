//! `twofa status USER`: state, parameters, usage, lockout and drift.

use super::Context;
use crate::cli::StatusArgs;
use crate::output::{Output, Render, fields, list, time_or_dash};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::service::{Drift, HistoryEntry, Status};
use twofa::text::timefmt::rfc3339;

pub fn run(ctx: &Context, args: StatusArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    if args.history {
        return ctx.out.print(&History(svc.history(&args.user, args.limit)?));
    }
    ctx.out.print(&svc.status(&args.user)?)
}

/// The login history: the seed pages' "2fa_verified" trail.
#[derive(Serialize)]
#[serde(transparent)]
struct History(Vec<HistoryEntry>);

impl Render for History {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if self.0.is_empty() {
            return writeln!(out, "No code checks yet.");
        }
        let mut table = list(&["time", "for", "method", "outcome", "2fa_verified", "drift"]);
        for h in &self.0 {
            table.add_row(vec![
                rfc3339(h.time),
                h.purpose.as_str().to_string(),
                h.method.map_or("-", |m| m.as_str()).to_string(),
                h.outcome.as_str().to_string(),
                h.two_factor_verified.to_string(),
                match h.drift {
                    Some(0) => "on time".into(),
                    Some(d) => format!("{d:+} step"),
                    None => "-".into(),
                },
            ]);
        }
        writeln!(out, "{table}")
    }
}

fn describe_drift(d: &Drift) -> String {
    match d.mean_steps {
        None => "no codes yet".into(),
        Some(mean) => {
            let lean = if mean <= -0.5 {
                ", device clock runs behind"
            } else if mean >= 0.5 {
                ", device clock runs ahead"
            } else {
                ""
            };
            format!(
                "{} behind, {} on time, {} ahead (last {}){lean}",
                d.behind, d.on_time, d.ahead, d.samples
            )
        }
    }
}

impl Render for Status {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        let table = fields([
            ("user", self.user.clone()),
            ("status", self.status.as_str().to_string()),
            (
                "factors",
                if self.factors.is_empty() {
                    "-".into()
                } else {
                    self.factors
                        .iter()
                        .map(|f| format!("{} ({})", f.kind.as_str(), f.state.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            ),
            ("issuer", opt(self.issuer.clone())),
            (
                "algorithm",
                opt(self.algorithm.map(|a| {
                    format!(
                        "{}, {} digits, {} s",
                        a.as_str(),
                        self.digits.unwrap_or(6),
                        self.period.unwrap_or(30)
                    )
                })),
            ),
            ("enrolled", time_or_dash(self.enrolled_at)),
            ("activated", time_or_dash(self.activated_at)),
            ("last used", time_or_dash(self.last_used_at)),
            ("backup codes left", self.backup_codes_remaining.to_string()),
            (
                "failed attempts",
                match self.locked_until {
                    // The count starts again after a lockout; say why it reads 0.
                    Some(_) => "counting again after the lockout".into(),
                    None => self.failed_attempts.to_string(),
                },
            ),
            ("locked until", time_or_dash(self.locked_until)),
            ("clock drift", describe_drift(&self.drift)),
        ]);
        writeln!(out, "{table}")
    }
}
