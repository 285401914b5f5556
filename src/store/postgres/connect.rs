//! Connecting to PostgreSQL from a `postgres://` or `postgresql://` URL: the URL is
//! parsed by the `postgres` crate's `Config`, after twofa takes out the parameters it
//! handles itself:
//!
//! - `password_file=PATH`: the password is the first line of that file, which must be
//!   the running user's own and private (a password never has to be on argv);
//! - `sslmode=disable|prefer|require|verify-full` and `sslrootcert=PATH`: TLS through
//!   rustls (ring). `prefer` (the default) and `require` encrypt without checking the
//!   server's certificate, as libpq does; `verify-full` checks it against the CA
//!   certificates in `sslrootcert` (default `~/.postgresql/root.crt`) and the host
//!   name against it. Over a Unix socket TLS is never used (as with libpq).
//!
//! Without a password in the URL or a `password_file`, the password comes from
//! `PGPASSWORD`, else the matching line of `PGPASSFILE` (default `~/.pgpass`), which
//! like libpq is ignored unless private. Behind sudo ([`only_account_files`]) only the
//! service account's own `~/.pgpass` and `~/.postgresql/root.crt` count. Neither is needed for peer authentication over
//! a Unix socket: `postgresql:///twofa?host=/var/run/postgresql`.

use super::super::StoreError;
use ::postgres::config::{Host, SslMode};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// Set behind sudo: the home of the account twofa runs as, whose files alone give a
/// password (`~/.pgpass`) or a CA (`~/.postgresql/root.crt`); then `PGPASSWORD`,
/// `PGPASSFILE` and `HOME`, which the invoking person may set, are not read.
static ACCOUNT_HOME: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Takes passwords and CA files only from the files of the account whose home is
/// `home`, never from the environment (for a twofa run behind sudo, where the
/// environment is the invoking person's).
pub fn only_account_files(home: PathBuf) {
    *ACCOUNT_HOME.lock().unwrap_or_else(|e| e.into_inner()) = Some(home);
}

fn account_home() -> Option<PathBuf> {
    ACCOUNT_HOME.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Where what the URL leaves out comes from: the environment (`PGPASSWORD`,
/// `PGPASSFILE`, `HOME`), or behind sudo only the account's home.
struct Sources<'a> {
    account_home: Option<PathBuf>,
    env: &'a dyn Fn(&str) -> Option<std::ffi::OsString>,
}

impl Sources<'_> {
    /// The environment variable `name`, unless only the account's files count.
    fn var(&self, name: &str) -> Option<std::ffi::OsString> {
        match self.account_home {
            Some(_) => None,
            None => (self.env)(name).filter(|v| !v.is_empty()),
        }
    }

    /// The home directory for `~/.pgpass` and `~/.postgresql/`.
    fn home(&self) -> Option<PathBuf> {
        self.account_home
            .clone()
            .or_else(|| self.var("HOME").map(PathBuf::from))
    }
}

/// Whether `db` names a PostgreSQL database rather than an SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tls {
    Off,
    /// Encrypted if the server offers it (`prefer`) or always (`require`), the
    /// certificate unchecked.
    Unchecked(SslMode),
    /// The certificate checked against these CA certificates, and the host name.
    VerifyFull(PathBuf),
}

/// A database URL taken apart: what the `postgres` crate connects with, and how.
pub struct Target {
    pub(super) config: ::postgres::Config,
    pub(super) tls: Tls,
    /// The URL without password or parameters, for messages.
    pub display: String,
}

fn bad(url: &str, reason: impl Into<String>) -> StoreError {
    StoreError::CannotOpen {
        path: PathBuf::from(redact(url)),
        reason: reason.into(),
    }
}

/// (scheme, user, everything after the credentials), reading the credentials the way
/// the `postgres` crate does: up to the first `@` anywhere in the URL (so a password
/// holding `/`, `?` or `:` is still all credentials).
fn parts(url: &str) -> Option<(&str, Option<&str>, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    Some(match rest.split_once('@') {
        Some((userinfo, after)) => (scheme, Some(userinfo.split(':').next().unwrap_or("")), after),
        None => (scheme, None, rest),
    })
}

/// `scheme://user@host:port/db`: no password, no parameters.
pub fn redact(url: &str) -> String {
    let Some((scheme, user, after)) = parts(url) else {
        return url.split('?').next().unwrap_or(url).to_string();
    };
    let base = after.split('?').next().unwrap_or(after);
    match user {
        Some(u) => format!("{scheme}://{u}@{base}"),
        None => format!("{scheme}://{base}"),
    }
}

