//! Organizations on the real binary, through its scripting contract.

use crate::common::{Env, exit};

fn setup(env: &Env) {
    env.json(&["user", "add", "olga"]);
    env.json(&["org", "create", "acme", "--owner", "olga"]);
}

fn member<'a>(status: &'a serde_json::Value, user: &str) -> &'a serde_json::Value {
    status["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"] == user)
        .unwrap()
}

fn require_2fa_blocks_until_enrollment_and_access_follows(env: Env) {
    setup(&env);
    env.json(&["user", "add", "bob"]);
    env.json(&["org", "add", "acme", "bob", "--role", "member"]);
    env.cmd().args(["access", "bob", "--org", "acme"]).assert().success();

    let report = env.json(&["org", "require-2fa", "acme", "on", "--grace", "0"]);
    let must: Vec<&str> = report["must_enroll"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"].as_str().unwrap())
        .collect();
    assert_eq!(must, ["bob", "olga"]);

    let s = env.json(&["org", "status", "acme"]);
    let bob = member(&s, "bob");
    assert_eq!(
        (bob["two_factor"].as_str(), bob["compliance"].as_str()),
        (Some("none"), Some("blocked"))
    );
    assert!(bob["deadline"].as_str().unwrap().ends_with('Z'));
    assert_eq!(s["summary"]["blocked"], 2);

    let (code, out, err) = env.run(&["--json", "access", "bob", "--org", "acme"]);
    assert_eq!(code, exit::DENIED, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["reason"], "enrollment_required");
    assert!(
        !err.contains("error:") && err.contains("hint:"),
        "one verdict, on stdout: {err}"
    );
    let (code, out, _) = env.run(&["access", "bob", "--org", "acme"]);
    assert_eq!(code, exit::DENIED);
    assert!(
        out.contains("denied") && out.contains("must enroll first"),
        "words for people: {out}"
    );

    // A blocked user can still enroll, and is let in once active.
    env.active("bob");
    env.cmd().args(["access", "bob", "--org", "acme"]).assert().success();
    let s = env.json(&["org", "status", "acme"]);
    assert_eq!(member(&s, "bob")["compliance"], "ok");
    assert!(member(&s, "bob")["deadline"].is_null());

    env.json(&["org", "require-2fa", "acme", "off"]);
    env.cmd().args(["access", "olga", "--org", "acme"]).assert().success();
}

fn grace_period_lets_members_in_until_the_deadline(env: Env) {
    setup(&env);
    env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    let v = env.json(&["access", "olga", "--org", "acme"]);
    assert_eq!(
        (v["allowed"].as_bool(), v["reason"].as_str()),
        (Some(true), Some("grace_period"))
    );
    let deadline = v["deadline"].as_str().unwrap();
    let s = env.json(&["org", "status", "acme", "--non-compliant"]);
    assert_eq!(member(&s, "olga")["deadline"].as_str(), Some(deadline));
    assert_eq!(member(&s, "olga")["compliance"], "grace");
}

fn dry_run_changes_nothing(env: Env) {
    setup(&env);
    let report = env.json(&["org", "require-2fa", "acme", "on", "--dry-run"]);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["must_enroll"][0]["compliance"], "blocked");
    assert_eq!(env.json(&["org", "status", "acme"])["require_2fa"], false);
    env.cmd().args(["access", "olga", "--org", "acme"]).assert().success();
}

fn sso_users_are_exempt_and_shown_as_such(env: Env) {
    setup(&env);
    env.json(&["user", "add", "sam", "--sso"]);
    env.json(&["org", "add", "acme", "sam"]);
    env.json(&["org", "require-2fa", "acme", "on"]);
    assert_eq!(env.json(&["access", "sam", "--org", "acme"])["reason"], "sso_exempt");
    assert_eq!(
        member(&env.json(&["org", "status", "acme"]), "sam")["compliance"],
        "exempt"
    );
    let (_, out, _) = env.run(&["org", "status", "acme"]);
    assert!(out.contains("managed by SSO"), "{out}");
    env.json(&["user", "sso", "sam", "off"]);
    env.expect_exit(&["access", "sam", "--org", "acme"], exit::DENIED);
}

fn disable_is_refused_while_an_organization_requires_2fa(env: Env) {
    setup(&env);
    let (acct, _) = env.active("alice");
    env.json(&["org", "add", "acme", "alice"]);
    env.json(&["org", "require-2fa", "acme", "on"]);
    let err = env.expect_exit(&["disable", "alice", "--code", &acct.code(1)], exit::DENIED);
    assert!(err.contains("organization `acme` requires it"), "{err}");
    assert!(err.contains("admin"), "{err}");
    assert_eq!(env.status("alice")["status"], "active");
}

fn access_without_org_and_not_a_member(env: Env) {
    setup(&env);
    env.json(&["user", "add", "nina"]);
    let v = env.json(&["access", "nina"]);
    assert_eq!(v["allowed"], true);
    let (code, out, _) = env.run(&["--json", "access", "nina", "--org", "acme"]);
    assert_eq!(code, exit::DENIED);
    assert!(out.contains("not_a_member"));
}

