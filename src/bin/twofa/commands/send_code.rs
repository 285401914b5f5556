//! `twofa send-code USER`: mail a fresh code for the email factor (and the check,
//! shared with `enroll --method email`, that mail can go at all).

use super::Context;
use crate::cli::SendCodeArgs;
use crate::exit::CliError;
use crate::output::{Output, Render};
use anyhow::Result;
use std::io::Write;
use twofa::clock::Clock;
use twofa::service::{EmailCode, Service};
use twofa::text::timefmt::rfc3339;

pub fn run(ctx: &Context, args: SendCodeArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    mail_must_be_on(ctx, &mut svc)?;
    let sent = ctx.mailing(&mut svc, |s| s.send_code(&args.user))?;
    ctx.out.print(&sent)
}

/// A code is only worth making when it can be mailed: refused (before anything is
/// issued) with `--no-mail`, or when no way of sending is configured.
pub fn mail_must_be_on<C: Clock>(ctx: &Context, svc: &mut Service<C>) -> Result<()> {
    if ctx.no_mail {
        return Err(CliError::Usage("a code by email needs mail: drop --no-mail".into()).into());
    }
    let settings = svc.settings()?;
    if !settings.mail.configured() || settings.mail.from.is_none() {
        return Err(CliError::Usage(
            "mail is not configured, so no code can be sent: set mail_smtp_url (or mail_sendmail) and mail_from with `twofa config set`"
                .into(),
        )
        .into());
    }
    Ok(())
}

impl Render for EmailCode {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "{} a code to {} for {}; it works once, until {}.",
            if self.queued { "Sent" } else { "Made (not mailed)" },
            self.to,
            self.user,
            rfc3339(self.expires_at)
        )
    }
}
