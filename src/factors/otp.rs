//! TOTP (RFC 6238) on top of HOTP (RFC 4226), via totp-rs, plus the parts an
//! authentication server adds: a skew window, replay refusal and the otpauth URI.

use crate::clock::Timestamp;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use subtle::ConstantTimeEq;
use totp_rs::{Builder, Secret};
use zeroize::Zeroizing;

/// RFC 4226 recommends 160-bit shared secrets.
pub const SECRET_BYTES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "SHA1" => Some(Algorithm::Sha1),
            "SHA256" => Some(Algorithm::Sha256),
            "SHA512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

/// The parameters an authenticator app must be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Params {
    pub algorithm: Algorithm,
    pub digits: u8,
    /// Seconds per time step.
    pub period: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
        }
    }
}

pub const PERIOD_RANGE: std::ops::RangeInclusive<u32> = 10..=300;

impl Params {
    pub fn validate(&self) -> Result<(), String> {
        if !matches!(self.digits, 6 | 8) {
            return Err(format!("digits must be 6 or 8, not {}", self.digits));
        }
        if !PERIOD_RANGE.contains(&self.period) {
            return Err(format!(
                "period must be between {} and {} seconds, not {}",
                PERIOD_RANGE.start(),
                PERIOD_RANGE.end(),
                self.period
            ));
        }
        Ok(())
    }

    /// The time step a moment falls in.
    pub fn step_at(&self, now: Timestamp) -> i64 {
        now.div_euclid(i64::from(self.period))
    }
}

