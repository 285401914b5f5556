//! `twofa disable USER`: remove 2FA with a current code or a backup code.

use super::Context;
use crate::cli::DisableArgs;
use crate::input;
use crate::output::{Output, Render};
use anyhow::Result;
use std::io::Write;
use twofa::factors::code::CodeError;
use twofa::service::{Disabled, State};

pub fn run(ctx: &Context, args: DisableArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    let status = svc.status(&args.user)?;
    match status.status {
        State::Active => {
            // Everything that can refuse, before anything is asked: the actor's rights
            // and the organizations' policy (the service checks those before it needs
            // the code). A lockout is not among them: a backup code still works.
            match svc.disable(&args.user, None) {
                Err(twofa::Error::Code(CodeError::Empty)) => {}
                Err(e) => return Err(e.into()),
                // Pending by now (changed since the read): cancelled, nothing to ask.
                Ok(disabled) => return ctx.out.print(&disabled),
            }
            input::confirm_destructive(
                args.yes,
                &format!(
                    "Remove two-factor authentication and all backup codes of {}?",
                    args.user
                ),
            )?;
        }
        State::Pending if !args.yes && input::stdin_is_terminal() => {
            svc.may_touch_factor(&args.user)?;
            input::confirm(&format!("Cancel the pending enrollment of {}?", args.user))?;
        }
        _ => {}
    }
    let code = match status.status {
        State::Active => Some(input::code(
            args.code.code.as_deref(),
            "Current code or a backup code: ",
        )?),
        _ => None,
    };
    let disabled = ctx.mailing(&mut svc, |s| s.disable(&args.user, code.as_deref().map(|c| c.as_str())))?;
    ctx.out.print(&disabled)
}

impl Render for Disabled {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        match self.was {
            State::Pending => writeln!(out, "Cancelled the pending enrollment of {}.", self.user),
            _ => writeln!(
                out,
                "Two-factor authentication removed for {}; backup codes deleted.",
                self.user
            ),
        }
    }
}
