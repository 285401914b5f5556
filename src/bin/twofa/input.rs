//! Getting codes and confirmations from a person or a script. Flags first, then
//! standard input when it is not a terminal, and a prompt only on a terminal.

use crate::exit::CliError;
use anyhow::{Context, Result};
use std::io::{BufRead, IsTerminal, Read, Write};
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

/// Asks a yes/no question on the terminal (`QUESTION [y/N] ` on stderr); `Cancelled`
/// unless the answer is y or yes. A whole line is read, Enter included, so that the
/// Enter typed after `y` is not left for the next prompt (or the shell).
pub fn confirm(question: &str) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{question} [y/N] ").context("cannot write the question to the terminal")?;
    stderr.flush().context("cannot write the question to the terminal")?;
    drop(stderr);
    let mut answer = String::new();
    // A terminal in canonical mode hands over one line per read: nothing past the
    // Enter is taken from the prompts that follow.
    std::io::stdin()
        .lock()
        .take(MAX_STDIN_BYTES)
        .read_line(&mut answer)
        .context("cannot read the answer from the terminal")?;
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(CliError::Cancelled.into())
    }
}

fn is_yes(answer: &str) -> bool {
    let answer = answer.trim();
    answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes")
}

/// The confirmation of a change that cannot be undone: none with `--yes`, the
/// question on a terminal, and without a terminal a usage error naming `--yes`
/// (a script must say so, not get its change by default).
pub fn confirm_destructive(yes: bool, question: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !stdin_is_terminal() {
        return Err(CliError::Usage(format!(
            "standard input is not a terminal, so \"{question}\" cannot be asked: pass --yes to go ahead (nothing was changed)"
        ))
        .into());
    }
    confirm(question)
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

#[cfg(test)]
mod tests {
    use super::is_yes;

    #[test]
    fn only_y_and_yes_are_yes() {
        for yes in ["y\n", "Y\n", "yes\n", "YES", " Yes \r\n"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n\n", "no", "yep", "y es", "ye"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
