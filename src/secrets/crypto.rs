//! Sealing TOTP secrets at rest: XChaCha20-Poly1305 under a 256-bit master key kept
//! outside the database. The associated data binds each sealed secret to its
//! database, its user (id *and* name) and its purpose, so a sealed secret moved to
//! another row, renumbered, renamed or copied into another database does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// The first byte of every sealed value: the format. Version 1 bound only the user id
/// and purpose; it is opened once, to reseal under version 2, and never written.
const VERSION: u8 = 2;
const VERSION_1: u8 = 1;

/// The length of a database's random id.
pub const DB_ID_LEN: usize = 16;

/// What a sealed value belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub db_id: &'a [u8; DB_ID_LEN],
    /// The row's owner (a user id; 0 for the database's own values).
    pub owner: i64,
    /// The owner's name ("" for the database's own values).
    pub name: &'a str,
    pub purpose: &'a str,
}

/// The master key. Never printed; wiped when dropped.
#[derive(Clone)]
pub struct MasterKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("no randomness from the operating system")]
    Random,
    /// Wrong key, a value moved to another row, or a value altered.
    #[error("a sealed value does not open with this key")]
    Open,
}

impl MasterKey {
    pub fn generate() -> Result<MasterKey, CryptoError> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(&mut k[..]).map_err(|_| CryptoError::Random)?;
        Ok(MasterKey(k))
    }

    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> MasterKey {
        MasterKey(Zeroizing::new(*bytes))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A key for one purpose, derived from the master key and bound to the database
    /// (HKDF-SHA256: the database id as salt, `purpose` as info). The master key
    /// itself is used only to seal.
    pub fn derive(&self, db_id: &[u8; DB_ID_LEN], purpose: &str) -> Zeroizing<[u8; KEY_LEN]> {
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        hkdf::Hkdf::<sha2::Sha256>::new(Some(db_id), &self.0[..])
            .expand(purpose.as_bytes(), &mut out[..])
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        out
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&(*self.0).into())
    }
}

/// The associated data of version 1 (user id and purpose only).
fn aad_v1(owner: i64, purpose: &str) -> Vec<u8> {
    let mut a = b"twofa-seal-v1\0".to_vec();
    a.extend_from_slice(&owner.to_be_bytes());
    a.extend_from_slice(purpose.as_bytes());
    a
}

/// The associated data of version 2: every part length-prefixed, so no two bindings
/// give the same bytes.
fn aad(b: &Binding<'_>) -> Vec<u8> {
    let mut a = b"twofa-seal-v2\0".to_vec();
    a.extend_from_slice(b.db_id);
    a.extend_from_slice(&b.owner.to_be_bytes());
    for part in [b.name, b.purpose] {
        a.extend_from_slice(&(part.len() as u32).to_be_bytes());
        a.extend_from_slice(part.as_bytes());
    }
    a
}

/// Whether `sealed` is of the old format that binds only the user id.
pub fn is_v1(sealed: &[u8]) -> bool {
    sealed.first() == Some(&VERSION_1)
}

/// Seals `plain` for `binding`: version ‖ random nonce ‖ ciphertext+tag.
pub fn seal(key: &MasterKey, binding: &Binding<'_>, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| CryptoError::Random)?;
    let ct = key
        .cipher()
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plain,
                aad: &aad(binding),
            },
        )
        .map_err(|_| CryptoError::Open)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

pub fn open(key: &MasterKey, binding: &Binding<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    open_with(key, VERSION, &aad(binding), sealed)
}

/// Seals as the version-1 format did, to build old databases in tests.
#[cfg(test)]
pub(crate) fn seal_v1(key: &MasterKey, owner: i64, purpose: &str, plain: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).unwrap();
    let ct = key
        .cipher()
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plain,
                aad: &aad_v1(owner, purpose),
            },
        )
        .unwrap();
    [&[VERSION_1][..], &nonce, &ct].concat()
}

/// Opens a value sealed by the version-1 format (only to reseal it).
pub fn open_v1(key: &MasterKey, owner: i64, purpose: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    open_with(key, VERSION_1, &aad_v1(owner, purpose), sealed)
}

fn open_with(key: &MasterKey, version: u8, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != version {
        return Err(CryptoError::Open);
    }
    let nonce: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN].try_into().map_err(|_| CryptoError::Open)?;
    key.cipher()
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Open)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: [u8; DB_ID_LEN] = [7; DB_ID_LEN];

    fn b<'a>(db_id: &'a [u8; DB_ID_LEN], owner: i64, name: &'a str, purpose: &'a str) -> Binding<'a> {
        Binding {
            db_id,
            owner,
            name,
            purpose,
        }
    }

    #[test]
    fn seals_and_opens_only_for_the_same_database_owner_name_purpose_and_key() {
        let key = MasterKey::generate().unwrap();
        let plain = b"12345678901234567890";
        let sealed = seal(&key, &b(&DB, 7, "alice", "totp"), plain).unwrap();
        assert_eq!(&open(&key, &b(&DB, 7, "alice", "totp"), &sealed).unwrap()[..], plain);
        assert!(!sealed.windows(20).any(|w| w == plain));
        let other_db = [8; DB_ID_LEN];
        for (what, binding) in [
            ("another row", b(&DB, 8, "alice", "totp")),
            ("another name", b(&DB, 7, "alicf", "totp")),
            ("another purpose", b(&DB, 7, "alice", "check")),
            ("another database", b(&other_db, 7, "alice", "totp")),
            ("name and purpose run together", b(&DB, 7, "alicet", "otp")),
        ] {
            assert_eq!(open(&key, &binding, &sealed), Err(CryptoError::Open), "{what}");
        }
        let other = MasterKey::generate().unwrap();
        let bind = b(&DB, 7, "alice", "totp");
        assert_eq!(open(&other, &bind, &sealed), Err(CryptoError::Open), "another key");
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key, &bind, &flipped), Err(CryptoError::Open), "altered");
        assert_eq!(open(&key, &bind, &sealed[..10]), Err(CryptoError::Open), "truncated");
        assert_ne!(
            seal(&key, &bind, b"x").unwrap(),
            seal(&key, &bind, b"x").unwrap(),
            "fresh nonce"
        );
    }

    #[test]
    fn version_1_values_open_only_as_version_1() {
        let key = MasterKey::generate().unwrap();
        let old = seal_v1(&key, 7, "totp", b"secret");
        assert!(is_v1(&old));
        assert_eq!(&open_v1(&key, 7, "totp", &old).unwrap()[..], b"secret");
        assert_eq!(open(&key, &b(&DB, 7, "alice", "totp"), &old), Err(CryptoError::Open));
        let new = seal(&key, &b(&DB, 7, "alice", "totp"), b"secret").unwrap();
        assert!(!is_v1(&new));
        assert_eq!(open_v1(&key, 7, "totp", &new), Err(CryptoError::Open));
    }
}
