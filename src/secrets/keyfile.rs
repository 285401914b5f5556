//! The master key file: 64 hex digits, then the id of the one database it belongs to
//! (`database <32 hex digits>`). Owner-only: refused when it belongs to another user
//! or group or others may read it (as ssh refuses loose private keys). Created on first
//! use only when the database holds nothing sealed yet; the service decides that. A
//! key file from before database ids is bound to its database the first time it is
//! proven to open that database's key check.
//!
//! Rotation stages the new key beside the old one (`PATH.new`), keeps the old one as a
//! dated backup, and only after the database commits renames the new key into place.
//! A crash in between leaves `PATH.new`, which [`KeyFile::staged`] offers on next load.

use crate::secrets::crypto::{DB_ID_LEN, KEY_LEN, MasterKey};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// Another user's file, or one that group or others may access.
    #[error("key file {0}")]
    Unsafe(crate::secrets::files::Unsafe),
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
    #[error("key file {} belongs to another database", path.display())]
    OtherDatabase { path: PathBuf },
}

/// The database id a key file names, as 32 hex digits.
pub type DbId = [u8; DB_ID_LEN];

/// A key as read from its file, with the database it is bound to (none for a key
/// file written before database ids).
pub struct Loaded {
    pub key: MasterKey,
    pub db_id: Option<DbId>,
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
    pub fn load(&self) -> Result<Option<Loaded>, KeyFileError> {
        read(&self.path)
    }

    /// A key left by a rotation that was interrupted after the database committed.
    pub fn staged(&self) -> Result<Option<Loaded>, KeyFileError> {
        read(&self.staged_path())
    }