/// The URL as given, less any password (in the user part or a `password`
/// parameter): for repeating it in a hint.
pub fn without_password(url: &str) -> String {
    let Some((scheme, user, after)) = parts(url) else {
        return redact(url);
    };
    let (base, query) = match after.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (after, None),
    };
    let mut out = match user {
        Some(u) => format!("{scheme}://{u}@{base}"),
        None => format!("{scheme}://{base}"),
    };
    if let Some(q) = query {
        let kept: Vec<&str> = q
            .split('&')
            .filter(|p| decode(p.split('=').next().unwrap_or("")) != "password")
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, StoreError> {
        let env = |name: &str| std::env::var_os(name);
        Target::parse_from(
            url,
            &Sources {
                account_home: account_home(),
                env: &env,
            },
        )
    }

    fn parse_from(url: &str, sources: &Sources) -> Result<Target, StoreError> {
        if !is_url(url) {
            return Err(bad(url, "not a postgres:// or postgresql:// URL"));
        }
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (url, None),
        };
        let mut kept: Vec<&str> = vec![];
        let mut password_file = None;
        let mut sslmode = None;
        let mut sslrootcert = None;
        for pair in query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match decode(k).as_str() {
                "password_file" => password_file = Some(PathBuf::from(decode(v))),
                "sslmode" => sslmode = Some(decode(v)),
                "sslrootcert" => sslrootcert = Some(PathBuf::from(decode(v))),
                _ => kept.push(pair),
            }
        }
        let rebuilt = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config: ::postgres::Config = rebuilt
            .parse()
            .map_err(|e: ::postgres::Error| bad(url, e.to_string()))?;
        // Only a connection that can go nowhere but a Unix socket skips TLS: with a
        // `hostaddr` (or no host at all) it goes over TCP, and the mode asked holds.
        let unix = !config.get_hosts().is_empty()
            && config.get_hosts().iter().all(|h| matches!(h, Host::Unix(_)))
            && config.get_hostaddrs().is_empty();
        let tls = match sslmode.as_deref() {
            _ if unix => Tls::Off,
            Some("disable") => Tls::Off,
            None | Some("prefer" | "allow") => Tls::Unchecked(SslMode::Prefer),
            Some("require") => Tls::Unchecked(SslMode::Require),
            Some("verify-full") => {
                let ca = match sslrootcert {
                    Some(p) => p,
                    None => sources
                        .home()
                        .map(|h| h.join(".postgresql/root.crt"))
                        .ok_or_else(|| bad(url, "sslmode=verify-full needs sslrootcert=PATH (a CA file)"))?,
                };
                Tls::VerifyFull(ca)
            }
            Some("verify-ca") => {
                return Err(bad(
                    url,
                    "sslmode=verify-ca is not supported: use sslmode=verify-full (which also checks the host name)",
                ));
            }
            Some(other) => return Err(bad(url, format!("unknown sslmode {other:?}"))),
        };
        config.ssl_mode(match &tls {
            Tls::Off => SslMode::Disable,
            Tls::Unchecked(m) => *m,
            Tls::VerifyFull(_) => SslMode::Require,
        });
        if config.get_user().is_none() {
            let user = whoami::username().map_err(|e| bad(url, format!("cannot tell the user to connect as: {e}")))?;
            config.user(&user);
        }
        if config.get_password().is_none() {
            let password = match password_file {
                Some(path) => Some(read_password_file(&path).map_err(|e| bad(url, e))?),
                None => match sources.var("PGPASSWORD").and_then(|p| p.into_string().ok()) {
                    Some(p) => Some(Zeroizing::new(p)),
                    None => pgpass(&config, sources),
                },
            };
            if let Some(p) = password {
                config.password(p.as_bytes());
            }
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("twofa");
        }
        Ok(Target {
            config,
            tls,
            display: redact(url),
        })
    }

    /// Connects (with TLS as asked).
    pub(super) fn connect(&self) -> Result<::postgres::Client, String> {
        match &self.tls {
            Tls::Off => self.config.connect(::postgres::NoTls).map_err(|e| message(&e)),
            Tls::Unchecked(_) => {
                let provider = provider();
                let config = rustls::ClientConfig::builder_with_provider(provider.clone())
                    .with_safe_default_protocol_versions()
                    .map_err(|e| e.to_string())?
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                    .with_no_client_auth();
                let tls = tokio_postgres_rustls::MakeRustlsConnect::new(config);
                self.config.connect(tls).map_err(|e| message(&e))
            }
            Tls::VerifyFull(ca) => {
                use rustls::pki_types::pem::PemObject;
                let mut roots = rustls::RootCertStore::empty();
                let certs = CertificateDer::pem_file_iter(ca)
                    .map_err(|e| format!("cannot read the CA file {}: {e}", ca.display()))?;
                for cert in certs {
                    let cert = cert.map_err(|e| format!("cannot read the CA file {}: {e}", ca.display()))?;
                    roots
                        .add(cert)
                        .map_err(|e| format!("a certificate in {} is unusable: {e}", ca.display()))?;
                }
                if roots.is_empty() {
                    return Err(format!("no CA certificate in {}", ca.display()));
                }
                let config = rustls::ClientConfig::builder_with_provider(provider())
                    .with_safe_default_protocol_versions()
                    .map_err(|e| e.to_string())?
                    .with_root_certificates(roots)
                    .with_no_client_auth();
                let tls = tokio_postgres_rustls::MakeRustlsConnect::new(config);
                self.config.connect(tls).map_err(|e| message(&e))
            }
        }
    }
}

