//! `twofa config list|get|set`: settings kept in the database.

use super::Context;
use crate::cli::ConfigCommand;
use crate::output::{Output, Render, list};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use twofa::settings::{KEYS, Settings};

pub fn run(ctx: &Context, cmd: ConfigCommand) -> Result<()> {
    let mut svc = match cmd {
        ConfigCommand::Set { .. } => ctx.service_or_create()?,
        _ => ctx.service()?,
    };
    match cmd {
        ConfigCommand::List => ctx.out.print(&Entries::of(&svc.settings()?, None)),
        ConfigCommand::Get { key } => {
            Settings::check_key(&key).map_err(twofa::Error::InvalidInput)?;
            ctx.out.print(&Entries::of(&svc.settings()?, Some(&key)))
        }
        ConfigCommand::Set { key, value } => {
            let settings = ctx.privileged(&mut svc, |s| s.set_setting(&key, &value))?;
            ctx.out.print(&Entries::of(&settings, Some(&key)))
        }
    }
}

#[derive(Serialize)]
struct Entry {
    key: &'static str,
    value: String,
    description: &'static str,
}

#[derive(Serialize)]
#[serde(transparent)]
struct Entries(Vec<Entry>);

impl Entries {
    fn of(settings: &Settings, only: Option<&str>) -> Entries {
        Entries(
            KEYS.iter()
                .filter(|k| only.is_none_or(|o| o == k.name))
                .map(|k| Entry {
                    key: k.name,
                    value: settings.get(k.name).unwrap_or_default(),
                    description: k.help,
                })
                .collect(),
        )
    }
}

impl Render for Entries {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if let [one] = self.0.as_slice() {
            return writeln!(out, "{}", one.value);
        }
        let mut table = list(&["setting", "value", "meaning"]);
        for e in &self.0 {
            table.add_row(vec![e.key.to_string(), e.value.clone(), e.description.to_string()]);
        }
        writeln!(out, "{table}")
    }
}
