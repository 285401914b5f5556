//! One-time codes sent by email: a fallback factor for people without an
//! authenticator app. A code is random digits, stored only as an HMAC under a key
//! derived from the master key (a copy of the database reveals nothing usable),
//! compared in constant time, valid for a short time, spent once, and burned after
//! a few wrong tries. Pure: the store keeps the digest, the service the bookkeeping.

use crate::clock::Timestamp;
use hmac::{KeyInit, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The digest a code is stored as.
pub type Digest = [u8; 32];

/// What the settings say about email codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    /// Digits per code (6–8).
    pub digits: u8,
    /// How long a code stays valid, in seconds.
    pub ttl_secs: i64,
    /// Wrong tries after which the code is burned.
    pub max_tries: u32,
    /// The shortest time between two sends to one user, in seconds.
    pub min_interval_secs: i64,
    /// At most this many sends to one user per hour.
    pub per_hour: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            digits: 6,
            ttl_secs: 300,
            max_tries: 5,
            min_interval_secs: 60,
            per_hour: 10,
        }
    }
}

/// A fresh code of `digits` digits, uniformly random.
pub fn generate(digits: u8) -> Result<Zeroizing<String>, getrandom::Error> {
    let mut code = Zeroizing::new(String::with_capacity(usize::from(digits)));
    while code.len() < usize::from(digits) {
        let mut b = Zeroizing::new([0u8; 16]);
        getrandom::fill(&mut b[..])?;
        // Rejection sampling: 250 is the largest multiple of 10 that fits in a byte.
        for &x in b.iter().filter(|&&x| x < 250) {
            if code.len() < usize::from(digits) {
                code.push(char::from(b'0' + x % 10));
            }
        }
    }
    Ok(code)
}

/// The stored form of `code`, sent to `user_id` for factor `factor_id` at `issued_at`:
/// the same digits for another user, factor or send give another digest.
pub fn digest(key: &[u8; 32], user_id: i64, factor_id: i64, issued_at: Timestamp, code: &str) -> Digest {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"twofa email code\0");
    mac.update(&user_id.to_be_bytes());
    mac.update(&factor_id.to_be_bytes());
    mac.update(&issued_at.to_be_bytes());
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Whether two digests are equal, in time independent of where they differ.
pub fn matches(stored: &[u8], candidate: &Digest) -> bool {
    stored.ct_eq(candidate.as_slice()).into()
}

/// Why a send is refused now: the seconds to wait.
pub fn wait_before_send(policy: &Policy, sends: &[Timestamp], now: Timestamp) -> Option<i64> {
    let last = sends.iter().copied().max();
    let mut wait = last.map_or(0, |l| l + policy.min_interval_secs - now);
    let in_hour: Vec<Timestamp> = sends.iter().copied().filter(|&t| t > now - 3600).collect();
    if in_hour.len() >= policy.per_hour as usize {
        // The oldest send of the hour must age out first.
        let mut sorted = in_hour;
        sorted.sort_unstable();
        let oldest_that_counts = sorted[sorted.len() - policy.per_hour as usize];
        wait = wait.max(oldest_that_counts + 3600 - now);
    }
    (wait > 0).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_digits_asked_for_and_vary() {
        for digits in 6..=8 {
            let a = generate(digits).unwrap();
            assert_eq!(a.len(), usize::from(digits));
            assert!(a.bytes().all(|b| b.is_ascii_digit()));
        }
        let many: std::collections::HashSet<String> = (0..50).map(|_| generate(8).unwrap().to_string()).collect();
        assert!(many.len() > 45, "codes repeat: {}", many.len());
    }

    #[test]
    fn every_digit_is_about_equally_likely() {
        let mut counts = [0u32; 10];
        for _ in 0..2000 {
            for b in generate(8).unwrap().bytes() {
                counts[usize::from(b - b'0')] += 1;
            }
        }
        // 16000 digits: 1600 expected each; a biased generator (x % 10 over 0..=255)
        // would still pass this loosely, so the bound is a sanity check only.
        assert!(counts.iter().all(|&c| (1300..1900).contains(&c)), "{counts:?}");
    }

    #[test]
    fn a_digest_binds_key_user_factor_time_and_code() {
        let k = [7u8; 32];
        let d = digest(&k, 1, 2, 100, "123456");
        assert!(matches(&d, &digest(&k, 1, 2, 100, "123456")));
        for other in [
            digest(&[8u8; 32], 1, 2, 100, "123456"),
            digest(&k, 9, 2, 100, "123456"),
            digest(&k, 1, 9, 100, "123456"),
            digest(&k, 1, 2, 101, "123456"),
            digest(&k, 1, 2, 100, "123457"),
        ] {
            assert!(!matches(&d, &other));
        }
        assert!(!matches(&d[..31], &d), "a truncated digest never matches");
    }

    #[test]
    fn sends_are_spaced_and_capped_per_hour() {
        let p = Policy::default();
        assert_eq!(wait_before_send(&p, &[], 1000), None);
        assert_eq!(wait_before_send(&p, &[990], 1000), Some(50));
        assert_eq!(wait_before_send(&p, &[940], 1000), None);
        // Ten sends in the hour: the eleventh waits until the first is an hour old.
        let sends: Vec<Timestamp> = (0..10).map(|i| 10_000 + i * 120).collect();
        let now = 10_000 + 9 * 120 + 60;
        assert_eq!(wait_before_send(&p, &sends, now), Some(10_000 + 3600 - now));
        assert_eq!(wait_before_send(&p, &sends, 10_000 + 3600), None);
    }
}
