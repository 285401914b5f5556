//! Settings stored in the database, so every invocation against one database applies
//! the same policy (a caller cannot loosen the lockout with a flag).

use crate::factors::lockout::Policy;
use crate::text::names;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Default issuer shown in authenticator apps.
    pub issuer: String,
    /// Time steps accepted on either side of the current one.
    pub skew: u32,
    pub lockout: Policy,
    /// `audit prune` never removes entries younger than this (seconds).
    pub audit_min_retention: i64,
    /// Email codes: digits, lifetime, resend limits.
    pub email: crate::factors::email::Policy,
    /// Whether a user may hold several factors (an authenticator app and email codes)
    /// at once; off, each user has one.
    pub allow_multiple_factors: bool,
    /// How mail is sent (`mail_*`); unset, nothing is queued or sent.
    pub mail: crate::mail::MailSettings,
}

/// The default minimum retention of the audit log: 90 days.
pub const AUDIT_MIN_RETENTION: i64 = 90 * 86_400;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            issuer: "twofa".into(),
            skew: 1,
            lockout: Policy::default(),
            audit_min_retention: AUDIT_MIN_RETENTION,
            email: crate::factors::email::Policy::default(),
            allow_multiple_factors: false,
            mail: Default::default(),
        }
    }
}

pub struct Key {
    pub name: &'static str,
    pub help: &'static str,
}

pub const KEYS: &[Key] = &[
    Key {
        name: "issuer",
        help: "issuer name shown in authenticator apps for new enrollments",
    },
    Key {
        name: "skew",
        help: "time steps accepted before and after the current one (0-3)",
    },
    Key {
        name: "max_failures",
        help: "consecutive failures before a lockout (1-100)",
    },
    Key {
        name: "lockout_seconds",
        help: "length of the first lockout; each further one doubles (1-86400)",
    },
    Key {
        name: "lockout_max_seconds",
        help: "longest lockout (1-604800)",
    },
    Key {
        name: "audit_min_retention",
        help: "audit prune never removes entries younger than this (1d to 100y, e.g. 90d)",
    },
    Key {
        name: "email_code_digits",
        help: "digits of an email code (6-8)",
    },
    Key {
        name: "email_code_ttl",
        help: "how long an email code stays valid (1m to 1h, e.g. 5m)",
    },
    Key {
        name: "email_send_interval",
        help: "shortest time between two codes sent to one user (0s to 1h, e.g. 60s)",
    },
    Key {
        name: "email_sends_per_hour",
        help: "codes sent to one user per hour at most (1-100)",
    },
    Key {
        name: "allow_multiple_factors",
        help: "whether a user may hold an authenticator app and email codes at once (on/off)",
    },
    Key {
        name: "mail_smtp_url",
        help: "SMTP server: smtp://host:587 (STARTTLS required; plain only to a loopback address) or smtps://host:465; \"\" clears",
    },
    Key {
        name: "mail_from",
        help: "sender of notices: addr@example.com or Name <addr@example.com>",
    },
    Key {
        name: "mail_credentials_file",
        help: "absolute path of a private file (mode 0600) holding user:password for SMTP AUTH",
    },
    Key {
        name: "mail_sendmail",
        help: "instead of SMTP: a sendmail-compatible command, e.g. /usr/sbin/sendmail -t (message on stdin)",
    },
];

fn parse_in<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
    key: &str,
    value: &str,
    lo: T,
    hi: T,
) -> Result<T, String> {
    match value.trim().parse::<T>() {
        Ok(v) if v >= lo && v <= hi => Ok(v),
        _ => Err(format!("{key} must be a whole number from {lo} to {hi}")),
    }
}

/// A duration (`90s`, `5m`, …) from `lo` to `hi` seconds.
fn duration_in(key: &str, value: &str, lo: i64, hi: i64) -> Result<i64, String> {
    let secs = crate::text::duration::parse(value).map_err(|e| format!("{key}: {e}"))?;
    if !(lo..=hi).contains(&secs) {
        return Err(format!(
            "{key} must be from {} to {}",
            crate::text::duration::format(lo),
            crate::text::duration::format(hi)
        ));
    }
    Ok(secs)
}

