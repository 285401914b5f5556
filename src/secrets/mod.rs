//! Keeping secrets: sealing them under the master key, the key file, and refusing
//! files that are not the running user's own and private.

pub mod crypto;
pub mod files;
pub mod keyfile;