    /// Creates the key file for database `db_id` (and its directory, owner-only);
    /// never overwrites.
    pub fn create(&self, db_id: &DbId) -> Result<MasterKey, KeyFileError> {
        let key = MasterKey::generate().map_err(|e| self.write_error(e))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir).map_err(|e| self.write_error(e))?;
        }
        write_new(&self.path, &key, db_id)?;
        Ok(key)
    }

    /// Writes `key` as the staged next key (replacing a stale one).
    pub fn stage(&self, key: &MasterKey, db_id: &DbId) -> Result<(), KeyFileError> {
        let staged = self.staged_path();
        let _ = std::fs::remove_file(&staged);
        write_new(&staged, key, db_id)
    }

    /// Rewrites a key file from before database ids with the id of the database it
    /// was just proven to open (staged beside it, then renamed over it).
    pub fn bind(&self, key: &MasterKey, db_id: &DbId) -> Result<(), KeyFileError> {
        self.stage(key, db_id)?;
        self.promote_staged()
    }

    pub fn discard_staged(&self) {
        let _ = std::fs::remove_file(self.staged_path());
    }

    /// Copies the current key to `PATH.<stamp>.bak` (owner-only); returns its path.
    pub fn backup(&self, stamp: &str, db_id: &DbId) -> Result<PathBuf, KeyFileError> {
        let key = self
            .load()?
            .ok_or_else(|| KeyFileError::Missing {
                path: self.path.clone(),
            })?
            .key;
        // Two rotations in one second must not collide: number the later ones.
        let mut n = 0u32;
        loop {
            let mut p = self.path.clone().into_os_string();
            match n {
                0 => p.push(format!(".{stamp}.bak")),
                n => p.push(format!(".{stamp}-{n}.bak")),
            }
            let backup = PathBuf::from(p);
            match write_new(&backup, &key, db_id) {
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

fn read(path: &Path) -> Result<Option<Loaded>, KeyFileError> {
    let unreadable = |e: std::io::Error| KeyFileError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    match std::fs::metadata(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
    }
    crate::secrets::files::check_private(path).map_err(KeyFileError::Unsafe)?;
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(unreadable)?);
    let malformed = || KeyFileError::Malformed {
        path: path.to_path_buf(),
    };
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut bytes = zeroize::Zeroizing::new([0u8; KEY_LEN]);
    hex_into(lines.next().unwrap_or(""), &mut bytes[..]).ok_or_else(malformed)?;
    let db_id = match lines.next() {
        None => None,
        Some(line) => {
            let hex = line.strip_prefix("database ").ok_or_else(malformed)?;
            let mut id = [0u8; DB_ID_LEN];
            hex_into(hex.trim(), &mut id).ok_or_else(malformed)?;
            Some(id)
        }
    };
    if lines.next().is_some() {
        return Err(malformed());
    }
    Ok(Some(Loaded {
        key: MasterKey::from_bytes(&bytes),
        db_id,
    }))
}

/// Decodes exactly `out.len()` bytes of hex.
fn hex_into(hex: &str, out: &mut [u8]) -> Option<()> {
    if hex.len() != 2 * out.len() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(())
}

/// Creates `path` owner-only with the key and its database, synced to disk; fails if
/// it exists. Atomic: the key is written to a temporary file first and linked into
/// place, so a crash never leaves a half-written key file behind.
fn write_new(path: &Path, key: &MasterKey, db_id: &DbId) -> Result<(), KeyFileError> {
    let err = |e: std::io::Error| KeyFileError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let written = (|| {
        let mut f = opts.open(&tmp)?;
        let hex = zeroize::Zeroizing::new(format!(
            "{}\ndatabase {}\n",
            crate::audit::to_hex(key.as_bytes()).as_str(),
            crate::audit::to_hex(db_id)
        ));
        f.write_all(hex.as_bytes())?;
        f.sync_all()?;
        // A link fails when the name exists: never an overwrite.
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    written.map_err(err)?;
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

    const DB: DbId = [3; DB_ID_LEN];

    #[test]
    fn created_owner_only_read_back_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("sub/master.key"));
        assert!(kf.load().unwrap().is_none());
        let key = kf.create(&DB).unwrap();
        let mode = std::fs::metadata(kf.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let loaded = kf.load().unwrap().unwrap();
        assert_eq!(loaded.key.as_bytes(), key.as_bytes());
        assert_eq!(loaded.db_id, Some(DB));
        assert!(kf.create(&DB).is_err(), "an existing key is never replaced");
    }

    #[test]
    fn loose_or_malformed_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("master.key"));
        kf.create(&DB).unwrap();
        std::fs::set_permissions(kf.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = kf.load().err().unwrap();
        assert!(
            matches!(
                err,
                KeyFileError::Unsafe(crate::secrets::files::Unsafe::Loose { mode: 0o644, .. })
            ),
            "{err}"
        );
        assert!(matches!(&err, KeyFileError::Unsafe(u) if u.fix().contains("chmod 600")));
        for bad in [
            "not hex",
            &format!("{}\ndb 00", "a".repeat(64)),
            &format!("{}\ndatabase 0", "a".repeat(64)),
        ] {
            std::fs::write(kf.path(), bad).unwrap();
            std::fs::set_permissions(kf.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
            assert!(matches!(kf.load(), Err(KeyFileError::Malformed { .. })), "{bad:?}");
        }
    }

    #[test]
    fn a_key_file_from_before_database_ids_reads_unbound_and_can_be_bound() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("master.key"));
        std::fs::write(kf.path(), format!("{}\n", "ab".repeat(32))).unwrap();
        std::fs::set_permissions(kf.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        let old = kf.load().unwrap().unwrap();
        assert_eq!(old.db_id, None);
        kf.bind(&old.key, &DB).unwrap();
        let bound = kf.load().unwrap().unwrap();
        assert_eq!((bound.key.as_bytes(), bound.db_id), (old.key.as_bytes(), Some(DB)));
    }

    #[test]
    fn rotation_files_stage_back_up_and_promote() {
        let dir = tempfile::tempdir().unwrap();
        let kf = KeyFile::new(dir.path().join("master.key"));
        let old = kf.create(&DB).unwrap();
        let new = MasterKey::generate().unwrap();
        kf.stage(&new, &DB).unwrap();
        assert_eq!(kf.staged().unwrap().unwrap().key.as_bytes(), new.as_bytes());
        let backup = kf.backup("2026-11-22T12-00-00Z", &DB).unwrap();
        assert!(
            backup
                .to_string_lossy()
                .ends_with("master.key.2026-11-22T12-00-00Z.bak")
        );
        kf.promote_staged().unwrap();
        assert_eq!(kf.load().unwrap().unwrap().key.as_bytes(), new.as_bytes());
        assert!(kf.staged().unwrap().is_none());
        let b = read(&backup).unwrap().unwrap();
        assert_eq!((b.key.as_bytes(), b.db_id), (old.as_bytes(), Some(DB)));
        let second = kf.backup("2026-11-22T12-00-00Z", &DB).unwrap();
        assert!(
            second
                .to_string_lossy()
                .ends_with("master.key.2026-11-22T12-00-00Z-1.bak")
        );
    }
}
