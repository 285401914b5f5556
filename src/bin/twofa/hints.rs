//! What to do about an error: every hint that names a command, a flag or an
//! environment variable is written here, in the binary, next to the definitions it
//! names (the library reports kinds and facts). A test checks each command and flag
//! named below against the clap definitions, so renaming one cannot leave a hint
//! pointing nowhere.

use twofa::Error;
use twofa::error::Remedy;
use twofa::factors::code::CodeError;
use twofa::mail::MailError;
use twofa::secrets::keyfile::KeyFileError;
use twofa::store::StoreError;

/// A name as it would be typed in a shell (quoted when it has spaces, `;`, …), so a
/// pasted hint runs the command it shows and nothing else.
fn q(name: &str) -> String {
    crate::exit::shell_word(name)
}

pub fn for_error(e: &Error) -> Option<String> {
    Some(match e {
        Error::UnknownUser(u) => format!("add them with `twofa user add {}`", q(u)),
        Error::NotEnrolled(u) => format!("enroll them with `twofa enroll {}`", q(u)),
        Error::Pending(u) => format!("activate it with the first code on standard input: `twofa enroll {} --code -`", q(u)),
        Error::NothingPending(u) => format!("start one with `twofa enroll {}`", q(u)),
        Error::AlreadyActive(u) => format!(
            "to move to a new device, run `twofa disable {0}` (with a current code or a backup code), then `twofa enroll {0}`",
            q(u)
        ),
        Error::LockedOut { user, .. } => format!(
            "wait until then, or use a backup code (one still works, and clears the lock); an admin can run `twofa admin unlock {} --reason ...`",
            q(user)
        ),
        Error::Storage(e) => return for_store(e),
        Error::Key(e) => return for_key_file(e),
        Error::Denied { hint, .. } => return hint.as_ref().map(remedy),
        Error::Unless { remedy: r, .. } => remedy(r),
        Error::StepUpRequired(_) => {
            "pass it on standard input with `--actor-code -` (or type it at the prompt on a terminal)".into()
        }
        Error::UnknownOrg(o) => format!("create it with `twofa org create {} --owner USER`", q(o)),
        Error::NoDatabase(_) => {
            "check --db, TWOFA_DB and `database` in config.toml; a database is created by the first `twofa user add`, `twofa enroll` or `twofa org create`".into()
        }
        Error::LastOwner(o) => format!("make someone else owner first: `twofa org role {} USER owner`", q(o)),
        Error::Code(CodeError::Empty) => "pass the code on standard input (`--code -`)".into(),
        Error::Mail(MailError::NotConfigured) => {
            "set a server with `twofa config set mail_smtp_url smtp://relay.example.com:587` (or a command with `twofa config set mail_sendmail ...`)".into()
        }
        Error::Mail(MailError::NoSender) => "set the sender with `twofa config set mail_from twofa@example.com`".into(),
        Error::Mail(MailError::Send(_) | MailError::Rejected(_)) => {
            "check the server with `twofa mail test ADDRESS`; queued mail is sent by `twofa mail flush`".into()
        }
        _ => return None,
    })
}

/// What the person can do, as the library reports it, in this tool's words.
fn remedy(r: &Remedy) -> String {
    match r {
        Remedy::EnrollFirst { user } => format!("enroll first: `twofa enroll {}`, then pass a current code", q(user)),
        Remedy::StepUpCode => "pass the actor's own current code on standard input with `--actor-code -`".into(),
        Remedy::NewSecret => "pass `--new-secret` to replace it".into(),
        Remedy::NameOwner => "name the owner: `twofa org create ORG --owner USER`".into(),
        Remedy::ResetDeadlines => "say so with `--reset-deadlines`".into(),
        Remedy::Advice(text) => text.clone(),
    }
}

