//! completions/ and man/ are generated from the clap definitions and committed. This
//! test regenerates them in memory and fails when the committed files are stale;
//! `TWOFA_REGENERATE=1 cargo test generated` rewrites them.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const REGENERATE: &str = "TWOFA_REGENERATE=1 cargo test generated";

fn completions(files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell] {
        let mut cmd = Cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "twofa", &mut buf);
        let name = match shell {
            Shell::Bash => "twofa.bash",
            Shell::Zsh => "_twofa",
            Shell::Fish => "twofa.fish",
            Shell::Elvish => "twofa.elv",
            _ => "_twofa.ps1",
        };
        files.insert(Path::new("completions").join(name), buf);
    }
}

/// One page per command and subcommand: twofa.1, twofa-enroll.1, twofa-config-set.1, …
fn man_pages(files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    fn walk(cmd: &clap::Command, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut buf = Vec::new();
        man.render(&mut buf).expect("rendering to memory cannot fail");
        files.insert(Path::new("man").join(man.get_filename()), buf);
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, files);
        }
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    walk(&cmd, files);
}

fn expected() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    completions(&mut files);
    man_pages(&mut files);
    files
}

#[test]
fn generated_completions_and_man_pages_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = expected();
    if std::env::var_os("TWOFA_REGENERATE").is_some() {
        for dir in ["completions", "man"] {
            let _ = std::fs::remove_dir_all(root.join(dir));
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for (path, content) in &files {
            std::fs::write(root.join(path), content).unwrap();
        }
        return;
    }
    let mut stale = vec![];
    for (path, content) in &files {
        if std::fs::read(root.join(path)).ok().as_deref() != Some(content.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
            let rel = Path::new(dir).join(entry.file_name());
            if !files.contains_key(&rel) {
                stale.push(format!("{} (no longer generated)", rel.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {}\nregenerate them with: {REGENERATE}",
        stale.join(", ")
    );
}
