//! How mail leaves twofa, as the database settings say it: parsed and checked here
//! without touching the network (pure, so settings load the same everywhere).

use super::address::Sender;
use serde::Serialize;
use std::net::IpAddr;

/// The mail settings (`mail_*`); `None` is "not set".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MailSettings {
    /// `smtp://host[:port]` (STARTTLS required beyond loopback) or `smtps://host[:port]`.
    pub smtp_url: Option<String>,
    /// The sender: `addr` or `Name <addr>`.
    pub from: Option<String>,
    /// A private file holding `user:password` for SMTP AUTH.
    pub credentials_file: Option<String>,
    /// A sendmail-compatible command (program and arguments, no shell), message on stdin.
    pub sendmail: Option<String>,
}

impl MailSettings {
    /// Whether a way to send is configured (SMTP or sendmail): only then are
    /// notices queued.
    pub fn configured(&self) -> bool {
        self.smtp_url.is_some() || self.sendmail.is_some()
    }
}

/// How the connection to an SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://` to a host beyond this machine: the server must offer STARTTLS, or
    /// nothing is sent.
    StartTlsRequired,
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// `smtp://` to a loopback address (a local relay): no TLS.
    Plain,
}

/// An SMTP server as `mail_smtp_url` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// Whether `host` (as written in the URL, without brackets) is this machine by its
/// loopback address or the name `localhost`. Decided on the text, never on a DNS
/// answer, so no resolver can turn a remote relay into a "local" plain-text one.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl SmtpUrl {
    pub fn parse(text: &str) -> Result<SmtpUrl, String> {
        const KEY: &str = "mail_smtp_url";
        if text.len() > 512 || text.chars().any(char::is_control) {
            return Err(format!("{KEY} must be one line of at most 512 bytes"));
        }
        let (implicit, rest) = if let Some(r) = text.strip_prefix("smtps://") {
            (true, r)
        } else if let Some(r) = text.strip_prefix("smtp://") {
            (false, r)
        } else {
            return Err(format!(
                "{KEY} must start with smtp:// (STARTTLS; plain only to a loopback address) or smtps:// (TLS), e.g. smtp://relay.example.com:587"
            ));
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('@') {
            return Err(format!(
                "{KEY} must not hold a user name or password; put `user:password` in a private file and name it in mail_credentials_file"
            ));
        }
        if rest.contains(['/', '?', '#']) {
            return Err(format!(
                "{KEY} is a server only (scheme://host:port), without a path or options"
            ));
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("{KEY}: an IPv6 address needs its closing `]`"))?;
            if h.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(format!("{KEY}: `{h}` is not an IPv6 address"));
            }
            match after {
                "" => (h, None),
                p => (
                    h,
                    Some(
                        p.strip_prefix(':')
                            .ok_or_else(|| format!("{KEY}: expected `:PORT` after `]`"))?,
                    ),
                ),
            }
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            }
        };
        if host.is_empty() {
            return Err(format!("{KEY} names no host"));
        }
        let name_ok = host.parse::<IpAddr>().is_ok()
            || (host.len() <= 253
                && host.split('.').all(|l| {
                    !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                }));
        if !name_ok {
            return Err(format!("{KEY}: `{host}` is not a host name or an IP address"));
        }
        let port = match port {
            None => {
                if implicit {
                    465
                } else {
                    587
                }
            }
            Some(p) => match p.parse::<u16>() {
                Ok(p) if p > 0 => p,
                _ => return Err(format!("{KEY}: the port must be a number from 1 to 65535")),
            },
        };
        let security = match (implicit, is_loopback(host)) {
            (true, _) => Security::ImplicitTls,
            (false, true) => Security::Plain,
            (false, false) => Security::StartTlsRequired,
        };
        Ok(SmtpUrl {
            host: host.to_string(),
            port,
            security,
        })
    }
}

/// `mail_sendmail` split into a program and its arguments (on white space; no shell,
/// no quoting). The program must be an absolute path.
pub fn sendmail_argv(text: &str) -> Result<Vec<String>, String> {
    const KEY: &str = "mail_sendmail";
    if text.len() > 1024 || text.chars().any(char::is_control) {
        return Err(format!("{KEY} must be one line of at most 1024 bytes"));
    }
    let argv: Vec<String> = text.split_whitespace().map(String::from).collect();
    match argv.first() {
        None => Err(format!("{KEY} names no command")),
        Some(p) if !p.starts_with('/') => Err(format!(
            "{KEY} must start with the absolute path of the program (e.g. /usr/sbin/sendmail -t), as twofa runs it without a shell or PATH search"
        )),
        Some(_) => Ok(argv),
    }
}

