//! Helpers shared by the integration tests.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// `name` as two tests, `name::sqlite` and `name::postgres`, each on a fresh `Env`.
/// Attributes before a name (a `cfg_attr(…, ignore = …)` for a tool the test needs)
/// go on both.
macro_rules! on_both_backends {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            $(#[$attr])*
            fn sqlite() {
                super::$name(crate::common::Env::new());
            }

            #[test]
            // (Two reasons to ignore it may both hold: the first is shown.)
            #[allow(unused_attributes)]
            $(#[$attr])*
            #[cfg_attr(not(twofa_pg), ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run")]
            fn postgres() {
                super::$name(crate::common::Env::postgres());
            }
        }
    )*};
}

pub mod exit {
    pub const OK: i32 = 0;
    pub const REJECTED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const LOCKED: i32 = 3;
    pub const NOT_FOUND: i32 = 4;
    pub const DENIED: i32 = 5;
    pub const CONFLICT: i32 = 6;
    pub const CANCELLED: i32 = 7;
    pub const KEY: i32 = 9;
    pub const FAILURE: i32 = 10;
}

/// A temporary directory holding one database, and a hermetic way to run twofa on it.
pub struct Env {
    pub dir: tempfile::TempDir,
    /// The SQLite file, or the PostgreSQL URL (as `--db` takes both).
    pub db: PathBuf,
    /// The PostgreSQL database, made for this test and dropped after it.
    pub pg: Option<twofa::store::postgres::testdb::TestDatabase>,
}

