//! Codes sent by email: random digits, stored only as an HMAC under a key derived
//! from the master key (bound to the database, the user and the moment of issue), and
//! compared in constant time. Pure: the store keeps the HMAC, the service the rules
//! (one code at a time, spent once, burned after too many wrong tries, resend limits).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

pub type Digest = [u8; 32];

/// The key email codes are MACed under, derived from the master key (never stored).
pub fn derive_key(master: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(b"twofa email code key v1");
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// The HMAC of `code` as issued to `user_id` of database `db_id` at `issued_at`.
pub fn mac(key: &[u8; 32], db_id: &[u8], user_id: i64, issued_at: i64, code: &str) -> Digest {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(db_id);
    mac.update(&user_id.to_be_bytes());
    mac.update(&issued_at.to_be_bytes());
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Constant-time comparison of two digests (or a stored one of the wrong length).
pub fn same(a: &Digest, stored: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    stored.len() == a.len() && bool::from(a.as_slice().ct_eq(stored))
}

/// A fresh code of `digits` digits, uniformly random (rejection sampling).
pub fn generate(digits: u8) -> Result<Zeroizing<String>, getrandom::Error> {
    let modulus = 10u64.pow(u32::from(digits));
    // The largest multiple of the modulus that fits: values at or above it are redrawn.
    let limit = u64::MAX - u64::MAX % modulus;
    loop {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b)?;
        let v = u64::from_le_bytes(b);
        if v < limit {
            return Ok(Zeroizing::new(format!(
                "{:0width$}",
                v % modulus,
                width = usize::from(digits)
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_length_and_vary() {
        for d in 6..=8 {
            let c = generate(d).unwrap();
            assert_eq!(c.len(), usize::from(d));
            assert!(c.chars().all(|c| c.is_ascii_digit()));
        }
        let many: std::collections::HashSet<String> = (0..50).map(|_| generate(6).unwrap().to_string()).collect();
        assert!(many.len() > 45);
    }

    #[test]
    fn the_mac_binds_database_user_time_and_code() {
        let key = derive_key(&[7u8; 32]);
        let m = mac(&key, b"db", 1, 100, "123456");
        assert!(same(&m, &m));
        for other in [
            mac(&key, b"db2", 1, 100, "123456"),
            mac(&key, b"db", 2, 100, "123456"),
            mac(&key, b"db", 1, 101, "123456"),
            mac(&key, b"db", 1, 100, "123457"),
            mac(&derive_key(&[8u8; 32]), b"db", 1, 100, "123456"),
        ] {
            assert!(!same(&m, &other));
        }
        assert!(!same(&m, &m[..31]));
    }
}
