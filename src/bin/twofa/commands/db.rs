//! `twofa db copy FROM TO`: the whole database into a new one.

use super::Context;
use crate::cli::DbCommand;
use crate::output::{Output, Render, list};
use anyhow::Result;
use std::io::Write;
use twofa::store::copy::Copied;
use twofa::store::sqlite::Store;

pub fn run(ctx: &Context, cmd: DbCommand) -> Result<()> {
    match cmd {
        DbCommand::Copy { from, to } => {
            // The source as if given with --db (so behind sudo it is refused, like --db).
            let mut svc = ctx.open_at(Some(from), false)?;
            if to.is_dir() {
                return Err(twofa::Error::Storage(twofa::store::StoreError::IsDirectory(to)).into());
            }
            let existed = to.exists();
            let copied = Store::open(&to)
                .map_err(twofa::Error::from)
                .and_then(|mut target| svc.copy_into(&mut target));
            match copied {
                Ok(copied) => ctx.out.print(&copied),
                Err(e) => {
                    if !existed {
                        // Leave nothing behind for a copy that did not happen.
                        for suffix in ["", "-wal", "-shm"] {
                            let mut p = to.clone().into_os_string();
                            p.push(suffix);
                            let _ = std::fs::remove_file(p);
                        }
                    }
                    Err(e.into())
                }
            }
        }
    }
}

impl Render for Copied {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let mut table = list(&["table", "rows"]);
        for t in &self.tables {
            table.add_row(vec![t.table.to_string(), t.rows.to_string()]);
        }
        writeln!(out, "{table}")?;
        writeln!(out, "copied; the same key file opens the copy")
    }
}
