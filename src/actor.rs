//! Who is acting, and how we know it. The binary works this out from the command
//! line and the environment; the service records it in the audit log and checks it
//! against roles before any privileged change.

use serde::Serialize;

/// How the actor was identified, from the most to the least explicit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// `--actor NAME`
    Flag,
    /// `TWOFA_ACTOR`
    Env,
    /// `SUDO_USER`: a person running the tool as the service account.
    Sudo,
    /// The operating-system user running the process.
    Os,
    /// A program embedding the library named the actor itself.
    Api,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Flag => "flag",
            Via::Env => "env",
            Via::Sudo => "sudo",
            Via::Os => "os",
            Via::Api => "api",
        }
    }

    pub fn parse(s: &str) -> Option<Via> {
        [Via::Flag, Via::Env, Via::Sudo, Via::Os, Via::Api]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// Words for a person reading the audit log.
    pub fn describe(self) -> &'static str {
        match self {
            Via::Flag => "--actor",
            Via::Env => "TWOFA_ACTOR",
            Via::Sudo => "sudo",
            Via::Os => "OS user",
            Via::Api => "API",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub via: Via,
    /// The process runs as the operating-system user who owns the database file, and
    /// that user is this actor: on a database without any global admin yet, they are
    /// treated as one, so a single operator needs no setup.
    pub owns_database: bool,
}

impl Actor {
    pub fn new(name: impl Into<String>, via: Via) -> Actor {
        Actor {
            name: name.into(),
            via,
            owns_database: false,
        }
    }

    /// The owner of the database (see [`Actor::owns_database`]).
    pub fn database_owner(name: impl Into<String>, via: Via) -> Actor {
        Actor {
            owns_database: true,
            ..Actor::new(name, via)
        }
    }
}
