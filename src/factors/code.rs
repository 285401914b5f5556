//! What the user typed, read as each kind of code: a one-time code (6 or 8 digits)
//! or a backup code (ten base32 characters). Which factor a code is checked against
//! is the service's business (it tries the user's factors in order); this module
//! only says whether input fits a factor's format, and why it fits none.

use crate::factors::backup;
use zeroize::Zeroizing;

/// Anything longer is not a code, whatever it is; refuse it before any work.
pub const MAX_INPUT_CHARS: usize = 64;

pub enum Submitted {
    Totp(Zeroizing<String>),
    Backup(Zeroizing<String>),
}

impl std::fmt::Debug for Submitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the code itself.
        f.write_str(match self {
            Submitted::Totp(_) => "Submitted::Totp(..)",
            Submitted::Backup(_) => "Submitted::Backup(..)",
        })
    }
}

/// Why input is not a code. The messages never repeat the input: it may be a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("no code given")]
    Empty,
    #[error("the code is too long to be a code")]
    TooLong,
    #[error("expected a {expected}-digit code, got {got} digits")]
    WrongLength { expected: u8, got: usize },
    #[error("not a code: use the {digits}-digit code from the authenticator app or a backup code like xxxxx-xxxxx")]
    Malformed { digits: u8 },
}

/// `input` as a one-time code of `digits` digits (spaces and dashes dropped), if it is one.
pub fn as_otp(input: &str, digits: u8) -> Option<Zeroizing<String>> {
    match classify(input, digits) {
        Ok(Submitted::Totp(c)) => Some(c),
        _ => None,
    }
}

/// `input` as a backup code (normalised), if it is one.
pub fn as_backup(input: &str) -> Option<Zeroizing<String>> {
    match classify(input, 6) {
        Ok(Submitted::Backup(c)) => Some(c),
        _ => None,
    }
}

/// What `input` is by its format alone; the error says why it is no code at all
/// (for someone whose one-time codes have `digits` digits).
pub fn classify(input: &str, digits: u8) -> Result<Submitted, CodeError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(CodeError::Empty);
    }
    if input.chars().count() > MAX_INPUT_CHARS {
        return Err(CodeError::TooLong);
    }
    // Apps show "123 456"; people type "123-456". Both mean "123456".
    let compact: Zeroizing<String> = Zeroizing::new(input.chars().filter(|c| !matches!(c, ' ' | '-')).collect());
    if compact.is_empty() {
        return Err(CodeError::Empty);
    }
    let all_digits = compact.bytes().all(|b| b.is_ascii_digit());
    if all_digits && compact.len() != backup::CODE_CHARS {
        if compact.len() == usize::from(digits) {
            return Ok(Submitted::Totp(compact));
        }
        return Err(CodeError::WrongLength {
            expected: digits,
            got: compact.len(),
        });
    }
    match backup::normalize(input) {
        Some(code) => Ok(Submitted::Backup(code)),
        None => Err(CodeError::Malformed { digits }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totp(s: &str, d: u8) -> String {
        match classify(s, d) {
            Ok(Submitted::Totp(c)) => c.to_string(),
            other => panic!("{s:?} → {other:?}"),
        }
    }

    #[test]
    fn totp_codes_accept_spaces_and_dashes() {
        assert_eq!(totp("123456", 6), "123456");
        assert_eq!(totp(" 123 456\n", 6), "123456");
        assert_eq!(totp("123-456", 6), "123456");
        assert_eq!(totp("1234 5678", 8), "12345678");
    }

    #[test]
    fn backup_codes_are_recognised_by_format() {
        assert!(matches!(classify("k7wq3-mx9fd", 6), Ok(Submitted::Backup(_))));
        assert!(matches!(classify("K7WQ3MX9FD", 8), Ok(Submitted::Backup(_))));
        // Ten digits cannot be a TOTP code, but can be a backup code.
        assert!(matches!(classify("12345-67890", 6), Ok(Submitted::Backup(_))));
    }

    #[test]
    fn bad_input_gets_a_specific_error() {
        assert_eq!(classify("", 6).unwrap_err(), CodeError::Empty);
        assert_eq!(classify("  -  ", 6).unwrap_err(), CodeError::Empty);
        assert_eq!(
            classify("12345", 6).unwrap_err(),
            CodeError::WrongLength { expected: 6, got: 5 }
        );
        assert_eq!(
            classify("123456", 8).unwrap_err(),
            CodeError::WrongLength { expected: 8, got: 6 }
        );
        assert_eq!(
            classify("１２３４５６", 6).unwrap_err(),
            CodeError::Malformed { digits: 6 }
        );
        assert_eq!(classify("12345a", 6).unwrap_err(), CodeError::Malformed { digits: 6 });
        assert_eq!(classify(&"1".repeat(10_000), 6).unwrap_err(), CodeError::TooLong);
    }

    #[test]
    fn errors_never_echo_the_input() {
        for input in ["98765", "k7wq3-mx9f!", "secretish-input-123"] {
            let msg = classify(input, 6).unwrap_err().to_string();
            assert!(!msg.contains(input), "{msg}");
        }
    }
}
