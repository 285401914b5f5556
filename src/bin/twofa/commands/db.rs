//! `twofa db copy FROM TO`: the whole database into a new one.

use super::Context;
use crate::cli::DbCommand;
use crate::output::{Output, Render, list};
use anyhow::Result;
use std::io::Write;
use twofa::store::copy::Copied;

pub fn run(ctx: &Context, cmd: DbCommand) -> Result<()> {
    match cmd {
        DbCommand::Init => {
            let path = ctx.database()?;
            let store = twofa::store::open(&path, None).map_err(twofa::Error::from)?;
            drop(store);
            ctx.out.print(&Initialized {
                database: twofa::store::display(&path),
                schema_version: twofa::store::schema_version(&path),
            })
        }
        DbCommand::Copy { from, to } => {
            // The source as if given with --db (so behind sudo it is refused, like --db).
            let mut svc = ctx.open_at(Some(from), false)?;
            let url = twofa::store::is_url(&to);
            if !url && to.is_dir() {
                return Err(twofa::Error::Storage(twofa::store::StoreError::IsDirectory(to)).into());
            }
            let existed = url || to.exists();
            let copied = twofa::store::open(&to, None)
                .map_err(twofa::Error::from)
                .and_then(|mut target| svc.copy_into(&mut *target));
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

/// What `db init` made.
#[derive(serde::Serialize)]
struct Initialized {
    /// The path, or the URL without password or parameters.
    database: String,
    schema_version: usize,
}

impl Render for Initialized {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(out, "{}: schema version {}, ready", self.database, self.schema_version)
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
