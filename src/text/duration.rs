//! Durations as people type them: `0`, `90s`, `30m`, `48h`, `7d`, `2w`.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{}` is not a duration; use e.g. 0, 30m, 48h, 7d or 2w", .0.escape_debug())]
pub struct DurationError(pub String);

/// The longest grace period accepted: a year.
pub const MAX_SECS: i64 = 366 * 86_400;

/// Seconds in `text`. A bare number is seconds.
pub fn parse(text: &str) -> Result<i64, DurationError> {
    let err = || DurationError(text.chars().take(32).collect());
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    if num.is_empty() || num.len() > 9 {
        return Err(err());
    }
    let n: i64 = num.parse().map_err(|_| err())?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(err()),
    };
    let secs = n.checked_mul(scale).ok_or_else(err)?;
    if secs > MAX_SECS {
        return Err(err());
    }
    Ok(secs)
}

/// The shortest exact spelling in days, hours, minutes or seconds: 172800 → "2d",
/// 604800 → "7d" (as people type a grace period; weeks are read, not written).
pub fn format(secs: i64) -> String {
    for (unit, scale) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if secs != 0 && secs % scale == 0 {
            return format!("{}{unit}", secs / scale);
        }
    }
    if secs == 0 { "0".into() } else { format!("{secs}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("90"), Ok(90));
        assert_eq!(parse("90s"), Ok(90));
        assert_eq!(parse("30m"), Ok(1800));
        assert_eq!(parse("48h"), Ok(172_800));
        assert_eq!(parse("7d"), Ok(604_800));
        assert_eq!(parse("2w"), Ok(1_209_600));
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "h",
            "-1d",
            "1.5d",
            "7 days",
            "1y",
            "99999999999d",
            "400d",
            "٣d",
            "1d2h",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in [0, 45, 1800, 172_800, 604_800, 90_061] {
            assert_eq!(parse(&format(s)), Ok(s));
        }
        assert_eq!(format(172_800), "2d");
    }
}
