//! Lockout after consecutive failures: the n-th lockout lasts `base × 2^(n−1)`, capped.
//! Pure state transitions; the service stores the state in the same transaction as
//! the attempt it follows from.

use crate::clock::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Consecutive failures that trigger a lockout.
    pub max_failures: u32,
    /// Length of the first lockout, in seconds.
    pub base_secs: i64,
    /// No lockout lasts longer than this.
    pub max_secs: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_failures: 5,
            base_secs: 5 * 60,
            max_secs: 60 * 60,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockState {
    /// Failures since the last success or the last lockout.
    pub failures: u32,
    pub locked_until: Option<Timestamp>,
    /// Lockouts since the last success; each one doubles the next.
    pub lockouts: u32,
}

impl LockState {
    /// `Some(until)` while locked.
    pub fn locked(&self, now: Timestamp) -> Option<Timestamp> {
        self.locked_until.filter(|&until| until > now)
    }

    pub fn after_failure(self, policy: &Policy, now: Timestamp) -> LockState {
        let failures = self.failures.saturating_add(1);
        if failures < policy.max_failures.max(1) {
            return LockState { failures, ..self };
        }
        let doubling = 1i64.checked_shl(self.lockouts.min(62)).unwrap_or(i64::MAX);
        let secs = policy.base_secs.saturating_mul(doubling).min(policy.max_secs);
        LockState {
            failures: 0,
            locked_until: Some(now.saturating_add(secs)),
            lockouts: self.lockouts.saturating_add(1),
        }
    }

    /// A success proves the user holds the factor: forget past failures.
    pub fn after_success(self) -> LockState {
        LockState::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};

    #[test]
    fn locks_after_exactly_max_failures() {
        let p = Policy::default();
        let t = 1_000;
        let mut s = LockState::default();
        for i in 1..5 {
            s = s.after_failure(&p, t);
            assert_eq!(s.failures, i);
            assert_eq!(s.locked(t), None);
        }
        s = s.after_failure(&p, t);
        assert_eq!(s.locked(t), Some(t + 300));
        assert_eq!(s.failures, 0);
    }

    #[test]
    fn lockouts_double_up_to_an_hour_and_expire() {
        let p = Policy::default();
        let clock = ManualClock::new(50_000);
        let mut s = LockState::default();
        for expected in [300, 600, 1200, 2400, 3600, 3600] {
            for _ in 0..5 {
                s = s.after_failure(&p, clock.now());
            }
            let until = s.locked(clock.now()).expect("locked");
            assert_eq!(until - clock.now(), expected);
            clock.set(until - 1);
            assert!(
                s.locked(clock.now()).is_some(),
                "still locked one second before the end"
            );
            clock.set(until);
            assert_eq!(s.locked(clock.now()), None, "unlocked at the end");
        }
    }

    #[test]
    fn success_resets_failures_and_doubling() {
        let p = Policy::default();
        let mut s = LockState::default();
        for _ in 0..5 {
            s = s.after_failure(&p, 0);
        }
        s = s.after_failure(&p, 400).after_success();
        assert_eq!(s, LockState::default());
        for _ in 0..5 {
            s = s.after_failure(&p, 1000);
        }
        assert_eq!(s.locked(1000), Some(1300), "back to the first lockout length");
    }

    #[test]
    fn configurable_threshold() {
        let p = Policy {
            max_failures: 3,
            base_secs: 60,
            max_secs: 120,
        };
        let mut s = LockState::default();
        for _ in 0..3 {
            s = s.after_failure(&p, 0);
        }
        assert_eq!(s.locked(0), Some(60));
    }
}
