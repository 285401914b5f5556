//! `twofa send-code USER`: mail a fresh code for the email factor.

use super::Context;
use crate::cli::SendCodeArgs;
use crate::output::{Output, Render};
use anyhow::Result;
use std::io::Write;
use twofa::service::CodeSent;
use twofa::text::timefmt::rfc3339;

pub fn run(ctx: &Context, args: SendCodeArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    let sent = ctx.mailing(&mut svc, |s| s.send_code(&args.user))?;
    ctx.out.print(&sent)
}

impl Render for CodeSent {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "Sent a code to {} for {}; it works once, until {}.",
            self.sent_to,
            self.user,
            rfc3339(self.expires_at)
        )
    }
}
