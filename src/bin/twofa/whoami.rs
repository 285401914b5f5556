//! Who is running twofa, from the operating system: the effective user, or under sudo
//! the invoking user (`SUDO_USER`, cross-checked with `SUDO_UID` against the password
//! database). Root, and anyone acting directly on a database they own (the store
//! refuses any other), are the operator. Only the operator may name another actor
//! (`--actor`, `TWOFA_ACTOR`): a trusted program that authenticated the person itself.

use anyhow::Result;
use std::ffi::{CStr, CString};
use twofa::actor::{Actor, Invoker, Via};

/// The real person behind the process, before any claim.
pub struct Person {
    pub name: String,
    pub via: Via,
    pub invoker: Invoker,
}

impl Person {
    /// A person acting through sudo who is not the operator: they may not choose the
    /// database, the key file, or whom they act as.
    pub fn behind_sudo(&self) -> bool {
        !self.invoker.operator
    }
}

/// Works out the person from the OS.
pub fn person() -> Result<Person> {
    let euid = twofa::secrets::files::effective_uid();
    // SAFETY: getuid has no preconditions and cannot fail.
    let ruid = unsafe { libc::getuid() };
    let os_user = user_name(euid).ok_or_else(|| {
        twofa::Error::InvalidInput(format!(
            "cannot tell who is acting: uid {euid} has no name in the password database"
        ))
    })?;
    let sudo = sudo_invoker(euid)?;
    if sudo.is_none() && ruid != euid {
        // A setuid install would make whoever runs it the database's owner.
        return Err(twofa::Error::InvalidInput(
            "twofa runs with another user's rights but not through sudo (a setuid install?); run it through sudo"
                .into(),
        )
        .into());
    }
    // Root acting directly, root behind sudo, or the account itself acting directly
    // (the store refuses a database it does not own). Someone who reached root or the
    // service account through sudo is that someone, not the operator.
    let operator = match &sudo {
        None => true,
        Some((_, uid)) => *uid == 0,
    };
    let (name, via) = match &sudo {
        Some((n, _)) => (n.clone(), Via::Sudo),
        None => (os_user.clone(), Via::Os),
    };
    Ok(Person {
        name,
        via,
        invoker: Invoker {
            os_user,
            sudo_user: sudo.map(|(n, _)| n),
            operator,
        },
    })
}

/// The actor: the person, or whom the operator names with `--actor` / `TWOFA_ACTOR`.
pub fn actor(person: Person, flag: Option<&str>) -> Result<Actor> {
    let env = std::env::var("TWOFA_ACTOR").ok().filter(|v| !v.is_empty());
    let claim = flag
        .map(|n| (n.to_string(), Via::Flag))
        .or_else(|| env.map(|n| (n, Via::Env)));
    let (name, via) = match claim {
        Some((name, via)) if name != person.name => {
            if !person.invoker.operator {
                let how = if via == Via::Flag { "--actor" } else { "TWOFA_ACTOR" };
                return Err(twofa::Error::Denied {
                    message: format!(
                        "`{}` (via sudo, as {}) may not act as someone else ({how})",
                        person.name, person.invoker.os_user
                    ),
                    hint: Some(twofa::error::Remedy::Advice(format!(
                        "only the operator (root, or {} acting directly) may name an actor; drop {how} to act as yourself",
                        person.invoker.os_user
                    ))),
                }
                .into());
            }
            (name, via)
        }
        _ => (person.name, person.via),
    };
    Ok(Actor {
        name,
        via,
        invoker: person.invoker,
    })
}

/// The person behind sudo, when the process runs under sudo as someone else:
/// `SUDO_USER` must name the user whose uid is `SUDO_UID`, and that must be the real
/// uid of the sudo process this one descends from (a sudoers rule with SETENV would
/// otherwise let anyone claim `SUDO_UID=0`).
fn sudo_invoker(euid: u32) -> Result<Option<(String, u32)>> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (name, uid) = match (var("SUDO_USER"), var("SUDO_UID")) {
        (None, None) => return Ok(None),
        (Some(n), Some(u)) => (n, u),
        _ => return Err(inconsistent()),
    };
    let uid: u32 = uid.parse().map_err(|_| inconsistent())?;
    if user_uid(&name) != Some(uid) {
        return Err(inconsistent());
    }
    match sudo_ancestor_ruid() {
        // Under sudo: the variables must name the person who ran that sudo.
        Some(Ancestor::Sudo(real)) if real == uid => {}
        Some(Ancestor::Sudo(_)) => return Err(inconsistent()),
        // No sudo above us (a sudo that executed twofa in its own place): the parent
        // is the invoking person's shell, unless the variables are left over in the
        // person's own shell (then they name the person acting directly).
        Some(Ancestor::Parent(real)) if real == uid && uid != euid => {}
        Some(Ancestor::Parent(real)) if real == euid && uid == euid => return Ok(None),
        _ => return Err(inconsistent()),
    }
    // sudo to oneself is acting directly.
    Ok((uid != euid).then_some((name, uid)))
}

