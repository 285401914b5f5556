//! The master key as the service uses it. The key is checked inside the transaction
//! that uses it, against the database's key check as that transaction sees it, so a
//! command racing a key rotation picks up the new key instead of failing (or sealing
//! under the retired one). The key file must name this database; a key file from
//! before database ids is bound the first time it proves to open the key check.
//!
//! Sealed values are bound to the database id, the user's id and name, and the purpose.
//! A database from before that (or from before encryption) is converted in one
//! transaction the first time the key is used.

use super::{Event, Service};
use crate::actor::Actor;
use crate::audit::Entry;
use crate::clock::{Clock, Timestamp};
use crate::error::{Error, Result};
use crate::secrets::crypto::{self, Binding, MasterKey};
use crate::secrets::keyfile::{DbId, KeyFile, KeyFileError, Loaded};
use crate::store::{TotpRow, Transaction, UserRow};
use crate::text::timefmt::serde_ts;
use serde::Serialize;
use zeroize::Zeroizing;

/// Associated-data purposes: a TOTP secret, and the key check constant.
pub(super) const SECRET: &str = "totp-secret";
const KEY_CHECK: &str = "key-check";
pub(super) const KEY_CHECK_PLAIN: &[u8] = b"twofa master key check";

#[derive(Debug, Clone, Serialize)]
pub struct Rotated {
    pub resealed: u64,
    pub key_file: String,
    /// The previous key, kept until the operator removes it.
    pub previous_key: String,
    #[serde(with = "serde_ts")]
    pub at: crate::clock::Timestamp,
}

/// The key file and, once proven against this database, its key.
pub(super) struct Keyring {
    file: KeyFile,
    cached: Option<Unlocked>,
    /// Told of what the person should know (a key file made).
    pub events: Option<Box<dyn FnMut(super::Event)>>,
}

/// A key proven to open this database's key check, as stored when it was proven.
#[derive(Clone)]
pub(super) struct Unlocked {
    key: MasterKey,
    db_id: DbId,
    check: Vec<u8>,
}

impl Unlocked {
    fn binding<'a>(&'a self, user: &'a UserRow) -> Binding<'a> {
        Binding {
            db_id: &self.db_id,
            owner: user.id,
            name: &user.name,
            purpose: SECRET,
        }
    }

    pub fn seal_secret(&self, user: &UserRow, secret: &[u8]) -> Result<Vec<u8>> {
        Ok(crypto::seal(&self.key, &self.binding(user), secret)?)
    }

    /// A message's text sealed for the queue, bound to this database and its recipient.
    pub fn seal_mail(&self, recipient: &str, body: &[u8]) -> Result<Vec<u8>> {
        Ok(crypto::seal(&self.key, &mail_binding(&self.db_id, recipient), body)?)
    }

    /// The text of a queued message sealed by [`Unlocked::seal_mail`].
    pub fn open_mail(&self, recipient: &str, sealed: &[u8]) -> Result<Zeroizing<String>> {
        let plain = crypto::open(&self.key, &mail_binding(&self.db_id, recipient), sealed)?;
        String::from_utf8(plain.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| Error::Crypto("a queued message's text is not UTF-8".into()))
    }

    /// The key email codes are digested under: derived from the master key and bound
    /// to this database, so a copy of the database alone checks no code.
    pub fn email_key(&self) -> Zeroizing<[u8; 32]> {
        self.key.derive(&self.db_id, "twofa email codes v1")
    }

    /// The user's secret in the clear, for as long as the caller holds it. The key
    /// was proven in this transaction, so a value that does not open was damaged,
    /// moved, renamed or copied — never a wrong key.
    pub fn open_secret(&self, user: &UserRow, e: &TotpRow) -> Result<Zeroizing<Vec<u8>>> {
        if !e.sealed {
            return Err(Error::Crypto(format!(
                "the stored secret of `{}` is in plain form although this database seals every secret: the row was tampered with",
                user.name
            )));
        }
        crypto::open(&self.key, &self.binding(user), &e.secret).map_err(|_| {
            Error::Crypto(format!(
                "the stored secret of `{}` does not open with this database's key: the row was altered, or copied from another user or database",
                user.name
            ))
        })
    }
}

