//! `twofa verify USER`: exit 0 only when the code is accepted.

use super::Context;
use crate::cli::VerifyArgs;
use crate::input;
use crate::output::{Output, Render};
use anyhow::Result;
use std::io::Write;
use twofa::service::{Method, Verified};

/// Below this many backup codes, suggest making new ones.
const LOW_BACKUP_CODES: u32 = 3;

pub fn run(ctx: &Context, args: VerifyArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    if args.code.code.is_none() && input::stdin_is_terminal() {
        // Nothing to ask for when the answer could only be refused.
        svc.ready_for_code(&args.user)?;
    }
    let code = input::code(args.code.code.as_deref(), "Code from the app, or a backup code: ")?;
    let verified = ctx.mailing(&mut svc, |s| s.verify(&args.user, &code))?;
    ctx.out.print(&verified)?;
    if let Some(n) = verified.backup_codes_remaining.filter(|&n| n < LOW_BACKUP_CODES) {
        ctx.out.hint(format_args!(
            "{} has {n} backup code{} left; make new ones with `twofa backup-codes {} --regenerate`",
            verified.user,
            if n == 1 { "" } else { "s" },
            verified.user
        ));
    }
    Ok(())
}

impl Render for Verified {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        match (self.method, self.step_offset) {
            (Method::Totp, Some(0) | None) => writeln!(out, "accepted: {} (code from the app)", self.user),
            (Method::Totp, Some(o)) => writeln!(
                out,
                "accepted: {} (code from the app, {} step {})",
                self.user,
                o.abs(),
                if o < 0 { "behind" } else { "ahead" }
            ),
            (Method::Email, _) => writeln!(out, "accepted: {} (code sent by email)", self.user),
            (Method::Backup, _) => writeln!(
                out,
                "accepted: {} (backup code; {} left)",
                self.user,
                self.backup_codes_remaining.unwrap_or(0)
            ),
        }
    }
}