/// A fresh secret from the operating system's CSPRNG.
pub fn generate_secret() -> Result<Zeroizing<Vec<u8>>, getrandom::Error> {
    let mut bytes = Zeroizing::new(vec![0u8; SECRET_BYTES]);
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// Base32 (RFC 4648) without padding, as authenticator apps expect.
pub fn secret_base32(secret: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(Secret::from(secret).to_base32())
}

/// Base32 in groups of four for typing by hand ("ABCD EFGH …").
pub fn secret_grouped(secret: &[u8]) -> Zeroizing<String> {
    let b32 = secret_base32(secret);
    let mut out = Zeroizing::new(String::with_capacity(b32.len() * 5 / 4));
    for (i, ch) in b32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The HOTP value (RFC 4226) for one counter.
pub fn hotp(secret: &[u8], algorithm: Algorithm, digits: u8, counter: u64) -> Zeroizing<String> {
    // totp-rs computes HOTP(counter = time / step); with a step of one second the
    // "time" is the counter itself. build_noncompliant: the RFC test keys and our own
    // stored secrets are validated elsewhere, and digits are 6 or 8 by construction.
    let totp = Builder::new()
        .with_algorithm(algorithm.to_totp_rs())
        .with_digits(digits)
        .with_step_duration(1)
        .with_secret(secret)
        .build_noncompliant();
    Zeroizing::new(totp.generate(counter).to_string())
}

/// The TOTP value (RFC 6238) of one time step.
pub fn code_for_step(secret: &[u8], params: Params, step: i64) -> Zeroizing<String> {
    hotp(
        secret,
        params.algorithm,
        params.digits,
        u64::try_from(step).unwrap_or(0),
    )
}

/// The TOTP value at a moment.
pub fn code_at(secret: &[u8], params: Params, now: Timestamp) -> Zeroizing<String> {
    code_for_step(secret, params, params.step_at(now))
}

/// A code that was accepted: its time step and how far that was from "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub step: i64,
    /// −1: the authenticator's clock is behind; +1: ahead.
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// No step in the window produces this code.
    Wrong,
    /// The code belongs to a step at or before the last accepted one.
    Reused,
}

/// Checks `code` (already normalised to `params.digits` ASCII digits) against the steps
/// `now ± skew`. Steps at or before `last_step` are refused as replays (RFC 6238 §5.2).
/// Every step in the window is computed and compared in constant time, so the work
/// done does not depend on which step (if any) matched.
pub fn verify(
    secret: &[u8],
    params: Params,
    code: &str,
    now: Timestamp,
    skew: u32,
    last_step: Option<i64>,
) -> Result<Match, Rejection> {
    let current = params.step_at(now);
    let skew = i64::from(skew);
    let mut accepted: Option<Match> = None;
    let mut replayed = false;
    for offset in -skew..=skew {
        let step = current + offset;
        if step < 0 {
            continue;
        }
        let expected = code_for_step(secret, params, step);
        let equal: bool = expected.as_bytes().ct_eq(code.as_bytes()).into();
        if !equal {
            continue;
        }
        if last_step.is_some_and(|last| step <= last) {
            replayed = true;
        } else if accepted.is_none() {
            accepted = Some(Match { step, offset });
        }
    }
    match (accepted, replayed) {
        (Some(m), _) => Ok(m),
        (None, true) => Err(Rejection::Reused),
        (None, false) => Err(Rejection::Wrong),
    }
}

/// Characters escaped in an otpauth label or parameter: everything but RFC 3986
/// "unreserved". Spaces become %20 (not '+'), which every authenticator app accepts.
const URI_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The Key URI Format: `otpauth://totp/Issuer:account?secret=…&issuer=…`, with
/// `algorithm`, `digits` and `period` only when they differ from the defaults
/// (some apps mishandle parameters they do not expect).
pub fn otpauth_uri(secret: &[u8], params: Params, issuer: &str, account: &str) -> Zeroizing<String> {
    let issuer_enc = utf8_percent_encode(issuer, URI_ESCAPE).to_string();
    let account_enc = utf8_percent_encode(account, URI_ESCAPE).to_string();
    let defaults = Params::default();
    let mut extra = String::new();
    if params.algorithm != defaults.algorithm {
        extra.push_str("&algorithm=");
        extra.push_str(params.algorithm.as_str());
    }
    if params.digits != defaults.digits {
        extra.push_str(&format!("&digits={}", params.digits));
    }
    if params.period != defaults.period {
        extra.push_str(&format!("&period={}", params.period));
    }
    let b32 = secret_base32(secret);
    let parts = [
        "otpauth://totp/",
        &issuer_enc,
        ":",
        &account_enc,
        "?secret=",
        b32.as_str(),
        "&issuer=",
        &issuer_enc,
        &extra,
    ];
    // Allocated once at its final size: a string that grows leaves its old allocation,
    // secret included, behind unwiped.
    let mut uri = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        uri.push_str(part);
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED20: &[u8] = b"12345678901234567890";
    const SEED32: &[u8] = b"12345678901234567890123456789012";
    const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn rfc4226_appendix_d_hotp_vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(
                hotp(SEED20, Algorithm::Sha1, 6, counter as u64).as_str(),
                *want,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc6238_appendix_b_totp_vectors() {
        // (time, SHA1, SHA256, SHA512), 8 digits, 30 s steps, each algorithm with its own seed.
        let rows: [(i64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (t, sha1, sha256, sha512) in rows {
            let p = |algorithm| Params {
                algorithm,
                digits: 8,
                period: 30,
            };
            assert_eq!(code_at(SEED20, p(Algorithm::Sha1), t).as_str(), sha1, "SHA1 at {t}");
            assert_eq!(
                code_at(SEED32, p(Algorithm::Sha256), t).as_str(),
                sha256,
                "SHA256 at {t}"
            );
            assert_eq!(
                code_at(SEED64, p(Algorithm::Sha512), t).as_str(),
                sha512,
                "SHA512 at {t}"
            );
        }
    }

    #[test]
    fn window_accepts_previous_current_and_next_step_only() {
        let p = Params::default();
        let now = 1_000_000_005; // step 33_333_333, 5 s into it
        let step = p.step_at(now);
        for offset in -1..=1 {
            let code = code_for_step(SEED20, p, step + offset);
            assert_eq!(
                verify(SEED20, p, &code, now, 1, None),
                Ok(Match {
                    step: step + offset,
                    offset
                })
            );
        }
        for offset in [-2, 2] {
            let code = code_for_step(SEED20, p, step + offset);
            assert_eq!(
                verify(SEED20, p, &code, now, 1, None),
                Err(Rejection::Wrong),
                "offset {offset}"
            );
        }
        // With no skew only the current step is accepted.
        let prev = code_for_step(SEED20, p, step - 1);
        assert_eq!(verify(SEED20, p, &prev, now, 0, None), Err(Rejection::Wrong));
    }

    #[test]
    fn window_edges_follow_the_step_boundary() {
        let p = Params::default();
        let boundary = 1_000_000_020; // first second of step 33_333_334
        let last_of_prev = boundary - 1;
        let code_two_back = code_for_step(SEED20, p, p.step_at(boundary) - 2);
        // One second before the boundary the code is from the previous step: accepted…
        assert!(verify(SEED20, p, &code_two_back, last_of_prev, 1, None).is_ok());
        // …and at the boundary it is two steps old: refused.
        assert_eq!(
            verify(SEED20, p, &code_two_back, boundary, 1, None),
            Err(Rejection::Wrong)
        );
    }

    #[test]
    fn steps_at_or_before_the_last_accepted_are_replays() {
        let p = Params::default();
        let now = 1_000_000_005;
        let step = p.step_at(now);
        let code = code_for_step(SEED20, p, step);
        assert_eq!(verify(SEED20, p, &code, now, 1, Some(step)), Err(Rejection::Reused));
        assert_eq!(verify(SEED20, p, &code, now, 1, Some(step + 1)), Err(Rejection::Reused));
        assert!(verify(SEED20, p, &code, now, 1, Some(step - 1)).is_ok());
        // A wrong code stays "wrong" whatever was used before.
        assert_eq!(
            verify(SEED20, p, "000000", now, 1, Some(step))
                .err()
                .filter(|r| *r == Rejection::Reused),
            None
        );
    }

    #[test]
    fn uri_follows_key_uri_format() {
        let uri = otpauth_uri(SEED20, Params::default(), "Acme Co", "alice@example.com");
        assert_eq!(
            uri.as_str(),
            "otpauth://totp/Acme%20Co:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Co"
        );
        let p = Params {
            algorithm: Algorithm::Sha512,
            digits: 8,
            period: 60,
        };
        let uri = otpauth_uri(SEED20, p, "twofa", "bob");
        assert_eq!(uri.capacity(), uri.len(), "allocated once, at its final size");
        assert!(
            uri.ends_with("&issuer=twofa&algorithm=SHA512&digits=8&period=60"),
            "{}",
            uri.as_str()
        );
    }

    #[test]
    fn secret_is_grouped_by_four_without_padding() {
        assert_eq!(
            secret_grouped(SEED20).as_str(),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        assert_eq!(generate_secret().unwrap().len(), 20);
        assert_ne!(generate_secret().unwrap(), generate_secret().unwrap());
    }
}
