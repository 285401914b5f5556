//! The configuration file: where the database is (a path, or later a server's URL)
//! and where its key is, for deployments where nobody types `--db` (behind sudo the
//! invoking person may not choose, so the service account's configuration decides).
//!
//! Read from the configuration directory of the account running twofa
//! (`~/.config/twofa/config.toml`; behind sudo the service account's, found from the
//! password database) and then `/etc/twofa/config.toml`; a key in the account's file
//! wins. Each file must belong to the effective user or root and be writable by its
//! owner only: whoever can change it chooses where secrets go.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// What a configuration file may say.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The database: a file path (or a server URL).
    pub database: Option<String>,
    /// The master key file.
    pub key_file: Option<PathBuf>,
}

/// The system-wide file.
pub const SYSTEM: &str = "/etc/twofa/config.toml";

impl Config {
    /// The account's file over the system's; `account` is the account's
    /// configuration directory (none when there is no home).
    pub fn load(account: Option<&Path>) -> Result<Config> {
        let mut config = read(Path::new(SYSTEM))?.unwrap_or_default();
        if let Some(dir) = account
            && let Some(mine) = read(&dir.join("config.toml"))?
        {
            config.database = mine.database.or(config.database);
            config.key_file = mine.key_file.or(config.key_file);
        }
        Ok(config)
    }
}

/// One file, if it exists; refused when someone else could have written it. The
/// file is opened without following a symbolic link, and what is checked is what was
/// opened (its descriptor), so it cannot be swapped between the check and the read.
fn read(path: &Path) -> Result<Option<Config>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            bail!(
                "{} is a symbolic link; twofa reads its configuration only from a file",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    trusted(path, &meta)?;
    for dir in path.ancestors().skip(1).filter(|d| !d.as_os_str().is_empty()) {
        let m = std::fs::metadata(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        trusted(dir, &m)?;
    }
    if meta.len() > 64 * 1024 {
        bail!(
            "{} is larger than 64 KiB; it is not a twofa configuration",
            path.display()
        );
    }
    let mut text = String::new();
    file.read_to_string(&mut text)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        // The parser's message spans lines (it quotes the file); keep the first.
        let msg = e.message().lines().next().unwrap_or("invalid").to_string();
        anyhow::anyhow!("{}: {msg}", path.display())
    })?;
    if let Some(db) = &config.database {
        if db.trim().is_empty() {
            bail!("{}: `database` is empty", path.display());
        }
        if !db.contains("://") && !Path::new(db).is_absolute() {
            bail!("{}: `database` must be an absolute path or a URL", path.display());
        }
    }
    if let Some(p) = &config.key_file
        && !p.is_absolute()
    {
        bail!("{}: `key_file` must be an absolute path", path.display());
    }
    Ok(Some(config))
}

/// `path` (the file, or a directory above it) belongs to the effective user or root,
/// and nobody else may write it (a directory others may write is safe only when it
/// is sticky, like /tmp: they cannot replace what is not theirs).
fn trusted(path: &Path, m: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let euid = twofa::secrets::files::effective_uid();
    if m.uid() != euid && m.uid() != 0 {
        bail!(
            "{} belongs to uid {}, not to this account or root; twofa does not take its configuration from others",
            path.display(),
            m.uid()
        );
    }
    let sticky_dir = m.is_dir() && m.mode() & 0o1000 != 0;
    if m.mode() & 0o022 != 0 && !sticky_dir {
        bail!(
            "{} is writable by others (mode {:o}); run `chmod go-w {}`",
            path.display(),
            m.mode() & 0o777,
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write(dir: &Path, text: &str, mode: u32) {
        std::fs::write(dir.join("config.toml"), text).unwrap();
        std::fs::set_permissions(dir.join("config.toml"), std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn the_account_file_names_the_database_and_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        write(
            dir.path(),
            "database = \"/srv/twofa/twofa.db\"\nkey_file = \"/srv/twofa/master.key\"\n",
            0o644,
        );
        let c = read(&dir.path().join("config.toml")).unwrap().unwrap();
        assert_eq!(c.database.as_deref(), Some("/srv/twofa/twofa.db"));
        assert_eq!(c.key_file.as_deref(), Some(Path::new("/srv/twofa/master.key")));
        assert_eq!(read(&dir.path().join("absent.toml")).unwrap(), None);
    }

    #[test]
    fn bad_files_are_refused_with_one_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        for (text, says) in [
            ("databse = \"x\"\n", "unknown field"),
            ("database = \n", "config.toml"),
            ("database = \"  \"\n", "empty"),
            ("key_file = \"relative.key\"\n", "absolute"),
            ("database = \"twofa.db\"\n", "absolute"),
        ] {
            write(dir.path(), text, 0o600);
            let err = read(&dir.path().join("config.toml")).unwrap_err().to_string();
            assert!(err.contains(says), "{text:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
        write(dir.path(), "database = \"/x.db\"\n", 0o666);
        let err = read(&dir.path().join("config.toml")).unwrap_err().to_string();
        assert!(err.contains("writable by others"), "{err}");
        write(dir.path(), "database = \"/x.db\"\n", 0o600);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = read(&dir.path().join("config.toml")).unwrap_err().to_string();
        assert!(err.contains("writable by others"), "{err}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        // A symbolic link is refused, even to a good file; so is a directory.
        std::fs::rename(dir.path().join("config.toml"), dir.path().join("real.toml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.toml"), dir.path().join("config.toml")).unwrap();
        let err = read(&dir.path().join("config.toml")).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        std::fs::remove_file(dir.path().join("config.toml")).unwrap();
        std::fs::create_dir(dir.path().join("config.toml")).unwrap();
        let err = read(&dir.path().join("config.toml")).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }
}
