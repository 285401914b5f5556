//! `twofa db copy`: a whole database into a new one that the same key opens.

use crate::common::{Env, exit};

#[test]
fn a_copy_verifies_with_the_same_key_and_keeps_the_audit_chain() {
    let env = Env::new();
    let (alice, backup) = env.active("alice");
    env.json(&["user", "add", "bob", "--email", "bob@example.org"]);
    env.json(&["org", "create", "acme", "--owner", "alice"]);
    env.cmd()
        .args(["verify", "alice", "--code", "000000"])
        .assert()
        .code(exit::REJECTED);
    let to = env.dir.path().join("copy.db");
    let v = env.json(&["db", "copy", env.db.to_str().unwrap(), to.to_str().unwrap()]);
    let rows = |table: &str| {
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .unwrap()["rows"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(rows("users"), 2);
    assert_eq!(rows("orgs"), 1);
    assert_eq!(rows("backup_codes"), 10);
    assert!(rows("audit") > 3);
    assert!(rows("verifications") >= 2);
    // The copy: the same users, the chain intact (with its db.copy entry), and the
    // same key opens it: alice's next code and a backup code work there.
    let on_copy = |args: &[&str]| {
        let out = env.cmd_on(&to).arg("--json").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(on_copy(&["user", "list"]), env.json(&["user", "list"]));
    let verified = on_copy(&["audit", "verify"]);
    assert_eq!(verified["ok"], true, "{verified}");
    let last = on_copy(&["audit", "--limit", "1"]);
    assert_eq!(last[0]["action"], "db.copy", "{last}");
    on_copy(&["verify", "alice", "--code", &alice.code(1)]);
    on_copy(&["verify", "alice", "--code", &backup[0]]);
    // The original is untouched by what happened on the copy.
    env.json(&["verify", "alice", "--code", &backup[0]]);
}

#[test]
fn a_copy_goes_only_into_an_empty_database_and_leaves_nothing_when_refused() {
    let env = Env::new();
    env.active("alice");
    let other = Env::new();
    other.json(&["user", "add", "zed"]);
    let err = env.expect_exit(
        &["db", "copy", env.db.to_str().unwrap(), other.db.to_str().unwrap()],
        exit::CONFLICT,
    );
    assert!(err.contains("not empty"), "{err}");
    let users = other.json(&["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 1, "the target is unchanged");
    // A source that does not exist: refused, and no target is made.
    let to = env.dir.path().join("never.db");
    let missing = env.dir.path().join("missing.db");
    env.expect_exit(
        &["db", "copy", missing.to_str().unwrap(), to.to_str().unwrap()],
        exit::NOT_FOUND,
    );
    assert!(!to.exists());
}
