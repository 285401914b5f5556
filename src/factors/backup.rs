//! Backup codes: ten one-time codes like `k7wq3-mx9fd`, shown once, stored only as
//! Argon2id hashes.
//!
//! Every user has one random salt, shared by their codes. Checking a candidate
//! therefore costs exactly one Argon2 evaluation — hash it once with the user's salt,
//! then compare that hash against every stored hash in constant time — instead of one
//! evaluation per remaining code. The codes carry 50 random bits each, so a shared salt
//! does not make them guessable: the salt only has to stop precomputation across users.

use argon2::{Algorithm, Argon2, Params, Version};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

pub const CODES_PER_USER: usize = 10;
/// Characters per code, without the dash. 10 × 5 bits = 50 bits.
pub const CODE_CHARS: usize = 10;
pub const SALT_BYTES: usize = 16;
pub const HASH_BYTES: usize = 32;

/// Crockford's base32 alphabet in lower case: no i, l, o or u, so nothing can be
/// misread; on input, i/l are read as 1 and o as 0, as Crockford specifies.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

pub type Hash = [u8; HASH_BYTES];

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the operating system's random number generator failed: {0}")]
    Random(getrandom::Error),
    #[error("hashing a backup code failed: {0}")]
    Hash(argon2::Error),
}

/// OWASP's recommended Argon2id parameters (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, Some(HASH_BYTES)).expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn generate_salt() -> Result<[u8; SALT_BYTES], BackupError> {
    let mut salt = [0u8; SALT_BYTES];
    getrandom::fill(&mut salt).map_err(BackupError::Random)?;
    Ok(salt)
}

/// `n` fresh codes, formatted `xxxxx-xxxxx`.
pub fn generate_codes(n: usize) -> Result<Vec<Zeroizing<String>>, BackupError> {
    (0..n)
        .map(|_| {
            let mut raw = Zeroizing::new([0u8; CODE_CHARS]);
            getrandom::fill(raw.as_mut()).map_err(BackupError::Random)?;
            let mut code = Zeroizing::new(String::with_capacity(CODE_CHARS + 1));
            for (i, b) in raw.iter().enumerate() {
                if i == CODE_CHARS / 2 {
                    code.push('-');
                }
                // 256 is a multiple of 32, so the low five bits are uniform.
                code.push(ALPHABET[usize::from(b & 0x1f)] as char);
            }
            Ok(code)
        })
        .collect()
}

