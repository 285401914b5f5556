//! Deployment tests: twofa installed the recommended way, a service account
//! `twofa` owning the database and the master key, and staff (dana, mallory, sam)
//! allowed by sudoers to run it as that account. Each test is one attack by a staff
//! member (mallory) through sudo, or one legitimate job, and checks three things: the
//! refusal (or success), that nothing changed and no secret leaked, and what the audit
//! log records: the real person (`sudo_user`), the account (`os_user` = `twofa`), and
//! that they are not the operator.
//!
//! They need root, sudo, and the accounts and sudoers rule of `.ci/deployment-accounts`
//! (whose rule deliberately keeps TWOFA_ACTOR, TWOFA_DB and TWOFA_KEY_FILE through sudo,
//! so the tests prove twofa refuses them itself). `.ci/run` sets all that up and runs
//! them with `TWOFA_DEPLOYMENT_TESTS=1`; a plain `cargo test` lists them as ignored.
//! They share the service account's home, so they run one at a time.

use crate::common::{Account, exit};
use serde_json::Value;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, Once};

/// Where the tests install the binary under test; the sudoers rule names this path.
const BIN: &str = "/usr/local/libexec/twofa-test/twofa";
const SERVICE: &str = "twofa";
const DATA_DIR: &str = "/var/lib/twofa/.local/share/twofa";
const CONFIG_DIR: &str = "/var/lib/twofa/.config/twofa";
const KEY: &str = "/var/lib/twofa/.config/twofa/master.key";
const STAFF: [&str; 3] = ["dana", "mallory", "sam"];
const SUDOERS: &str = "/etc/sudoers.d/twofa-tests";

/// The tests share the service account's database: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());
static INSTALL: Once = Once::new();

/// (exit code, stdout, stderr)
type Out = (i32, String, String);

/// Takes the lock, checks the machine is set up, installs the binary (once), and
/// starts from an empty service account: no database, no key.
fn setup() -> MutexGuard<'static, ()> {
    // A test that failed while holding the lock poisons it; the next one starts afresh anyway.
    let guard = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: geteuid has no preconditions.
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "the deployment tests run as root (they run sudo as root and as staff)"
    );
    for user in std::iter::once(SERVICE).chain(STAFF) {
        let found = Command::new("id").arg("-u").arg(user).output().unwrap();
        assert!(
            found.status.success(),
            "no OS account `{user}`: run .ci/deployment-accounts first (as root)"
        );
    }
    assert!(
        Path::new(SUDOERS).exists(),
        "no {SUDOERS}: run .ci/deployment-accounts first (as root)"
    );
    INSTALL.call_once(install);
    for dir in [DATA_DIR, CONFIG_DIR] {
        match std::fs::remove_dir_all(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => panic!("cannot wipe {dir}: {e}"),
        }
    }
    guard
}

/// Installs the freshly built binary where sudoers allows it: root-owned, 0755, as
/// an administrator would (staff must not be able to replace what they run as twofa).
fn install() {
    let dir = Path::new(BIN).parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::os::unix::fs::chown(dir, Some(0), Some(0)).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Beside it, then renamed over it: never a half-written binary, nor "text file busy".
    let staged = dir.join(".twofa.new");
    std::fs::copy(assert_cmd::cargo::cargo_bin("twofa"), &staged).unwrap();
    std::os::unix::fs::chown(&staged, Some(0), Some(0)).unwrap();
    std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::rename(&staged, BIN).unwrap();
}

/// Runs `program args` with a cleared environment (PATH only, plus `env`), in a new
/// session so that a terminal of whoever runs the tests plays no part (sudo would
/// otherwise use it), with `stdin` piped in (or none).
fn run(program: &str, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Out {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_clear()
        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // A refusal may come before twofa reads stdin: a closed pipe is no error here.
        let _ = pipe.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `sudo -u twofa -- twofa ARGS`, run by root: SUDO_UID=0, so the operator (say, the
/// login service or the provisioning job).
fn as_operator(args: &[&str], stdin: Option<&str>) -> Out {
    as_operator_env(&[], args, stdin)
}

/// [`as_operator`] with variables for twofa (root's own sudo resets the environment,
/// so they go through `env`).
fn as_operator_env(env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Out {
    let mut all = vec!["-u", SERVICE, "--", "env"];
    let pairs: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    all.extend(pairs.iter().map(String::as_str));
    all.push(BIN);
    all.extend_from_slice(args);
    run("sudo", &all, &[], stdin)
}

/// What a staff member types: `sudo -n -u twofa -- twofa ARGS`, run as `user`.
fn as_staff(user: &str, args: &[&str], stdin: Option<&str>) -> Out {
    let mut all = vec!["-u", user, "--", "sudo", "-n", "-u", SERVICE, "--", BIN];
    all.extend_from_slice(args);
    run("sudo", &all, &[], stdin)
}

/// [`as_staff`] with variables the staff member sets, which the sudoers rule keeps.
fn as_staff_env(user: &str, env: &[(&str, &str)], args: &[&str]) -> Out {
    let pairs: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut all = vec!["-u", user, "--", "env"];
    all.extend(pairs.iter().map(String::as_str));
    all.extend(["sudo", "-n", "-u", SERVICE, "--", BIN]);
    all.extend_from_slice(args);
    run("sudo", &all, &[], None)
}

/// What a staff member whose sudoers rule has SETENV can type: `sudo -n -u twofa
/// VAR=value… -- twofa ARGS`, run as `user` (sudo passes the variables through).
fn as_staff_setting(user: &str, vars: &[&str], args: &[&str]) -> Out {
    let mut all = vec!["-u", user, "--", "sudo", "-n", "-u", SERVICE];
    all.extend_from_slice(vars);
    all.extend(["--", BIN]);
    all.extend_from_slice(args);
    run("sudo", &all, &[], None)
}

/// `args` as the operator with `--json`, expecting success.
fn operator_json(args: &[&str], stdin: Option<&str>) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = as_operator(&all, stdin);
    assert_eq!(
        code,
        exit::OK,
        "operator: twofa {args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}: {stdout}"))
}

/// `args` as `user` through sudo with `--json`, expecting success.
fn staff_json(user: &str, args: &[&str], stdin: Option<&str>) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = as_staff(user, &all, stdin);
    assert_eq!(
        code,
        exit::OK,
        "{user} via sudo: twofa {args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}: {stdout}"))
}

