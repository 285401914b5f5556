//! twofa: TOTP two-factor authentication for the users of one or more organizations,
//! kept in a local SQLite database.
//!
//! The pure core — [`factors`] (TOTP, backup codes, lockout), [`policy`], [`audit`],
//! [`text`], [`settings`] — knows nothing of terminals or SQL and takes time from a
//! [`clock::Clock`], so window edges and lockout expiry are tested without sleeping.
//! [`secrets`] seals secrets under the master key and guards the files. [`store`] owns
//! every SQL statement and the migrations. [`service`] ties them together: each
//! operation is one transaction.
//! Another Rust program can embed [`service::Service`] to verify codes without shelling out.

pub mod actor;
pub mod audit;
pub mod clock;
pub mod error;
pub mod factors;
pub mod mail;
pub mod policy;
pub mod secrets;
pub mod service;
pub mod settings;
pub mod store;
pub mod text;

pub use error::{Error, Result};

#[cfg(test)]
mod proptests;
