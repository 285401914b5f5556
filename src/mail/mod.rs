//! Mail: where notices and (later) email codes leave twofa. The service queues
//! messages in the store (the outbox) inside the transaction of the change that causes
//! them, and hands them to a [`Mailer`] after the commit; it never names the mail
//! library. [`transport`] builds the mailer the settings describe: SMTP (through
//! lettre, with rustls) or a sendmail-compatible command.
//!
//! Rules: `smtp://` beyond this machine requires STARTTLS, `smtps://` is TLS from the
//! first byte, plain SMTP only to a loopback address; SMTP credentials come from a
//! private file named in the settings, never from argv or the URL.

pub mod address;
pub mod config;
mod transport;

pub use address::{AddressError, Sender};
pub use config::{MailSettings, Security, SmtpUrl};
pub use transport::transport;

use zeroize::Zeroizing;

/// One message, as it is handed to a transport.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The recipient's address (validated).
    pub to: &'a str,
    /// The recipient's name, shown in the To header.
    pub to_name: Option<&'a str>,
    pub subject: &'a str,
    /// Plain text.
    pub body: &'a str,
}

/// Sends messages. Implemented by the SMTP and sendmail transports, and by test doubles.
pub trait Mailer {
    /// Sends one message; returns the server's (or the command's) answer.
    fn send(&self, message: &Outgoing<'_>) -> Result<String, MailError>;
    /// Where mail goes, for messages: `smtp://relay:587 (STARTTLS)`, `/usr/sbin/sendmail -t`.
    fn describe(&self) -> String;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Neither `mail_smtp_url` nor `mail_sendmail` is set.
    #[error("mail is not configured: neither mail_smtp_url nor mail_sendmail is set")]
    NotConfigured,
    #[error("mail_from is not set: mail needs a sender address")]
    NoSender,
    /// A setting that cannot be used as it is (the message says which and why).
    #[error("{0}")]
    Setting(String),
    #[error("mail_credentials_file {path}: {why}")]
    Credentials { path: String, why: String },
    #[error(transparent)]
    Address(#[from] AddressError),
    /// The message was not accepted (the server's or the command's words); trying
    /// again later may work.
    #[error("{0}")]
    Send(String),
    /// The server refused the message for good (an SMTP 5xx answer: no such
    /// mailbox, say): sending it again cannot work.
    #[error("{0}")]
    Rejected(String),
}

impl MailError {
    /// Whether trying again later may work (a server down), as opposed to a setting
    /// or an address that must be fixed first.
    pub fn is_configuration(&self) -> bool {
        !matches!(self, MailError::Send(_) | MailError::Rejected(_))
    }
}

/// SMTP credentials as read from `mail_credentials_file`.
pub struct Credentials {
    pub user: String,
    pub password: Zeroizing<String>,
}

/// Reads `user:password` from `path`, which must be a regular file of the user
/// running twofa that group and others cannot read (like the master key file).
pub fn read_credentials(path: &str) -> Result<Credentials, MailError> {
    let err = |why: String| MailError::Credentials {
        path: path.to_string(),
        why,
    };
    let p = std::path::Path::new(path);
    if !p.exists() {
        return Err(err("no such file".into()));
    }
    crate::secrets::files::check_private(p).map_err(|u| err(format!("{u}; {}", u.fix())))?;
    let meta = std::fs::metadata(p).map_err(|e| err(e.to_string()))?;
    if meta.len() > 4096 {
        return Err(err(
            "longer than 4096 bytes; it should hold one line, user:password".into()
        ));
    }
    let text = Zeroizing::new(std::fs::read_to_string(p).map_err(|e| err(e.to_string()))?);
    let line = text.trim_end_matches(['\n', '\r']);
    match line.split_once(':') {
        Some((user, password)) if !user.is_empty() && !password.is_empty() && !line.contains('\n') => Ok(Credentials {
            user: user.to_string(),
            password: Zeroizing::new(password.to_string()),
        }),
        _ => Err(err("must hold one line, user:password".into())),
    }
}

/// The checks of a mail setting that look at the machine (the credentials file is
/// readable and private, the sendmail program exists), made when it is set; the
/// syntax is checked by [`MailSettings::set`].
pub fn check_setting_on_machine(key: &str, value: &str) -> Result<(), MailError> {
    if value.is_empty() {
        return Ok(());
    }
    match key {
        "mail_credentials_file" => read_credentials(value).map(|_| ()),
        "mail_sendmail" => {
            use std::os::unix::fs::PermissionsExt;
            let argv = config::sendmail_argv(value).map_err(MailError::Setting)?;
            match std::fs::metadata(&argv[0]) {
                Ok(m) if m.is_file() && m.permissions().mode() & 0o111 != 0 => Ok(()),
                Ok(_) => Err(MailError::Setting(format!(
                    "mail_sendmail: {} is not an executable file",
                    argv[0]
                ))),
                Err(e) => Err(MailError::Setting(format!("mail_sendmail: {}: {e}", argv[0]))),
            }
        }
        _ => Ok(()),
    }
}
