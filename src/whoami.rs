//! Who is running twofa: `--actor`, else `TWOFA_ACTOR`, else the person behind sudo
//! (`SUDO_USER`), else the operating-system user. The deployment this serves: a
//! service account owns the database and staff run `sudo -u twofa twofa …`.

use crate::exit::CliError;
use anyhow::Result;
use std::ffi::CStr;
use std::path::Path;
use twofa::actor::{Actor, Via};

pub fn resolve(flag: Option<&str>, db: &Path) -> Result<Actor> {
    let from_env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    // The password database (maybe NSS or LDAP) is asked only when its answer is needed:
    // for the name itself, or to tell whether a process owning the file is this actor.
    let owner_is_me = owner_uid(db) == Some(effective_uid());
    let explicit = flag
        .map(|n| (n.to_string(), Via::Flag))
        .or_else(|| from_env("TWOFA_ACTOR").map(|n| (n, Via::Env)))
        .or_else(|| from_env("SUDO_USER").map(|n| (n, Via::Sudo)));
    let login = if explicit.is_none() || owner_is_me {
        os_user()
    } else {
        None
    };
    let Some((name, via)) = explicit.or_else(|| login.clone().map(|n| (n, Via::Os))) else {
        return Err(CliError::Usage(
            "cannot tell who is acting: this OS user has no name; pass --actor NAME or set TWOFA_ACTOR".into(),
        )
        .into());
    };
    // The bootstrap admin: the process runs as the owner of the database file, and
    // the actor is that very user (not someone named by flag or behind sudo).
    let owns = owner_is_me && login.as_deref() == Some(name.as_str());
    Ok(Actor {
        name,
        via,
        owns_database: owns,
    })
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

fn owner_uid(path: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.uid())
}

/// The login name of the effective user, from the password database (not `$USER`,
/// which anyone can set).
fn os_user() -> Option<String> {
    let uid = effective_uid();
    let mut buf = vec![0u8; 4096];
    loop {
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer refers to live, correctly sized memory owned here;
        // on success `result` points at `pwd`, whose strings live in `buf`.
        let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: pw_name is a NUL-terminated string inside `buf`.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) };
        return name.to_str().ok().map(String::from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_and_is_never_the_database_owner() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        std::fs::write(&db, b"").unwrap();
        let me = os_user().expect("the test runs as a named user");
        let a = resolve(Some("someone-else"), &db).unwrap();
        assert_eq!(
            (a.name.as_str(), a.via, a.owns_database),
            ("someone-else", Via::Flag, false)
        );
        // Naming yourself changes nothing about who owns the file: still the owner.
        assert!(resolve(Some(&me), &db).unwrap().owns_database);
    }
}
