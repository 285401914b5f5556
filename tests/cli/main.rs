//! Integration tests: the real `twofa` binary against temporary databases.
//! One test binary (modules below) builds faster than one per file.

#[macro_use]
mod common;

mod audit;
mod authenticators;
mod authz;
mod backup_codes;
mod bad_input;
mod concurrency;
mod config;
mod crash;
mod db;
mod deployment;
mod disable;
mod enroll;
mod hostile;
mod hygiene;
mod interactive;
mod keys;
mod mail;
mod mail_refused;
mod orgs;
mod qr;
mod readme;
mod scripts;
mod status;
mod support;
mod trust;
mod verify;
