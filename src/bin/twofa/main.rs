//! twofa: parse, dispatch, turn the result into an exit code. Nothing else.

mod cli;
mod commands;
mod config;
mod exit;
mod hardening;
mod hints;
mod input;
mod output;
mod paths;
mod qr;
mod terminal;
mod whoami;
mod witness;

#[cfg(test)]
mod generated;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything else, so that no secret is ever in a process that could dump it.
    hardening::harden();
    exit::install_panic_hook();
    // A prompt interrupted by Ctrl-C must not leave the terminal without echo.
    terminal::restore_on_interrupt();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => exit::usage_error(e),
    };
    exit::set_reporting(exit::Reporting {
        json: cli.json,
        db: cli.db_flag(),
    });
    ExitCode::from(exit::report(commands::run(cli)))
}
