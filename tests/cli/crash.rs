//! Crash safety: twofa killed with SIGKILL at random moments during
//! activation, backup-code regeneration, admin reset, key rotation and migration.
//! After every kill the database opens, passes `integrity_check`, and holds either
//! the whole old state or the whole new state. Activation, regeneration and reset are
//! killed on PostgreSQL too (where a killed client's transaction is rolled back by the
//! server).

use crate::common::{Account, Env, exit};
use rusqlite::Connection;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const KILLS: usize = 20;

/// A small deterministic generator, seeded per test: from `TWOFA_CRASH_SEED` when set
/// (to replay a run), else from the clock. The seed is printed, and the test runner
/// shows it with a failure: `TWOFA_CRASH_SEED=<seed> cargo test crash::` replays it
/// (the kill moments are the same; the timing of the machine may still differ).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = match std::env::var("TWOFA_CRASH_SEED") {
            Ok(s) => s.parse().expect("TWOFA_CRASH_SEED is a number"),
            Err(_) => SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64 | 1,
        };
        println!("crash test seed {seed} (replay with TWOFA_CRASH_SEED={seed})");
        Rng(seed.max(1))
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Starts `twofa ARGS` and kills it after a random delay of up to `max_ms` (it may
/// also finish first). Returns true when it was killed before it finished.
fn kill_somewhere(env: &Env, args: &[&str], rng: &mut Rng, max_ms: u64) -> bool {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(rng.below(max_ms)));
    let killed = matches!(child.try_wait(), Ok(None));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    killed
}

/// How long one uninterrupted run takes, in ms (kills are then spread over it).
fn duration_ms(env: &Env, args: &[&str]) -> u64 {
    let start = std::time::Instant::now();
    let out = env.std_cmd().args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (start.elapsed().as_millis() as u64 * 6 / 5).max(2)
}

/// A look at the database behind twofa's back: SQLite (checked by `integrity_check`
/// first) or PostgreSQL.
enum Look {
    Lite(Connection),
    Pg(postgres::Client),
}

