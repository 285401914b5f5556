//! The transports: SMTP through lettre (rustls, the system's roots) and a
//! sendmail-compatible command. The only module of twofa that names lettre.

use super::config::{MailSettings, Security, SmtpUrl, sendmail_argv};
use super::{MailError, Mailer, Outgoing, Sender, read_credentials};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, Transport};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// How long one connection or command may take before the send counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The mailer the settings describe; `NotConfigured` when neither way is set.
pub fn transport(settings: &MailSettings) -> Result<Box<dyn Mailer>, MailError> {
    let from = Sender::parse(settings.from.as_deref().ok_or(MailError::NoSender)?)?;
    let from = Mailbox::new(
        from.name.clone(),
        from.address
            .parse::<Address>()
            .map_err(|e| MailError::Setting(format!("mail_from: {e}")))?,
    );
    if let Some(cmd) = &settings.sendmail {
        let argv = sendmail_argv(cmd).map_err(MailError::Setting)?;
        return Ok(Box::new(Sendmail { argv, from }));
    }
    let Some(url) = &settings.smtp_url else {
        return Err(MailError::NotConfigured);
    };
    let parsed = SmtpUrl::parse(url).map_err(MailError::Setting)?;
    let tls = |host: &str| {
        TlsParameters::new(host.to_string()).map_err(|e| MailError::Setting(format!("mail_smtp_url: TLS: {e}")))
    };
    let mut builder = SmtpTransport::builder_dangerous(parsed.host.clone())
        .port(parsed.port)
        .timeout(Some(TIMEOUT))
        .tls(match parsed.security {
            Security::Plain => Tls::None,
            Security::StartTlsRequired => Tls::Required(tls(&parsed.host)?),
            Security::ImplicitTls => Tls::Wrapper(tls(&parsed.host)?),
        });
    if let Some(path) = &settings.credentials_file {
        let c = read_credentials(path)?;
        builder = builder.credentials(Credentials::new(c.user.clone(), c.password.to_string()));
    }
    Ok(Box::new(Smtp {
        transport: builder.build(),
        url: parsed,
        from,
    }))
}

/// The message as it goes on the wire: plain text, UTF-8, a Message-ID of our own
/// (in the sender's domain, not the machine's name).
fn message(from: &Mailbox, m: &Outgoing<'_>) -> Result<Message, MailError> {
    super::address::validate("recipient", m.to)?;
    // A name that cannot be a display name as it is (quotes, angle brackets) is left
    // out rather than holding the message up: the address is what matters.
    let name = m
        .to_name
        .filter(|n| super::address::validate_name("recipient name", n).is_ok());
    let to = Mailbox::new(
        name.map(String::from),
        m.to.parse::<Address>()
            .map_err(|e| MailError::Send(format!("recipient: {e}")))?,
    );
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| MailError::Send(format!("no randomness for a Message-ID: {e}")))?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject)
        .message_id(Some(format!("<{id}@{}>", from.email.domain())))
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.to_string())
        .map_err(|e| MailError::Send(format!("cannot build the message: {e}")))
}

struct Smtp {
    transport: SmtpTransport,
    url: SmtpUrl,
    from: Mailbox,
}

impl Mailer for Smtp {
    fn send(&self, m: &Outgoing<'_>) -> Result<String, MailError> {
        let msg = message(&self.from, m)?;
        match self.transport.send(&msg) {
            Ok(r) => Ok(format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" "))),
            Err(e) => {
                let text = e.to_string();
                let where_ = format!("{}:{}", self.url.host, self.url.port);
                if e.is_permanent() {
                    return Err(MailError::Rejected(format!("{where_}: {text}")));
                }
                Err(MailError::Send(if text.contains("STARTTLS") {
                    format!(
                        "{where_} does not offer STARTTLS, which twofa requires of a server beyond this machine (plain SMTP only to a loopback address); nothing was sent"
                    )
                } else {
                    format!("{where_}: {text}")
                }))
            }
        }
    }

    fn describe(&self) -> String {
        let how = match self.url.security {
            Security::Plain => "plain, loopback",
            Security::StartTlsRequired => "STARTTLS",
            Security::ImplicitTls => "TLS",
        };
        let scheme = if self.url.security == Security::ImplicitTls {
            "smtps"
        } else {
            "smtp"
        };
        let host = if self.url.host.contains(':') {
            format!("[{}]", self.url.host)
        } else {
            self.url.host.clone()
        };
        format!("{scheme}://{host}:{} ({how})", self.url.port)
    }
}

/// A sendmail-compatible command: the message on its standard input. Without `-t`
/// among its arguments, the recipient follows `--` on the command line.
struct Sendmail {
    argv: Vec<String>,
    from: Mailbox,
}