fn for_store(e: &StoreError) -> Option<String> {
    Some(match e {
        StoreError::IsDirectory(p) => format!("pass a file path, e.g. --db {}", p.join("twofa.db").display()),
        StoreError::TooNew { .. } => "upgrade twofa to a version that knows this schema".into(),
        StoreError::NotADatabase(_) | StoreError::NotTwofa(_) => {
            "check --db / TWOFA_DB; twofa never overwrites a file it does not recognise".into()
        }
        StoreError::Io | StoreError::Full => {
            "check the free space and the health of the disk holding the database".into()
        }
        StoreError::ReadOnly => {
            "twofa needs write access to the database, its directory, and its -wal/-shm files".into()
        }
        StoreError::Unsafe(u) => u.fix(),
        StoreError::Privilege(_) => "have a role that owns the schema run `twofa db init`, then grant this role SELECT, INSERT, UPDATE, DELETE on its tables and USAGE on its sequences".into(),
        _ => return None,
    })
}

fn for_key_file(e: &KeyFileError) -> Option<String> {
    Some(match e {
        KeyFileError::Unsafe(u) => u.fix(),
        KeyFileError::Missing { path } | KeyFileError::WrongKey { path } => format!(
            "restore the key file to {} (or point TWOFA_KEY_FILE at it); without it the secrets cannot be used and every user must be reset",
            path.display()
        ),
        KeyFileError::Malformed { path } => format!("restore {} from a backup", path.display()),
        KeyFileError::OtherDatabase { path } => format!(
            "each database has its own key; point TWOFA_KEY_FILE at this database's key, or at a new path to make one for a new database (not {})",
            path.display()
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every `twofa …` named in a hint of the binary is a real command, and every
    /// option after it one of that command's options (or a global one).
    #[test]
    fn every_command_and_flag_a_hint_names_exists() {
        let mut root = crate::cli::Cli::command();
        root.build(); // with clap's own --help and --version
        let sources = [
            include_str!("hints.rs"),
            include_str!("exit.rs"),
            include_str!("commands/enroll.rs"),
            include_str!("commands/access.rs"),
            include_str!("commands/admin.rs"),
            include_str!("commands/mail.rs"),
            include_str!("commands/send_code.rs"),
        ];
        let mut checked = 0;
        for source in sources {
            for (i, _) in source.match_indices("`twofa ") {
                let words: Vec<&str> = source[i + 7..]
                    .split(['`', '"', '\n'])
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .collect();
                // A placeholder for a command (`twofa {}` in a format string, `twofa …`).
                if !words
                    .first()
                    .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                {
                    continue;
                }
                let mut cmd = &root;
                let mut flags = vec![];
                for w in &words {
                    if let Some(flag) = w.strip_prefix("--") {
                        flags.push(flag.to_string());
                    } else if let Some(sub) = cmd.find_subcommand(w) {
                        cmd = sub;
                    } else {
                        // An argument (a name, a placeholder): the command path ends here.
                        if flags.is_empty() && cmd.get_name() == "twofa" {
                            panic!("a hint names `twofa {}`, which is no command", words.join(" "));
                        }
                    }
                }
                for flag in flags {
                    let known = cmd
                        .get_arguments()
                        .chain(root.get_arguments())
                        .any(|a| a.get_long() == Some(flag.as_str()));
                    assert!(
                        known,
                        "a hint names `--{flag}`, which `{}` does not have",
                        cmd.get_name()
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 10, "only {checked} hints found");
        // And every option named on its own is an option of some command.
        fn all_longs(cmd: &clap::Command, out: &mut Vec<String>) {
            out.extend(cmd.get_arguments().filter_map(|a| a.get_long().map(String::from)));
            cmd.get_subcommands().for_each(|s| all_longs(s, out));
        }
        let mut longs = vec![];
        all_longs(&root, &mut longs);
        for source in sources {
            for (i, _) in source.match_indices("`--") {
                let flag: String = source[i + 3..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                assert!(
                    flag.is_empty() || longs.contains(&flag),
                    "a hint names `--{flag}`, which no command has"
                );
            }
        }
    }
}
