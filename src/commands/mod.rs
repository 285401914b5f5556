//! One module per command; each gathers input, calls the service and hands the
//! result to the output layer.

mod access;
mod backup_codes;
mod config;
mod disable;
mod enroll;
mod org;
mod status;
mod user;
mod verify;

use crate::cli::{Cli, Command};
use crate::output::Output;
use anyhow::Result;
use std::path::PathBuf;
use twofa::clock::SystemClock;
use twofa::service::Service;
use twofa::store::Store;

pub struct Context {
    db: Option<PathBuf>,
    pub out: Output,
}

impl Context {
    /// Opens (and if needed creates and migrates) the database. Commands that do not
    /// need it never call this.
    pub fn service(&self) -> Result<Service<SystemClock>> {
        let path = crate::paths::database(self.db.clone())?;
        let store = Store::open(&path).map_err(twofa::Error::from)?;
        Ok(Service::new(store, SystemClock))
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context {
        db: cli.db,
        out: Output::new(cli.json),
    };
    match cli.command {
        Command::Enroll(args) => enroll::run(&ctx, args),
        Command::Verify(args) => verify::run(&ctx, args),
        Command::BackupCodes(args) => backup_codes::run(&ctx, args),
        Command::Disable(args) => disable::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::User(cmd) => user::run(&ctx, cmd),
        Command::Org(cmd) => org::run(&ctx, cmd),
        Command::Access(args) => access::run(&ctx, args),
        Command::Config(cmd) => config::run(&ctx, cmd),
    }
}
