//! Where the database and the master key live. The operator chooses: `--db`, else
//! `TWOFA_DB` (both via clap), else `database` in the configuration file (see
//! [`crate::config`]), else the platform data directory (e.g.
//! `~/.local/share/twofa/twofa.db` on Linux); `TWOFA_KEY_FILE`, else `key_file` in
//! the configuration file, else `master.key` in the platform configuration directory
//! (`~/.config/twofa/`). Someone behind sudo chooses nothing: they get the service
//! account's own configuration and files, found from its home in the password
//! database (not from `HOME` or `XDG_*`, which may be theirs).

use crate::exit::CliError;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Where the service account keeps things, under its home from the password database.
fn service_home() -> Result<PathBuf> {
    crate::whoami::home().context("cannot find the home directory of this account in the password database")
}

/// The account's configuration directory: the service account's behind sudo.
fn config_dir(behind_sudo: bool) -> Option<PathBuf> {
    if behind_sudo {
        return service_home().ok().map(|h| h.join(".config/twofa"));
    }
    directories::ProjectDirs::from("", "", "twofa").map(|d| d.config_dir().to_path_buf())
}

/// The configuration files (the account's over the system's); read only when no
/// flag or variable already decided.
fn config(behind_sudo: bool) -> Result<crate::config::Config> {
    crate::config::Config::load(config_dir(behind_sudo).as_deref())
}

/// The database's path; its directory is made (owner-only) only when `create`.
pub fn database(flag: Option<PathBuf>, behind_sudo: bool, create: bool) -> Result<PathBuf> {
    if let Some(path) = flag {
        if behind_sudo {
            return Err(twofa::Error::Denied {
                message: "only the operator chooses the database (--db, TWOFA_DB); behind sudo, twofa uses the service account's own".into(),
                hint: Some(twofa::error::Remedy::Advice("drop --db and unset TWOFA_DB".into())),
            }
            .into());
        }
        if path.as_os_str().is_empty() {
            return Err(CliError::Usage("the database path is empty (check --db and TWOFA_DB)".into()).into());
        }
        return Ok(path);
    }
    if let Some(db) = config(behind_sudo)?.database {
        return Ok(PathBuf::from(db));
    }
    let dir = if behind_sudo {
        service_home()?.join(".local/share/twofa")
    } else {
        directories::ProjectDirs::from("", "", "twofa")
            .context("cannot find a home directory for the default database; pass --db PATH")?
            .data_dir()
            .to_path_buf()
    };
    if !create {
        return Ok(dir.join("twofa.db"));
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.join("twofa.db"))
}

pub fn key_file(behind_sudo: bool) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("TWOFA_KEY_FILE").filter(|p| !p.is_empty()) {
        if behind_sudo {
            return Err(twofa::Error::Denied {
                message: "only the operator chooses the key file (TWOFA_KEY_FILE); behind sudo, twofa uses the service account's own".into(),
                hint: Some(twofa::error::Remedy::Advice("unset TWOFA_KEY_FILE".into())),
            }
            .into());
        }
        return Ok(PathBuf::from(path));
    }
    if let Some(path) = config(behind_sudo)?.key_file {
        return Ok(path);
    }
    if behind_sudo {
        return Ok(service_home()?.join(".config/twofa/master.key"));
    }
    let dirs = directories::ProjectDirs::from("", "", "twofa")
        .context("cannot find a home directory for the key file; set TWOFA_KEY_FILE")?;
    Ok(dirs.config_dir().join("master.key"))
}
