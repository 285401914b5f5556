//! `twofa mail flush|status|test`, and the delivery after every command that queues mail.

use super::Context;
use crate::cli::MailCommand;
use crate::output::{Output, Render, list, plural, time_or_dash};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::service::{Delivery, MailTest, Service};
use twofa::store::MailSummary;
use twofa::text::names::printable;

pub fn run(ctx: &Context, cmd: MailCommand) -> Result<()> {
    let mut svc = ctx.service()?;
    match cmd {
        MailCommand::Flush => {
            let report = svc.deliver_mail()?;
            ctx.out.print(&report)?;
            if !report.failed.is_empty() {
                ctx.out.hint(format_args!(
                    "{} stays queued; fix the cause (see `twofa mail status`), then run `twofa mail flush` again",
                    plural(report.failed.len() as i64, "message", "messages")
                ));
            }
            Ok(())
        }
        MailCommand::Status => ctx.out.print(&Queue(svc.mail_queue()?)),
        MailCommand::Test { address } => {
            let sent = ctx.privileged(&mut svc, |s| s.mail_test(&address))?;
            ctx.out.print(&sent)
        }
    }
}

/// At most this many messages are sent after a command (oldest first); a bulk change
/// leaves the rest to `mail flush`.
const AFTER_A_COMMAND: usize = 100;

/// Sends what the command queued; failures are warnings, never the command's result.
pub fn deliver<C: twofa::clock::Clock>(ctx: &Context, svc: &mut Service<C>) {
    match svc.deliver_after_command(AFTER_A_COMMAND) {
        Ok(report) => {
            let untried = report.queued.saturating_sub(report.failed.len());
            if untried > 0 {
                ctx.out.note(format_args!(
                    "note: {} still queued; `twofa mail flush` sends them (cron can run it)",
                    plural(untried as i64, "message is", "messages are")
                ));
            }
            for f in &report.failed {
                ctx.out.note(format_args!(
                    "warning: the {} mail to {} was not sent: {}; it stays queued (`twofa mail flush` sends it)",
                    f.kind,
                    f.recipient,
                    printable(&f.answer)
                ));
            }
            for d in &report.dropped {
                ctx.out.note(format_args!(
                    "warning: the {} mail to {} can never be sent: {}; it was dropped (#{})",
                    d.kind,
                    d.recipient,
                    printable(&d.answer),
                    d.id
                ));
            }
            for e in &report.expired {
                ctx.out.note(format_args!(
                    "warning: the {} mail to {} expired unsent (#{})",
                    e.kind, e.recipient, e.id
                ));
            }
        }
        Err(e) => ctx.out.note(format_args!(
            "warning: queued mail was not sent: {e}; it stays queued (`twofa mail flush` sends it)"
        )),
    }
}

impl Render for Delivery {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        for s in &self.sent {
            writeln!(
                out,
                "sent #{} {} to {}: {}",
                s.id,
                s.kind,
                s.recipient,
                printable(&s.answer)
            )?;
        }
        for f in &self.failed {
            writeln!(
                out,
                "not sent #{} {} to {}: {}",
                f.id,
                f.kind,
                f.recipient,
                printable(&f.answer)
            )?;
        }
        for d in &self.dropped {
            writeln!(
                out,
                "dropped #{} {} to {}: {}",
                d.id,
                d.kind,
                d.recipient,
                printable(&d.answer)
            )?;
        }
        for e in &self.expired {
            writeln!(out, "expired unsent #{} {} to {}", e.id, e.kind, e.recipient)?;
        }
        let dropped = match self.dropped.len() {
            0 => String::new(),
            n => format!(", {n} dropped"),
        };
        writeln!(
            out,
            "{} sent, {} failed{dropped}; {} queued",
            self.sent.len(),
            self.failed.len(),
            self.queued
        )
    }
}

#[derive(Serialize)]
#[serde(transparent)]
struct Queue(Vec<MailSummary>);

impl Render for Queue {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if self.0.is_empty() {
            return writeln!(out, "No mail is queued.");
        }
        let mut table = list(&["id", "queued", "kind", "to", "subject", "attempts", "last error"]);
        for m in &self.0 {
            table.add_row(vec![
                m.id.to_string(),
                time_or_dash(Some(m.created_at)),
                m.kind.clone(),
                printable(&m.recipient).into_owned(),
                printable(&m.subject).into_owned(),
                m.attempts.to_string(),
                m.last_error
                    .as_deref()
                    .map_or("-".into(), |e| printable(e).into_owned()),
            ]);
        }
        writeln!(out, "{table}")
    }
}

impl Render for MailTest {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "Sent a test message to {} via {}.\nServer's answer: {}",
            self.recipient,
            self.via,
            printable(&self.answer)
        )
    }
}
