//! `twofa db copy`: a whole database into a new one that the same key opens.

use crate::common::{Env, exit};

fn a_copy_verifies_with_the_same_key_and_keeps_the_audit_chain(env: Env) {
    let (alice, backup) = env.active("alice");
    env.json(&["user", "add", "bob", "--email", "bob@example.org"]);
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    env.cmd()
        .args(["verify", "alice", "--code", "000000"])
        .assert()
        .code(exit::REJECTED);
    // A new database on the same backend (on PostgreSQL, an empty one).
    let target = env.another();
    let to = target.db.clone();
    let v = env.json(&["db", "copy", env.db.to_str().unwrap(), to.to_str().unwrap()]);
    let rows = |table: &str| {
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .unwrap()["rows"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(rows("users"), 2);
    assert_eq!(rows("orgs"), 1);
    assert_eq!(rows("backup_codes"), 10);
    assert!(rows("audit") > 3);
    assert!(rows("verifications") >= 2);
    // The copy: the same users, the chain intact (with its db.copy entry), and the
    // same key opens it: alice's next code and a backup code work there.
    let on_copy = |args: &[&str]| {
        let out = env.cmd_on(&to).arg("--json").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(on_copy(&["user", "list"]), env.json(&["user", "list"]));
    let verified = on_copy(&["audit", "verify"]);
    assert_eq!(verified["ok"], true, "{verified}");
    let last = on_copy(&["audit", "--limit", "1"]);
    assert_eq!(last[0]["action"], "db.copy", "{last}");
    on_copy(&["verify", "alice", "--code", &alice.code(1)]);
    on_copy(&["verify", "alice", "--code", &backup[0]]);
    // The original is untouched by what happened on the copy.
    env.json(&["verify", "alice", "--code", &backup[0]]);
}

fn a_copy_goes_only_into_an_empty_database_and_leaves_nothing_when_refused(env: Env) {
    env.active("alice");
    let other = env.another();
    other.json(&["user", "add", "zed"]);
    let err = env.expect_exit(
        &["db", "copy", env.db.to_str().unwrap(), other.db.to_str().unwrap()],
        exit::CONFLICT,
    );
    assert!(err.contains("not empty"), "{err}");
    let users = other.json(&["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 1, "the target is unchanged");
    // A source that does not exist: refused, and no target is made.
    let to = env.dir.path().join("never.db");
    let missing = env.dir.path().join("missing.db");
    env.expect_exit(
        &["db", "copy", missing.to_str().unwrap(), to.to_str().unwrap()],
        exit::NOT_FOUND,
    );
    assert!(!to.exists());
}

/// Moving up: an SQLite database copied to PostgreSQL works there with the same key
/// (codes, backup codes, the audit chain), and comes back to SQLite the same way.
#[test]
#[cfg_attr(
    not(twofa_pg),
    ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
)]
fn a_copy_to_postgresql_and_back_keeps_everything() {
    let env = Env::new();
    let (alice, backup) = env.active("alice");
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    let pg = Env::postgres();
    let url = pg.db.to_str().unwrap();
    let v = env.json(&["db", "copy", env.db.to_str().unwrap(), url]);
    assert!(
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["table"] == "users" && t["rows"] == 1),
        "{v}"
    );
    let on = |db: &std::path::Path, args: &[&str]| {
        let out = env.cmd_on(db).arg("--json").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(on(&pg.db, &["user", "list"]), env.json(&["user", "list"]));
    assert_eq!(on(&pg.db, &["audit", "verify"])["ok"], true);
    on(&pg.db, &["verify", "alice", "--code", &alice.code(1)]);
    on(&pg.db, &["verify", "alice", "--code", &backup[0]]);
    // New rows on PostgreSQL get ids after the copied ones.
    on(&pg.db, &["user", "add", "bob"]);
    // A non-empty PostgreSQL database is refused.
    env.expect_exit(&["db", "copy", env.db.to_str().unwrap(), url], exit::CONFLICT);
    let back = env.dir.path().join("back.db");
    on(&pg.db, &["db", "copy", url, back.to_str().unwrap()]);
    assert_eq!(on(&back, &["audit", "verify"])["ok"], true);
    assert_eq!(on(&back, &["status", "alice"])["backup_codes_remaining"], 9);
}

fn db_init_makes_the_tables_and_nothing_else(env: Env) {
    let v = env.json(&["db", "init"]);
    match env.pg {
        Some(_) => {
            assert_eq!(v["schema_version"], twofa::store::postgres::SCHEMA_VERSION, "{v}");
            assert_eq!(env.count("SELECT count(*) FROM users"), 0, "the tables are made");
        }
        None => {
            assert_eq!(v["schema_version"], twofa::store::sqlite::SCHEMA_VERSION, "{v}");
            assert!(env.db.exists());
        }
    }
    assert_eq!(env.json(&["user", "list"]).as_array().unwrap().len(), 0);
    // Again: nothing to do, and still nothing else.
    env.json(&["db", "init"]);
    assert_eq!(env.json(&["audit"]).as_array().unwrap().len(), 0);
}

/// Peer authentication over the server's Unix socket: no password anywhere, the
/// account running twofa is the role (it owns the tables it made); a URL naming
/// another role is refused by the server, in one line.
#[test]
#[cfg_attr(
    not(twofa_pg_socket),
    ignore = "no PostgreSQL socket: set TWOFA_TEST_PG_SOCKET=postgresql:///postgres?host=DIR&port=N (peer authentication, a role named after this account) to run"
)]
fn on_postgresql_peer_authentication_over_the_socket() {
    use twofa::store::postgres::testdb::with_dbname;
    let env = Env::postgres();
    let pg = env.pg.as_ref().unwrap();
    let socket = with_dbname(&std::env::var("TWOFA_TEST_PG_SOCKET").unwrap(), &pg.name);
    assert!(
        !socket.contains("user=") && !socket.contains('@'),
        "{socket}: names no role"
    );
    let db = std::path::PathBuf::from(&socket);
    // Env's commands run with a cleared environment: no PGPASSWORD, no password file.
    let out = env.cmd_on(&db).args(["--json", "enroll", "alice"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let acct = crate::common::Account::from_uri(v["otpauth_uri"].as_str().unwrap());
    env.cmd_on(&db)
        .args(["enroll", "alice", "--code", &acct.code(0)])
        .assert()
        .success();
    env.cmd_on(&db)
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
    let me = whoami::username().unwrap();
    let owner: String = pg
        .client()
        .query_one("SELECT tableowner::TEXT FROM pg_tables WHERE tablename = 'users'", &[])
        .unwrap()
        .get(0);
    assert_eq!(owner, me, "twofa connected as the account's own role");

    let other = if me == "postgres" { "root" } else { "postgres" };
    let out = env
        .cmd_on(std::path::Path::new(&format!("{socket}&user={other}")))
        .args(["user", "list"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(exit::FAILURE), "{err}");
    assert!(err.contains("Peer authentication failed"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

/// The schema made ahead by the role that owns the database, for a role that may
/// only read and write rows: before, a clear error naming the missing privilege;
/// after `db init` and the grants, twofa works as that role.
#[test]
#[cfg_attr(
    not(twofa_pg),
    ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
)]
fn on_postgresql_a_role_without_create_needs_the_schema_made_ahead() {
    let owner = Env::postgres();
    let pg = owner.pg.as_ref().unwrap();
    let role = format!("{}_app", pg.name);
    let mut admin = pg.client();
    admin
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'app-pw'; REVOKE CREATE ON SCHEMA public FROM PUBLIC"
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "app-pw\n").unwrap();
    crate::common::private(&pw);
    // The same server and database, as the application's role.
    let url = pg.url.replacen("://", &format!("://{role}@"), 1);
    let url = match url.split_once('@') {
        // (drop any user the base URL named)
        Some((head, rest)) if rest.contains('@') => format!("{head}@{}", rest.split_once('@').unwrap().1),
        _ => url,
    };
    let url = format!(
        "{url}{}password_file={}",
        if url.contains('?') { '&' } else { '?' },
        pw.display()
    );
    let app = std::path::PathBuf::from(&url);
    let out = owner.cmd_on(&app).args(["user", "list"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(exit::FAILURE), "{err}");
    assert!(err.contains("permission denied") && err.contains("db init`"), "{err}");
    assert!(!err.contains("app-pw"), "{err}");
    owner.json(&["db", "init"]);
    admin
        .batch_execute(&format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
             GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"
        ))
        .unwrap();
    let (acct, _) = {
        let out = owner.cmd_on(&app).args(["--json", "enroll", "alice"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (crate::common::Account::from_uri(v["otpauth_uri"].as_str().unwrap()), ())
    };
    owner
        .cmd_on(&app)
        .args(["enroll", "alice", "--code", &acct.code(0)])
        .assert()
        .success();
    owner
        .cmd_on(&app)
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
    drop(admin);
    drop(owner);
    // The role goes once its database has.
    let base = twofa::store::postgres::testdb::base().unwrap();
    let mut server = twofa::store::postgres::testdb::TestDatabase::connect(&base);
    server.batch_execute(&format!("DROP ROLE {role}")).unwrap();
}

on_both_backends!(
    a_copy_verifies_with_the_same_key_and_keeps_the_audit_chain,
    a_copy_goes_only_into_an_empty_database_and_leaves_nothing_when_refused,
    db_init_makes_the_tables_and_nothing_else,
);
