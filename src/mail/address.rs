//! Email addresses as twofa accepts them: a plain `local@domain` in ASCII, short
//! enough for SMTP (RFC 5321: 64 octets local part, 254 in all), with nothing that
//! could end a header line or start another (no CR, LF or other control character,
//! no quotes, angle brackets, commas or white space). Refused with a message that
//! says which rule was broken, before anything is stored or queued.

/// The longest address SMTP carries in a path (RFC 5321 §4.5.3.1.3, less the brackets).
pub const MAX_ADDRESS_BYTES: usize = 254;
/// The longest local part (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_BYTES: usize = 64;
/// The longest display name twofa puts in a header.
pub const MAX_NAME_BYTES: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("{what} is empty")]
    Empty { what: &'static str },
    #[error("{what} is {len} bytes long; the limit is {limit}")]
    TooLong {
        what: &'static str,
        len: usize,
        limit: usize,
    },
    #[error("{what} contains a line break or another control character (U+{code:04X}), which could forge mail headers")]
    Control { what: &'static str, code: u32 },
    #[error("{what} `{shown}` is not an address of the form name@example.com: {why}")]
    Malformed {
        what: &'static str,
        shown: String,
        why: &'static str,
    },
}

fn control(what: &'static str, text: &str) -> Result<(), AddressError> {
    match text
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}'))
    {
        Some(c) => Err(AddressError::Control {
            what,
            code: u32::from(c),
        }),
        None => Ok(()),
    }
}

/// Characters allowed in a dot-atom local part besides letters and digits (RFC 5322 atext).
const ATEXT: &str = "!#$%&'*+/=?^_`{|}~-";

/// Checks an address (`what` names it in the message: "email address", "mail_from").
pub fn validate(what: &'static str, addr: &str) -> Result<(), AddressError> {
    if addr.is_empty() {
        return Err(AddressError::Empty { what });
    }
    // Length first: a huge value is refused without being scanned or echoed.
    if addr.len() > MAX_ADDRESS_BYTES {
        return Err(AddressError::TooLong {
            what,
            len: addr.len(),
            limit: MAX_ADDRESS_BYTES,
        });
    }
    control(what, addr)?;
    let bad = |why: &'static str| AddressError::Malformed {
        what,
        shown: addr.to_string(),
        why,
    };
    if !addr.is_ascii() {
        return Err(bad(
            "only ASCII addresses are supported (write the domain in its xn-- form)",
        ));
    }
    let Some((local, domain)) = addr.split_once('@') else {
        return Err(bad("no `@`"));
    };
    if domain.contains('@') {
        return Err(bad("more than one `@`"));
    }
    if local.is_empty() {
        return Err(bad("nothing before the `@`"));
    }
    if local.len() > MAX_LOCAL_BYTES {
        return Err(bad("the part before the `@` is longer than 64 bytes"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad("a dot at the start or end of the name, or two dots in a row"));
    }
    if !local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || ATEXT.contains(c))
    {
        return Err(bad(
            "the part before the `@` may hold letters, digits and . ! # $ % & ' * + / = ? ^ _ ` { | } ~ - only",
        ));
    }
    if domain.is_empty() {
        return Err(bad("no domain after the `@`"));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(bad("an empty part in the domain"));
        }
        if label.len() > 63 {
            return Err(bad("a part of the domain is longer than 63 bytes"));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(bad("the domain may hold letters, digits, dots and hyphens only"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a part of the domain starts or ends with a hyphen"));
        }
    }
    Ok(())
}

/// A display name for a header: one line, bounded, no characters that a header
/// parser treats specially when unquoted (`<`, `>`, `"`).
pub fn validate_name(what: &'static str, name: &str) -> Result<(), AddressError> {
    if name.trim().is_empty() {
        return Err(AddressError::Empty { what });
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(AddressError::TooLong {
            what,
            len: name.len(),
            limit: MAX_NAME_BYTES,
        });
    }
    control(what, name)?;
    if name.contains(['<', '>', '"', '\\']) {
        return Err(AddressError::Malformed {
            what,
            shown: name.to_string(),
            why: "a display name may not contain < > \" or \\",
        });
    }
    Ok(())
}

