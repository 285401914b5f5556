//! User names as they may be stored and shown: no control or bidi characters (they
//! would let a name rewrite a terminal or a table), no colon (the otpauth label uses
//! it as a separator), at most 256 bytes.

pub const MAX_NAME_BYTES: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("{what} is empty")]
    Empty { what: &'static str },
    #[error("{what} is {len} bytes long; the limit is {limit}")]
    TooLong {
        what: &'static str,
        len: usize,
        limit: usize,
    },
    #[error("{what} contains a control or text-direction character ({found})")]
    Control { what: &'static str, found: String },
    #[error("{what} starts or ends with white space")]
    Whitespace { what: &'static str },
    #[error("{what} contains ':', which authenticator apps use as a separator")]
    Colon { what: &'static str },
}

/// Characters that change how the text around them is displayed.
fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'                 // Arabic letter mark
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}' // zero-width spaces and joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}')
}

/// `text` with every control or direction character shown as `\u{XXXX}`, so that
/// whatever is stored (an entry written by an older version, or an edited row)
/// cannot rewrite the terminal it is shown on.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_invisible_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if is_invisible_control(c) {
                format!("\\u{{{:04X}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Free text kept in the audit log (a reason, a ticket id): one line, shown safely.
pub const MAX_TEXT_BYTES: usize = 1024;

pub fn validate_text(what: &'static str, text: &str) -> Result<(), NameError> {
    check(what, text, MAX_TEXT_BYTES)
}

fn check(what: &'static str, name: &str, limit: usize) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty { what });
    }
    if name.len() > limit {
        return Err(NameError::TooLong {
            what,
            len: name.len(),
            limit,
        });
    }
    if let Some(c) = name.chars().find(|&c| is_invisible_control(c)) {
        return Err(NameError::Control {
            what,
            found: format!("U+{:04X}", u32::from(c)),
        });
    }
    if name.trim() != name {
        return Err(NameError::Whitespace { what });
    }
    Ok(())
}

pub fn validate(what: &'static str, name: &str) -> Result<(), NameError> {
    check(what, name, MAX_NAME_BYTES)?;
    if name.contains(':') {
        return Err(NameError::Colon { what });
    }
    Ok(())
}

pub fn validate_user(name: &str) -> Result<(), NameError> {
    validate("user name", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for ok in ["alice", "bob.smith@example.com", "Zoë Ådahl", "用户", &"a".repeat(256)] {
            assert_eq!(validate_user(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn printable_escapes_controls_and_direction_marks() {
        assert_eq!(printable("alice"), "alice");
        assert_eq!(
            printable("a\x1b[31mb\nc\u{202E}d"),
            "a\\u{001B}[31mb\\u{000A}c\\u{202E}d"
        );
    }

    #[test]
    fn dangerous_names_are_refused() {
        assert!(matches!(validate_user(""), Err(NameError::Empty { .. })));
        assert!(matches!(
            validate_user(&"a".repeat(257)),
            Err(NameError::TooLong { len: 257, .. })
        ));
        assert!(matches!(
            validate_user(&"é".repeat(129)),
            Err(NameError::TooLong { len: 258, .. })
        ));
        for bad in [
            "al\nice",
            "al\x1b[31mice",
            "a\tb",
            "\u{202E}ecila",
            "a\u{2066}b",
            "a\u{7f}",
            "a\u{061C}b",
        ] {
            assert!(matches!(validate_user(bad), Err(NameError::Control { .. })), "{bad:?}");
        }
        assert!(matches!(validate_user(" alice"), Err(NameError::Whitespace { .. })));
        assert!(matches!(validate_user("acme:alice"), Err(NameError::Colon { .. })));
    }
}
