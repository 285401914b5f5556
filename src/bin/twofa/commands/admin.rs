//! `twofa admin reset|unlock`: the support desk, with a reason for the audit log.

use super::Context;
use crate::cli::AdminCommand;
use crate::input;
use crate::output::{Output, Render, fields, time_or_dash};
use anyhow::Result;
use std::io::Write;
use twofa::service::{ResetPreview, Rotated, Supported};
use twofa::text::timefmt::rfc3339;

pub fn run(ctx: &Context, cmd: AdminCommand) -> Result<()> {
    let mut svc = ctx.service()?;
    match cmd {
        AdminCommand::Reset {
            user,
            reason,
            ticket,
            yes,
        } => {
            if !yes && input::stdin_is_terminal() {
                // Show what goes before it goes: support works on someone else's account.
                let preview = svc.reset_preview(&user)?;
                let mut text = Vec::new();
                preview.render(&mut text, &ctx.out)?;
                ctx.out.note(String::from_utf8_lossy(&text).trim_end());
            }
            input::confirm_destructive(yes, &format!("Reset the 2FA of {user}? They will have to enroll again"))?;
            let done = ctx.privileged(&mut svc, |s| s.admin_reset(&user, &reason, ticket.as_deref()))?;
            ctx.out.print(&done)
        }
        AdminCommand::RotateKey => ctx.out.print(&ctx.privileged(&mut svc, |s| s.rotate_key())?),
        AdminCommand::Unlock { user, reason, ticket } => {
            let done = ctx.privileged(&mut svc, |s| s.admin_unlock(&user, &reason, ticket.as_deref()))?;
            ctx.out.print(&done)
        }
    }
}

impl Render for ResetPreview {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let orgs = if self.orgs.is_empty() {
            "-".into()
        } else {
            self.orgs.join(", ")
        };
        let table = fields([
            ("user", self.user.clone()),
            ("2FA", self.two_factor.as_str().to_string()),
            ("enrolled", time_or_dash(self.enrolled_at)),
            ("activated", time_or_dash(self.activated_at)),
            ("backup codes left", self.backup_codes_remaining.to_string()),
            ("locked until", time_or_dash(self.locked_until)),
            ("organizations", orgs),
        ]);
        writeln!(out, "{table}")
    }
}

impl Render for Supported {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        match self.action {
            twofa::service::SupportAction::Reset => {
                writeln!(
                    out,
                    "Reset the 2FA of {}: secret, backup codes and lockout removed. They can enroll again now: twofa enroll {}",
                    self.user,
                    crate::exit::shell_word(&self.user)
                )?;
                for d in &self.deadlines {
                    writeln!(out, "  {} requires 2FA: enroll by {}", d.org, rfc3339(d.deadline))?;
                }
                Ok(())
            }
            twofa::service::SupportAction::Unlock => writeln!(
                out,
                "Unlocked {}: failures cleared, 2FA {} kept.",
                self.user,
                self.two_factor.as_str()
            ),
        }
    }
}

impl Render for Rotated {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "Resealed {} secrets under a new key in {}.\nThe previous key is kept as {}: remove it once your backups of the database are all newer than now.",
            self.resealed, self.key_file, self.previous_key
        )
    }
}