/// Why a PostgreSQL test did not run.
pub const NO_PG: &str = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run";

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("twofa.db");
        Env { dir, db, pg: None }
    }

    /// An environment on a fresh PostgreSQL database of the server `TWOFA_TEST_PG`
    /// names (over TCP in CI). Its password, if the server wants one (`PGPASSWORD`),
    /// reaches twofa through a `password_file`, never argv. With
    /// `TWOFA_TEST_PG_POOLER` (a PgBouncer in front of that server, in transaction
    /// mode), twofa connects through the pooler; the test's own looks behind twofa's
    /// back still go to the server.
    pub fn postgres() -> Env {
        use twofa::store::postgres::testdb;
        let base = testdb::base().expect(NO_PG);
        let dir = tempfile::tempdir().unwrap();
        let pg = testdb::TestDatabase::create(&base);
        let mut url = match std::env::var("TWOFA_TEST_PG_POOLER") {
            Ok(pooler) if !pooler.is_empty() => testdb::with_dbname(&pooler, &pg.name),
            _ => pg.url.clone(),
        };
        if let Ok(password) = std::env::var("PGPASSWORD") {
            let file = dir.path().join("pgpassword");
            std::fs::write(&file, format!("{password}\n")).unwrap();
            private(&file);
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("password_file={}", file.display()));
        }
        Env {
            db: PathBuf::from(url),
            dir,
            pg: Some(pg),
        }
    }

    /// A fresh environment on the same backend as this one (another database).
    pub fn another(&self) -> Env {
        match self.pg {
            Some(_) => Env::postgres(),
            None => Env::new(),
        }
    }

    /// Runs `sql` on the database behind twofa's back (SQL that suits both backends):
    /// how a test plays an attacker with write access to the store.
    pub fn tamper(&self, sql: &str) {
        match &self.pg {
            Some(pg) => pg.client().batch_execute(sql).unwrap(),
            None => rusqlite::Connection::open(&self.db)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
        }
    }

    /// The first column (a blob, BYTEA on PostgreSQL) of every row of `sql`.
    pub fn blobs(&self, sql: &str) -> Vec<Vec<u8>> {
        match &self.pg {
            Some(pg) => pg.client().query(sql, &[]).unwrap().iter().map(|r| r.get(0)).collect(),
            None => rusqlite::Connection::open(&self.db)
                .unwrap()
                .prepare(sql)
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect(),
        }
    }

    /// The one number `sql` selects (a count, say).
    pub fn count(&self, sql: &str) -> i64 {
        match &self.pg {
            Some(pg) => pg.client().query_one(sql, &[]).unwrap().get(0),
            None => rusqlite::Connection::open(&self.db)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
        }
    }

    /// Every text value of every row of `table`, one a line.
    pub fn text_of(&self, table: &str) -> String {
        let mut text = String::new();
        match &self.pg {
            Some(pg) => {
                let mut client = pg.client();
                let columns: Vec<String> = client
                    .query(
                        "SELECT column_name::TEXT FROM information_schema.columns
                         WHERE table_schema = current_schema() AND table_name = $1
                           AND data_type IN ('text', 'character varying', 'character')",
                        &[&table],
                    )
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                assert!(!columns.is_empty(), "no text column in {table}");
                for column in columns {
                    for row in client.query(&format!("SELECT \"{column}\" FROM {table}"), &[]).unwrap() {
                        if let Some(t) = row.get::<_, Option<String>>(0) {
                            text.push_str(&t);
                            text.push('\n');
                        }
                    }
                }
            }
            None => {
                let conn = rusqlite::Connection::open(&self.db).unwrap();
                let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
                let n = stmt.column_count();
                let mut rows = stmt.query([]).unwrap();
                while let Some(r) = rows.next().unwrap() {
                    for i in 0..n {
                        if let rusqlite::types::Value::Text(t) = r.get(i).unwrap() {
                            text.push_str(&t);
                            text.push('\n');
                        }
                    }
                }
            }
        }
        text
    }

    /// Every text and BYTEA value (as its bytes) of every table of the PostgreSQL
    /// database, one a line: what a look at its rows finds (numbers left out, as they
    /// are in an SQLite file's binary records).
    pub fn stored_values(&self) -> Vec<u8> {
        let pg = self.pg.as_ref().expect("a PostgreSQL environment");
        let mut client = pg.client();
        let columns: Vec<(String, String, String)> = client
            .query(
                "SELECT table_name::TEXT, column_name::TEXT, data_type::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema()
                   AND data_type IN ('text', 'character varying', 'character', 'bytea')",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        assert!(columns.iter().any(|(t, _, _)| t == "factors"), "{columns:?}");
        let mut all = vec![];
        for (table, column, kind) in columns {
            for row in client
                .query(&format!("SELECT \"{column}\" FROM \"{table}\""), &[])
                .unwrap()
            {
                let value = match kind.as_str() {
                    "bytea" => row.get::<_, Option<Vec<u8>>>(0),
                    _ => row.get::<_, Option<String>>(0).map(String::into_bytes),
                };
                all.extend(value.unwrap_or_default());
                all.push(b'\n');
            }
        }
        all
    }

    /// Every byte the database keeps: the SQLite file with its WAL, rollback journal
    /// and shared memory, or a `pg_dump` of the PostgreSQL database (where BYTEA is
    /// written as hex: look with [`holds`], which looks for that form too; the same
    /// for the same data).
    pub fn dump(&self) -> Vec<u8> {
        match &self.pg {
            Some(pg) => twofa::store::postgres::testdb::pg_dump(&pg.url),
            None => {
                let mut all = vec![];
                for suffix in ["", "-wal", "-journal", "-shm"] {
                    let mut p = self.db.as_os_str().to_owned();
                    p.push(suffix);
                    if let Ok(bytes) = std::fs::read(PathBuf::from(p)) {
                        all.extend(bytes);
                    }
                }
                all
            }
        }
    }

    /// A copy of the database as it stands, made behind twofa's back (the SQLite file
    /// and its write-ahead log; on PostgreSQL a `pg_dump` restored into a new
    /// database): how someone with a copy of the store gets one. Run twofa on it with
    /// [`Env::cmd_on`] of this environment, which holds the key.
    pub fn raw_copy(&self) -> Env {
        let copy = self.another();
        match (&self.pg, &copy.pg) {
            (Some(from), Some(to)) => {
                let dump = twofa::store::postgres::testdb::pg_dump(&from.url);
                let mut psql = std::process::Command::new("psql")
                    .args(["--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--dbname"])
                    .arg(&to.url)
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("psql runs (Debian package postgresql-client)");
                use std::io::Write;
                psql.stdin.take().unwrap().write_all(&dump).unwrap();
                let out = psql.wait_with_output().unwrap();
                assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
            }
            _ => {
                // A copy of a database in WAL mode is the file and its write-ahead log.
                for suffix in ["", "-wal"] {
                    let (from, to) = (
                        format!("{}{suffix}", self.db.display()),
                        format!("{}{suffix}", copy.db.display()),
                    );
                    std::fs::copy(&from, &to).unwrap();
                    private(std::path::Path::new(&to));
                }
            }
        }
        copy
    }

    /// `twofa --db DB …` with a cleared environment (no TWOFA_DB, NO_COLOR, HOME of ours).
    pub fn cmd(&self) -> Command {
        self.cmd_on(&self.db)
    }

    /// The same as [`Env::cmd`] on another database (with this environment's key).
    pub fn cmd_on(&self, db: &std::path::Path) -> Command {
        let mut c = Command::cargo_bin("twofa").unwrap();
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        c.arg("--db").arg(db);
        c
    }

    /// The same as [`Env::cmd`], as a plain `std::process::Command` (to spawn many).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("twofa"));
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        c.arg("--db").arg(&self.db);
        c
    }

    /// Runs and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    /// Runs with `--json`, expects exit 0, parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().arg("--json").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "twofa {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}"))
    }

    /// Runs and asserts the exit code; returns stderr.
    pub fn expect_exit(&self, args: &[&str], code: i32) -> String {
        let (got, stdout, stderr) = self.run(args);
        assert_eq!(got, code, "twofa {args:?}\nstdout: {stdout}\nstderr: {stderr}");
        stderr
    }

    /// `enroll USER` (pending); returns the enrollment as the app would see it.
    pub fn enroll(&self, user: &str) -> Account {
        let v = self.json(&["enroll", user]);
        assert_eq!(v["status"], "pending");
        Account::from_uri(v["otpauth_uri"].as_str().unwrap())
    }

    /// Enrolls and activates USER; returns the account and the backup codes.
    pub fn active(&self, user: &str) -> (Account, Vec<String>) {
        let acct = self.enroll(user);
        let v = self.json(&["enroll", user, "--code", &acct.code(0)]);
        assert_eq!(v["status"], "active");
        let codes = v["backup_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        (acct, codes)
    }

    pub fn status(&self, user: &str) -> Value {
        self.json(&["status", user])
    }

    /// Runs as the operator naming `actor`, with the actor's step-up `code` on stdin
    /// (never on argv); returns (exit code, stdout, stderr).
    pub fn as_actor(&self, actor: &str, code: &str, args: &[&str]) -> (i32, String, String) {
        let out = self
            .cmd()
            .args(["--actor", actor, "--actor-code", "-"])
            .args(args)
            .write_stdin(format!("{code}\n"))
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    /// [`Env::as_actor`] with `--json`, expecting success.
    pub fn json_as(&self, actor: &str, code: &str, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let (got, stdout, stderr) = self.as_actor(actor, code, &all);
        assert_eq!(got, 0, "twofa --actor {actor} {args:?}: {stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}"))
    }

    /// Adds `user` as a global admin with active 2FA; returns their backup codes,
    /// each good for one step-up.
    pub fn global_admin(&self, user: &str) -> Vec<String> {
        self.json(&["user", "add", user]);
        let (_, codes) = self.active(user);
        self.json(&["user", "admin", user, "on"]);
        codes
    }
}