/// An error's message with its causes (the `postgres` crate's own says only "error
/// connecting to server").
pub(super) fn message(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    crate::text::names::printable(&text).into_owned()
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The first line of a password file, which must be the running user's own and private.
fn read_password_file(path: &Path) -> Result<Zeroizing<String>, String> {
    crate::secrets::files::check_private(path).map_err(|e| e.to_string())?;
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the password file {}: {e}", path.display()))?,
    );
    Ok(Zeroizing::new(text.lines().next().unwrap_or("").to_string()))
}

/// The password for `config` from `PGPASSFILE` or `~/.pgpass` (libpq's format:
/// `host:port:database:user:password`, `*` matching anything, `\` escaping), if that
/// file is private to the user.
fn pgpass(config: &::postgres::Config, sources: &Sources) -> Option<Zeroizing<String>> {
    let path = match sources.var("PGPASSFILE") {
        Some(p) => PathBuf::from(p),
        None => sources.home()?.join(".pgpass"),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = Zeroizing::new(std::fs::read_to_string(&path).ok()?);
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(_)) | None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().unwrap_or("").to_string();
    let db = config.get_dbname().unwrap_or(&user).to_string();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() < 5 {
            continue;
        }
        let want = [&host, &port, &db, &user];
        if fields[..4].iter().zip(want).all(|(f, w)| f.as_str() == "*" || f == w) {
            return Some(Zeroizing::new(fields[4].clone()));
        }
    }
    None
}