impl Mailer for Sendmail {
    fn send(&self, m: &Outgoing<'_>) -> Result<String, MailError> {
        let bytes = message(&self.from, m)?.formatted();
        let mut cmd = std::process::Command::new(&self.argv[0]);
        cmd.args(&self.argv[1..]);
        if !self.argv.iter().any(|a| a == "-t") {
            cmd.arg("--").arg(m.to);
        }
        let fail = |why: String| MailError::Send(format!("{}: {why}", self.argv[0]));
        let mut child = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| fail(e.to_string()))?;
        let mut stdin = child.stdin.take().expect("piped");
        let written = stdin.write_all(&bytes);
        drop(stdin);
        let started = Instant::now();
        let status = loop {
            match child.try_wait().map_err(|e| fail(e.to_string()))? {
                Some(s) => break s,
                None if started.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(fail(format!("no answer within {}s; stopped", TIMEOUT.as_secs())));
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        let mut said = String::new();
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn Read>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn Read>),
        ]
        .into_iter()
        .flatten()
        {
            let mut buf = String::new();
            let _ = stream.take(4096).read_to_string(&mut buf);
            said.push_str(buf.trim());
        }
        let said: String = said
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        if !status.success() {
            return Err(fail(format!(
                "{status}{}",
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                }
            )));
        }
        written.map_err(|e| fail(format!("could not write the message: {e}")))?;
        Ok(if said.is_empty() {
            "accepted (exit 0)".into()
        } else {
            format!("accepted (exit 0): {said}")
        })
    }

    fn describe(&self) -> String {
        self.argv.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    /// A one-connection SMTP server on loopback that offers no STARTTLS and records
    /// whether it was handed a message.
    fn plain_server() -> (u16, std::thread::JoinHandle<bool>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut out = stream.try_clone().unwrap();
            let mut lines = BufReader::new(stream);
            let _ = out.write_all(b"220 test ESMTP\r\n");
            let mut got_data = false;
            let mut line = String::new();
            while lines.read_line(&mut line).unwrap_or(0) > 0 {
                let cmd = line.trim_end().to_ascii_uppercase();
                let reply: &[u8] = if cmd.starts_with("EHLO") {
                    b"250-test\r\n250 8BITMIME\r\n"
                } else if cmd.starts_with("DATA") {
                    got_data = true;
                    b"354 go on\r\n"
                } else if cmd.starts_with("QUIT") {
                    let _ = out.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                if out.write_all(reply).is_err() {
                    break;
                }
                line.clear();
            }
            got_data
        });
        (port, handle)
    }

    fn settings(url: &str) -> MailSettings {
        MailSettings {
            smtp_url: Some(url.into()),
            from: Some("twofa@example.com".into()),
            ..Default::default()
        }
    }

    #[test]
    fn starttls_is_required_of_a_server_beyond_loopback() {
        let (port, server) = plain_server();
        // The URL names a relay elsewhere; the connection is pointed at the test server
        // (no traffic leaves this machine), keeping the STARTTLS requirement.
        let mailer = transport(&settings(&format!("smtp://relay.example.com:{port}"))).unwrap();
        let smtp = Smtp {
            transport: SmtpTransport::builder_dangerous("127.0.0.1")
                .port(port)
                .timeout(Some(Duration::from_secs(10)))
                .tls(Tls::Required(TlsParameters::new("relay.example.com".into()).unwrap()))
                .build(),
            url: SmtpUrl {
                host: "relay.example.com".into(),
                port,
                security: Security::StartTlsRequired,
            },
            from: Mailbox::new(None, "twofa@example.com".parse().unwrap()),
        };
        assert!(mailer.describe().contains("(STARTTLS)"), "{}", mailer.describe());
        let m = Outgoing {
            to: "bob@example.com",
            to_name: None,
            subject: "s",
            body: "b",
        };
        let err = smtp.send(&m).unwrap_err();
        assert!(err.to_string().contains("does not offer STARTTLS"), "{err}");
        assert!(!server.join().unwrap(), "no message was handed over in plain text");
    }

    #[test]
    fn plain_smtp_to_loopback_delivers() {
        let (port, server) = plain_server();
        let mailer = transport(&settings(&format!("smtp://127.0.0.1:{port}"))).unwrap();
        assert!(mailer.describe().contains("plain, loopback"));
        let answer = mailer
            .send(&Outgoing {
                to: "bob@example.com",
                to_name: Some("bob"),
                subject: "s",
                body: "b",
            })
            .unwrap();
        assert!(answer.starts_with("250"), "{answer}");
        assert!(server.join().unwrap());
    }
}