/// Asserts the exit code, showing everything when it is not the expected one.
fn expect(out: &Out, code: i32, what: &str) {
    assert_eq!(out.0, code, "{what}\nstdout: {}\nstderr: {}", out.1, out.2);
}

/// Nothing but the error on stdout: with `--json` the error object, never data.
fn only_an_error(out: &Out) {
    if out.1.is_empty() {
        return;
    }
    let v: serde_json::Value = serde_json::from_str(&out.1).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.1));
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["error"], "only an error object on stdout: {}", out.1);
    assert_eq!(v["error"]["exit_code"], out.0, "{}", out.1);
}

fn line(code: &str) -> String {
    format!("{code}\n")
}

/// The operator adds `user` and gives them active 2FA; returns the account (its code
/// of the current step is spent) and the backup codes.
fn active(user: &str) -> (Account, Vec<String>) {
    operator_json(&["user", "add", user], None);
    let v = operator_json(&["enroll", user], None);
    let acct = Account::from_uri(v["otpauth_uri"].as_str().unwrap());
    let v = operator_json(&["enroll", user, "--code", "-"], Some(&line(&acct.code(0))));
    assert_eq!(v["status"], "active");
    let codes = v["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (acct, codes)
}

/// [`active`], then made a global admin by the operator.
fn global_admin(user: &str) -> (Account, Vec<String>) {
    let made = active(user);
    operator_json(&["user", "admin", user, "on"], None);
    made
}

/// The whole audit log, newest first.
fn audit() -> Vec<Value> {
    operator_json(&["audit"], None).as_array().unwrap().clone()
}

/// The newest audit entry with `action`.
fn newest(action: &str) -> Value {
    audit()
        .into_iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no `{action}` entry in the audit log"))
}

/// The entry names the real person behind sudo, the service account, and not the operator.
fn assert_by_staff(e: &Value, person: &str) {
    assert_eq!(e["actor"], person, "{e}");
    assert_eq!(e["actor_via"], "sudo", "{e}");
    assert_eq!(e["sudo_user"], person, "{e}");
    assert_eq!(e["os_user"], SERVICE, "{e}");
    assert_eq!(e["operator"], false, "{e}");
}

fn user_list() -> Vec<Value> {
    operator_json(&["user", "list"], None).as_array().unwrap().clone()
}

fn user_info(name: &str) -> Option<Value> {
    user_list().into_iter().find(|u| u["user"] == name)
}

fn uid_of(user: &str) -> u32 {
    let out = Command::new("id").arg("-u").arg(user).output().unwrap();
    assert!(out.status.success(), "no user {user}");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// The service account's configuration directory, made as an administrator would:
/// it and `~/.config` belong to the service account (made by root here, they would
/// otherwise keep twofa from writing its key file there).
fn service_config_dir() {
    let service = uid_of(SERVICE);
    let dot_config = Path::new(CONFIG_DIR).parent().unwrap();
    for dir in [dot_config, Path::new(CONFIG_DIR)] {
        if !dir.exists() {
            std::fs::create_dir(dir).unwrap();
        }
        std::os::unix::fs::chown(dir, Some(service), None).unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

/// A directory under /tmp, removed (as root) when dropped.
struct TmpDir(PathBuf);

impl TmpDir {
    /// A fresh, unused name under /tmp (the directory is not created).
    fn name(what: &str) -> TmpDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let p = PathBuf::from(format!("/tmp/twofa-deployment-{what}-{}-{nanos}", std::process::id()));
        assert!(!p.exists());
        TmpDir(p)
    }

    fn join(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The names in a directory, sorted.
fn listing(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An org owner adds a global admin to her tiny organization, then tries to use
/// that membership (or a claim to be the admin) to take over the admin's account.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn an_org_owner_cannot_take_over_a_global_admin_she_added() {
    let _serial = setup();
    operator_json(&["config", "set", "skew", "3"], None);
    let (_, _dana_codes) = global_admin("dana");
    let (_, mallory_codes) = active("mallory");
    active("sam");
    operator_json(&["org", "create", "tinyclub", "--owner", "mallory"], None);
    let dana_before = operator_json(&["status", "dana"], None);

    // Adding a member to her own organization is hers to do, with her step-up code.
    let out = as_staff(
        "mallory",
        &["--actor-code", "-", "org", "add", "tinyclub", "dana"],
        Some(&line(&mallory_codes[0])),
    );
    expect(&out, exit::OK, "mallory adds dana to tinyclub");
    assert_by_staff(&newest("org.add"), "mallory");

    // But that gives her no power over dana: no reset of dana's 2FA…
    let out = as_staff(
        "mallory",
        &["--actor-code", "-", "admin", "reset", "dana", "--reason", "x", "--yes"],
        Some(&line(&mallory_codes[1])),
    );
    expect(&out, exit::DENIED, "mallory resets dana's 2FA");
    assert!(out.2.contains("only a global admin may support another"), "{}", out.2);
    let refused = newest("admin.reset");
    assert_by_staff(&refused, "mallory");
    assert_eq!(
        (refused["subject"].as_str(), refused["outcome"].as_str()),
        (Some("dana"), Some("denied"))
    );
    // …no acting as dana to make herself a global admin…
    let out = as_staff(
        "mallory",
        &["--actor", "dana", "--actor-code", "-", "user", "admin", "mallory", "on"],
        Some(&line(&mallory_codes[2])),
    );
    expect(&out, exit::DENIED, "mallory claims to be dana");
    assert!(out.2.contains("may not act as someone else"), "{}", out.2);
    // …nor as herself.
    let out = as_staff(
        "mallory",
        &["--actor-code", "-", "user", "admin", "mallory", "on"],
        Some(&line(&mallory_codes[3])),
    );
    expect(&out, exit::DENIED, "mallory makes herself a global admin");
    // The same trick on someone who is no admin: a membership she made gives her nothing.
    let out = as_staff(
        "mallory",
        &["--actor-code", "-", "org", "add", "tinyclub", "sam"],
        Some(&line(&mallory_codes[4])),
    );
    expect(&out, exit::OK, "mallory adds sam to tinyclub");
    let out = as_staff(
        "mallory",
        &["--actor-code", "-", "admin", "reset", "sam", "--reason", "x", "--yes"],
        Some(&line(&mallory_codes[5])),
    );
    expect(&out, exit::DENIED, "mallory resets sam, whom she added");
    assert!(out.2.contains("themselves"), "{}", out.2);
    assert_eq!(operator_json(&["status", "sam"], None)["status"], "active");

    // dana keeps her 2FA untouched; mallory is no global admin.
    let dana_after = operator_json(&["status", "dana"], None);
    assert_eq!(dana_after["status"], "active");
    for k in [
        "activated_at",
        "backup_codes_remaining",
        "failed_attempts",
        "locked_until",
    ] {
        assert_eq!(dana_after[k], dana_before[k], "{k}");
    }
    assert_eq!(user_info("mallory").unwrap()["global_admin"], false);
    assert_eq!(user_info("dana").unwrap()["global_admin"], true);
    // Nothing in the log was done as dana; mallory's refusals are hers.
    let log = audit();
    assert!(!log.iter().any(|e| e["actor"] == "dana"), "{log:?}");
    let denied: Vec<&Value> = log.iter().filter(|e| e["outcome"] == "denied").collect();
    assert_eq!(denied.len(), 3, "two resets and the self-promotion: {denied:?}");
    for e in denied {
        assert_by_staff(e, "mallory");
    }
    let (code, _, err) = as_operator(&["audit", "verify"], None);
    assert_eq!(code, exit::OK, "{err}");
}

/// A pending secret is shown again to whoever asks for it (scripts retry): only to
/// its user. Another staff member gets nothing, cannot replace or cancel it.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn nobody_else_sees_or_replaces_a_pending_secret() {
    let _serial = setup();
    operator_json(&["user", "add", "sam"], None);
    operator_json(&["user", "add", "mallory"], None);

    let started = staff_json("sam", &["enroll", "sam"], None);
    assert_eq!(started["status"], "pending");
    let uri = started["otpauth_uri"].as_str().unwrap().to_string();
    let secret = Account::from_uri(&uri).secret_b32;
    assert!(secret.len() >= 16);
    let leaked = |out: &Out| {
        let grouped: Vec<String> = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        [&out.1, &out.2]
            .iter()
            .any(|s| s.contains(&secret) || s.contains(&grouped[..4].join(" ")) || s.contains("otpauth://"))
    };

    let out = as_staff("mallory", &["--json", "enroll", "sam"], None);
    expect(&out, exit::DENIED, "mallory shows sam's pending secret");
    only_an_error(&out);
    assert!(!leaked(&out), "sam's secret leaked: {out:?}");
    let out = as_staff("mallory", &["--json", "enroll", "sam", "--new-secret"], None);
    expect(&out, exit::DENIED, "mallory replaces sam's pending secret");
    only_an_error(&out);
    assert!(!leaked(&out), "a secret leaked: {out:?}");
    let out = as_staff("mallory", &["disable", "sam", "--yes"], None);
    expect(&out, exit::DENIED, "mallory cancels sam's enrollment");
    assert!(!leaked(&out), "{out:?}");

    // Each refusal is logged as mallory's.
    let log = audit();
    let denied: Vec<&Value> = log.iter().filter(|e| e["outcome"] == "denied").collect();
    let actions: Vec<&str> = denied.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["disable", "enroll", "enroll"], "newest first");
    for e in &denied {
        assert_by_staff(e, "mallory");
        assert_eq!(e["subject"], "sam");
    }
    assert!(
        !log.iter().any(|e| e["action"] == "enroll.show"),
        "nothing was shown to anyone yet: {log:?}"
    );
    assert!(
        !serde_json::to_string(&log).unwrap().contains(&secret),
        "no secret in the audit log"
    );

    // sam's secret is still the one his app has: he sees the same URI again,
    // and that showing is logged as his.
    let again = staff_json("sam", &["enroll", "sam"], None);
    assert_eq!(
        again["otpauth_uri"].as_str(),
        Some(uri.as_str()),
        "the pending secret changed"
    );
    let shown = newest("enroll.show");
    assert_by_staff(&shown, "sam");
    assert_eq!(shown["subject"], "sam");
    assert_eq!(audit().iter().filter(|e| e["action"] == "enroll.show").count(), 1);
    assert_eq!(operator_json(&["status", "sam"], None)["status"], "pending");
}

/// Enrolling is the user's own business (or the operator's): a staff member can
/// neither start someone's enrollment (and so hold their secret) nor create users.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn nobody_enrolls_someone_else_or_creates_users_by_enrolling() {
    let _serial = setup();
    operator_json(&["user", "add", "dana"], None);
    operator_json(&["user", "add", "mallory"], None);
    let users_before = user_list();

    let out = as_staff("mallory", &["--json", "enroll", "dana"], None);
    expect(&out, exit::DENIED, "mallory enrolls dana");
    only_an_error(&out);
    assert_eq!(operator_json(&["status", "dana"], None)["status"], "none");
    assert_by_staff(&newest("enroll"), "mallory");

    // A staff member the operator has not added yet cannot add herself by enrolling.
    let out = as_staff("sam", &["--json", "enroll", "sam"], None);
    expect(&out, exit::NOT_FOUND, "sam, not a user yet, enrolls himself");
    only_an_error(&out);
    assert!(user_info("sam").is_none(), "enroll made a user: {:?}", user_list());

    // Nor create someone else.
    let out = as_staff("mallory", &["--json", "enroll", "newbie"], None);
    only_an_error(&out);
    assert!(user_info("newbie").is_none(), "enroll made a user: {:?}", user_list());
    assert_eq!(user_list(), users_before);
    let log = audit();
    assert!(
        !log.iter()
            .any(|e| e["action"] == "user.add" && e["subject"] != "dana" && e["subject"] != "mallory"),
        "{log:?}"
    );
    // Refused as someone else's factor (5) before any lookup, so the answer does not
    // tell whether the user exists.
    expect(
        &out,
        exit::DENIED,
        "mallory enrolls an unknown user (only the operator creates users by enrolling)",
    );
}

/// Behind sudo nobody names the actor, even when sudoers passes TWOFA_ACTOR along.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn a_claimed_actor_behind_sudo_is_refused() {
    let _serial = setup();
    global_admin("dana");
    operator_json(&["user", "add", "mallory"], None);
    let before = audit();

    let out = as_staff("mallory", &["--actor", "dana", "user", "add", "eve"], None);
    expect(&out, exit::DENIED, "mallory --actor dana");
    assert!(out.2.contains("may not act as someone else (--actor)"), "{}", out.2);
    let out = as_staff_env("mallory", &[("TWOFA_ACTOR", "dana")], &["user", "add", "eve"]);
    expect(&out, exit::DENIED, "mallory with TWOFA_ACTOR=dana");
    assert!(out.2.contains("may not act as someone else (TWOFA_ACTOR)"), "{}", out.2);
    // Naming a role-holder with TWOFA_ACTOR on a read-only command is refused too.
    let out = as_staff_env("mallory", &[("TWOFA_ACTOR", "dana")], &["status", "dana"]);
    expect(&out, exit::DENIED, "mallory with TWOFA_ACTOR=dana, reading");

    assert!(user_info("eve").is_none());
    // Nothing was done, or recorded, as dana: refused before the database was opened.
    let after = audit();
    assert_eq!(after, before, "the refusals changed the log");
    assert!(
        !after.iter().any(|e| e["actor"] == "dana"),
        "an entry names dana as the actor: {after:?}"
    );
    // Naming oneself is no claim.
    let out = as_staff_env("mallory", &[("TWOFA_ACTOR", "mallory")], &["status", "mallory"]);
    expect(&out, exit::OK, "mallory with TWOFA_ACTOR=mallory");
}

/// Behind sudo, nobody picks the database or the key file (a throwaway database
/// of one's own, or a key file to rotate the real secrets under). And the operator's
/// own mistake, a rotation against a throwaway database, cannot touch the real key.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn the_database_and_key_file_are_not_chosen_behind_sudo() {
    let _serial = setup();
    let (dana, _) = active("dana");
    let key_before = std::fs::read(KEY).unwrap();
    let config_before = listing(CONFIG_DIR);

    let x = TmpDir::name("x");
    let db = format!("{}.db", x.0.display());
    let k = format!("{}.key", x.0.display());
    let out = as_staff("mallory", &["--db", &db, "admin", "rotate-key"], None);
    expect(&out, exit::DENIED, "mallory --db");
    assert!(out.2.contains("only the operator chooses the database"), "{}", out.2);
    let out = as_staff_env("mallory", &[("TWOFA_DB", &db)], &["admin", "rotate-key"]);
    expect(&out, exit::DENIED, "mallory TWOFA_DB");
    assert!(out.2.contains("only the operator chooses the database"), "{}", out.2);
    let out = as_staff_env("mallory", &[("TWOFA_KEY_FILE", &k)], &["admin", "rotate-key"]);
    expect(&out, exit::DENIED, "mallory TWOFA_KEY_FILE");
    assert!(out.2.contains("only the operator chooses the key file"), "{}", out.2);
    assert!(!Path::new(&db).exists(), "{db} was created");
    assert!(!Path::new(&k).exists(), "{k} was created");

    // The operator, on a throwaway database in a directory of the service account,
    // still with the real key file: refused, the real key untouched.
    let tw = TmpDir::name("tw");
    std::fs::create_dir(&tw.0).unwrap();
    std::fs::set_permissions(&tw.0, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(&tw.0, Some(uid_of(SERVICE)), None).unwrap();
    let throwaway = tw.join("x.db");
    // (A database must exist for a rotation: the throwaway one is made first.)
    let out = as_operator(&["--db", &throwaway, "user", "add", "x"], None);
    expect(&out, exit::OK, "the operator makes a throwaway database");
    let out = as_operator(&["--db", &throwaway, "admin", "rotate-key"], None);
    expect(
        &out,
        exit::KEY,
        "the operator rotates the real key against a throwaway database",
    );
    assert!(out.2.contains("belongs to another database"), "{}", out.2);
    assert_eq!(std::fs::read(KEY).unwrap(), key_before, "the real key file changed");
    assert_eq!(listing(CONFIG_DIR), config_before, "files appeared beside the key");
    assert!(
        listing(tw.0.to_str().unwrap()).iter().all(|n| n.starts_with("x.db")),
        "a key file was made beside the throwaway database: {:?}",
        listing(tw.0.to_str().unwrap())
    );

    // The real database still opens with it.
    let out = as_operator(&["verify", "dana", "--code", "-"], Some(&line(&dana.code(1))));
    expect(&out, exit::OK, "verify on the real database");
    let (code, _, err) = as_operator(&["audit", "verify"], None);
    assert_eq!(code, exit::OK, "{err}");
    assert!(
        !audit()
            .iter()
            .any(|e| e["action"] == "admin.rotate_key" || e["actor"] == "mallory")
    );
}

/// Files planted by another user where the operator will look (a world-writable
/// directory): a database or WAL file of mallory's, or one open to everyone, is
/// refused before anything is read or written; so is a key file of hers.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn files_planted_by_someone_else_are_refused() {
    let _serial = setup();
    let as_mallory = |script: &str, path: &str| {
        let out = run(
            "sudo",
            &["-u", "mallory", "--", "sh", "-c", script, "sh", path],
            &[],
            None,
        );
        expect(&out, exit::OK, script);
    };
    // What the operator sees; each case with its own directory of mallory's.
    let planted = |file: &str, content: &str| {
        let dir = TmpDir::name("planted");
        as_mallory("mkdir -m 1777 \"$1\"", dir.0.to_str().unwrap());
        let path = dir.join(file);
        as_mallory(
            &format!("umask 0 && printf %s '{content}' > \"$1\" && chmod 0666 \"$1\""),
            &path,
        );
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.mode() & 0o7777), (uid_of("mallory"), 0o666));
        (dir, path)
    };

    // A WAL file next to where the database will be: it would be replayed into it.
    let (dir, wal) = planted("twofa.db-wal", "planted by mallory");
    let db = dir.join("twofa.db");
    let out = as_operator(&["--db", &db, "user", "add", "x"], None);
    expect(
        &out,
        exit::FAILURE,
        "the operator opens a database beside mallory's WAL file",
    );
    assert!(out.2.contains("chown") && out.2.contains("twofa.db-wal"), "{}", out.2);
    assert_eq!(std::fs::read(&wal).unwrap(), b"planted by mallory");
    assert_eq!(
        listing(dir.0.to_str().unwrap()),
        ["twofa.db-wal"],
        "nothing written beside it"
    );

    // The database itself, empty: SQLite would make a database in it, readable by all.
    let (dir, db) = planted("twofa.db", "");
    let out = as_operator(&["--db", &db, "user", "add", "x"], None);
    expect(&out, exit::FAILURE, "the operator opens mallory's database file");
    assert!(out.2.contains("chown") && out.2.contains("twofa.db"), "{}", out.2);
    assert_eq!(std::fs::read(&db).unwrap(), b"", "the planted database was written");
    assert_eq!(std::fs::metadata(&db).unwrap().uid(), uid_of("mallory"));
    assert_eq!(
        listing(dir.0.to_str().unwrap()),
        ["twofa.db"],
        "nothing written beside it"
    );

    // The service account's own database, but open to everyone: chmod.
    let mine = TmpDir::name("loose");
    std::fs::create_dir(&mine.0).unwrap();
    std::os::unix::fs::chown(&mine.0, Some(uid_of(SERVICE)), None).unwrap();
    let loose = mine.join("twofa.db");
    std::fs::write(&loose, b"").unwrap();
    std::os::unix::fs::chown(&loose, Some(uid_of(SERVICE)), None).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = as_operator(&["--db", &loose, "user", "add", "x"], None);
    expect(&out, exit::FAILURE, "the operator opens a database open to everyone");
    assert!(out.2.contains("chmod 600"), "{}", out.2);
    assert_eq!(std::fs::read(&loose).unwrap(), b"");

    // A key file of mallory's, handed to the operator with TWOFA_KEY_FILE: she
    // would know the key every secret is sealed under.
    operator_json(&["user", "add", "dana"], None);
    let key_text = format!("{}\n", "ab".repeat(32));
    let (_dir, key) = planted("master.key", &key_text);
    let out = as_operator_env(&[("TWOFA_KEY_FILE", &key)], &["--json", "enroll", "dana"], None);
    expect(&out, exit::KEY, "the operator enrolls dana with mallory's key file");
    assert!(out.2.contains("chown"), "{}", out.2);
    only_an_error(&out);
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        key_text,
        "the planted key file changed"
    );
    assert_eq!(operator_json(&["status", "dana"], None)["status"], "none");
}

