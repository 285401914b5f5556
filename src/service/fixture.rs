//! The fixture shared by the service tests. The backend comes from the environment:
//! SQLite by default, PostgreSQL when `TWOFA_TEST_PG` names a server (each test then
//! gets a database of its own, dropped after it), so that one suite proves both:
//!
//! ```text
//! TWOFA_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres cargo test --lib service
//! ```

use super::*;
use crate::clock::ManualClock;
use crate::store::postgres::testdb::{self, TestDatabase};
use std::sync::Arc;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub svc: Service<Arc<ManualClock>>,
    /// The PostgreSQL database, when the tests run on PostgreSQL (dropped last).
    pub pg: Option<TestDatabase>,
}

/// 5 seconds into a time step, so ±1 step is unambiguous.
pub const T0: i64 = 1_800_000_005;

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let pg = testdb::base().map(|base| TestDatabase::create(&base));
    let db = match &pg {
        Some(pg) => std::ffi::OsString::from(&pg.url),
        None => dir.path().join("t.db").into_os_string(),
    };
    let store = crate::store::open(&db, None).unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    Fixture {
        svc: Service::new(
            store,
            clock.clone(),
            crate::actor::Actor::operator("operator", crate::actor::Via::Api),
            crate::secrets::keyfile::KeyFile::new(dir.path().join("master.key")),
        )
        .unwrap(),
        clock,
        dir,
        pg,
    }
}

impl Fixture {
    pub fn code(&self, p: &Pending, offset_steps: i64) -> String {
        otp::code_at(
            &p.secret,
            p.params,
            self.clock.now() + offset_steps * i64::from(p.params.period),
        )
        .to_string()
    }

    /// Enrolls and activates `user`; returns the enrollment and the backup codes.
    pub fn active(&mut self, user: &str) -> (Pending, Vec<String>) {
        let p = self.svc.enroll(user, &EnrollRequest::default()).unwrap();
        let codes = self.svc.activate(user, &self.code(&p, 0)).unwrap();
        // Move two steps on, so that even the previous step is after the activation's.
        self.clock.advance(60);
        (p, codes.codes.iter().map(|c| c.to_string()).collect())
    }

    /// Runs `sql` on the database behind twofa's back (the same SQL must suit both
    /// backends): how a test plays an attacker with write access to the store.
    pub fn tamper(&self, sql: &str) {
        match &self.pg {
            Some(pg) => {
                pg.client().batch_execute(sql).unwrap();
            }
            None => {
                rusqlite::Connection::open(self.dir.path().join("t.db"))
                    .unwrap()
                    .execute_batch(sql)
                    .unwrap();
            }
        }
    }

    /// Every byte the database keeps: the SQLite file and its WAL, or a `pg_dump` of
    /// the PostgreSQL database (bytea there is hex: search for that form as well).
    pub fn dump(&mut self) -> Vec<u8> {
        let _ = self.svc.store.checkpoint();
        match &self.pg {
            Some(pg) => crate::store::postgres::testdb::pg_dump(&pg.url),
            None => {
                let mut bytes = std::fs::read(self.dir.path().join("t.db")).unwrap();
                bytes.extend(std::fs::read(self.dir.path().join("t.db-wal")).unwrap_or_default());
                bytes
            }
        }
    }
}

/// Whether `haystack` holds `needle` as raw bytes or as lowercase hex (how `pg_dump`
/// writes bytea).
pub fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    let hex: Vec<u8> = needle.iter().flat_map(|b| format!("{b:02x}").into_bytes()).collect();
    [needle, hex.as_slice()]
        .iter()
        .any(|n| !n.is_empty() && haystack.windows(n.len()).any(|w| w == *n))
}
