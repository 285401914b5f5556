//! Who is acting, and how we know it. The binary works this out from the operating
//! system (the user running twofa, or under sudo the person who invoked it); the
//! service records it in the audit log and checks it against roles before any
//! privileged change.
//!
//! The model in five sentences:
//! - The person acting is the OS user running twofa, or under sudo the invoking user.
//! - Root and the account that owns the database, acting directly, are the *operator*,
//!   trusted with everything (they can edit the file anyway).
//! - Only the operator may name someone else as the actor (`--actor`), for a program
//!   that authenticated that person itself; the real invoker is recorded beside it.
//! - Everyone else acts as themselves, with exactly the roles they hold, proven by
//!   their own current code before every privileged change.
//! - A user's second factor is their own: only they or the operator enroll, check or
//!   remove it.

use serde::Serialize;

/// How the actor was identified, from the most to the least explicit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// `--actor NAME`, given by the operator.
    Flag,
    /// `TWOFA_ACTOR`, given by the operator.
    Env,
    /// The person who ran the tool through sudo.
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

    /// The actor was named by the operator rather than found from the OS.
    pub fn is_claim(self) -> bool {
        matches!(self, Via::Flag | Via::Env)
    }
}

/// The real person behind a process, as the operating system tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoker {
    /// The OS user the process runs as.
    pub os_user: String,
    /// The person who ran it through sudo, when they did.
    pub sudo_user: Option<String>,
    /// Root, or the account that owns the database acting directly.
    pub operator: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The twofa user acting: the real person, or whom the operator named.
    pub name: String,
    pub via: Via,
    /// Who really runs the process; recorded beside `name` in every audit entry.
    pub invoker: Invoker,
}

impl Actor {
    /// An actor who is not the operator, running as the OS user of the same name.
    pub fn new(name: impl Into<String>, via: Via) -> Actor {
        let name = name.into();
        Actor {
            invoker: Invoker {
                os_user: name.clone(),
                sudo_user: None,
                operator: false,
            },
            name,
            via,
        }
    }

    /// The operator acting directly (a login service or provisioning job running as
    /// the owner of the database, or an embedding program).
    pub fn operator(name: impl Into<String>, via: Via) -> Actor {
        let mut a = Actor::new(name, via);
        a.invoker.operator = true;
        a
    }

    /// Whether this actor has the operator's authority: the operator acting as
    /// themselves. Someone the operator names acts with that person's roles.
    pub fn is_operator(&self) -> bool {
        self.invoker.operator && !self.via.is_claim()
    }

    /// Whether `user` is this actor's own account (their own second factor).
    pub fn is(&self, user: &str) -> bool {
        self.name == user
    }

    /// Every name this actor carries, for validation before anything is written.
    pub fn names(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("actor name", Some(self.name.as_str())),
            ("OS user name", Some(self.invoker.os_user.as_str())),
            ("sudo user name", self.invoker.sudo_user.as_deref()),
        ]
        .into_iter()
        .filter_map(|(what, n)| n.map(|n| (what, n)))
    }

    /// "alice (OS user)", "dana (sudo, as twofa)", "olga (--actor, named by twofa)".
    pub fn describe(&self) -> String {
        let inv = &self.invoker;
        match (self.via, &inv.sudo_user) {
            (v, _) if v.is_claim() => {
                let real = inv.sudo_user.as_deref().unwrap_or(&inv.os_user);
                format!("`{}` (named with {} by the operator `{real}`)", self.name, v.describe())
            }
            (Via::Sudo, _) => format!("`{}` (via sudo, as {})", self.name, inv.os_user),
            (v, _) => format!("`{}` (identified by {})", self.name, v.describe()),
        }
    }
}