/// Locking someone out by flooding wrong codes: a staff member may not test codes
/// against another user at all; a login service (the operator) may, and the lock
/// it causes gives way to one of the user's backup codes.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn a_lockout_flood_is_not_for_staff_and_a_backup_code_still_works() {
    let _serial = setup();
    operator_json(&["config", "set", "skew", "3"], None);
    let (dana, dana_codes) = active("dana");
    operator_json(&["user", "add", "mallory"], None);
    let before = operator_json(&["status", "dana"], None);

    let out = as_staff(
        "mallory",
        &["verify", "dana", "--code", "-"],
        Some(&line(&dana.wrong_code())),
    );
    expect(&out, exit::DENIED, "mallory checks a wrong code against dana");
    // Not even a right code is an oracle for her.
    let out = as_staff(
        "mallory",
        &["verify", "dana", "--code", "-"],
        Some(&line(&dana.code(1))),
    );
    expect(&out, exit::DENIED, "mallory checks a right code against dana");
    let status = operator_json(&["status", "dana"], None);
    assert_eq!(status["failed_attempts"], 0, "{status}");
    assert!(status["locked_until"].is_null(), "{status}");
    assert_eq!(status["last_used_at"], before["last_used_at"], "{status}");
    let log = audit();
    let refused: Vec<&Value> = log.iter().filter(|e| e["action"] == "verify").collect();
    assert_eq!(refused.len(), 2, "{log:?}");
    for e in refused {
        assert_by_staff(e, "mallory");
        assert_eq!(
            (e["subject"].as_str(), e["outcome"].as_str()),
            (Some("dana"), Some("denied"))
        );
    }

    // The login service, fed wrong codes by someone, locks dana out…
    for i in 0..5 {
        let out = as_operator(&["verify", "dana", "--code", "-"], Some(&line(&dana.wrong_code())));
        assert!(
            [exit::REJECTED, exit::LOCKED].contains(&out.0),
            "wrong code {i}: {out:?}"
        );
    }
    let status = operator_json(&["status", "dana"], None);
    assert!(status["locked_until"].is_string(), "not locked: {status}");
    let out = as_operator(&["verify", "dana", "--code", "-"], Some(&line(&dana.code(2))));
    expect(&out, exit::LOCKED, "a right TOTP code while locked");
    // …and dana gets in with a backup code, which clears the lock.
    let out = as_operator(&["verify", "dana", "--code", "-"], Some(&line(&dana_codes[0])));
    expect(&out, exit::OK, "a backup code while locked");
    let status = operator_json(&["status", "dana"], None);
    assert_eq!(status["failed_attempts"], 0, "{status}");
    assert!(status["locked_until"].is_null(), "{status}");
    let accepted = newest("verify");
    assert_eq!(accepted["outcome"], "accepted");
    assert!(
        accepted["details"].as_str().unwrap().contains("lock cleared"),
        "{accepted}"
    );
    assert_eq!(accepted["operator"], true);
}

