//! Mail the server refuses for good (an SMTP 5xx answer): a real aiosmtpd on loopback
//! whose handler refuses one mailbox, as a relay refuses an address that does not
//! exist. Such a message is dropped after its one attempt, with its audit entry; mail
//! the server cannot take for now stays queued.

use crate::common::Env;
use serde_json::Value;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An aiosmtpd handler: a Maildir, but `nobody@…` does not exist (550 at RCPT).
const HANDLER: &str = r#"
from aiosmtpd.handlers import Mailbox

class Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <%s>: no such mailbox" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
"#;

struct Refusing {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Refusing {
    fn start() -> Refusing {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("refusing.py"), HANDLER).unwrap();
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("aiosmtpd")
            .args(["-n", "-l", &format!("127.0.0.1:{port}"), "-c", "refusing.Refusing"])
            .arg(dir.path().join("Maildir"))
            .env("PYTHONPATH", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd runs");
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Refusing { child, port, dir }
    }

    /// How many messages the server took.
    fn received(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("Maildir/new"))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

impl Drop for Refusing {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

on_both_backends!(
    #[cfg_attr(
        not(has_aiosmtpd),
        ignore = "needs aiosmtpd (Debian package python3-aiosmtpd, which .ci/run installs; then `touch build.rs`)"
    )]
    a_message_the_server_refuses_for_good_is_dropped_once_and_audited,
);

fn a_message_the_server_refuses_for_good_is_dropped_once_and_audited(env: Env) {
    let server = Refusing::start();
    env.json(&[
        "config",
        "set",
        "mail_smtp_url",
        &format!("smtp://127.0.0.1:{}", server.port),
    ]);
    env.json(&["config", "set", "mail_from", "twofa@example.com"]);
    env.json(&["user", "add", "alice", "--email", "alice@example.com"]);
    env.json(&["user", "add", "bob", "--email", "nobody@example.com"]);
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    env.json(&["org", "add", "acme", "bob"]);

    // The invitations go after the command: alice's is taken, bob's refused for good.
    let (code, _, err) = env.run(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("mail to nobody@example.com can never be sent") && err.contains("550") && err.contains("dropped"),
        "{err}"
    );
    assert_eq!(server.received(), 1);
    let queue = env.json(&["mail", "status"]);
    assert_eq!(
        queue.as_array().unwrap().len(),
        0,
        "not queued for another try: {queue}"
    );

    // Nothing left to send: a flush tries nothing again.
    let flush = env.json(&["mail", "flush"]);
    for list in ["sent", "failed", "dropped"] {
        assert_eq!(flush[list].as_array().unwrap().len(), 0, "{flush}");
    }
    assert_eq!(server.received(), 1);

    let audit = env.json(&["audit", "--action", "mail.send"]);
    let entries: Vec<&Value> = audit.as_array().unwrap().iter().collect();
    let bob = entries
        .iter()
        .find(|e| e["subject"] == "bob")
        .expect("bob's send is audited");
    assert_eq!(bob["outcome"], "failed", "{bob}");
    let details = bob["details"].as_str().unwrap();
    assert!(
        details.contains("nobody@example.com") && details.contains("refused for good, dropped"),
        "{details}"
    );
    assert!(entries.iter().any(|e| e["subject"] == "alice" && e["outcome"] == "ok"));
}