fn bad_input_and_the_last_owner(env: Env) {
    setup(&env);
    env.expect_exit(&["org", "status", "nope"], exit::NOT_FOUND);
    env.expect_exit(&["access", "olga", "--org", "nope"], exit::NOT_FOUND);
    env.expect_exit(&["org", "add", "acme", "olga", "--role", "emperor"], exit::USAGE);
    env.expect_exit(&["org", "require-2fa", "acme", "on", "--grace", "1y"], exit::USAGE);
    env.expect_exit(&["org", "require-2fa", "acme", "maybe"], exit::USAGE);
    env.expect_exit(&["org", "remove", "acme", "olga"], exit::CONFLICT);
    env.expect_exit(&["org", "role", "acme", "olga", "member"], exit::CONFLICT);
    env.expect_exit(&["user", "remove", "olga", "--yes"], exit::CONFLICT);
    env.expect_exit(&["org", "create", "acme"], exit::CONFLICT);
    env.expect_exit(&["user", "add", "olga"], exit::CONFLICT);
    env.expect_exit(&["org", "create", "bad\u{7}name"], exit::USAGE);
}

fn users_and_orgs_are_listed_and_removed(env: Env) {
    setup(&env);
    env.json(&["user", "add", "max", "--email", "max@example.com"]);
    env.json(&["org", "add", "acme", "max", "--role", "owner"]);
    env.json(&["org", "role", "acme", "olga", "member"]);
    let users = env.json(&["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 2);
    assert_eq!(users[0]["email"], "max@example.com");
    env.json(&["user", "remove", "olga", "--yes"]);
    env.expect_exit(&["status", "olga"], exit::NOT_FOUND);
    let orgs = env.json(&["org", "list"]);
    assert_eq!(orgs[0]["members"], 1);
    env.json(&["org", "delete", "acme", "--yes"]);
    assert_eq!(env.json(&["org", "list"]).as_array().unwrap().len(), 0);
}

/// Many members in one go (argument list or one name a line on stdin), in one
/// transaction with a report per name; an unknown name adds nobody.
fn members_are_added_in_bulk_all_or_none(env: Env) {
    for u in ["olga", "bob", "carol", "dave"] {
        env.json(&["user", "add", u]);
    }
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    let v = env.json(&["org", "add", "acme", "bob", "olga", "carol"]);
    let results: Vec<(&str, &str)> = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["user"].as_str().unwrap(), m["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        results,
        [("bob", "added"), ("olga", "already_member"), ("carol", "added")]
    );
    assert!(v["members"][0]["deadline"].is_string(), "{v}");
    // An unknown name: nobody is added.
    let err = env.expect_exit(&["org", "add", "acme", "dave", "ghost", "phantom"], exit::NOT_FOUND);
    assert!(
        err.contains("ghost") && err.contains("phantom") && err.contains("nobody was added"),
        "{err}"
    );
    // Names on stdin, one a line.
    env.cmd()
        .args(["--json", "org", "add", "acme", "-"])
        .write_stdin("dave\n\n")
        .assert()
        .success();
    let status = env.json(&["org", "status", "acme"]);
    assert_eq!(status["members"].as_array().unwrap().len(), 4);
    assert_eq!(env.json(&["audit", "--action", "org.add"]).as_array().unwrap().len(), 3);
}

/// Re-applying "on" (a configuration job run again) does not extend anyone's grace.
fn re_applying_require_2fa_keeps_deadlines(env: Env) {
    env.json(&["user", "add", "olga", "--email", "olga@acme.test"]);
    env.json(&["org", "create", "acme", "--owner", "olga"]);
    let first = env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    assert_eq!(first["deadlines"], "set");
    assert_eq!(first["must_enroll"][0]["email"], "olga@acme.test", "for the mailer");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = env.json(&["org", "require-2fa", "acme", "on", "--grace", "7d"]);
    assert_eq!(again["deadlines"], "kept");
    assert_eq!(again["must_enroll"][0]["deadline"], first["must_enroll"][0]["deadline"]);
    let err = env.expect_exit(&["org", "require-2fa", "acme", "on", "--grace", "14d"], exit::CONFLICT);
    assert!(err.contains("--reset-deadlines"), "{err}");
    let dry = env.json(&[
        "org",
        "require-2fa",
        "acme",
        "on",
        "--grace",
        "14d",
        "--reset-deadlines",
        "--dry-run",
    ]);
    assert_eq!(dry["deadlines"], "reset");
    let reset = env.json(&[
        "org",
        "require-2fa",
        "acme",
        "on",
        "--grace",
        "14d",
        "--reset-deadlines",
    ]);
    assert_ne!(reset["must_enroll"][0]["deadline"], first["must_enroll"][0]["deadline"]);
    let (_, out, _) = env.run(&["org", "require-2fa", "acme", "on"]);
    assert!(out.contains("every deadline is kept"), "{out}");
}

/// `org delete` and `user remove` without a terminal to confirm on
/// need --yes.
fn deleting_without_a_terminal_needs_yes(env: Env) {
    setup(&env);
    env.json(&["user", "add", "zed"]);
    for args in [&["org", "delete", "acme"][..], &["user", "remove", "zed"]] {
        let err = env.expect_exit(args, exit::USAGE);
        assert!(
            err.contains("--yes") && err.contains("not a terminal"),
            "{args:?}: {err}"
        );
        let mut help = args[..2].to_vec();
        help.push("--help");
        let (_, help, _) = env.run(&help);
        assert!(help.contains("exit 2"), "{args:?}: {help}");
    }
    env.json(&["org", "status", "acme"]);
    env.json(&["status", "zed"]);
}

on_both_backends!(
    require_2fa_blocks_until_enrollment_and_access_follows,
    grace_period_lets_members_in_until_the_deadline,
    dry_run_changes_nothing,
    sso_users_are_exempt_and_shown_as_such,
    disable_is_refused_while_an_organization_requires_2fa,
    access_without_org_and_not_a_member,
    bad_input_and_the_last_owner,
    users_and_orgs_are_listed_and_removed,
    members_are_added_in_bulk_all_or_none,
    re_applying_require_2fa_keeps_deadlines,
    deleting_without_a_terminal_needs_yes,
);