/// A global admin cannot erase recent history, step-up or not.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn recent_history_is_not_pruned_under_sudo() {
    let _serial = setup();
    let (_, dana_codes) = global_admin("dana");
    let before = audit();

    let out = as_staff(
        "dana",
        &["--actor-code", "-", "audit", "prune", "--before", "0"],
        Some(&line(&dana_codes[0])),
    );
    expect(&out, exit::USAGE, "dana prunes everything up to now");
    assert!(out.2.contains("minimum retention"), "{}", out.2);
    let after = audit();
    for e in &before {
        assert!(after.contains(e), "entry {} is gone", e["id"]);
    }
    assert!(!after.iter().any(|e| e["action"] == "audit.prune"), "{after:?}");
    let (code, _, err) = as_operator(&["audit", "verify"], None);
    assert_eq!(code, exit::OK, "{err}");
}

/// The support desk at work: a global admin resets a user's 2FA through sudo with
/// her own code, and the log says who really did it, and why.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn support_staff_reset_a_user_as_themselves() {
    let _serial = setup();
    operator_json(&["config", "set", "skew", "3"], None);
    let (dana, _) = global_admin("dana");
    active("sam");

    let out = as_staff(
        "dana",
        &[
            "--actor-code",
            "-",
            "admin",
            "reset",
            "sam",
            "--reason",
            "lost phone",
            "--ticket",
            "SUP-9",
            "--yes",
        ],
        Some(&line(&dana.code(1))),
    );
    expect(&out, exit::OK, "dana resets sam");
    assert_eq!(operator_json(&["status", "sam"], None)["status"], "none");

    let e = newest("admin.reset");
    assert_by_staff(&e, "dana");
    assert_eq!(e["subject"], "sam");
    assert_eq!(e["outcome"], "ok");
    assert_eq!(e["reason"], "lost phone");
    assert_eq!(e["ticket"], "SUP-9");
    // Her step-up, just before: her own code, checked as her.
    let step_up = newest("step_up");
    assert_by_staff(&step_up, "dana");
    assert_eq!(
        (step_up["subject"].as_str(), step_up["outcome"].as_str()),
        (Some("dana"), Some("accepted"))
    );
    assert!(step_up["id"].as_i64() < e["id"].as_i64());
}

