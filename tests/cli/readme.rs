//! The README's command blocks, run as written, in order, against a fresh database,
//! with `oathtool` as the authenticator app: a walkthrough that drifts from the tool
//! fails here. A line may end in an error only where its comment announces it
//! ("exit 5"). Not run: the set-up commands (they build twofa), sample terminal
//! sessions (lines starting `$ `), lines that need a terminal ("on a terminal"), the
//! sudo deployment (it creates OS accounts; the deployment tests cover it) and the
//! benchmark (CI runs it separately).

use std::path::Path;
use std::process::Command;

/// The README's indented blocks: each a list of (command, comment) lines, with
/// comment-only continuation lines folded into the line before.
fn blocks(readme: &str) -> Vec<Vec<(String, String)>> {
    let mut all = vec![];
    let mut current: Vec<(String, String)> = vec![];
    for line in readme.lines().chain(std::iter::once("")) {
        match line.strip_prefix("    ") {
            Some(text) => {
                let text = text.trim_end();
                let (command, comment) = match text.find("  #").or_else(|| text.starts_with('#').then_some(0)) {
                    Some(i) => (text[..i].trim(), text[i..].trim_start_matches([' ', '#']).trim()),
                    None => (text.trim(), ""),
                };
                match (command.is_empty(), current.last_mut()) {
                    (true, Some(last)) => {
                        last.1.push(' ');
                        last.1.push_str(comment);
                    }
                    _ => current.push((command.to_string(), comment.to_string())),
                }
            }
            None if !current.is_empty() => all.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    all
}

/// Exit codes a line's comment announces ("exit 5", "exit 1"), besides success.
fn announced(comment: &str) -> Vec<i32> {
    let mut codes = vec![0];
    let words: Vec<&str> = comment.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    for pair in words.windows(2) {
        if pair[0] == "exit"
            && let Ok(n) = pair[1].parse()
        {
            codes.push(n);
        }
    }
    codes
}

fn runnable(block: &[(String, String)]) -> bool {
    let first = &block[0].0;
    !(first.starts_with("$ ")
        || first.starts_with("cargo ")
        || first.starts_with("python3 benches/")
        || block
            .iter()
            .any(|(c, _)| c.starts_with("useradd") || c.starts_with("sudo ")))
}

#[test]
#[cfg_attr(
    not(has_oathtool),
    ignore = "needs oathtool (Debian package oathtool, which .ci/run installs; then `touch build.rs`)"
)]
fn the_readme_blocks_run_as_written() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("twofa"), bin.join("twofa")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    // Variables a line sets (SECRET, CODE) are kept for the lines after it.
    let state = dir.path().join("state.sh");
    std::fs::write(&state, "").unwrap();
    let mut ran = 0;
    for block in blocks(&readme).iter().filter(|b| runnable(b)) {
        for (command, comment) in block {
            if comment.contains("on a terminal") {
                continue;
            }
            let script = format!(
                "set -o pipefail; . \"$STATE\"; {command}\nrc=$?; declare -p SECRET CODE > \"$STATE\" 2>/dev/null; exit $rc"
            );
            let out = Command::new("bash")
                .args(["-c", &script])
                .env_clear()
                .env("PATH", &path)
                .env("HOME", dir.path())
                .env("TWOFA_DB", dir.path().join("twofa.db"))
                .env("STATE", &state)
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            let code = out.status.code().unwrap_or(-1);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                announced(comment).contains(&code),
                "README: `{command}` exited {code}, which its comment does not announce ({comment:?})\nstdout: {}\nstderr: {stderr}",
                String::from_utf8_lossy(&out.stdout)
            );
            assert!(!stderr.contains("internal error"), "`{command}`: {stderr}");
            ran += 1;
        }
    }
    assert!(ran > 25, "only {ran} README lines ran: is the README parsed right?");
}

#[test]
fn the_readme_parser_folds_comments_and_reads_announced_exits() {
    let b = blocks("text\n\n    twofa a   # one\n                # two, exit 5\n    twofa b\n\nmore\n");
    assert_eq!(
        b,
        [vec![
            ("twofa a".to_string(), "one two, exit 5".to_string()),
            ("twofa b".to_string(), String::new())
        ]]
    );
    assert_eq!(announced("exit 0: may enter; exit 5: denied"), [0, 0, 5]);
}