fn mail_binding<'a>(db_id: &'a DbId, recipient: &'a str) -> Binding<'a> {
    Binding {
        db_id,
        owner: 0,
        name: recipient,
        purpose: "queued-mail",
    }
}

pub(super) fn check_binding(db_id: &DbId) -> Binding<'_> {
    Binding {
        db_id,
        owner: 0,
        name: "",
        purpose: KEY_CHECK,
    }
}

/// Whether `key` opens the key check `check` (of either format).
fn opens(key: &MasterKey, db_id: &DbId, check: &[u8]) -> bool {
    if crypto::is_v1(check) {
        crypto::open_v1(key, 0, KEY_CHECK, check).is_ok()
    } else {
        crypto::open(key, &check_binding(db_id), check).is_ok()
    }
}

impl Keyring {
    pub fn new(file: KeyFile) -> Keyring {
        Keyring {
            file,
            cached: None,
            events: None,
        }
    }

    pub fn path(&self) -> &std::path::Path {
        self.file.path()
    }

    /// The key for the write transaction `tx`, proven against the key check as `tx`
    /// sees it. A database that has no key check yet, or one of the old format, is
    /// converted in `tx` (plain secrets sealed, old seals resealed, the check written).
    pub fn for_tx(&mut self, tx: &dyn Transaction, actor: &Actor, now: Timestamp) -> Result<Unlocked> {
        let check = tx.key_check()?;
        if let (Some(c), Some(cached)) = (&check, &self.cached)
            && *c == cached.check
        {
            return Ok(cached.clone());
        }
        let db_id = tx.db_id()?;
        let key = match &check {
            Some(c) => self.proven(&db_id, c)?,
            None => self.first_key(tx, &db_id)?,
        };
        let needs_conversion = check.as_deref().is_none_or(crypto::is_v1);
        let check = if needs_conversion {
            convert(tx, &key, &db_id, actor, now, self.path())?
        } else {
            check.unwrap_or_default()
        };
        let unlocked = Unlocked { key, db_id, check };
        self.cached = Some(unlocked.clone());
        Ok(unlocked)
    }

    /// The key that opens the database's key check: the key file's, or a staged one
    /// left by a rotation that committed but has not renamed its key into place yet.
    fn proven(&mut self, db_id: &DbId, check: &[u8]) -> Result<MasterKey> {
        let path = self.file.path().to_path_buf();
        // Two rounds: a rotation may rename its staged key between our two reads.
        for _ in 0..2 {
            let Some(loaded) = self.file.load()? else {
                match self.staged_for(db_id, check)? {
                    Some(key) => return Ok(key),
                    None => continue,
                }
            };
            refuse_other_database(&loaded, db_id, self.file.path())?;
            if opens(&loaded.key, db_id, check) {
                if loaded.db_id.is_none() {
                    self.file.bind(&loaded.key, db_id)?;
                }
                return Ok(loaded.key);
            }
            if let Some(key) = self.staged_for(db_id, check)? {
                return Ok(key);
            }
        }
        match self.file.load()? {
            Some(_) => Err(KeyFileError::WrongKey { path }.into()),
            None => Err(KeyFileError::Missing { path }.into()),
        }
    }

    /// A staged key that opens the key check, renamed into place (and bound to this
    /// database when an older twofa staged it without the binding).
    fn staged_for(&self, db_id: &DbId, check: &[u8]) -> Result<Option<MasterKey>> {
        let Some(n) = self.file.staged()? else { return Ok(None) };
        if n.db_id.is_some_and(|id| id != *db_id) || !opens(&n.key, db_id, check) {
            return Ok(None);
        }
        self.promote()?;
        if n.db_id.is_none() {
            self.file.bind(&n.key, db_id)?;
        }
        Ok(Some(n.key))
    }