/// One `.pgpass` line's fields: split on unescaped `:`, with `\` escapes removed.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().unwrap().push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// Encrypts without checking who is at the other end (`sslmode=prefer`/`require`, as
/// libpq does): the handshake signatures are still checked.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("postgres://u@h/db"));
        assert!(is_url("postgresql:///twofa?host=/run/postgresql"));
        assert!(!is_url("/var/lib/twofa/twofa.db"));
        assert!(!is_url("postgres.db"));
    }

    #[test]
    fn our_parameters_are_taken_out_and_the_rest_is_parsed() {
        let t = Target::parse("postgresql://alice@db.example:6543/twofa?sslmode=require&application_name=x").unwrap();
        assert_eq!(t.tls, Tls::Unchecked(SslMode::Require));
        assert_eq!(t.config.get_user(), Some("alice"));
        assert_eq!(t.config.get_dbname(), Some("twofa"));
        assert_eq!(t.config.get_ports(), &[6543]);
        assert_eq!(t.config.get_application_name(), Some("x"));
        let t = Target::parse("postgres://a@h/d?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem").unwrap();
        assert_eq!(t.tls, Tls::VerifyFull(PathBuf::from("/tmp/ca.pem")));
        let t = Target::parse("postgresql:///twofa?host=/var/run/postgresql").unwrap();
        assert_eq!(t.tls, Tls::Off);
        assert!(matches!(t.config.get_hosts(), [Host::Unix(p)] if p == Path::new("/var/run/postgresql")));
        assert!(Target::parse("postgres://a@h/d?sslmode=verify-ca").is_err());
        assert!(Target::parse("postgres://a@h/d?sslmode=bogus").is_err());
    }

    #[test]
    fn messages_never_show_the_password() {
        assert_eq!(
            redact("postgres://bob:hunter2@h:5432/db?password_file=/x"),
            "postgres://bob@h:5432/db"
        );
        // Passwords holding `/`, `?` or `:` (base64, say) are credentials to the `@`.
        for url in [
            "postgres://twofa:Ab/cD+ef==@db/twofa",
            "postgres://bob:pa?ss@h/db",
            "postgres://bob:a:b@h/db?x=1",
        ] {
            for shown in [redact(url), without_password(url)] {
                for secret in ["Ab/cD", "cD+ef", "pa?ss", "ss@", "a:b"] {
                    assert!(!shown.contains(secret), "{url} shown as {shown}");
                }
            }
        }
        assert_eq!(
            redact("postgres://twofa:Ab/cD+ef==@db/twofa"),
            "postgres://twofa@db/twofa"
        );
        let err = Target::parse("postgres://bob:hunter2@h/db?sslmode=bogus")
            .err()
            .unwrap()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_tcp_hostaddr_keeps_the_tls_mode_asked() {
        for url in [
            "postgresql:///twofa?hostaddr=10.0.0.5&user=t&sslmode=require",
            "postgresql:///twofa?host=/run/pg&hostaddr=10.0.0.5&user=t&sslmode=require",
        ] {
            let t = Target::parse(url).unwrap();
            assert!(matches!(t.tls, Tls::Unchecked(SslMode::Require)), "{url}: {:?}", t.tls);
        }
        let t = Target::parse("postgresql:///twofa?host=/run/pg&sslmode=require").unwrap();
        assert_eq!(t.tls, Tls::Off, "a Unix socket needs no TLS");
    }

    #[test]
    fn a_password_file_must_be_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pw");
        std::fs::write(&p, "s3cret\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        let url = format!("postgres://bob@h/db?password_file={}", p.display());
        assert_eq!(Target::parse(&url).unwrap().config.get_password(), Some(&b"s3cret"[..]));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(Target::parse(&url).is_err());
    }

    /// Behind sudo the environment is the invoking person's: their PGPASSWORD,
    /// PGPASSFILE and HOME must not choose the password or the CA twofa trusts.
    #[test]
    fn behind_sudo_only_the_accounts_own_files_count() {
        use std::ffi::OsString;
        use std::os::unix::fs::PermissionsExt;
        let private = |path: &Path, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        };
        let theirs = tempfile::tempdir().unwrap();
        let account = tempfile::tempdir().unwrap();
        private(&theirs.path().join(".pgpass"), "*:*:*:*:their-home-pgpass\n");
        private(&theirs.path().join("pgpass"), "*:*:*:*:their-pgpassfile\n");
        let their_home = theirs.path().to_path_buf();
        let env_with = |password: bool| {
            let home = their_home.clone();
            move |name: &str| -> Option<OsString> {
                match name {
                    "PGPASSWORD" if password => Some("their-pgpassword".into()),
                    "PGPASSFILE" => Some(home.join("pgpass").into()),
                    "HOME" => Some(home.clone().into()),
                    _ => None,
                }
            }
        };
        let (with_password, without_password) = (env_with(true), env_with(false));
        let password = |url: &str, sources: &Sources| {
            let t = Target::parse_from(url, sources).unwrap();
            t.config.get_password().map(|p| String::from_utf8(p.to_vec()).unwrap())
        };
        let url = "postgres://u@db.example/twofa";

        // Run directly, the environment counts as libpq has it: PGPASSWORD, then PGPASSFILE.
        let direct = Sources {
            account_home: None,
            env: &with_password,
        };
        assert_eq!(password(url, &direct).as_deref(), Some("their-pgpassword"));
        let direct_file = Sources {
            account_home: None,
            env: &without_password,
        };
        assert_eq!(password(url, &direct_file).as_deref(), Some("their-pgpassfile"));

        // Behind sudo, none of the invoking person's: no password at all ...
        let sudo = Sources {
            account_home: Some(account.path().to_path_buf()),
            env: &with_password,
        };
        assert_eq!(password(url, &sudo), None);
        // ... until the account's own ~/.pgpass (private) gives one.
        private(&account.path().join(".pgpass"), "*:*:*:*:account-pgpass\n");
        assert_eq!(password(url, &sudo).as_deref(), Some("account-pgpass"));

        // verify-full without sslrootcert trusts ~/.postgresql/root.crt of the account
        // behind sudo, of HOME otherwise.
        let tls = |sources: &Sources| {
            Target::parse_from("postgres://u@db.example/twofa?sslmode=verify-full", sources)
                .unwrap()
                .tls
        };
        assert_eq!(tls(&sudo), Tls::VerifyFull(account.path().join(".postgresql/root.crt")));
        assert_eq!(
            tls(&direct),
            Tls::VerifyFull(theirs.path().join(".postgresql/root.crt"))
        );
    }

    #[test]
    fn pgpass_lines_split_like_libpq() {
        assert_eq!(split_pgpass(r"h:5432:*:u:pa\:ss:w"), ["h", "5432", "*", "u", "pa:ss:w"]);
    }
}