/// Whether `haystack` holds `needle` as raw bytes or as lowercase hex (how `pg_dump`
/// writes BYTEA).
pub fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    let hex: Vec<u8> = needle.iter().flat_map(|b| format!("{b:02x}").into_bytes()).collect();
    [needle, hex.as_slice()]
        .iter()
        .any(|n| !n.is_empty() && haystack.windows(n.len()).any(|w| w == *n))
}

/// Makes a file owner-only (databases made by hand with rusqlite get the umask's mode).
pub fn private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// An authenticator app's view of an account: what it reads from the otpauth URI.
/// Codes come from totp-lite, an implementation independent of the one in twofa.
#[derive(Debug, Clone)]
pub struct Account {
    pub secret: Vec<u8>,
    pub secret_b32: String,
    pub algorithm: String,
    pub digits: u32,
    pub period: u64,
    pub label: String,
    pub issuer: String,
}

impl Account {
    pub fn from_uri(uri: &str) -> Account {
        let rest = uri.strip_prefix("otpauth://totp/").expect("otpauth://totp/ URI");
        let (label, query) = rest.split_once('?').expect("query");
        let mut acct = Account {
            secret: vec![],
            secret_b32: String::new(),
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            label: percent_decode(label),
            issuer: String::new(),
        };
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').expect("key=value");
            match k {
                "secret" => {
                    acct.secret_b32 = v.to_string();
                    acct.secret = base32_decode(v);
                }
                "issuer" => acct.issuer = percent_decode(v),
                "algorithm" => acct.algorithm = v.to_string(),
                "digits" => acct.digits = v.parse().unwrap(),
                "period" => acct.period = v.parse().unwrap(),
                other => panic!("unexpected URI parameter {other}"),
            }
        }
        acct
    }

    /// The code `offset` steps from now.
    pub fn code(&self, offset: i64) -> String {
        self.code_at((now() as i64 + offset * self.period as i64) as u64)
    }

    /// The code at Unix time `t`.
    pub fn code_at(&self, t: u64) -> String {
        match self.algorithm.as_str() {
            "SHA1" => totp_lite::totp_custom::<totp_lite::Sha1>(self.period, self.digits, &self.secret, t),
            "SHA256" => totp_lite::totp_custom::<totp_lite::Sha256>(self.period, self.digits, &self.secret, t),
            "SHA512" => totp_lite::totp_custom::<totp_lite::Sha512>(self.period, self.digits, &self.secret, t),
            a => panic!("algorithm {a}"),
        }
    }

    /// A code of the right length that is valid for no step near now.
    pub fn wrong_code(&self) -> String {
        let near: Vec<String> = (-3..=3).map(|o| self.code(o)).collect();
        (0..)
            .map(|i| {
                format!(
                    "{:0width$}",
                    i * 7919 % 10u64.pow(self.digits),
                    width = self.digits as usize
                )
            })
            .find(|c| !near.contains(c))
            .unwrap()
    }
}

/// One string field of every object in a JSON array (e.g. the outcomes of an audit log).
pub fn field<'a>(array: &'a Value, key: &str) -> Vec<&'a str> {
    array
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|e| e[key].as_str().unwrap_or_else(|| panic!("no string `{key}` in {e}")))
        .collect()
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

pub fn base32_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut nbits = 0;
    let mut out = vec![];
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base32 character") as u64;
        bits = (bits << 5) | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
        }
    }
    out
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
