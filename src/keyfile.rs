//! The master key file: 64 hex digits, owner-only. Refused when group or others may
//! read it (as ssh refuses loose private keys). Created on first use only when the
//! database holds nothing sealed yet; the service decides that.
//!
//! Rotation stages the new key beside the old one (`PATH.new`), keeps the old one as a
//! dated backup, and only after the database commits renames the new key into place.
//! A crash in between leaves `PATH.new`, which [`KeyFile::staged`] offers on next load.

use crate::crypto::{KEY_LEN, MasterKey};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("key file {} is readable by group or others (mode {mode:04o})", path.display())]
    Loose { path: PathBuf, mode: u32 },
    #[error("cannot read key file {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("key file {} does not hold a key (64 hex digits)", path.display())]
    Malformed { path: PathBuf },
    #[error("cannot write key file {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("the database holds sealed secrets but key file {} does not exist", path.display())]
    Missing { path: PathBuf },
    #[error("key file {} does not open this database's secrets", path.display())]
    WrongKey { path: PathBuf },
}

impl KeyFileError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            KeyFileError::Loose { path, .. } => format!("run `chmod 600 {}`", path.display()),
            KeyFileError::Missing { path } | KeyFileError::WrongKey { path } => format!(
                "restore the key file to {} (or point TWOFA_KEY_FILE at it); without it the secrets cannot be used and every user must be reset",
                path.display()
            ),
            KeyFileError::Malformed { path } => format!("restore {} from a backup", path.display()),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    pub fn new(path: impl Into<PathBuf>) -> KeyFile {
        KeyFile { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn staged_path(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".new");
        PathBuf::from(p)
    }

    /// The key, or `None` when the file does not exist.
    pub fn load(&self) -> Result<Option<MasterKey>, KeyFileError> {
        read(&self.path)
    }

    /// A key left by a rotation that was interrupted after the database committed.
    pub fn staged(&self) -> Result<Option<MasterKey>, KeyFileError> {
        read(&self.staged_path())
    }

    /// Creates the key file (and its directory, owner-only); never overwrites.
    pub fn create(&self) -> Result<MasterKey, KeyFileError> {
        let key = MasterKey::generate().map_err(|e| self.write_error(e))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir).map_err(|e| self.write_error(e))?;
        }
        write_new(&self.path, &key)?;
        Ok(key)
    }

    /// Writes `key` as the staged next key (replacing a stale one).
    pub fn stage(&self, key: &MasterKey) -> Result<(), KeyFileError> {
        let staged = self.staged_path();
        let _ = std::fs::remove_file(&staged);
        write_new(&staged, key)
    }

    pub fn discard_staged(&self) {
        let _ = std::fs::remove_file(self.staged_path());
    }

    /// Copies the current key to `PATH.<stamp>.bak` (owner-only); returns its path.
    pub fn backup(&self, stamp: &str) -> Result<PathBuf, KeyFileError> {
        let key = self.load()?.ok_or_else(|| KeyFileError::Missing {
            path: self.path.clone(),
        })?;
        // Two rotations in one second must not collide: number the later ones.
        let mut n = 0u32;
        loop {
            let mut p = self.path.clone().into_os_string();
            match n {
                0 => p.push(format!(".{stamp}.bak")),
                n => p.push(format!(".{stamp}-{n}.bak")),
            }
            let backup = PathBuf::from(p);
            match write_new(&backup, &key) {
                Err(KeyFileError::Write { .. }) if backup.exists() && n < 100 => n += 1,
                result => return result.map(|()| backup),
            }
        }
    }

    /// Moves the staged key into place (atomic rename).
    pub fn promote_staged(&self) -> Result<(), KeyFileError> {
        std::fs::rename(self.staged_path(), &self.path).map_err(|e| self.write_error(e))?;
        sync_dir(&self.path);
        Ok(())
    }

    fn write_error(&self, e: impl std::fmt::Display) -> KeyFileError {
        KeyFileError::Write {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }
}

fn read(path: &Path) -> Result<Option<MasterKey>, KeyFileError> {
    let unreadable = |e: std::io::Error| KeyFileError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(KeyFileError::Loose {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(unreadable)?);
    let malformed = || KeyFileError::Malformed {
        path: path.to_path_buf(),
    };
    let hex = text.trim();
    if hex.len() != 2 * KEY_LEN || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed());
    }
    let mut bytes = zeroize::Zeroizing::new([0u8; KEY_LEN]);
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| malformed())?;
    }
    Ok(Some(MasterKey::from_bytes(&bytes)))
}

/// Creates `path` owner-only with the key, synced to disk; fails if it exists.
fn write_new(path: &Path, key: &MasterKey) -> Result<(), KeyFileError> {
    let err = |e: std::io::Error| KeyFileError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(err)?;
    let hex = zeroize::Zeroizing::new(crate::audit::to_hex(key.as_bytes()) + "\n");
    f.write_all(hex.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    sync_dir(path);
    Ok(())
}

/// Makes a new or renamed directory entry durable (best effort).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn created_owner_only_read_back_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("sub/master.key"));
        assert!(kf.load().unwrap().is_none());
        let key = kf.create().unwrap();
        let mode = std::fs::metadata(kf.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(kf.load().unwrap().unwrap().as_bytes(), key.as_bytes());
        assert!(kf.create().is_err(), "an existing key is never replaced");
    }

    #[test]
    fn loose_or_malformed_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("master.key"));
        kf.create().unwrap();
        std::fs::set_permissions(kf.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = kf.load().unwrap_err();
        assert!(matches!(err, KeyFileError::Loose { mode: 0o644, .. }), "{err}");
        assert!(err.hint().unwrap().contains("chmod 600"));
        std::fs::write(kf.path(), "not hex").unwrap();
        std::fs::set_permissions(kf.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(kf.load(), Err(KeyFileError::Malformed { .. })));
    }

    #[test]
    fn rotation_files_stage_back_up_and_promote() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("master.key"));
        let old = kf.create().unwrap();
        let new = MasterKey::generate().unwrap();
        kf.stage(&new).unwrap();
        assert_eq!(kf.staged().unwrap().unwrap().as_bytes(), new.as_bytes());
        let backup = kf.backup("2026-11-22T12-00-00Z").unwrap();
        assert!(
            backup
                .to_string_lossy()
                .ends_with("master.key.2026-11-22T12-00-00Z.bak")
        );
        kf.promote_staged().unwrap();
        assert_eq!(kf.load().unwrap().unwrap().as_bytes(), new.as_bytes());
        assert!(kf.staged().unwrap().is_none());
        assert_eq!(read(&backup).unwrap().unwrap().as_bytes(), old.as_bytes());
        let second = kf.backup("2026-11-22T12-00-00Z").unwrap();
        assert!(
            second
                .to_string_lossy()
                .ends_with("master.key.2026-11-22T12-00-00Z-1.bak")
        );
    }
}