impl Look {
    /// The first column of every row of `sql` (one text parameter, `$1`).
    fn blobs(&mut self, sql: &str, arg: &str) -> Vec<Option<Vec<u8>>> {
        match self {
            Look::Lite(conn) => conn
                .prepare(sql)
                .unwrap()
                .query_map([arg], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect(),
            Look::Pg(client) => client.query(sql, &[&arg]).unwrap().iter().map(|r| r.get(0)).collect(),
        }
    }

    fn texts(&mut self, sql: &str, arg: &str) -> Vec<String> {
        match self {
            Look::Lite(conn) => conn
                .prepare(sql)
                .unwrap()
                .query_map([arg], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect(),
            Look::Pg(client) => client.query(sql, &[&arg]).unwrap().iter().map(|r| r.get(0)).collect(),
        }
    }
}

fn look(env: &Env) -> Look {
    match &env.pg {
        Some(pg) => Look::Pg(pg.client()),
        None => Look::Lite(integrity(env)),
    }
}

fn integrity(env: &Env) -> Connection {
    let conn = Connection::open(&env.db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    conn
}

/// (salt, sorted hashes) of the user's backup codes.
fn backup_state(look: &mut Look, user: &str) -> (Option<Vec<u8>>, Vec<Vec<u8>>) {
    let salt = look
        .blobs(
            "SELECT f.salt FROM factors f JOIN users u ON u.id = f.user_id WHERE u.name = $1 AND f.kind = 'backup'",
            user,
        )
        .into_iter()
        .next()
        .flatten();
    let mut hashes: Vec<Vec<u8>> = look
        .blobs(
            "SELECT b.hash FROM backup_codes b JOIN users u ON u.id = b.user_id WHERE u.name = $1",
            user,
        )
        .into_iter()
        .map(Option::unwrap)
        .collect();
    hashes.sort();
    (salt, hashes)
}

/// After a kill: the database is sound; the user's enrollment state and code count.
fn after_kill(env: &Env, user: &str) -> (Option<String>, usize) {
    let mut look = look(env);
    (enrollment_state(&mut look, user), backup_state(&mut look, user).1.len())
}

fn enrollment_state(look: &mut Look, user: &str) -> Option<String> {
    look.texts(
        "SELECT f.state FROM factors f JOIN users u ON u.id = f.user_id WHERE u.name = $1 AND f.kind = 'totp'",
        user,
    )
    .into_iter()
    .next()
}

on_both_backends!(
    regeneration_killed_anywhere_leaves_all_old_or_all_new_codes,
    activation_killed_anywhere_is_pending_without_codes_or_active_with_ten,
    admin_reset_killed_anywhere_removes_all_or_nothing,
    key_rotation_killed_anywhere_keeps_every_secret_usable,
);

fn regeneration_killed_anywhere_leaves_all_old_or_all_new_codes(env: Env) {
    let mut rng = Rng::new();
    let (_, first) = env.active("first");
    let span = duration_ms(&env, &["backup-codes", "first", "--regenerate", "--code", &first[0]]);
    let mut kills = 0;
    for i in 0..KILLS {
        let user = format!("u{i}");
        let (_, backup) = env.active(&user);
        let before = backup_state(&mut look(&env), &user);
        let args = ["backup-codes", &user, "--regenerate", "--code", &backup[0]];
        kills += usize::from(kill_somewhere(&env, &args, &mut rng, span));
        let after = backup_state(&mut look(&env), &user);
        let replaced = after.1.len() == 10 && after.0 != before.0 && after.1.iter().all(|h| !before.1.contains(h));
        assert!(after == before || replaced, "{user}: a mix of {} codes", after.1.len());
    }
    assert!(kills > 0, "no run was cut short: the test proved nothing");
}

fn activation_killed_anywhere_is_pending_without_codes_or_active_with_ten(env: Env) {
    let mut rng = Rng::new();
    let first = env.enroll("first");
    let span = duration_ms(&env, &["enroll", "first", "--code", &first.code(0)]);
    let mut kills = 0;
    for i in 0..KILLS {
        let user = format!("u{i}");
        let acct: Account = env.enroll(&user);
        kills += usize::from(kill_somewhere(
            &env,
            &["enroll", &user, "--code", &acct.code(0)],
            &mut rng,
            span,
        ));
        let (state, codes) = after_kill(&env, &user);
        match state.as_deref() {
            Some("pending") => assert_eq!(codes, 0),
            Some("active") => assert_eq!(codes, 10),
            other => panic!("{user}: {other:?}"),
        }
    }
    assert!(kills > 0, "no run was cut short: the test proved nothing");
}

fn admin_reset_killed_anywhere_removes_all_or_nothing(env: Env) {
    let mut rng = Rng::new();
    env.active("first");
    let span = duration_ms(&env, &["admin", "reset", "first", "--reason", "timing", "--yes"]);
    let mut kills = 0;
    for i in 0..KILLS {
        let user = format!("u{i}");
        env.active(&user);
        kills += usize::from(kill_somewhere(
            &env,
            &["admin", "reset", &user, "--reason", "crash test", "--yes"],
            &mut rng,
            span,
        ));
        let (state, codes) = after_kill(&env, &user);
        match state.as_deref() {
            Some("active") => assert_eq!(codes, 10, "{user}"),
            None => assert_eq!(codes, 0, "{user}"),
            other => panic!("{user}: {other:?}"),
        }
    }
    assert!(kills > 0, "no run was cut short: the test proved nothing");
    assert_eq!(env.json(&["audit", "verify"])["ok"], true);
}

fn key_rotation_killed_anywhere_keeps_every_secret_usable(env: Env) {
    let mut rng = Rng::new();
    // A pending enrollment shows its secret again: the proof that it still opens.
    let pending = env.enroll("pat");
    let (alice, _) = env.active("alice");
    let span = duration_ms(&env, &["admin", "rotate-key"]);
    let mut kills = 0;
    for _ in 0..KILLS {
        kills += usize::from(kill_somewhere(&env, &["admin", "rotate-key"], &mut rng, span));
        drop(look(&env));
        let again = env.json(&["enroll", "pat"]);
        assert_eq!(
            Account::from_uri(again["otpauth_uri"].as_str().unwrap()).secret,
            pending.secret
        );
    }
    assert!(kills > 0, "no run was cut short: the test proved nothing");
    env.cmd()
        .args(["verify", "alice", "--code", &alice.code(1)])
        .assert()
        .success();
}

/// A version-1 database (the first schema) with one user and a plain secret.
fn old_database(env: &Env, secret: &[u8]) {
    let conn = Connection::open(&env.db).unwrap();
    conn.execute_batch(twofa::store::sqlite::MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute("INSERT INTO users (id, name, created_at) VALUES (1, 'alice', 0)", [])
        .unwrap();
    conn.execute(
        "INSERT INTO enrollments (user_id, state, secret, issuer, algorithm, digits, period, enrolled_at, activated_at)
         VALUES (1, 'active', ?1, 'old', 'SHA1', 6, 30, 0, 0)",
        [secret],
    )
    .unwrap();
    crate::common::private(&env.db);
}

#[test]
fn migration_killed_anywhere_leaves_a_consistent_version() {
    let secret = b"12345678901234567890".to_vec();
    let mut rng = Rng::new();
    let span = {
        let env = Env::new();
        old_database(&env, &secret);
        duration_ms(&env, &["status", "alice"])
    };
    let mut kills = 0;
    for _ in 0..KILLS {
        let env = Env::new();
        old_database(&env, &secret);
        kills += usize::from(kill_somewhere(&env, &["status", "alice"], &mut rng, span));
        let conn = integrity(&env);
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert!(
            (1..=twofa::store::sqlite::SCHEMA_VERSION as i64).contains(&version),
            "{version}"
        );
        let users: i64 = conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
        assert_eq!(users, 1);
        drop(conn);
        // Whatever was reached, the next run finishes the job and alice's code works.
        let acct = Account {
            secret: secret.clone(),
            secret_b32: String::new(),
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            label: String::new(),
            issuer: String::new(),
        };
        let (code, _, err) = env.run(&["verify", "alice", "--code", &acct.code(0)]);
        assert_eq!(code, exit::OK, "{err}");
    }
    assert!(kills > 0, "no run was cut short: the test proved nothing");
}

#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let (acct, _) = env.active("alice");
    let before = backup_state(&mut Look::Lite(integrity(&env)), "alice");
    // Smaller than one WAL frame: the first page written fails.
    let size: u64 = 4096;
    let mut cmd = env.std_cmd();
    cmd.args(["backup-codes", "alice", "--regenerate", "--code", &acct.code(1)]);
    // No file may grow past 4 KiB: the next write fails as on a full disk
    // (EFBIG instead of a SIGXFSZ death, as SIGXFSZ is ignored).
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: size,
                rlim_max: size,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(exit::FAILURE), "{err}");
    assert!(
        err.lines().count() <= 2 && err.starts_with("error:"),
        "one clear line (and a hint): {err}"
    );
    assert!(err.contains("disk") && err.contains("rolled back"), "{err}");
    assert_eq!(
        backup_state(&mut Look::Lite(integrity(&env)), "alice"),
        before,
        "nothing lost, nothing half-written"
    );
    env.cmd()
        .args(["verify", "alice", "--code", &acct.code(1)])
        .assert()
        .success();
}

#[test]
fn a_read_only_database_is_a_clear_error_and_stays_intact() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let (acct, _) = env.active("alice");
    let conn = integrity(&env);
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let before = std::fs::read(&env.db).unwrap();
    // Readable by all, writable by none but the owner; the test then runs twofa as
    // someone else (root ignores permission bits, so drop to `nobody` when root).
    for p in [env.dir.path(), env.db.as_path()] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for suffix in ["-wal", "-shm"] {
        let mut p = env.db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::set_permissions(std::path::PathBuf::from(p), std::fs::Permissions::from_mode(0o644));
    }
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut cmd = env.std_cmd();
    cmd.args(["verify", "alice", "--code", &acct.code(1)]);
    if unsafe { libc::geteuid() } == 0 {
        unsafe {
            cmd.pre_exec(|| {
                if libc::setgid(65534) != 0 || libc::setuid(65534) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    } else {
        std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(exit::FAILURE), "{err}");
    assert!(err.starts_with("error:") && err.lines().count() <= 2, "{err}");
    assert!(
        err.contains(&env.db.display().to_string()) || err.contains("read-only"),
        "{err}"
    );
    assert!(!err.contains("internal error"), "{err}");
    assert_eq!(std::fs::read(&env.db).unwrap(), before, "the database was not touched");
}

/// The same on PostgreSQL: a database with data at schema version 1 (made by taking a
/// current one back: the tables of the later migrations dropped, their versions
/// forgotten), upgraded by a twofa killed at a random moment: each migration is one
/// transaction with its version row, so any version reached is whole, and the next
/// run finishes the job with alice's code still working.
#[test]
#[cfg_attr(
    not(twofa_pg),
    ignore = "no PostgreSQL server: set TWOFA_TEST_PG=postgres://… to run"
)]
fn migration_killed_anywhere_on_postgresql_leaves_a_consistent_version() {
    let mut rng = Rng::new();
    let at_version_1 = || {
        let env = Env::postgres();
        let (alice, _) = env.active("alice");
        let mut client = env.pg.as_ref().unwrap().client();
        client
            .batch_execute("DROP TABLE outbox; DELETE FROM schema_version WHERE version > 1")
            .unwrap();
        (env, alice, client)
    };
    let span = {
        let (env, _, _) = at_version_1();
        duration_ms(&env, &["status", "alice"])
    };
    let mut kills = 0;
    for _ in 0..KILLS {
        let (env, alice, mut client) = at_version_1();
        kills += usize::from(kill_somewhere(&env, &["status", "alice"], &mut rng, span));
        let version: i64 = client
            .query_one("SELECT max(version)::BIGINT FROM schema_version", &[])
            .unwrap()
            .get(0);
        assert!(
            (1..=twofa::store::postgres::SCHEMA_VERSION as i64).contains(&version),
            "{version}"
        );
        let outbox: bool = client
            .query_one("SELECT to_regclass('outbox') IS NOT NULL", &[])
            .unwrap()
            .get(0);
        assert_eq!(outbox, version >= 2, "version {version} with the outbox {outbox}");
        let users: i64 = client.query_one("SELECT count(*) FROM users", &[]).unwrap().get(0);
        assert_eq!(users, 1);
        let (code, _, err) = env.run(&["verify", "alice", "--code", &alice.code(1)]);
        assert_eq!(code, exit::OK, "{err}");
    }
    assert!(kills > 0, "no run was cut short: the test proved nothing");
}
