//! Timestamps as RFC 3339 text (UTC), the one format used in human and JSON output.

use crate::clock::Timestamp;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn rfc3339(ts: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ts.to_string())
}

/// A point in time as typed: RFC 3339 (`2026-11-22T10:00:00Z`), a UTC date
/// (`2026-11-22`, its midnight), or an age before `now` (`7d`, `12h`, `90m`).
pub fn parse(s: &str, now: Timestamp) -> Result<Timestamp, String> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let date = time::format_description::parse_borrowed::<2>("[year]-[month]-[day]").map_err(|e| e.to_string())?;
    if let Ok(d) = time::Date::parse(s, &date) {
        return Ok(d.midnight().assume_utc().unix_timestamp());
    }
    match crate::text::duration::parse(s) {
        Ok(age) => Ok(now.saturating_sub(age)),
        Err(_) => Err(format!(
            "`{s}` is not a time: use RFC 3339 (2026-11-22T10:00:00Z), a date (2026-11-22) or an age (7d, 12h)"
        )),
    }
}

/// Serde helpers so that structs keep `Timestamp` fields but serialise RFC 3339.
pub mod serde_opt {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match ts {
            Some(ts) => s.serialize_str(&rfc3339(*ts)),
            None => s.serialize_none(),
        }
    }
}

pub mod serde_ts {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&rfc3339(*ts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_111_111_109), "2005-03-18T01:58:29Z");
    }

    #[test]
    fn parses_times_dates_and_ages() {
        let now = 1_800_000_000;
        assert_eq!(parse("2005-03-18T01:58:29Z", now), Ok(1_111_111_109));
        assert_eq!(parse("2005-03-18T02:58:29+01:00", now), Ok(1_111_111_109));
        assert_eq!(parse("1970-01-02", now), Ok(86_400));
        assert_eq!(parse("7d", now), Ok(now - 7 * 86_400));
        assert_eq!(parse("0", now), Ok(now));
        for bad in ["", "yesterday", "2026-13-01", "-5d", "1e9"] {
            assert!(parse(bad, now).is_err(), "{bad:?}");
        }
    }
}