/// A sender as `mail_from` holds it: `twofa@example.com` or `Twofa <twofa@example.com>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub name: Option<String>,
    pub address: String,
}

impl Sender {
    pub fn parse(text: &str) -> Result<Sender, AddressError> {
        const WHAT: &str = "mail_from";
        if text.len() > MAX_ADDRESS_BYTES + MAX_NAME_BYTES + 3 {
            return Err(AddressError::TooLong {
                what: WHAT,
                len: text.len(),
                limit: MAX_ADDRESS_BYTES + MAX_NAME_BYTES + 3,
            });
        }
        control(WHAT, text)?;
        match text.strip_suffix('>').and_then(|t| t.rsplit_once('<')) {
            Some((name, addr)) => {
                validate(WHAT, addr)?;
                let name = name.trim();
                if name.is_empty() {
                    return Ok(Sender {
                        name: None,
                        address: addr.into(),
                    });
                }
                validate_name(WHAT, name)?;
                Ok(Sender {
                    name: Some(name.into()),
                    address: addr.into(),
                })
            }
            None => {
                validate(WHAT, text)?;
                Ok(Sender {
                    name: None,
                    address: text.into(),
                })
            }
        }
    }

    /// The domain of the address (for the Message-ID).
    pub fn domain(&self) -> &str {
        self.address.rsplit_once('@').map_or("localhost", |(_, d)| d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass() {
        for ok in [
            "alice@example.com",
            "a.b+tag@sub.example.org",
            "o'brien@example.ie",
            "x@localhost",
            &format!("{}@{}.com", "a".repeat(64), "b".repeat(63)),
        ] {
            assert_eq!(validate("email address", ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn injections_and_malformed_addresses_are_refused() {
        for bad in [
            "alice@example.com\r\nBcc: eve@evil.example",
            "alice@example.com\nX: y",
            "alice\r@example.com",
            "alice@exa\u{0}mple.com",
        ] {
            assert!(
                matches!(validate("email address", bad), Err(AddressError::Control { .. })),
                "{bad:?}"
            );
        }
        for bad in [
            "alice",
            "@example.com",
            "alice@",
            "a@b@c",
            "alice smith@example.com",
            "<alice@example.com>",
            "alice@example.com, eve@evil.example",
            "\"alice\"@example.com",
            "alice..x@example.com",
            ".alice@example.com",
            "alice@-example.com",
            "alice@example..com",
            "alice@exa_mple.com",
            "zoë@example.com",
            &format!("{}@example.com", "a".repeat(65)),
        ] {
            assert!(
                matches!(validate("email address", bad), Err(AddressError::Malformed { .. })),
                "{bad:?}: {:?}",
                validate("email address", bad)
            );
        }
        let huge = format!("{}@example.com", "a".repeat(100_000));
        let err = validate("email address", &huge).unwrap_err();
        assert!(matches!(err, AddressError::TooLong { limit: 254, .. }));
        assert!(err.to_string().len() < 100, "a huge address is not echoed");
        assert!(matches!(validate("email address", ""), Err(AddressError::Empty { .. })));
    }

    #[test]
    fn senders_with_and_without_a_name() {
        assert_eq!(
            Sender::parse("Twofa Desk <twofa@example.com>").unwrap(),
            Sender {
                name: Some("Twofa Desk".into()),
                address: "twofa@example.com".into()
            }
        );
        assert_eq!(Sender::parse("twofa@example.com").unwrap().name, None);
        assert_eq!(Sender::parse("twofa@example.com").unwrap().domain(), "example.com");
        assert!(Sender::parse("Twofa\r\nBcc: x@y.z <twofa@example.com>").is_err());
        assert!(Sender::parse("A \"B\" <twofa@example.com>").is_err());
        assert!(Sender::parse("Twofa <not an address>").is_err());
    }
}