impl Settings {
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "issuer" => self.issuer.clone(),
            "skew" => self.skew.to_string(),
            "max_failures" => self.lockout.max_failures.to_string(),
            "lockout_seconds" => self.lockout.base_secs.to_string(),
            "lockout_max_seconds" => self.lockout.max_secs.to_string(),
            "audit_min_retention" => crate::text::duration::format(self.audit_min_retention),
            "email_code_digits" => self.email.digits.to_string(),
            "email_code_ttl" => crate::text::duration::format(self.email.ttl_secs),
            "email_send_interval" => crate::text::duration::format(self.email.min_interval_secs),
            "email_sends_per_hour" => self.email.per_hour.to_string(),
            "allow_multiple_factors" => if self.allow_multiple_factors { "on" } else { "off" }.into(),
            k if k.starts_with("mail_") => return self.mail.get(k),
            _ => return None,
        })
    }

    /// `Err` with the list of known settings when `key` is not one.
    pub fn check_key(key: &str) -> Result<(), String> {
        if KEYS.iter().any(|k| k.name == key) {
            return Ok(());
        }
        let known: Vec<_> = KEYS.iter().map(|k| k.name).collect();
        Err(format!(
            "unknown setting `{}`; known settings: {}",
            key.escape_debug(),
            known.join(", ")
        ))
    }

    /// Sets one key from text, validating it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            "issuer" => {
                names::validate("issuer", value).map_err(|e| e.to_string())?;
                self.issuer = value.to_string();
            }
            "skew" => self.skew = parse_in(key, value, 0, 3)?,
            "max_failures" => self.lockout.max_failures = parse_in(key, value, 1, 100)?,
            "lockout_seconds" => self.lockout.base_secs = parse_in(key, value, 1, 86_400)?,
            "lockout_max_seconds" => self.lockout.max_secs = parse_in(key, value, 1, 604_800)?,
            "audit_min_retention" => {
                let secs = crate::text::duration::parse(value).map_err(|e| format!("{key}: {e}"))?;
                if !(86_400..=100 * 365 * 86_400).contains(&secs) {
                    return Err(format!("{key} must be from 1d to 100y"));
                }
                self.audit_min_retention = secs;
            }
            "email_code_digits" => self.email.digits = parse_in(key, value, 6, 8)?,
            "email_code_ttl" => self.email.ttl_secs = duration_in(key, value, 60, 3600)?,
            "email_send_interval" => self.email.min_interval_secs = duration_in(key, value, 0, 3600)?,
            "email_sends_per_hour" => self.email.per_hour = parse_in(key, value, 1, 100)?,
            "allow_multiple_factors" => {
                self.allow_multiple_factors = match value.trim() {
                    "on" | "true" | "yes" => true,
                    "off" | "false" | "no" => false,
                    _ => return Err(format!("{key} must be on or off")),
                }
            }
            k if k.starts_with("mail_") => {
                if !self.mail.set(k, value)? {
                    return Settings::check_key(key);
                }
            }
            _ => return Settings::check_key(key),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips() {
        let mut s = Settings::default();
        for key in KEYS {
            let v = s.get(key.name).expect(key.name);
            s.set(key.name, &v).unwrap();
        }
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn values_are_validated() {
        let mut s = Settings::default();
        assert!(s.set("skew", "9").is_err());
        assert!(s.set("skew", "-1").is_err());
        assert!(s.set("max_failures", "0").is_err());
        assert!(s.set("issuer", "a:b").is_err());
        assert!(s.set("nope", "1").unwrap_err().contains("known settings"));
        assert!(s.set("audit_min_retention", "1h").is_err());
        assert!(s.set("audit_min_retention", "soon").is_err());
        s.set("audit_min_retention", "30d").unwrap();
        assert_eq!(s.audit_min_retention, 30 * 86_400);
        s.set("max_failures", "3").unwrap();
        assert_eq!(s.lockout.max_failures, 3);
        assert!(s.set("email_code_digits", "5").is_err());
        assert!(s.set("email_code_ttl", "2h").is_err());
        assert!(s.set("allow_multiple_factors", "maybe").is_err());
        s.set("email_code_ttl", "10m").unwrap();
        assert_eq!(s.email.ttl_secs, 600);
    }
}
