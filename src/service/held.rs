//! The factors a user holds, as the service reasons about them: what their
//! two-factor state is, and which factors a typed code is tried against.

use super::State;
use crate::clock::Timestamp;
use crate::factors::{FactorKind, FactorState};
use crate::store::FactorRow;

/// A user's factors, in the order codes are tried against them.
#[derive(Debug, Clone, Default)]
pub(super) struct Held(pub(super) Vec<FactorRow>);

impl Held {
    /// The factor that makes the user's two-factor authentication: the first
    /// active one (backup codes aside), else the first pending one.
    pub(super) fn primary(&self) -> Option<&FactorRow> {
        let primary = || self.0.iter().filter(|f| f.kind.is_primary());
        primary()
            .find(|f| f.state == FactorState::Active)
            .or_else(|| primary().next())
    }

    /// Two-factor authentication is active with any active factor (backup codes only
    /// back one up), pending with a pending one and none active.
    pub(super) fn state(&self) -> State {
        let primary = || self.0.iter().filter(|f| f.kind.is_primary());
        if primary().any(|f| f.state == FactorState::Active) {
            State::Active
        } else if primary().next().is_some() {
            State::Pending
        } else {
            State::None
        }
    }

    /// The factors a code is tried against, in order: the pending ones for an
    /// activation, else the active ones.
    pub(super) fn candidates(&self, activating: bool) -> impl Iterator<Item = &FactorRow> {
        let want = if activating {
            FactorState::Pending
        } else {
            FactorState::Active
        };
        self.0.iter().filter(move |f| f.state == want)
    }

    /// Whether a factor (backup codes aside) waits for activation.
    pub(super) fn has_pending(&self) -> bool {
        self.0
            .iter()
            .any(|f| f.kind.is_primary() && f.state == FactorState::Pending)
    }

    /// The kinds of the active factors, backup codes aside.
    pub(super) fn active_kinds(&self) -> Vec<FactorKind> {
        self.0
            .iter()
            .filter(|f| f.kind.is_primary() && f.state == FactorState::Active)
            .map(|f| f.kind)
            .collect()
    }

    /// When any of the user's factors was last used.
    pub(super) fn last_used_at(&self) -> Option<Timestamp> {
        self.0.iter().filter_map(|f| f.last_used_at).max()
    }
}
