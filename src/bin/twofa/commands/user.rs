//! `twofa user add|list|remove|sso|admin`.

use super::Context;
use crate::cli::UserCommand;
use crate::input;
use crate::output::{Output, Render, list};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::service::UserInfo;

pub fn run(ctx: &Context, cmd: UserCommand) -> Result<()> {
    let mut svc = match cmd {
        UserCommand::Add { .. } => ctx.service_or_create()?,
        _ => ctx.service()?,
    };
    match cmd {
        UserCommand::Add { name, email, sso } => ctx
            .out
            .print(&ctx.privileged(&mut svc, |s| s.add_user(&name, email.as_deref(), sso))?),
        UserCommand::List => ctx.out.print(&Users(svc.list_users()?)),
        UserCommand::Remove { name, yes } => {
            input::confirm_destructive(yes, &format!("Remove {name}, their 2FA, backup codes and memberships?"))?;
            ctx.privileged(&mut svc, |s| s.remove_user(&name))?;
            ctx.out.print(&Removed {
                user: name,
                removed: true,
            })
        }
        UserCommand::Sso { name, state } => ctx
            .out
            .print(&ctx.privileged(&mut svc, |s| s.set_sso(&name, state.on()))?),
        UserCommand::Set { name, email, no_email } => {
            let email = if no_email { None } else { email };
            ctx.out
                .print(&ctx.privileged(&mut svc, |s| s.set_email(&name, email.as_deref()))?)
        }
        UserCommand::Admin { name, state } => ctx
            .out
            .print(&ctx.privileged(&mut svc, |s| s.set_global_admin(&name, state.on()))?),
    }
}

fn describe(u: &UserInfo) -> [String; 4] {
    [
        u.user.clone(),
        u.email.clone().unwrap_or_else(|| "-".into()),
        if u.sso {
            "managed by SSO".into()
        } else {
            u.two_factor.as_str().into()
        },
        if u.global_admin {
            "global admin".into()
        } else {
            "-".into()
        },
    ]
}

impl Render for UserInfo {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let [user, email, tfa, admin] = describe(self);
        writeln!(out, "{user}  email: {email}  2FA: {tfa}  role: {admin}")
    }
}

#[derive(Serialize)]
#[serde(transparent)]
struct Users(Vec<UserInfo>);

impl Render for Users {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        let mut table = list(&["user", "email", "2FA", "role"]);
        for u in &self.0 {
            let [user, email, tfa, admin] = describe(u);
            table.add_row(vec![user, email, tfa, admin]);
        }
        writeln!(out, "{table}")
    }
}

#[derive(Serialize)]
struct Removed {
    user: String,
    removed: bool,
}

impl Render for Removed {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        writeln!(out, "Removed {} and everything of theirs.", self.user)
    }
}