/// The canonical form of something typed as a backup code: case-folded, dashes and
/// spaces removed, look-alikes mapped. `None` if it cannot be a backup code.
pub fn normalize(input: &str) -> Option<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(CODE_CHARS));
    for ch in input.chars() {
        let ch = match ch.to_ascii_lowercase() {
            '-' | ' ' => continue,
            'i' | 'l' => '1',
            'o' => '0',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        if out.len() == CODE_CHARS {
            return None;
        }
        out.push(ch);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// Argon2id with one working memory (19 MiB) reused for every hash it computes, and
/// wiped when dropped: hashing a set of ten costs the memory of one.
pub struct Hasher {
    argon2: Argon2<'static>,
    blocks: Vec<argon2::Block>,
}

impl Hasher {
    pub fn new() -> Hasher {
        let argon2 = argon2();
        let blocks = vec![argon2::Block::default(); argon2.params().block_count()];
        Hasher { argon2, blocks }
    }

    /// Hashes a normalised code with the user's salt.
    pub fn hash(&mut self, salt: &[u8], normalized: &str) -> Result<Hash, BackupError> {
        let mut out = [0u8; HASH_BYTES];
        self.argon2
            .hash_password_into_with_memory(normalized.as_bytes(), salt, &mut out, &mut self.blocks)
            .map_err(BackupError::Hash)?;
        Ok(out)
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}

impl Drop for Hasher {
    fn drop(&mut self) {
        self.blocks.iter_mut().for_each(zeroize::Zeroize::zeroize);
    }
}

/// Hashes a normalised code with the user's salt.
pub fn hash(salt: &[u8], normalized: &str) -> Result<Hash, BackupError> {
    Hasher::new().hash(salt, normalized)
}

/// Hashes a freshly generated set for storage, in one working memory.
pub fn hash_all(salt: &[u8], codes: &[Zeroizing<String>]) -> Result<Vec<Hash>, BackupError> {
    let mut hasher = Hasher::new();
    codes
        .iter()
        .map(|c| {
            let n = normalize(c).expect("generated codes are well-formed");
            hasher.hash(salt, &n)
        })
        .collect()
}

/// A fresh set of codes with its salt and hashes, made before any transaction so
/// that no Argon2 work happens while the database's write lock is held.
pub struct FreshSet {
    pub salt: [u8; SALT_BYTES],
    pub codes: Vec<Zeroizing<String>>,
    pub hashes: Vec<Hash>,
}

impl FreshSet {
    pub fn generate() -> Result<FreshSet, BackupError> {
        let salt = generate_salt()?;
        let codes = generate_codes(CODES_PER_USER)?;
        let hashes = hash_all(&salt, &codes)?;
        Ok(FreshSet { salt, codes, hashes })
    }
}

impl std::fmt::Debug for FreshSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshSet").finish_non_exhaustive()
    }
}

/// Finds which stored hash (by its id) equals `candidate`, comparing against every
/// entry with no early exit so that timing reveals nothing about the position.
pub fn find(candidate: &Hash, stored: &[(i64, Vec<u8>)]) -> Option<i64> {
    let mut found = subtle::Choice::from(0u8);
    let mut id = 0i64;
    for (row_id, h) in stored {
        let eq = candidate.as_slice().ct_eq(h.as_slice());
        id = i64::conditional_select(&id, row_id, eq);
        found |= eq;
    }
    bool::from(found).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_have_the_documented_shape() {
        let codes = generate_codes(CODES_PER_USER).unwrap();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(c.len(), 11, "{}", c.as_str());
            assert_eq!(&c[5..6], "-");
            assert!(
                c.chars()
                    .filter(|&ch| ch != '-')
                    .all(|ch| ALPHABET.contains(&(ch as u8)))
            );
            assert!(!c.contains(['i', 'l', 'o', 'u']));
        }
        let unique: std::collections::HashSet<_> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(unique.len(), 10);
    }

    #[test]
    fn input_is_case_and_dash_insensitive_and_maps_look_alikes() {
        let canonical = normalize("k7wq3-mx9fd").unwrap();
        assert_eq!(canonical.as_str(), "k7wq3mx9fd");
        for typed in ["K7WQ3-MX9FD", "k7wq3mx9fd", " k7wq3 mx9fd ", "K7Wq3-mX9fD"] {
            assert_eq!(normalize(typed).unwrap(), canonical, "{typed}");
        }
        assert_eq!(normalize("10ab0-cdefg").unwrap(), normalize("lOab0-cdefg").unwrap());
        assert_eq!(normalize("1iab0-cdefg").unwrap().as_str(), "11ab0cdefg");
    }

    #[test]
    fn malformed_input_is_not_a_backup_code() {
        for bad in [
            "",
            "k7wq3",
            "k7wq3-mx9fd-x",
            "k7wq3-mx9fu",
            "k7wq3-mx9f!",
            "k7wq3-mx9fé",
            "１２３４５６７８９０",
        ] {
            assert!(normalize(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn a_reused_working_memory_gives_the_same_hashes() {
        let salt = generate_salt().unwrap();
        let mut hasher = Hasher::new();
        let a = hasher.hash(&salt, "k7wq3mx9fd").unwrap();
        let b = hasher.hash(&salt, "0000000000").unwrap();
        assert_eq!(a, hash(&salt, "k7wq3mx9fd").unwrap());
        assert_eq!(b, hash(&salt, "0000000000").unwrap());
        assert_ne!(a, b);
    }

    #[test]
    fn find_matches_exactly_one_stored_hash() {
        let salt = generate_salt().unwrap();
        let codes = generate_codes(3).unwrap();
        let hashes = hash_all(&salt, &codes).unwrap();
        let stored: Vec<(i64, Vec<u8>)> = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| (i as i64 + 7, h.to_vec()))
            .collect();
        for (i, c) in codes.iter().enumerate() {
            let h = hash(&salt, &normalize(c).unwrap()).unwrap();
            assert_eq!(find(&h, &stored), Some(i as i64 + 7));
        }
        let other = hash(&salt, "0000000000").unwrap();
        assert_eq!(find(&other, &stored), None);
        // Another user's salt gives another hash for the same code.
        let foreign = hash(&generate_salt().unwrap(), &normalize(&codes[0]).unwrap()).unwrap();
        assert_eq!(find(&foreign, &stored), None);
    }
}
