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
}
