//! The fixture shared by the service tests.

use super::*;
use crate::clock::ManualClock;
use std::sync::Arc;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub svc: Service<Arc<ManualClock>>,
}

/// 5 seconds into a time step, so ±1 step is unambiguous.
pub const T0: i64 = 1_800_000_005;

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    // The backend every service test runs against: another one is this one line.
    let store = crate::store::sqlite::Store::open(&dir.path().join("t.db")).unwrap();
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
}