    /// Renames a staged key into place; another process may have just done so.
    fn promote(&self) -> Result<()> {
        match self.file.promote_staged() {
            Err(_) if self.file.staged()?.is_none() => Ok(()),
            other => Ok(other?),
        }
    }

    /// The key for a database without a key check (new, or from before encryption):
    /// the key file made for it, or a new one — never a new key for sealed secrets.
    fn first_key(&mut self, tx: &dyn Transaction, db_id: &DbId) -> Result<MasterKey> {
        match self.file.load()? {
            Some(loaded) => {
                // An unbound key cannot prove it belongs here: nothing here opens with it.
                if loaded.db_id.is_none() {
                    return Err(KeyFileError::OtherDatabase {
                        path: self.file.path().to_path_buf(),
                    }
                    .into());
                }
                refuse_other_database(&loaded, db_id, self.file.path())?;
                Ok(loaded.key)
            }
            None if tx.has_sealed()? => Err(KeyFileError::Missing {
                path: self.file.path().to_path_buf(),
            }
            .into()),
            None => match self.file.create(db_id) {
                Ok(k) => {
                    if let Some(tell) = &mut self.events {
                        tell(super::Event::CreatedKeyFile(self.file.path().to_path_buf()));
                    }
                    Ok(k)
                }
                // Another twofa process created it a moment ago: use theirs.
                Err(e) => match self.file.load()? {
                    Some(l) => {
                        refuse_other_database(&l, db_id, self.file.path())?;
                        Ok(l.key)
                    }
                    None => Err(e.into()),
                },
            },
        }
    }
}

fn refuse_other_database(loaded: &Loaded, db_id: &DbId, path: &std::path::Path) -> Result<()> {
    match loaded.db_id {
        Some(id) if id != *db_id => Err(KeyFileError::OtherDatabase {
            path: path.to_path_buf(),
        }
        .into()),
        _ => Ok(()),
    }
}

/// Seals every secret of the database under `key` in the current format (plain ones
/// of a database from before encryption, and old-format seals), then writes the key
/// check; all in `tx`. Returns the new key check.
fn convert(
    tx: &dyn Transaction,
    key: &MasterKey,
    db_id: &DbId,
    actor: &Actor,
    now: Timestamp,
    path: &std::path::Path,
) -> Result<Vec<u8>> {
    let mut plain = 0;
    for s in tx.all_secrets()? {
        let secret = if !s.sealed {
            plain += 1;
            s.secret.clone()
        } else if crypto::is_v1(&s.secret) {
            crypto::open_v1(key, s.user_id, SECRET, &s.secret)
                .map_err(|_| Error::Crypto(format!("the stored secret of `{}` does not open", s.user_name)))?
        } else {
            continue;
        };
        let binding = Binding {
            db_id,
            owner: s.user_id,
            name: &s.user_name,
            purpose: SECRET,
        };
        tx.put_sealed_secret(s.factor_id, &crypto::seal(key, &binding, &secret)?)?;
    }
    let check = crypto::seal(key, &check_binding(db_id), KEY_CHECK_PLAIN)?;
    tx.put_key_check(&check)?;
    if plain > 0 {
        tx.append_audit(
            &Entry::new(actor, now, "key.seal_existing")
                .details(format!("{plain} plain secrets sealed under {}", path.display())),
        )?;
    }
    Ok(check)
}

