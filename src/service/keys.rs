//! The master key as the service uses it: loaded (or, for a database with nothing
//! sealed, created) on first need; plain secrets of an older database sealed then;
//! every secret resealed under a new key by `rotate_key`.

use super::{Change, Service, guard};
use crate::clock::Clock;
use crate::crypto::{self, MasterKey};
use crate::error::{Error, Result};
use crate::keyfile::KeyFileError;
use crate::store::{EnrollmentRow, UserRow};
use crate::timefmt::serde_ts;
use serde::Serialize;
use zeroize::Zeroizing;

/// Associated-data purposes: a TOTP secret, and the key check constant.
const SECRET: &str = "totp-secret";
const KEY_CHECK: &str = "key-check";
const KEY_CHECK_PLAIN: &[u8] = b"twofa master key check";

#[derive(Debug, Clone, Serialize)]
pub struct Rotated {
    pub resealed: u64,
    pub key_file: String,
    /// The previous key, kept until the operator removes it.
    pub previous_key: String,
    #[serde(with = "serde_ts")]
    pub at: crate::clock::Timestamp,
}

pub(super) fn seal_secret(key: &MasterKey, user_id: i64, secret: &[u8]) -> Result<Vec<u8>> {
    Ok(crypto::seal(key, user_id, SECRET, secret)?)
}

/// The constant that tells whether a key is this database's.
fn seal_check(key: &MasterKey) -> Result<Vec<u8>> {
    Ok(crypto::seal(key, 0, KEY_CHECK, KEY_CHECK_PLAIN)?)
}

/// The user's secret in the clear, for as long as the caller holds it.
pub(super) fn open_secret(key: &MasterKey, user: &UserRow, e: &EnrollmentRow) -> Result<Zeroizing<Vec<u8>>> {
    if !e.sealed {
        return Ok(e.secret.clone());
    }
    crypto::open(key, user.id, SECRET, &e.secret).map_err(|_| {
        Error::Crypto(format!(
            "the stored secret of `{}` does not open with the master key: the row was altered or copied from another user",
            user.name
        ))
    })
}

impl<C: Clock> Service<C> {
    /// The master key, loaded once per process.
    pub(super) fn key(&mut self) -> Result<MasterKey> {
        if let Some(k) = &self.key {
            return Ok(k.clone());
        }
        // The key check is written in the same transaction that seals the last plain
        // secret, and every secret after it is sealed: no check means "not sealed yet".
        let check = self.store.read()?.key_check()?;
        let path = || self.keys.path().to_path_buf();
        let key = match self.keys.load()? {
            Some(k) => match &check {
                Some(c) if crypto::open(&k, 0, KEY_CHECK, c).is_err() => match self.keys.staged()? {
                    // A rotation committed but was cut off before renaming its key into place.
                    Some(n) if crypto::open(&n, 0, KEY_CHECK, c).is_ok() => {
                        self.keys.promote_staged()?;
                        n
                    }
                    _ => return Err(KeyFileError::WrongKey { path: path() }.into()),
                },
                _ => k,
            },
            // Never a silent new key for secrets sealed under a lost one.
            None if check.is_some() || self.store.read()?.has_sealed()? => {
                return Err(KeyFileError::Missing { path: path() }.into());
            }
            None => match self.keys.create() {
                Ok(k) => k,
                // Another twofa process created it a moment ago: use theirs.
                Err(e) => self.keys.load()?.ok_or(e)?,
            },
        };
        if check.is_none() {
            self.seal_plain(&key)?;
        }
        self.key = Some(key.clone());
        Ok(key)
    }

    /// Seals the plain secrets of a database from before encryption, if there are
    /// any: called on open, so an old database is converted on its first use.
    /// Two O(1) lookups when there is nothing to do.
    pub fn seal_existing(&mut self) -> Result<()> {
        let unsealed = {
            let tx = self.store.read()?;
            tx.key_check()?.is_none() && tx.has_secrets()?
        };
        if unsealed {
            self.key()?;
        }
        Ok(())
    }

    /// The key, when a step-up code was given (only then can a step-up need it).
    pub(super) fn step_up_key(&mut self) -> Result<Option<MasterKey>> {
        if self.step_up.is_none() {
            return Ok(None);
        }
        self.key().map(Some)
    }

    /// Records the key check and seals any plain secrets (a database from before
    /// encryption), in one transaction; then checkpoints so no plain page stays in the WAL.
    fn seal_plain(&mut self, key: &MasterKey) -> Result<()> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        if tx.key_check()?.is_none() {
            tx.put_key_check(&seal_check(key)?)?;
        }
        let mut sealed = 0;
        for s in tx.all_secrets()?.into_iter().filter(|s| !s.sealed) {
            tx.put_sealed_secret(s.user_id, &seal_secret(key, s.user_id, &s.secret)?)?;
            sealed += 1;
        }
        if sealed > 0 {
            tx.append_audit(
                &crate::audit::Entry::new(&self.actor, now, "key.seal_existing").details(format!(
                    "{sealed} plain secrets sealed under {}",
                    self.keys.path().display()
                )),
            )?;
        }
        tx.commit()?;
        if sealed > 0 {
            self.store.checkpoint()?;
        }
        Ok(())
    }

    /// Seals every secret under a new key in one transaction. The new key is staged
    /// beside the old, the old is kept as a dated backup, and the new one is renamed
    /// into place only after the commit (an interrupted rotation is finished by the
    /// next load, see [`Service::key`]).
    pub fn rotate_key(&mut self) -> Result<Rotated> {
        let old = self.key()?;
        let step_key = self.step_up_key()?;
        let now = self.clock.now();
        let new = MasterKey::generate()?;
        let tx = self.store.write()?;
        let change = Change::global("admin.rotate_key");
        let tx = guard(tx, &self.actor, self.step_up.as_ref(), step_key.as_ref(), now, &change)?;
        self.keys.stage(&new)?;
        let staged = (|| {
            let mut resealed = 0u64;
            for s in tx.all_secrets()? {
                let plain = if s.sealed {
                    crypto::open(&old, s.user_id, SECRET, &s.secret)
                        .map_err(|_| Error::Crypto(format!("the secret of user #{} does not open", s.user_id)))?
                } else {
                    s.secret.clone()
                };
                tx.put_sealed_secret(s.user_id, &seal_secret(&new, s.user_id, &plain)?)?;
                resealed += 1;
            }
            tx.put_key_check(&seal_check(&new)?)?;
            let stamp = crate::timefmt::rfc3339(now).replace(':', "-");
            let backup = self.keys.backup(&stamp)?;
            tx.append_audit(&change.entry(&self.actor, now).details(format!(
                "{resealed} secrets resealed; previous key kept as {}",
                backup.display()
            )))?;
            Ok::<_, Error>((resealed, backup))
        })();
        let (resealed, backup) = match staged {
            Ok(v) => v,
            Err(e) => {
                self.keys.discard_staged();
                return Err(e);
            }
        };
        tx.commit()?;
        self.keys.promote_staged()?;
        self.key = Some(new);
        Ok(Rotated {
            resealed,
            key_file: self.keys.path().display().to_string(),
            previous_key: backup.display().to_string(),
            at: now,
        })
    }
}