/// `/dev/log`, bound by the test for as long as it lives; removed when dropped. A
/// thread reads every message as it comes: sudo logs there too, and a full queue would
/// block every sender (sudo and twofa both wait when the socket's queue is full).
struct FakeSyslog {
    received: std::sync::Arc<Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

const DEV_LOG: &str = "/dev/log";

impl FakeSyslog {
    fn bind() -> FakeSyslog {
        if std::fs::symlink_metadata(DEV_LOG).is_ok() {
            panic!(
                "{DEV_LOG} already exists (a syslog daemon, or a socket left behind): this test \
                 binds its own {DEV_LOG} to read what twofa sends, and cannot read what a daemon \
                 receives; run it where there is none, as on CI (or remove a stale socket)"
            );
        }
        let sock = std::os::unix::net::UnixDatagram::bind(DEV_LOG).unwrap();
        let received = std::sync::Arc::new(Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut guard = FakeSyslog {
            received: received.clone(),
            stop: stop.clone(),
            reader: None,
        };
        // The service account must be able to send to it.
        std::fs::set_permissions(DEV_LOG, std::fs::Permissions::from_mode(0o666)).unwrap();
        sock.set_read_timeout(Some(std::time::Duration::from_millis(100)))
            .unwrap();
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0u8; 16 * 1024];
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(n) = sock.recv(&mut buf) {
                    let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
                    received.lock().unwrap().push(msg);
                }
            }
        });
        guard.reader = Some(reader);
        guard
    }

    /// The first message received that contains all of `needles`, waiting up to 10 s.
    fn find(&self, needles: &[&str]) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let received = self.received.lock().unwrap().clone();
            if let Some(msg) = received.iter().find(|m| needles.iter().all(|s| m.contains(s))) {
                return msg.clone();
            }
            if std::time::Instant::now() > deadline {
                panic!("no syslog message with {needles:?}; received: {received:#?}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for FakeSyslog {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let _ = std::fs::remove_file(DEV_LOG);
    }
}

