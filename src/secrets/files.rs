//! Files twofa trusts must be the running user's own and private: a database, its
//! `-wal`/`-shm`, or a key file that another user created (say, mode 0666 in a shared
//! directory) could have been planted to make its creator an admin, to hold a secret
//! of their choosing, or to read what twofa writes. As google-authenticator-libpam
//! and OpenSSH do, such files are refused before anything is read or written.

use std::path::{Path, PathBuf};

/// The user the process acts as (file ownership is checked against it).
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Why a file is not safe to use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsafe {
    #[error("{} belongs to uid {owner}, not to uid {me} running twofa", path.display())]
    NotOwned { path: PathBuf, owner: u32, me: u32 },
    #[error("{} is accessible to group or others (mode {mode:04o})", path.display())]
    Loose { path: PathBuf, mode: u32 },
    #[error("{} is not a regular file", .0.display())]
    NotAFile(PathBuf),
}

impl Unsafe {
    /// The command that fixes it, for the hint.
    pub fn fix(&self) -> String {
        match self {
            Unsafe::NotOwned { path, me, .. } => format!(
                "if the file is yours, `chown {me} {}`; if someone else made it, remove it and find out who did",
                path.display()
            ),
            Unsafe::Loose { path, .. } => format!("run `chmod 600 {}`", path.display()),
            Unsafe::NotAFile(path) => format!("remove {} or choose another path", path.display()),
        }
    }
}

/// `Ok` when `path` does not exist, or is a regular file of the effective user that
/// group and others cannot access.
pub fn check_private(path: &Path) -> Result<(), Unsafe> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        // Missing (or unreadable: the open that follows says why).
        Err(_) => return Ok(()),
    };
    if !meta.is_file() {
        return Err(Unsafe::NotAFile(path.to_path_buf()));
    }
    let me = effective_uid();
    if meta.uid() != me {
        return Err(Unsafe::NotOwned {
            path: path.to_path_buf(),
            owner: meta.uid(),
            me,
        });
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(Unsafe::Loose {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn own_private_files_pass_and_loose_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        assert_eq!(check_private(&p), Ok(()), "missing is fine");
        std::fs::write(&p, b"x").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(check_private(&p), Ok(()));
        for mode in [0o666, 0o640, 0o604, 0o610] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            let err = check_private(&p).unwrap_err();
            assert_eq!(err, Unsafe::Loose { path: p.clone(), mode }, "{mode:o}");
            assert!(err.fix().contains("chmod 600"));
        }
        assert!(matches!(check_private(dir.path()), Err(Unsafe::NotAFile(_))));
    }
}
