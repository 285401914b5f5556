//! `twofa disable USER`: remove 2FA with a current code or a backup code.

use super::Context;
use crate::cli::DisableArgs;
use crate::input;
use crate::output::{Output, Render};
use anyhow::Result;
use std::io::Write;
use twofa::service::{Disabled, State};

pub fn run(ctx: &Context, args: DisableArgs) -> Result<()> {
    let mut svc = ctx.service()?;
    let state = svc.state(&args.user)?;
    if !args.yes && input::stdin_is_terminal() {
        let question = match state {
            State::Pending => format!("Cancel the pending enrollment of {}?", args.user),
            _ => format!(
                "Remove two-factor authentication and all backup codes of {}?",
                args.user
            ),
        };
        input::confirm(&question)?;
    }
    let code = match state {
        State::Active => Some(input::code(
            args.code.code.as_deref(),
            "Current code or a backup code: ",
        )?),
        _ => None,
    };
    let disabled = svc.disable(&args.user, code.as_deref().map(|c| c.as_str()))?;
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