#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn audit_entries_are_witnessed_by_syslog() {
    let _serial = setup();
    let syslog = FakeSyslog::bind();

    operator_json(&["user", "add", "zed"], None);
    let e = newest("user.add");
    let msg = syslog.find(&["audit id=", &format!("hash={}", e["hash"].as_str().unwrap())]);
    assert!(msg.contains(&format!("audit id={} ", e["id"])), "{msg}");
    // glibc: <priority>timestamp ident[pid]: message; authpriv (10) * 8 + info (6) = 86.
    assert!(msg.starts_with("<86>"), "not authpriv.info: {msg}");
    assert!(msg.contains("twofa["), "{msg}");
    for part in [
        "os_user=\"twofa\"",
        "operator=yes",
        "action=\"user.add\"",
        "subject=\"zed\"",
        "outcome=\"ok\"",
    ] {
        assert!(msg.contains(part), "{part} missing: {msg}");
    }

    // A staff member's entry names them too.
    operator_json(&["user", "add", "mallory"], None);
    let out = as_staff("mallory", &["--json", "enroll", "zed"], None);
    expect(&out, exit::DENIED, "mallory enrolls zed");
    let e = newest("enroll");
    assert_by_staff(&e, "mallory");
    let msg = syslog.find(&[&format!("hash={}", e["hash"].as_str().unwrap())]);
    for part in [
        "actor=\"mallory\"",
        "via=sudo",
        "os_user=\"twofa\"",
        "sudo_user=\"mallory\"",
        "operator=no",
        "action=\"enroll\"",
        "outcome=\"denied\"",
    ] {
        assert!(msg.contains(part), "{part} missing: {msg}");
    }
    drop(syslog);
    assert!(std::fs::symlink_metadata(DEV_LOG).is_err(), "{DEV_LOG} left behind");
}

