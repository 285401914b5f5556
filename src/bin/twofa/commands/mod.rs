//! One module per command; each gathers input, calls the service and hands the
//! result to the output layer.

mod access;
mod admin;
mod audit;
mod backup_codes;
mod config;
mod db;
mod disable;
mod enroll;
mod mail;
mod org;
mod send_code;
mod status;
mod user;
mod verify;

use crate::cli::{Cli, Command};
use crate::output::Output;
use anyhow::{Context as _, Result};
use std::path::PathBuf;
use twofa::clock::SystemClock;
use twofa::service::Service;

pub struct Context {
    db: Option<PathBuf>,
    actor: Option<String>,
    actor_code: Option<String>,
    /// `--no-mail`: queue and send nothing.
    pub no_mail: bool,
    pub out: Output,
    /// The key file, when the service made it during this command.
    new_key: std::rc::Rc<std::cell::RefCell<Option<PathBuf>>>,
}

impl Context {
    /// Opens (and if needed creates and migrates) the database, acting as the person
    /// the OS says is running twofa (or whom the operator names). Someone behind sudo
    /// gets the service account's database and key, and acts as themselves. Commands
    /// that do not need the database never call this.
    pub fn service(&self) -> Result<Service<SystemClock>> {
        self.open(false)
    }

    /// The same as [`Context::service`], creating the database when there is none:
    /// for the commands that start one (`enroll`, `user add`, `org create`,
    /// `config set`). Every other command on a path with no database says so and
    /// creates nothing (a mistyped `--db` must not leave an empty database behind).
    pub fn service_or_create(&self) -> Result<Service<SystemClock>> {
        self.open(true)
    }

    fn open(&self, create: bool) -> Result<Service<SystemClock>> {
        self.open_at(self.db.clone(), create)
    }

    /// The service on the database at `db` (as if given with `--db`).
    pub fn open_at(&self, db: Option<PathBuf>, create: bool) -> Result<Service<SystemClock>> {
        let person = crate::whoami::person()?;
        let behind_sudo = person.behind_sudo();
        let actor = crate::whoami::actor(person, self.actor.as_deref())?;
        let path = Self::database_at(db, behind_sudo, create)?;
        let store = twofa::store::open(&path, crate::witness::syslog()).map_err(twofa::Error::from)?;
        let key = crate::paths::key_file(behind_sudo)?;
        let mut svc = Service::new(store, SystemClock, actor, twofa::secrets::keyfile::KeyFile::new(key))?;
        let new_key = self.new_key.clone();
        svc.on_event(move |e| match e {
            twofa::service::Event::CreatedKeyFile(path) => *new_key.borrow_mut() = Some(path),
        });
        svc.seal_existing()?;
        if self.no_mail {
            svc.set_mail(false);
        }
        Ok(svc)
    }

    /// Where the database is (as if given with `--db`), refusing a path with no
    /// database unless `create`.
    fn database_at(db: Option<PathBuf>, behind_sudo: bool, create: bool) -> Result<PathBuf> {
        let path = crate::paths::database(db, behind_sudo, create)?;
        if behind_sudo && twofa::store::is_url(&path) {
            // The invoking person's environment names no password file or CA.
            let home = crate::whoami::home().context("cannot find the home directory of this account")?;
            twofa::store::postgres::connect::only_account_files(home);
        }
        // A PostgreSQL database is never made by a typo: the server must have it.
        if !create && !twofa::store::is_url(&path) && !path.exists() {
            return Err(twofa::Error::NoDatabase(path).into());
        }
        Ok(path)
    }

    /// The database `--db` (or the default) names, created if there is none.
    pub fn database(&self) -> Result<PathBuf> {
        let behind_sudo = crate::whoami::person()?.behind_sudo();
        Self::database_at(self.db.clone(), behind_sudo, true)
    }

    /// Sends the mail the command queued (and, oldest first, whatever was queued
    /// before). Never fails the command: the change is made; a message that cannot
    /// be sent stays queued, with a warning here.
    pub fn deliver<C: twofa::clock::Clock>(&self, svc: &mut Service<C>) {
        if self.no_mail || !svc.mail_queued() {
            return;
        }
        mail::deliver(self, svc);
    }

    /// Runs `op`, then delivers what it queued (whether or not it succeeded: a
    /// refusal can cause a notice, a lockout).
    pub fn mailing<C: twofa::clock::Clock, T>(
        &self,
        svc: &mut Service<C>,
        op: impl FnOnce(&mut Service<C>) -> twofa::Result<T>,
    ) -> twofa::Result<T> {
        let result = op(svc);
        self.deliver(svc);
        result
    }

    /// Runs a privileged change. When the actor has active 2FA the service asks for
    /// their code (step-up): from `--actor-code`, else standard input when it is not
    /// a terminal, else a prompt; then the change runs again with it.
    pub fn privileged<T>(
        &self,
        svc: &mut Service<SystemClock>,
        mut op: impl FnMut(&mut Service<SystemClock>) -> twofa::Result<T>,
    ) -> Result<T> {
        if let Some(flag) = &self.actor_code {
            svc.set_step_up_code(crate::input::code(Some(flag), "")?)?;
        }
        let result = self.privileged_op(svc, &mut op);
        self.deliver(svc);
        result
    }

    fn privileged_op<T>(
        &self,
        svc: &mut Service<SystemClock>,
        op: &mut impl FnMut(&mut Service<SystemClock>) -> twofa::Result<T>,
    ) -> Result<T> {
        match op(svc) {
            Err(twofa::Error::StepUpRequired(actor)) if self.actor_code.is_none() => {
                let prompt = format!("Current code of {actor} (step-up): ");
                let code = crate::input::code(None, &prompt)?;
                if code.trim().is_empty() {
                    // Nothing on a non-terminal stdin: say what is needed, not "empty code".
                    return Err(twofa::Error::StepUpRequired(actor).into());
                }
                svc.set_step_up_code(code)?;
                Ok(op(svc)?)
            }
            result => Ok(result?),
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context {
        db: cli.db,
        actor: cli.actor,
        actor_code: cli.actor_code,
        no_mail: cli.no_mail,
        out: Output::new(cli.json),
        new_key: Default::default(),
    };
    let result = match cli.command {
        Command::Enroll(args) => enroll::run(&ctx, args),
        Command::Verify(args) => verify::run(&ctx, args),
        Command::SendCode(args) => send_code::run(&ctx, args),
        Command::BackupCodes(args) => backup_codes::run(&ctx, args),
        Command::Disable(args) => disable::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::User(cmd) => user::run(&ctx, cmd),
        Command::Org(cmd) => org::run(&ctx, cmd),
        Command::Access(args) => access::run(&ctx, args),
        Command::Config(cmd) => config::run(&ctx, cmd),
        Command::Admin(cmd) => admin::run(&ctx, cmd),
        Command::Audit(args) => audit::run(&ctx, args),
        Command::Mail(cmd) => mail::run(&ctx, cmd),
        Command::Db(cmd) => db::run(&ctx, cmd),
    };
    // The key is made on first need, deep in the service; tell the person once.
    if let Some(key) = ctx.new_key.take() {
        ctx.out.note(format_args!(
            "note: created the master key {}: back it up apart from the database; without it the secrets are lost",
            key.display()
        ));
    }
    result
}