impl<C: Clock> Service<C> {
    /// Converts a database whose secrets are not sealed in the current format (from
    /// before encryption, or before database ids), if it is one: called on open, so an
    /// old database is converted on its first use; then checkpoints, so no plain page
    /// stays behind in the WAL. Two O(1) lookups when there is nothing to do.
    pub fn seal_existing(&mut self) -> Result<()> {
        let convert = {
            let tx = self.store.read()?;
            match tx.key_check()? {
                None => tx.has_secrets()?,
                Some(c) => crypto::is_v1(&c),
            }
        };
        if convert {
            let now = self.clock.now();
            let tx = self.store.write()?;
            self.caller.keys.for_tx(&*tx, &self.caller.actor, now)?;
            tx.commit()?;
            self.store.checkpoint()?;
        }
        Ok(())
    }

    /// Has `tell` called with what the person using twofa should know of, as it
    /// happens (the service decides when, the caller how to say it).
    pub fn on_event(&mut self, tell: impl FnMut(Event) + 'static) {
        self.caller.keys.events = Some(Box::new(tell));
    }

    /// Seals every secret under a new key in one transaction. The new key is staged
    /// beside the old, the old is kept as a dated backup, and the new one is renamed
    /// into place only after the commit (an interrupted rotation is finished by the
    /// next command, see [`Keyring::for_tx`]).
    pub fn rotate_key(&mut self) -> Result<Rotated> {
        let now = self.clock.now();
        let new = MasterKey::generate()?;
        let tx = self.store.write()?;
        let change = super::Change::global("admin.rotate_key");
        let tx = self.caller.guard(tx, now, &change)?;
        let old = self.caller.keys.for_tx(&*tx, &self.caller.actor, now)?;
        let keys = &mut self.caller.keys;
        keys.file.stage(&new, &old.db_id)?;
        let staged = (|| {
            let mut resealed = 0u64;
            let next = Unlocked {
                key: new.clone(),
                db_id: old.db_id,
                check: crypto::seal(&new, &check_binding(&old.db_id), KEY_CHECK_PLAIN)?,
            };
            for s in tx.all_secrets()? {
                let user = tx
                    .user(&s.user_name)?
                    .ok_or_else(|| Error::Crypto(format!("the secret of user #{} has no user", s.user_id)))?;
                let e = tx
                    .totp(user.id)?
                    .filter(|e| e.factor_id == s.factor_id)
                    .ok_or_else(|| Error::Crypto(format!("the secret of `{}` vanished", user.name)))?;
                let plain = old.open_secret(&user, &e)?;
                tx.put_sealed_secret(s.factor_id, &next.seal_secret(&user, &plain)?)?;
                resealed += 1;
            }
            tx.put_key_check(&next.check)?;
            // Live email codes are digests under a key derived from the old one: void.
            let voided = tx.clear_email_codes()?;
            let stamp = crate::text::timefmt::rfc3339(now).replace(':', "-");
            let backup = keys.file.backup(&stamp, &old.db_id)?;
            tx.append_audit(&change.entry(&self.caller.actor, now).details(format!(
                "{resealed} secrets resealed, {voided} live email codes voided; previous key kept as {}",
                backup.display()
            )))?;
            Ok::<_, Error>((resealed, backup, next))
        })();
        let (resealed, backup, next) = match staged {
            Ok(v) => v,
            Err(e) => {
                keys.file.discard_staged();
                return Err(e);
            }
        };
        // (A failed commit keeps the staged key: an I/O error may still leave the commit
        // in the log, and a staged key is only ever promoted if it opens the key check.)
        tx.commit()?;
        // Renamed into place under the write lock again: stagings (by a later
        // rotation) and promotions (by commands that found this key staged) all happen
        // under it, so this never moves another rotation's staged key.
        let lock = self.store.write()?;
        self.caller.keys.promote()?;
        drop(lock);
        // The secrets sealed under the retired key must not linger in the WAL (best
        // effort: the rotation stands; the store checkpoints as its log grows anyway).
        let _ = self.store.checkpoint();
        let keys = &mut self.caller.keys;
        keys.cached = Some(next);
        Ok(Rotated {
            resealed,
            key_file: keys.path().display().to_string(),
            previous_key: backup.display().to_string(),
            at: now,
        })
    }
}