/// Checks a path setting (`mail_credentials_file`): absolute, one line.
pub fn check_path(key: &str, text: &str) -> Result<(), String> {
    if !text.starts_with('/') || text.len() > 4096 || text.chars().any(char::is_control) {
        return Err(format!("{key} must be an absolute path"));
    }
    Ok(())
}

impl MailSettings {
    /// Sets one `mail_*` key from text, validating it; the empty string clears it.
    /// `Ok(false)` when `key` is not a mail key.
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool, String> {
        let v = (!value.is_empty()).then(|| value.to_string());
        match key {
            "mail_smtp_url" => {
                if let Some(v) = &v {
                    SmtpUrl::parse(v)?;
                    if self.sendmail.is_some() {
                        return Err(
                            "mail_sendmail is set: clear it first (set it to \"\"), so that one way of sending is in force"
                                .into(),
                        );
                    }
                }
                self.smtp_url = v;
            }
            "mail_from" => {
                if let Some(v) = &v {
                    Sender::parse(v).map_err(|e| e.to_string())?;
                }
                self.from = v;
            }
            "mail_credentials_file" => {
                if let Some(v) = &v {
                    check_path(key, v)?;
                }
                self.credentials_file = v;
            }
            "mail_sendmail" => {
                if let Some(v) = &v {
                    sendmail_argv(v)?;
                    if self.smtp_url.is_some() {
                        return Err(
                            "mail_smtp_url is set: clear it first (set it to \"\"), so that one way of sending is in force"
                                .into(),
                        );
                    }
                }
                self.sendmail = v;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub fn get(&self, key: &str) -> Option<String> {
        let v = match key {
            "mail_smtp_url" => &self.smtp_url,
            "mail_from" => &self.from,
            "mail_credentials_file" => &self.credentials_file,
            "mail_sendmail" => &self.sendmail,
            _ => return None,
        };
        Some(v.clone().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let u = SmtpUrl::parse("smtp://relay.example.com:587").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.security),
            ("relay.example.com", 587, Security::StartTlsRequired)
        );
        let u = SmtpUrl::parse("smtp://relay.example.com").unwrap();
        assert_eq!((u.port, u.security), (587, Security::StartTlsRequired));
        let u = SmtpUrl::parse("smtps://relay.example.com").unwrap();
        assert_eq!((u.port, u.security), (465, Security::ImplicitTls));
        for local in [
            "smtp://127.0.0.1:2525",
            "smtp://localhost:25",
            "smtp://[::1]:2525",
            "smtp://127.8.9.10:25/",
        ] {
            assert_eq!(SmtpUrl::parse(local).unwrap().security, Security::Plain, "{local}");
        }
        // A name that merely resolves to loopback is not trusted to be local.
        assert_eq!(
            SmtpUrl::parse("smtp://localhost.example.com:25").unwrap().security,
            Security::StartTlsRequired
        );
        assert_eq!(SmtpUrl::parse("smtp://[::1]").unwrap().host, "::1");
        for bad in [
            "relay.example.com:25",
            "http://relay.example.com",
            "smtp://user:pw@relay.example.com",
            "smtp://relay.example.com:0",
            "smtp://relay.example.com:99999",
            "smtp://relay.example.com:25/path",
            "smtp://relay.example.com:25?tls=none",
            "smtp://",
            "smtp://bad host:25",
            "smtp://relay.example.com\r\n:25",
            "smtp://[::1:25",
        ] {
            assert!(SmtpUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(
            SmtpUrl::parse("smtp://u:p@h")
                .unwrap_err()
                .contains("mail_credentials_file")
        );
    }

    #[test]
    fn one_way_of_sending_at_a_time() {
        let mut m = MailSettings::default();
        assert!(m.set("mail_smtp_url", "smtp://127.0.0.1:25").unwrap());
        assert!(m.set("mail_sendmail", "/usr/sbin/sendmail -t").is_err());
        m.set("mail_smtp_url", "").unwrap();
        assert_eq!(m.smtp_url, None);
        m.set("mail_sendmail", "/usr/sbin/sendmail -t").unwrap();
        assert!(m.configured());
        assert!(m.set("mail_sendmail", "sendmail -t").is_err());
        assert!(m.set("mail_credentials_file", "relative/path").is_err());
        assert!(m.set("mail_from", "not an address").is_err());
        assert!(!m.set("issuer", "x").unwrap());
    }
}