/// With a sudoers rule that lets her set variables (SETENV), a staff member cannot
/// pass herself off as root behind sudo; and a staff member allowed to run twofa as
/// root is still himself there, not the operator.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn sudo_variables_and_root_through_sudo_give_no_operator_rights() {
    let _serial = setup();
    operator_json(&["user", "add", "dana"], None);
    let users_before = user_list();
    // sudo passes the variables on the command line through (SETENV).
    let out = as_staff_setting("mallory", &["SUDO_UID=0", "SUDO_USER=root"], &["user", "add", "x2"]);
    expect(&out, exit::USAGE, "mallory claims to be root behind sudo");
    assert!(out.2.contains("SUDO_USER and SUDO_UID"), "{}", out.2);
    assert_eq!(user_list(), users_before);
    // Nor the service account itself (which would make her the operator).
    let service_uid = uid_of(SERVICE).to_string();
    let pair = [format!("SUDO_UID={service_uid}"), format!("SUDO_USER={SERVICE}")];
    let out = as_staff_setting("mallory", &[&pair[0], &pair[1]], &["user", "admin", "mallory", "on"]);
    expect(
        &out,
        exit::USAGE,
        "mallory claims to be the service account acting directly",
    );
    assert_eq!(user_list(), users_before);
    // sam runs twofa as root: he may not pick a database anywhere as root.
    let target = format!("/tmp/twofa-deployment-asroot-{}.db", std::process::id());
    let out = run(
        "sudo",
        &[
            "-u", "sam", "--", "sudo", "-n", "--", BIN, "--db", &target, "user", "list",
        ],
        &[],
        None,
    );
    expect(&out, exit::DENIED, "sam, through sudo as root, chooses a database");
    assert!(!std::path::Path::new(&target).exists());
}

