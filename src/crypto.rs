//! Sealing TOTP secrets at rest: XChaCha20-Poly1305 under a 256-bit master key kept
//! outside the database. The associated data binds each sealed secret to its user
//! and purpose, so a sealed secret copied onto another row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// The first byte of every sealed value: the format, so it can change later.
const VERSION: u8 = 1;

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

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&(*self.0).into())
    }
}

/// What a sealed value is bound to.
fn aad(owner: i64, purpose: &str) -> Vec<u8> {
    let mut a = b"twofa-seal-v1\0".to_vec();
    a.extend_from_slice(&owner.to_be_bytes());
    a.extend_from_slice(purpose.as_bytes());
    a
}

/// Seals `plain` for (`owner`, `purpose`): version ‖ random nonce ‖ ciphertext+tag.
pub fn seal(key: &MasterKey, owner: i64, purpose: &str, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| CryptoError::Random)?;
    let ct = key
        .cipher()
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plain,
                aad: &aad(owner, purpose),
            },
        )
        .map_err(|_| CryptoError::Open)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

pub fn open(key: &MasterKey, owner: i64, purpose: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != VERSION {
        return Err(CryptoError::Open);
    }
    let nonce: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN].try_into().map_err(|_| CryptoError::Open)?;
    key.cipher()
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad: &aad(owner, purpose),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_only_for_the_same_owner_purpose_and_key() {
        let key = MasterKey::generate().unwrap();
        let sealed = seal(&key, 7, "totp", b"12345678901234567890").unwrap();
        assert_eq!(&open(&key, 7, "totp", &sealed).unwrap()[..], b"12345678901234567890");
        assert!(!sealed.windows(20).any(|w| w == b"12345678901234567890"));
        assert_eq!(open(&key, 8, "totp", &sealed), Err(CryptoError::Open), "another row");
        assert_eq!(
            open(&key, 7, "check", &sealed),
            Err(CryptoError::Open),
            "another purpose"
        );
        let other = MasterKey::generate().unwrap();
        assert_eq!(open(&other, 7, "totp", &sealed), Err(CryptoError::Open), "another key");
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key, 7, "totp", &flipped), Err(CryptoError::Open), "altered");
        assert_eq!(
            open(&key, 7, "totp", &sealed[..10]),
            Err(CryptoError::Open),
            "truncated"
        );
        assert_ne!(
            seal(&key, 7, "totp", b"x").unwrap(),
            seal(&key, 7, "totp", b"x").unwrap(),
            "fresh nonce"
        );
    }
}
