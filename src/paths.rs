//! Where the database lives: `--db`, else `TWOFA_DB` (both via clap), else the platform
//! data directory (e.g. `~/.local/share/twofa/twofa.db` on Linux).

use crate::exit::CliError;
use anyhow::{Context, Result};
use std::path::PathBuf;

pub fn database(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = flag {
        if path.as_os_str().is_empty() {
            return Err(CliError::Usage("the database path is empty (check --db and TWOFA_DB)".into()).into());
        }
        return Ok(path);
    }
    let dirs = directories::ProjectDirs::from("", "", "twofa")
        .context("cannot find a home directory for the default database; pass --db PATH")?;
    let dir = dirs.data_dir();
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.join("twofa.db"))
}

/// Where the master key lives: `TWOFA_KEY_FILE`, else `master.key` in the platform
/// configuration directory (e.g. `~/.config/twofa/` on Linux), apart from the data.
pub fn key_file() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("TWOFA_KEY_FILE").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("", "", "twofa")
        .context("cannot find a home directory for the key file; set TWOFA_KEY_FILE")?;
    Ok(dirs.config_dir().join("master.key"))
}
