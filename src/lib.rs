//! twofa: TOTP two-factor authentication for the users of one or more organizations,
//! kept in a local SQLite database.
//!
//! The pure core — [`otp`], [`backup`], [`lockout`], [`code`], [`names`] — knows nothing of
//! terminals or SQL and takes time from a [`clock::Clock`], so window edges and lockout
//! expiry are tested without sleeping. [`store`] owns every SQL statement and the
//! migrations. [`service`] ties the two together: each operation is one transaction.
//! Another Rust program can embed [`service::Service`] to verify codes without shelling out.

pub mod actor;
pub mod audit;
pub mod backup;
pub mod clock;
pub mod code;
pub mod crypto;
pub mod duration;
pub mod error;
pub mod files;
pub mod keyfile;
pub mod lockout;
pub mod names;
pub mod otp;
pub mod policy;
pub mod service;
pub mod settings;
pub mod store;
pub mod timefmt;

pub use error::{Error, Result};

#[cfg(test)]
mod proptests;
