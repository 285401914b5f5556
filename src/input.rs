//! Getting codes and confirmations from a person or a script. Flags first, then
//! standard input when it is not a terminal, and a prompt only on a terminal.

use crate::exit::CliError;
use anyhow::{Context, Result};
use std::io::{IsTerminal, Read};
use zeroize::Zeroizing;

/// More than any code could be; the rest of a hostile stream is never read.
const MAX_STDIN_BYTES: u64 = 4096;

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// The code for an operation: `--code CODE`, `--code -` (stdin), stdin when it is not
/// a terminal, else a prompt that does not echo.
pub fn code(flag: Option<&str>, prompt: &str) -> Result<Zeroizing<String>> {
    match flag {
        Some("-") => read_stdin(),
        Some(code) => Ok(Zeroizing::new(code.to_string())),
        None if !stdin_is_terminal() => read_stdin(),
        None => prompt_hidden(prompt),
    }
}

pub fn prompt_hidden(prompt: &str) -> Result<Zeroizing<String>> {
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .context("cannot read the code from the terminal")
}

fn read_stdin() -> Result<Zeroizing<String>> {
    let mut buf = Zeroizing::new(Vec::new());
    std::io::stdin()
        .lock()
        .take(MAX_STDIN_BYTES)
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    let text = std::str::from_utf8(&buf)
        .map_err(|_| CliError::Usage("the code on standard input is not UTF-8 text".into()))?;
    Ok(Zeroizing::new(text.lines().next().unwrap_or("").to_string()))
}

/// Asks a yes/no question on the terminal; `Cancelled` on "no".
pub fn confirm(question: &str) -> Result<()> {
    let yes = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .context("cannot read the answer from the terminal")?;
    if yes { Ok(()) } else { Err(CliError::Cancelled.into()) }
}

/// User names from standard input, one a line (blank lines skipped), for commands
/// that take many (`org add ORG -`).
pub fn names_from_stdin() -> Result<Vec<String>> {
    if stdin_is_terminal() {
        return Err(
            CliError::Usage("`-` reads names from standard input, which is a terminal; pipe them in".into()).into(),
        );
    }
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(16 << 20)
        .read_to_string(&mut text)
        .context("cannot read standard input")?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}