/// The service account's configuration file names the database (as a deployment names
/// its PostgreSQL server): the operator and staff behind sudo both use it without
/// choosing anything, and a file someone else could have written is refused.
#[test]
#[cfg_attr(
    not(twofa_deployment),
    ignore = "needs root, sudo and the accounts of .ci/deployment-accounts; .ci/run runs it with TWOFA_DEPLOYMENT_TESTS=1"
)]
fn the_service_accounts_configuration_names_the_database() {
    let _serial = setup();
    let service = uid_of(SERVICE);
    let data = TmpDir::name("fleet");
    std::fs::create_dir(&data.0).unwrap();
    std::fs::set_permissions(&data.0, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(&data.0, Some(service), None).unwrap();
    let db = data.join("fleet.db");
    service_config_dir();
    let config = Path::new(CONFIG_DIR).join("config.toml");
    std::fs::write(&config, format!("database = {db:?}\n")).unwrap();
    std::os::unix::fs::chown(&config, Some(service), None).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();

    active("dana");
    assert!(Path::new(&db).exists(), "the database is where the configuration says");
    assert!(
        !Path::new(DATA_DIR).join("twofa.db").exists(),
        "nothing at the default place"
    );
    let v = staff_json("dana", &["status", "dana"], None);
    assert_eq!(v["status"], "active", "{v}");

    // A configuration file of mallory's (say, planted while it was writable): refused.
    std::os::unix::fs::chown(&config, Some(uid_of("mallory")), None).unwrap();
    let out = as_staff("dana", &["status", "dana"], None);
    assert_ne!(out.0, exit::OK, "{}", out.2);
    assert!(out.2.contains("not to this account or root"), "{}", out.2);
    let out = as_operator(&["user", "list"], None);
    assert_ne!(out.0, exit::OK, "{}", out.2);
}

/// Behind sudo on PostgreSQL, the password comes only from the service account's own
/// files: a staff member allowed to set variables (mallory, SETENV) who passes the
/// right password in `PGPASSWORD` still gets no connection, while the service
/// account's `~/.pgpass`, or a `password_file` its configuration names, works for
/// every staff member. No password ever reaches a message.
#[test]
#[cfg_attr(
    not(all(twofa_deployment, twofa_pg)),
    ignore = "needs root, sudo, the accounts of .ci/deployment-accounts and a PostgreSQL server; .ci/run runs it inside its PostgreSQL pass"
)]
fn on_postgresql_behind_sudo_only_the_service_accounts_password_counts() {
    use twofa::store::postgres::testdb::{self, TestDatabase};
    let _serial = setup();
    let service = uid_of(SERVICE);
    let base = testdb::base().expect("TWOFA_TEST_PG");
    let pg = TestDatabase::create(&base);
    let role = format!("{}_svc", pg.name);
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw).unwrap();
    let password: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    pg.client()
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{password}'; ALTER DATABASE {} OWNER TO {role}",
            pg.name
        ))
        .unwrap();
    // The same server over TCP, as the service's role, with no password in the URL.
    let port = base
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|authority| authority.rsplit_once(':'))
        .map(|(_, port)| port.to_string())
        .expect("TWOFA_TEST_PG names a port");
    let url = format!("postgres://{role}@127.0.0.1:{port}/{}", pg.name);
    let write_config = |text: &str| {
        service_config_dir();
        let config = Path::new(CONFIG_DIR).join("config.toml");
        std::fs::write(&config, text).unwrap();
        std::os::unix::fs::chown(&config, Some(service), None).unwrap();
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    };
    let private_to_service = |path: &Path, text: &str| {
        std::fs::write(path, text).unwrap();
        std::os::unix::fs::chown(path, Some(service), None).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    };
    write_config(&format!("database = \"{url}\"\n"));
    let pgpass = Path::new("/var/lib/twofa/.pgpass");
    let _ = std::fs::remove_file(pgpass);

    // mallory passes the right password through sudo (SETENV): not taken.
    let with_password = format!("PGPASSWORD={password}");
    let mallory = |args: &[&str]| as_staff_setting("mallory", &[with_password.as_str()], args);
    let out = mallory(&["user", "list"]);
    expect(&out, exit::FAILURE, "a password from the invoking person's environment");
    assert!(out.2.contains("password"), "{}", out.2);
    assert!(!out.1.contains(&password) && !out.2.contains(&password), "{out:?}");

    // The service account's own ~/.pgpass: everyone's commands connect.
    private_to_service(pgpass, &format!("*:*:*:{role}:{password}\n"));
    operator_json(&["user", "add", "alice"], None);
    let v = staff_json("dana", &["user", "list"], None);
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    let out = mallory(&["--json", "user", "list"]);
    expect(&out, exit::OK, "mallory with the service's own .pgpass");
    std::fs::remove_file(pgpass).unwrap();

    // Or a password_file that the service's configuration names.
    let file = Path::new(CONFIG_DIR).join("pgpassword");
    private_to_service(&file, &format!("{password}\n"));
    write_config(&format!("database = \"{url}?password_file={}\"\n", file.display()));
    let v = staff_json("dana", &["user", "list"], None);
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    // A password file someone else could read is refused, without its contents.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = as_staff("dana", &["user", "list"], None);
    assert_ne!(out.0, exit::OK, "{}", out.2);
    assert!(!out.2.contains(&password), "{}", out.2);

    drop(pg);
    let mut admin = TestDatabase::connect(&base);
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}")).unwrap();
}
