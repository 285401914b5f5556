//! `twofa backup-codes USER [--regenerate]`: how many remain, or a new set.

use super::Context;
use super::enroll::{SaveFile, show_backup_codes, write_backup_codes};
use crate::cli::BackupCodesArgs;
use crate::input;
use crate::output::{Output, Render};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::clock::Timestamp;
use twofa::service::BackupSummary;
use twofa::text::timefmt::serde_ts;

pub fn run(ctx: &Context, args: BackupCodesArgs) -> Result<()> {
    if !args.regenerate {
        if args.code.code.is_some() {
            return Err(crate::exit::CliError::Usage("--code is only needed with --regenerate".into()).into());
        }
        return ctx.out.print(&ctx.service()?.backup_summary(&args.user)?);
    }
    let mut svc = ctx.service()?;
    // Made before the code is asked for and the codes replaced: a name already taken
    // stops it all with the old codes still good.
    let save = args.save.as_deref().map(SaveFile::create).transpose()?;
    let code = input::code(args.code.code.as_deref(), "Current code or a backup code: ")?;
    let issued = ctx.mailing(&mut svc, |s| s.regenerate_backup_codes(&args.user, &code))?;
    let view = Regenerated {
        user: &issued.user,
        regenerated_at: issued.at,
        backup_codes: issued.codes.iter().map(|c| c.as_str()).collect(),
    };
    show_backup_codes(ctx, &view, &issued, save)
}

impl Render for BackupSummary {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "{} has {} of 10 backup codes left",
            self.user, self.backup_codes_remaining
        )
    }
}

#[derive(Serialize)]
struct Regenerated<'a> {
    user: &'a str,
    #[serde(with = "serde_ts")]
    regenerated_at: Timestamp,
    backup_codes: Vec<&'a str>,
}

impl Render for Regenerated<'_> {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(
            out,
            "New backup codes for {}; the old ones no longer work.\n",
            self.user
        )?;
        write_backup_codes(out, &self.backup_codes)
    }
}