/// Where the invoker's uid was read.
enum Ancestor {
    /// The real uid of the nearest `sudo` process above this one.
    Sudo(u32),
    /// No sudo above: the real uid of the parent.
    Parent(u32),
}

/// The real uid of the nearest `sudo` process among this process's ancestors, or,
/// when there is none (a sudo that executed twofa in its own place), of the parent:
/// the invoking person's shell.
fn sudo_ancestor_ruid() -> Option<Ancestor> {
    let status = |pid: u32| std::fs::read_to_string(format!("/proc/{pid}/status")).ok();
    let field = |status: &str, key: &str| -> Option<String> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
    };
    let ruid = |status: &str| field(status, "Uid:")?.split_whitespace().next()?.parse::<u32>().ok();
    let parent = std::os::unix::process::parent_id();
    let mut pid = parent;
    for _ in 0..64 {
        if pid <= 1 {
            break;
        }
        let st = status(pid)?;
        if field(&st, "Name:").as_deref() == Some("sudo") {
            return ruid(&st).map(Ancestor::Sudo);
        }
        pid = field(&st, "PPid:")?.parse().ok()?;
    }
    ruid(&status(parent)?).map(Ancestor::Parent)
}

fn inconsistent() -> anyhow::Error {
    twofa::Error::InvalidInput(
        "cannot tell who is acting: SUDO_USER and SUDO_UID do not name the same user (they are set by sudo)".into(),
    )
    .into()
}

/// A passwd entry's name, uid and home, by uid or by name.
struct Passwd {
    name: String,
    uid: u32,
    home: std::path::PathBuf,
}

fn passwd(by: Result<u32, &CStr>) -> Option<Passwd> {
    let mut buf = vec![0u8; 4096];
    loop {
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer refers to live, correctly sized memory owned here;
        // on success `result` points at `pwd`, whose strings live in `buf`.
        let rc = unsafe {
            match by {
                Ok(uid) => libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result),
                Err(name) => libc::getpwnam_r(name.as_ptr(), &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result),
            }
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() || pwd.pw_dir.is_null() {
            return None;
        }
        // SAFETY: pw_name and pw_dir are NUL-terminated strings inside `buf`.
        let (name, dir) = unsafe { (CStr::from_ptr(pwd.pw_name), CStr::from_ptr(pwd.pw_dir)) };
        use std::os::unix::ffi::OsStrExt;
        return Some(Passwd {
            name: name.to_str().ok()?.to_string(),
            uid: pwd.pw_uid,
            home: std::path::PathBuf::from(std::ffi::OsStr::from_bytes(dir.to_bytes())),
        });
    }
}

/// The login name of `uid`, from the password database (not `$USER`, which anyone can set).
fn user_name(uid: u32) -> Option<String> {
    passwd(Ok(uid)).map(|p| p.name)
}

fn user_uid(name: &str) -> Option<u32> {
    let c = CString::new(name).ok()?;
    passwd(Err(&c)).map(|p| p.uid)
}

/// The effective user's home from the password database: under sudo, environment
/// variables such as `HOME` and `XDG_*` may be the invoking person's choice.
pub fn home() -> Option<std::path::PathBuf> {
    passwd(Ok(twofa::secrets::files::effective_uid())).map(|p| p.home)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_os_user_is_the_operator_here_and_may_name_an_actor() {
        // The test runs directly (not under sudo), so it is the operator.
        if std::env::var_os("SUDO_USER").is_some() {
            return;
        }
        let p = person().unwrap();
        assert!(p.invoker.operator);
        assert_eq!((p.via, p.invoker.sudo_user.as_deref()), (Via::Os, None));
        let me = p.name.clone();
        let a = actor(p, Some("someone-else")).unwrap();
        assert_eq!((a.name.as_str(), a.via), ("someone-else", Via::Flag));
        assert!(
            !a.is_operator(),
            "a named actor has that person's authority, not the operator's"
        );
        assert_eq!(a.invoker.os_user, me, "the real invoker is kept");
        // Naming yourself is no claim.
        let a = actor(person().unwrap(), Some(&me)).unwrap();
        assert!(a.is_operator() && a.via == Via::Os);
    }

    #[test]
    fn someone_behind_sudo_may_not_name_another_actor() {
        let p = Person {
            name: "dana".into(),
            via: Via::Sudo,
            invoker: Invoker {
                os_user: "twofa".into(),
                sudo_user: Some("dana".into()),
                operator: false,
            },
        };
        let err = actor(p, Some("boss")).unwrap_err().to_string();
        assert!(err.contains("may not act as someone else"), "{err}");
    }

    #[test]
    fn names_and_uids_come_from_the_password_database() {
        assert_eq!(user_name(0).as_deref(), Some("root"));
        assert_eq!(user_uid("root"), Some(0));
        assert_eq!(user_uid("no-such-user-here"), None);
    }
}
