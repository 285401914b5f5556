//! Property tests for everything twofa parses from outside: codes, backup codes,
//! names, free text, durations, times, the otpauth URI it writes, sealed values and
//! the audit chain. None may panic; each either parses or gives its typed error.

use crate::actor::{Actor, Via};
use crate::audit::{self, Entry, GENESIS, Record, Walker};
use crate::factors::code::{self, Submitted};
use crate::factors::{backup, otp};
use crate::secrets::crypto;
use crate::text::{duration, names, timefmt};
use proptest::prelude::*;

/// Text that hostile input is made of: digits of every script, spaces, dashes,
/// control and bidi characters, SQL and shell metacharacters, long runs.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 \\-]{0,20}",
        "[0-9a-zA-Z \\-]{0,16}",
        "[\\u{0660}-\\u{0669}\\u{FF10}-\\u{FF19}0-9]{6,8}",
        "[\\x00-\\x1f\\u{202A}-\\u{202E}\\u{2066}-\\u{2069}a-z';\"%_\\\\]{0,40}",
        proptest::collection::vec(any::<char>(), 0..12_000).prop_map(|v| v.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn codes_parse_or_give_a_code_error(input in hostile(), eight in any::<bool>()) {
        let digits = if eight { 8 } else { 6 };
        match code::classify(&input, digits) {
            Ok(Submitted::Totp(c)) => {
                prop_assert_eq!(c.len(), usize::from(digits));
                prop_assert!(c.bytes().all(|b| b.is_ascii_digit()));
            }
            Ok(Submitted::Backup(c)) => {
                prop_assert_eq!(c.len(), backup::CODE_CHARS);
                prop_assert!(c.is_ascii());
            }
            Err(e) => {
                // The message never repeats what was typed (it may be a secret).
                let msg = e.to_string();
                let typed = input.trim();
                prop_assert!(typed.len() < 4 || !msg.contains(typed));
            }
        }
    }

    #[test]
    fn backup_codes_normalise_to_the_canonical_form_or_nothing(input in hostile()) {
        if let Some(n) = backup::normalize(&input) {
            prop_assert_eq!(n.len(), backup::CODE_CHARS);
            let again = backup::normalize(&n).map(|a| a.to_string());
            prop_assert_eq!(again.as_deref(), Some(n.as_str()));
        }
    }

    #[test]
    fn accepted_names_are_safe_to_show(input in hostile()) {
        if names::validate_user(&input).is_ok() {
            prop_assert!(input.len() <= names::MAX_NAME_BYTES);
            prop_assert!(!input.chars().any(|c| c.is_control()));
            prop_assert!(!input.contains(':'));
            let bidi = input.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
            prop_assert!(!bidi);
        }
        if names::validate_text("reason", &input).is_ok() {
            prop_assert!(input.len() <= names::MAX_TEXT_BYTES);
            prop_assert!(!input.chars().any(|c| c.is_control()));
        }
    }

    #[test]
    fn durations_and_times_parse_or_refuse(input in hostile(), now in 0i64..4_000_000_000) {
        if let Ok(secs) = duration::parse(&input) {
            prop_assert!((0..=366 * 86_400).contains(&secs));
            prop_assert_eq!(duration::parse(&duration::format(secs)), Ok(secs));
        }
        let _ = timefmt::parse(&input, now);
    }

    #[test]
    fn the_otpauth_uri_carries_any_valid_name_intact(user in "[a-zA-Z0-9äé€😀@.+/?#&%=_ -]{1,30}", issuer in "[a-zA-Z0-9äé€😀@.+/?#&%=_ -]{1,30}") {
        prop_assume!(names::validate_user(&user).is_ok() && names::validate("issuer", &issuer).is_ok());
        let uri = otp::otpauth_uri(b"12345678901234567890", otp::Params::default(), &issuer, &user);
        let rest = uri.strip_prefix("otpauth://totp/").unwrap();
        let (label, query) = rest.split_once('?').unwrap();
        // Nothing that would end the label or the query early survives unescaped.
        prop_assert!(!label.contains(['/', '?', '#', ' ', '&']));
        let decoded = percent_encoding::percent_decode_str(label).decode_utf8().unwrap();
        prop_assert_eq!(decoded.to_string(), format!("{issuer}:{user}"));
        prop_assert!(query.starts_with("secret="));
    }

    #[test]
    fn sealed_values_open_only_intact(plain in proptest::collection::vec(any::<u8>(), 0..64), owner in any::<i64>(), junk in proptest::collection::vec(any::<u8>(), 0..200), flip in any::<usize>()) {
        let key = crypto::MasterKey::from_bytes(&[7; crypto::KEY_LEN]);
        let b = crypto::Binding { db_id: &[1; crypto::DB_ID_LEN], owner, name: "alice", purpose: "p" };
        let sealed = crypto::seal(&key, &b, &plain).unwrap();
        prop_assert_eq!(&crypto::open(&key, &b, &sealed).unwrap()[..], &plain[..]);
        let mut bad = sealed.clone();
        let i = flip % bad.len();
        bad[i] ^= 0x01;
        prop_assert!(crypto::open(&key, &b, &bad).is_err());
        prop_assert!(crypto::open(&key, &b, &junk).is_err());
    }

    #[test]
    fn any_change_to_any_entry_breaks_the_chain(n in 1usize..8, victim in any::<usize>(), text in "\\PC{0,12}") {
        let actor = Actor::new("root", Via::Os);
        let mut prev = GENESIS;
        let mut log: Vec<Record> = (1..=n as i64).map(|id| {
            let entry = Entry::new(&actor, id * 10, "verify").subject("alice").details(format!("#{id}"));
            let hash = audit::chain(&prev, id, &entry);
            prev = hash;
            Record { id, entry, hash }
        }).collect();
        let v = victim % n;
        let changed = Some(text.clone()) != log[v].entry.reason;
        log[v].entry.reason = Some(text);
        let mut w = Walker::new(GENESIS, Some(0));
        log.iter().for_each(|r| w.next(r));
        prop_assert_eq!(w.broken.map(|b| b.id), changed.then_some(v as i64 + 1));
    }
}
