//! Mail: notices and invitations through a real SMTP server on loopback (aiosmtpd,
//! Debian's python3-aiosmtpd, writing each message into a Maildir), the outbox when
//! the server is down, the sendmail path, and bad addresses.

use crate::common::{Env, exit};
use serde_json::Value;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port on 127.0.0.1 that nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// aiosmtpd on 127.0.0.1:port, dropping each message into a Maildir; stopped on drop.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        SmtpServer::start_on(free_port())
    }

    pub fn start_on(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("Maildir");
        let child = Command::new("aiosmtpd")
            .args([
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd runs");
        let server = SmtpServer {
            child,
            port,
            maildir,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.maildir.join("new"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| Mail::parse(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    /// Messages to `addr`.
    pub fn to(&self, addr: &str) -> Vec<Mail> {
        self.messages().into_iter().filter(|m| m.rcpt == addr).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One received message: the headers that matter (unfolded) and the body.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    /// The envelope recipient, as the server received it.
    pub rcpt: String,
    pub from: String,
    pub subject: String,
    pub body: String,
    pub raw: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let unfolded = head.replace("\n ", " ").replace("\n\t", " ");
        let header = |name: &str| {
            unfolded
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or_default()
                .to_string()
        };
        let body = if header("Content-Transfer-Encoding") == "quoted-printable" {
            quoted_printable(body)
        } else {
            body.to_string()
        };
        Mail {
            to: header("To"),
            rcpt: header("X-RcptTo"),
            from: header("From"),
            subject: header("Subject"),
            body,
            raw: raw.clone(),
        }
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..(i + 3).min(joined.len())], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Sends the environment's mail to `url`.
fn mailing_to(env: &Env, url: &str) {
    env.json(&["config", "set", "mail_smtp_url", url]);
    env.json(&["config", "set", "mail_from", "Twofa Desk <twofa@example.com>"]);
}

fn add_user(env: &Env, name: &str, email: Option<&str>) {
    match email {
        Some(e) => env.json(&["user", "add", name, "--email", e]),
        None => env.json(&["user", "add", name]),
    };
}

fn queue(env: &Env) -> Vec<Value> {
    env.json(&["mail", "status"]).as_array().unwrap().clone()
}

fn mail_test_sends_and_reports_the_server_answer(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    let (code, out, err) = env.run(&["mail", "test", "bob@example.com"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Server's answer: 250"), "{out}");
    let v = env.json(&["mail", "test", "carol@example.com"]);
    assert!(v["answer"].as_str().unwrap().starts_with("250"), "{v}");
    assert!(v["via"].as_str().unwrap().contains("plain, loopback"), "{v}");
    let bob = server.to("bob@example.com");
    assert_eq!(bob.len(), 1);
    assert_eq!(bob[0].subject, "twofa test message");
    assert_eq!(bob[0].from, "\"Twofa Desk\" <twofa@example.com>");
    assert!(bob[0].raw.contains("Content-Type: text/plain; charset=utf-8"));
    let audit = env.json(&["audit", "--action", "mail.test"]);
    assert_eq!(audit.as_array().unwrap().len(), 2);
    assert!(audit[0]["details"].as_str().unwrap().contains("250"));
}

fn invitations_when_an_organization_requires_2fa_and_when_a_member_joins(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    add_user(&env, "alice", Some("alice@example.com"));
    add_user(&env, "bob", Some("bob@example.com"));
    add_user(&env, "carol", None);
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    env.json(&["org", "add", "acme", "bob", "carol"]);
    assert!(server.messages().is_empty(), "no invitation while 2FA is not required");

    let report = env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    let deadline = |user: &str| {
        report["must_enroll"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user"] == user)
            .unwrap()["deadline"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for (user, addr) in [("alice", "alice@example.com"), ("bob", "bob@example.com")] {
        let mails = server.to(addr);
        assert_eq!(mails.len(), 1, "one invitation for {user}");
        let m = &mails[0];
        assert_eq!(m.to, format!("{user} <{addr}>"));
        assert!(
            m.subject.contains("acme requires two-factor authentication"),
            "{}",
            m.subject
        );
        assert!(
            m.subject.contains(&deadline(user)),
            "{} / {}",
            m.subject,
            deadline(user)
        );
        assert!(m.body.contains(&format!("Hello {user},")), "{}", m.body);
        assert!(m.body.contains(&deadline(user)), "{}", m.body);
        assert!(m.body.contains("acme now requires"), "{}", m.body);
    }
    assert_eq!(server.messages().len(), 2, "carol has no address");

    // Re-applying the requirement (a configuration job run again) mails nobody.
    env.json(&["org", "require-2fa", "acme", "on"]);
    assert_eq!(server.messages().len(), 2);

    // Joining an organization that requires 2FA: an invitation with the deadline.
    add_user(&env, "dave", Some("dave@example.com"));
    let added = env.json(&["org", "add", "acme", "dave"]);
    assert_eq!(added["user"], "dave");
    let dave = server.to("dave@example.com");
    assert_eq!(dave.len(), 1);
    assert!(dave[0].body.contains("You were added to acme"), "{}", dave[0].body);
    let status = env.json(&["org", "status", "acme"]);
    let dave_deadline = status["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"] == "dave")
        .unwrap()["deadline"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(dave[0].body.contains(&dave_deadline));

    // --no-mail: for scripts that do their own mailing.
    add_user(&env, "erin", Some("erin@example.com"));
    env.json(&["--no-mail", "org", "add", "acme", "erin"]);
    assert!(server.to("erin@example.com").is_empty());
    assert!(queue(&env).is_empty(), "nothing queued either");

    let sends = env.json(&["audit", "--action", "mail.send"]);
    assert_eq!(sends.as_array().unwrap().len(), 3);
}

fn remind_mails_members_who_must_still_enroll(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    add_user(&env, "alice", Some("alice@example.com"));
    add_user(&env, "bob", Some("bob@example.com"));
    add_user(&env, "carol", None);
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    env.json(&["org", "add", "acme", "bob", "carol"]);
    env.active("alice");
    env.json(&["--no-mail", "org", "require-2fa", "acme", "on", "--grace", "7d"]);
    assert!(server.messages().is_empty());

    // Only deadlines within a day: nobody yet.
    let none = env.json(&["org", "remind", "acme", "--within", "1d"]);
    assert!(none["reminded"].as_array().unwrap().is_empty(), "{none}");
    let r = env.json(&["org", "remind", "acme"]);
    let users: Vec<&str> = r["reminded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["bob", "carol"], "alice has 2FA");
    assert_eq!(r["reminded"][0]["queued"], true);
    assert_eq!(r["reminded"][1]["queued"], false, "carol has no address");
    let bob = server.to("bob@example.com");
    assert_eq!(bob.len(), 1);
    assert!(
        bob[0].subject.starts_with("Reminder: acme requires"),
        "{}",
        bob[0].subject
    );
    assert!(server.to("alice@example.com").is_empty());
}

/// Every notice about someone's second factor, and none carries a code or a secret.
fn notices_for_regenerated_codes_lockout_reset_and_disable(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    add_user(&env, "alice", Some("alice@example.com"));
    let (acct, old_codes) = env.active("alice");
    assert!(server.messages().is_empty(), "enrolling mails nothing");

    // Regenerated backup codes.
    let out = env
        .cmd()
        .args(["--json", "backup-codes", "alice", "--regenerate", "--code", "-"])
        .write_stdin(format!("{}\n", old_codes[0]))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let new: Value = serde_json::from_slice(&out.stdout).unwrap();
    let new_codes: Vec<String> = new["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let m = server.to("alice@example.com");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].subject, "Your backup codes were regenerated");

    // Locked out: the failure that sets off the lock mails alice, later ones do not.
    env.json(&["config", "set", "max_failures", "2"]);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    assert_eq!(server.to("alice@example.com").len(), 1);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::REJECTED);
    env.expect_exit(&["verify", "alice", "--code", &acct.wrong_code()], exit::LOCKED);
    let m = server.to("alice@example.com");
    assert_eq!(m.len(), 2, "one lockout notice");
    assert_eq!(m[1].subject, "You were locked out after too many wrong codes");
    assert!(m[1].body.contains("locked until"), "{}", m[1].body);

    // Reset by support.
    env.json(&["admin", "reset", "alice", "--reason", "lost phone", "--yes"]);
    let m = server.to("alice@example.com");
    assert_eq!(m.len(), 3);
    assert_eq!(m[2].subject, "Your two-factor authentication was reset");
    assert!(m[2].body.contains("reset by"), "{}", m[2].body);

    // Disabled (after enrolling again).
    let (acct2, _) = env.active("alice");
    env.json(&["disable", "alice", "--code", &acct2.code(1), "--yes"]);
    let m = server.to("alice@example.com");
    assert_eq!(m.len(), 4);
    assert_eq!(m[3].subject, "Your two-factor authentication was disabled");

    // No code, backup code or secret in any mail, the audit log or the queue.
    let audit = env.run(&["--json", "audit"]).1;
    let listing = env.run(&["--json", "mail", "status"]).1;
    for secret in old_codes
        .iter()
        .chain(&new_codes)
        .chain([&acct.secret_b32, &acct2.secret_b32, &acct2.code(1)])
    {
        for m in server.messages() {
            assert!(!m.raw.contains(secret.as_str()), "a mail holds {secret}");
        }
        assert!(!audit.contains(secret.as_str()));
        assert!(!listing.contains(secret.as_str()));
    }
}

fn a_server_that_is_down_loses_nothing(env: Env) {
    let port = free_port();
    mailing_to(&env, &format!("smtp://127.0.0.1:{port}"));
    add_user(&env, "alice", Some("alice@example.com"));
    add_user(&env, "bob", Some("bob@example.com"));
    env.json(&["org", "create", "acme", "--owner", "alice"]);

    // The change is made (exit 0), the invitation stays queued, stderr says so.
    let (code, _, err) = env.run(&["org", "require-2fa", "acme", "on", "--grace", "2d"]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(
        err.contains("warning: the invitation mail to alice@example.com was not sent"),
        "{err}"
    );
    assert!(err.contains("stays queued"), "{err}");
    assert_eq!(env.json(&["org", "list"])[0]["require_2fa"], true);
    let (code, _, err) = env.run(&["org", "add", "acme", "bob"]);
    assert_eq!(code, exit::OK, "{err}");
    // The older invitation is tried again first; its failure ends the delivery (a
    // command pays for one failed send), and bob's waits, queued, for a flush.
    assert!(err.contains("alice@example.com was not sent"), "{err}");
    assert!(!err.contains("bob@example.com was not sent"), "{err}");
    assert!(err.contains("1 message is still queued"), "{err}");

    let q = queue(&env);
    assert_eq!(q.len(), 2);
    assert_eq!(q[0]["recipient"], "alice@example.com");
    assert_eq!(q[0]["attempts"], 2);
    assert!(q[0]["last_error"].as_str().unwrap().contains("refused"), "{}", q[0]);
    assert!(q[0].get("body").is_none(), "never the text");
    let (code, out, err) = env.run(&["mail", "flush"]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(out.contains("0 sent, 2 failed; 2 queued"), "{out}");
    assert!(err.contains("`twofa"), "{err}");

    // The server comes up: the next flush delivers both, oldest first.
    let server = SmtpServer::start_on(port);
    let report = env.json(&["mail", "flush"]);
    assert_eq!(report["sent"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["queued"], 0);
    assert_eq!(server.messages()[0].rcpt, "alice@example.com");
    assert_eq!(server.to("bob@example.com").len(), 1);
    assert!(queue(&env).is_empty());
    let sends = env.json(&["audit", "--action", "mail.send"]);
    let outcomes = crate::common::field(&sends, "outcome");
    assert_eq!(outcomes.iter().filter(|o| **o == "failed").count(), 4, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| **o == "ok").count(), 2, "{outcomes:?}");
}

/// A fake sendmail: records its arguments and the message it reads on stdin; exits
/// with the code in `exit-code` if that file exists.
fn fake_sendmail(dir: &Path) -> PathBuf {
    let script = dir.join("fake-sendmail");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nd={}\nn=$(ls \"$d\" | grep -c '^msg-')\nprintf '%s\\n' \"$@\" > \"$d/args-$n\"\ncat > \"$d/msg-$n\"\n[ -f \"$d/exit-code\" ] && {{ echo 'mail system down' >&2; exit $(cat \"$d/exit-code\"); }}\nexit 0\n",
            dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn the_sendmail_path_hands_the_message_on_stdin(env: Env) {
    let spool = env.dir.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let script = fake_sendmail(&spool);
    env.json(&["config", "set", "mail_sendmail", &format!("{} -t", script.display())]);
    env.json(&["config", "set", "mail_from", "twofa@example.com"]);
    // One way of sending at a time.
    env.expect_exit(&["config", "set", "mail_smtp_url", "smtp://127.0.0.1:25"], exit::USAGE);
    let v = env.json(&["mail", "test", "bob@example.com"]);
    assert!(v["answer"].as_str().unwrap().starts_with("accepted"), "{v}");
    let msg = std::fs::read_to_string(spool.join("msg-0")).unwrap();
    assert!(msg.contains("To: bob@example.com"), "{msg}");
    assert!(msg.contains("Subject: twofa test message"), "{msg}");
    assert_eq!(std::fs::read_to_string(spool.join("args-0")).unwrap(), "-t\n");

    // A notice through the same path; a failing command leaves it queued.
    add_user(&env, "alice", Some("alice@example.com"));
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    std::fs::write(spool.join("exit-code"), "75").unwrap();
    let (code, _, err) = env.run(&["org", "require-2fa", "acme", "on"]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(err.contains("mail system down"), "{err}");
    assert_eq!(queue(&env).len(), 1);
    std::fs::remove_file(spool.join("exit-code")).unwrap();
    let report = env.json(&["mail", "flush"]);
    assert_eq!(report["sent"].as_array().unwrap().len(), 1, "{report}");
    let last = std::fs::read_to_string(spool.join("msg-2")).unwrap();
    assert!(last.contains("To: alice <alice@example.com>"), "{last}");
    assert!(last.contains("acme requires two-factor authentication"), "{last}");

    // Without -t the recipient follows `--`.
    env.json(&["config", "set", "mail_sendmail", &script.display().to_string()]);
    env.json(&["mail", "test", "carol@example.com"]);
    assert_eq!(
        std::fs::read_to_string(spool.join("args-3")).unwrap(),
        "--\ncarol@example.com\n"
    );

    // A program that is not there, or not absolute, is refused when set.
    env.expect_exit(
        &["config", "set", "mail_sendmail", "/nonexistent/sendmail -t"],
        exit::USAGE,
    );
    env.expect_exit(&["config", "set", "mail_sendmail", "sendmail -t"], exit::USAGE);
}

fn bad_addresses_are_refused_and_nothing_is_queued(env: Env) {
    let spool = env.dir.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let script = fake_sendmail(&spool);
    env.json(&["config", "set", "mail_sendmail", &format!("{} -t", script.display())]);
    env.json(&["config", "set", "mail_from", "twofa@example.com"]);
    add_user(&env, "alice", Some("alice@example.com"));
    let huge = format!("{}@example.com", "a".repeat(100_000));
    for (bad, says) in [
        ("alice@example.com\r\nBcc: eve@evil.example", "line break"),
        ("alice@example.com\nBcc: eve@evil.example", "line break"),
        ("alice", "no `@`"),
        ("alice@example.com, eve@evil.example", "not an address"),
        ("<alice@example.com>", "not an address"),
        (huge.as_str(), "the limit is 254"),
    ] {
        let err = env.expect_exit(&["user", "add", "bob", "--email", bad], exit::USAGE);
        assert!(err.contains(says), "{bad:.40}: {err}");
        assert!(err.len() < 400, "a huge address is not echoed back");
        let err = env.expect_exit(&["user", "set", "alice", "--email", bad], exit::USAGE);
        assert!(err.contains(says), "{err}");
        env.expect_exit(&["mail", "test", bad], exit::USAGE);
    }
    env.expect_exit(&["status", "bob"], exit::NOT_FOUND);
    assert_eq!(env.json(&["user", "list"])[0]["email"], "alice@example.com");
    // A name with a line break never becomes a header either.
    env.expect_exit(
        &[
            "user",
            "add",
            "mallory\r\nBcc: eve@evil.example",
            "--email",
            "m@example.com",
        ],
        exit::USAGE,
    );
    env.expect_exit(
        &[
            "config",
            "set",
            "mail_from",
            "Desk\r\nBcc: eve@evil.example <twofa@example.com>",
        ],
        exit::USAGE,
    );
    assert!(queue(&env).is_empty());
    assert!(!spool.join("msg-0").exists(), "nothing sent");

    // A good address can be changed and removed.
    assert_eq!(
        env.json(&["user", "set", "alice", "--email", "a2@example.com"])["email"],
        "a2@example.com"
    );
    assert_eq!(env.json(&["user", "set", "alice", "--no-email"])["email"], Value::Null);
    env.expect_exit(&["user", "set", "alice"], exit::USAGE);
}

fn mail_settings_are_checked_when_set(env: Env) {
    env.json(&["user", "add", "someone"]);
    let err = env.expect_exit(
        &["config", "set", "mail_smtp_url", "smtp://user:pw@relay.example.com:587"],
        exit::USAGE,
    );
    assert!(err.contains("mail_credentials_file"), "{err}");
    for bad in [
        "relay.example.com:25",
        "http://relay.example.com",
        "smtp://relay.example.com:25/x",
    ] {
        env.expect_exit(&["config", "set", "mail_smtp_url", bad], exit::USAGE);
    }
    env.json(&["config", "set", "mail_smtp_url", "smtps://relay.example.com"]);
    env.json(&["config", "set", "mail_smtp_url", "smtp://relay.example.com:587"]);

    // The credentials file must exist, be private, and hold user:password.
    let creds = env.dir.path().join("smtp-credentials");
    let path = creds.display().to_string();
    env.expect_exit(&["config", "set", "mail_credentials_file", &path], exit::USAGE);
    std::fs::write(&creds, "twofa:s3cret\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = env.expect_exit(&["config", "set", "mail_credentials_file", &path], exit::USAGE);
    assert!(err.contains("chmod 600"), "{err}");
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.json(&["config", "set", "mail_credentials_file", &path]);
    std::fs::write(&creds, "no colon\n").unwrap();
    env.expect_exit(&["config", "set", "mail_credentials_file", &path], exit::USAGE);
    env.expect_exit(&["config", "set", "mail_credentials_file", "relative"], exit::USAGE);
    let listed = env.run(&["config", "list"]).1;
    assert!(!listed.contains("s3cret"));

    // Without mail_from nothing can be sent, and `mail test` says why.
    let err = env.expect_exit(&["mail", "test", "bob@example.com"], exit::USAGE);
    assert!(err.contains("mail_from"), "{err}");
}

/// Plain SMTP only to a loopback address: a host name that is not one gets STARTTLS
/// or nothing, even when it resolves to this machine (this machine's own name, when
/// it resolves to 127.0.0.1, stands in for a relay elsewhere).
fn starttls_is_required_beyond_loopback(env: Env) {
    use std::net::ToSocketAddrs;
    let server = SmtpServer::start();
    let host = std::fs::read_to_string("/etc/hostname")
        .unwrap_or_default()
        .trim()
        .to_string();
    let local = !host.is_empty()
        && host != "localhost"
        && (host.as_str(), server.port)
            .to_socket_addrs()
            .is_ok_and(|mut a| a.all(|a| a.ip() == std::net::IpAddr::from(Ipv4Addr::LOCALHOST)));
    let host = if local {
        host
    } else {
        "localhost.localdomain".to_string()
    };
    mailing_to(&env, &format!("smtp://{host}:{}", server.port));
    add_user(&env, "alice", Some("alice@example.com"));
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    let (code, _, err) = env.run(&["org", "require-2fa", "acme", "on"]);
    assert_eq!(code, exit::OK, "the change stands: {err}");
    if local {
        assert!(err.contains("does not offer STARTTLS"), "{err}");
    }
    assert!(server.messages().is_empty(), "nothing in plain text");
    assert_eq!(queue(&env).len(), 1, "kept for a server that offers STARTTLS");
    let err = env.expect_exit(&["mail", "test", "bob@example.com"], exit::FAILURE);
    if local {
        assert!(err.contains("STARTTLS"), "{err}");
    }
    assert!(server.messages().is_empty());
}

/// The code in a mail that carries one.
fn code_in(m: &Mail) -> String {
    m.body
        .split("Your code is: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no code in {}", m.body))
        .to_string()
}

/// A user without an authenticator app: enrolls with email, receives a code by real
/// SMTP, signs in with it exactly once.
fn the_email_factor_end_to_end(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    add_user(&env, "erin", Some("erin@example.com"));
    let sent = env.json(&["enroll", "erin", "--method", "email"]);
    assert_eq!(sent["to"], "erin@example.com");
    assert_eq!(sent["activation"], true);
    assert_eq!(sent["queued"], true);
    assert!(sent.get("code").is_none(), "the code only goes by mail");
    let mails = server.to("erin@example.com");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Your two-factor authentication code");
    let code = code_in(&mails[0]);
    assert_eq!(code.len(), 6);
    // The queue listing never shows it, before or after it went.
    assert!(!env.run(&["--json", "mail", "status"]).1.contains(&code));

    let out = env
        .cmd()
        .args(["--json", "enroll", "erin", "--method", "email", "--code", "-"])
        .write_stdin(format!("{code}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let activated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(activated["backup_codes"].as_array().unwrap().len(), 10);
    assert_eq!(env.status("erin")["status"], "active");

    // Too soon for another code.
    let err = env.expect_exit(&["send-code", "erin"], exit::LOCKED);
    assert!(err.contains("too recently"), "{err}");
    env.json(&["config", "set", "email_send_interval", "0"]);
    env.json(&["send-code", "erin"]);
    let login = code_in(server.to("erin@example.com").last().unwrap());
    let verify = |c: &str| {
        env.cmd()
            .args(["--json", "verify", "erin", "--code", "-"])
            .write_stdin(format!("{c}\n"))
            .output()
            .unwrap()
    };
    let ok = verify(&login);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let v: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["method"], "email");
    assert_eq!(verify(&login).status.code(), Some(exit::REJECTED), "exactly once");
    let history = env.json(&["status", "erin", "--history"]);
    assert!(history.to_string().contains("\"email\""), "{history}");

    // The codes are in no audit entry, no queue listing, and not in the database (on
    // PostgreSQL: in no text or BYTEA value of any table).
    let audit = env.run(&["--json", "audit"]).1;
    let db = match env.pg {
        Some(_) => env.stored_values(),
        None => std::fs::read(&env.db).unwrap(),
    };
    for c in [&code, &login] {
        assert!(!audit.contains(c.as_str()));
        assert!(
            !db.windows(c.len()).any(|w| w == c.as_bytes()),
            "{c} in the database file"
        );
    }
}

/// 32 processes race with the same code: exactly one is let in.
fn an_email_code_is_accepted_once_under_32_processes(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    add_user(&env, "erin", Some("erin@example.com"));
    env.json(&["enroll", "erin", "--method", "email"]);
    let code = code_in(&server.to("erin@example.com")[0]);
    env.cmd()
        .args(["enroll", "erin", "--method", "email", "--code", "-"])
        .write_stdin(format!("{code}\n"))
        .assert()
        .success();
    env.json(&["config", "set", "email_send_interval", "0"]);
    env.json(&["send-code", "erin"]);
    let login = code_in(server.to("erin@example.com").last().unwrap());
    let children: Vec<_> = (0..32)
        .map(|_| {
            let mut c = env.std_cmd();
            c.args(["verify", "erin", "--code", &login])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|mut c| c.wait().unwrap().code().unwrap_or(-1))
        .collect();
    assert_eq!(codes.iter().filter(|&&c| c == 0).count(), 1, "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|&c| c == 0 || c == exit::REJECTED || c == exit::LOCKED),
        "{codes:?}"
    );
}

fn an_email_factor_needs_an_address_and_a_way_to_send(env: Env) {
    add_user(&env, "nomail", None);
    add_user(&env, "erin", Some("erin@example.com"));
    let err = env.expect_exit(&["enroll", "erin", "--method", "email"], exit::USAGE);
    assert!(err.contains("mail is not configured"), "{err}");
    let err = env.expect_exit(&["send-code", "erin"], exit::USAGE);
    assert!(err.contains("mail is not configured"), "{err}");
    env.json(&["config", "set", "mail_sendmail", "/bin/true"]);
    env.json(&["config", "set", "mail_from", "twofa@example.com"]);
    let err = env.expect_exit(&["enroll", "nomail", "--method", "email"], exit::USAGE);
    assert!(err.contains("no email address"), "{err}");
    env.expect_exit(&["--no-mail", "enroll", "erin", "--method", "email"], exit::USAGE);
    env.expect_exit(&["send-code", "erin"], exit::NOT_FOUND);
    env.expect_exit(&["config", "set", "email_code_digits", "9"], exit::USAGE);
    env.json(&["config", "set", "email_code_digits", "8"]);
    env.expect_exit(&["config", "set", "email_code_ttl", "2h"], exit::USAGE);
    assert!(queue(&env).is_empty(), "nothing queued by refusals");
}

/// Where email codes do not count, a member who holds only them is invited to enroll
/// an app like anyone without 2FA; `--allow-email` lets them count.
fn require_2fa_with_and_without_email_codes(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    add_user(&env, "olga", None);
    add_user(&env, "erin", Some("erin@example.com"));
    env.json(&["enroll", "erin", "--method", "email"]);
    let code = code_in(&server.to("erin@example.com")[0]);
    env.cmd()
        .args(["enroll", "erin", "--method", "email", "--code", "-"])
        .write_stdin(format!("{code}\n"))
        .assert()
        .success();
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.json(&["org", "add", "acme", "erin"]);
    let report = env.json(&["org", "require-2fa", "acme", "on", "--grace", "3d"]);
    let erin = report["must_enroll"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"] == "erin")
        .cloned()
        .expect("erin must enroll an app");
    assert_eq!(erin["reason"], "email_not_accepted", "{erin}");
    let invitation = server.to("erin@example.com");
    assert_eq!(invitation.len(), 2, "the code, then the invitation");
    assert!(
        invitation[1]
            .subject
            .contains("acme requires two-factor authentication")
    );
    let access = env.json(&["access", "erin", "--org", "acme"]);
    assert_eq!(access["reason"], "email_not_accepted", "{access}");

    let report = env.json(&["org", "require-2fa", "acme", "on", "--allow-email"]);
    assert!(
        report["must_enroll"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["user"] != "erin"),
        "{report}"
    );
    let access = env.json(&["access", "erin", "--org", "acme"]);
    assert_eq!(access["allowed"], true, "{access}");
}

/// `twofa` run with its clock `offset` from now (libfaketime), code on stdin.
fn at_offset(env: &Env, offset: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut c = Command::new("faketime");
    c.env_clear()
        .env("HOME", env.dir.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["-f", offset])
        .arg(assert_cmd::cargo::cargo_bin("twofa"))
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c
        .spawn()
        .expect("faketime (Debian package faketime; .ci/run installs it)");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// The code in the message a fake sendmail kept.
fn code_in_file(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.split("Your code is: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_string()
}

/// A code by email works only within its lifetime, and its message leaves the queue
/// unsent once the code has expired (the binary's own clock moved with libfaketime).
fn an_email_code_expires_with_its_message(env: Env) {
    let spool = env.dir.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let script = fake_sendmail(&spool);
    env.json(&["config", "set", "mail_sendmail", &format!("{} -t", script.display())]);
    env.json(&["config", "set", "mail_from", "twofa@example.com"]);
    env.json(&["config", "set", "email_send_interval", "0"]);
    add_user(&env, "erin", Some("erin@example.com"));
    env.json(&["enroll", "erin", "--method", "email"]);
    let first = code_in_file(&spool.join("msg-0"));
    env.cmd()
        .args(["enroll", "erin", "--method", "email", "--code", "-"])
        .write_stdin(format!("{first}\n"))
        .assert()
        .success();
    env.json(&["send-code", "erin"]);
    let code = code_in_file(&spool.join("msg-1"));
    let late = at_offset(&env, "+6m", &["verify", "erin", "--code", "-"], &format!("{code}\n"));
    assert_eq!(
        late.status.code(),
        Some(exit::REJECTED),
        "{}",
        String::from_utf8_lossy(&late.stderr)
    );

    // A code whose mail cannot go before the code expires leaves the queue unsent.
    std::fs::write(spool.join("exit-code"), "75").unwrap();
    let (code, _, err) = env.run(&["send-code", "erin"]);
    assert_eq!(code, exit::OK, "{err}");
    assert!(err.contains("stays queued"), "{err}");
    assert_eq!(queue(&env).len(), 1);
    std::fs::remove_file(spool.join("exit-code")).unwrap();
    let out = at_offset(&env, "+6m", &["--json", "mail", "flush"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["expired"].as_array().unwrap().len(), 1, "{report}");
    assert!(report["sent"].as_array().unwrap().is_empty(), "{report}");
    assert!(queue(&env).is_empty());
}

/// Where several factors are allowed, a person adds email codes to an authenticator
/// app only with a code from the app (step-up), and keeps the backup codes they have.
fn a_second_factor_needs_a_code_of_the_first_and_keeps_the_backup_codes(env: Env) {
    let server = SmtpServer::start();
    mailing_to(&env, &server.url());
    env.json(&["config", "set", "allow_multiple_factors", "on"]);
    let (alice, backup) = env.active("alice");
    env.json(&["user", "set", "alice", "--email", "alice@example.com"]);
    let as_alice = |args: &[&str], stdin: &str| {
        env.cmd()
            .args(["--json", "--actor", "alice"])
            .args(args)
            .write_stdin(stdin.to_string())
            .output()
            .unwrap()
    };
    let out = as_alice(&["enroll", "alice", "--method", "email"], "");
    assert_eq!(
        out.status.code(),
        Some(exit::DENIED),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(server.to("alice@example.com").is_empty(), "no code without step-up");
    let out = as_alice(
        &["--actor-code", "-", "enroll", "alice", "--method", "email"],
        &format!("{}\n", alice.code(1)),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code = code_in(server.to("alice@example.com").last().unwrap());
    let out = as_alice(
        &["enroll", "alice", "--method", "email", "--code", "-"],
        &format!("{code}\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let activated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(activated["backup_codes"].as_array().unwrap().len(), 0, "{activated}");
    let factors = env.status("alice")["factors"].clone();
    assert_eq!(factors.as_array().unwrap().len(), 2, "{factors}");
    env.json(&["verify", "alice", "--code", &backup[0]]);
}

on_both_backends!(
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    mail_test_sends_and_reports_the_server_answer,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    invitations_when_an_organization_requires_2fa_and_when_a_member_joins,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    remind_mails_members_who_must_still_enroll,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    notices_for_regenerated_codes_lockout_reset_and_disable,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    a_server_that_is_down_loses_nothing,
    the_sendmail_path_hands_the_message_on_stdin,
    bad_addresses_are_refused_and_nothing_is_queued,
    mail_settings_are_checked_when_set,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    starttls_is_required_beyond_loopback,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    the_email_factor_end_to_end,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    an_email_code_is_accepted_once_under_32_processes,
    an_email_factor_needs_an_address_and_a_way_to_send,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    require_2fa_with_and_without_email_codes,
    #[cfg_attr(
        not(has_faketime),
        ignore = "needs faketime (Debian package faketime, which .ci/run installs; then `touch build.rs`)"
    )]
    an_email_code_expires_with_its_message,
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    a_second_factor_needs_a_code_of_the_first_and_keeps_the_backup_codes,
);
