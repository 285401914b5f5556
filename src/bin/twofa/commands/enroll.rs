//! `twofa enroll USER [--code CODE]`: start an enrollment (QR code, URI, secret), then
//! activate it with a first code — at a prompt on a terminal, or later with `--code` or
//! the code piped in.

use super::Context;
use crate::cli::{AlgorithmArg, EnrollArgs, MethodArg, QrArg};
use crate::exit::CliError;
use crate::input;
use crate::output::{Output, Render};
use crate::qr;
use crate::terminal;
use anyhow::{Context as _, Result};
use serde::{Serialize, Serializer};
use std::io::Write;
use std::path::{Path, PathBuf};
use twofa::clock::{Clock, Timestamp};
use twofa::factors::otp::{self, Algorithm};
use twofa::service::{EnrollRequest, IssuedCodes, Pending, Service, State};
use twofa::text::timefmt::{rfc3339, serde_ts};
use zeroize::Zeroizing;

pub fn run(ctx: &Context, args: EnrollArgs) -> Result<()> {
    let mut svc = ctx.service_or_create()?;
    let terminal = input::stdin_is_terminal();
    let code = match args.code.as_deref() {
        Some(flag) => Some(input::code(Some(flag), "")?),
        // A code piped in activates a pending enrollment, as `verify` reads one; an
        // empty or closed stdin (`</dev/null`) only shows the enrollment again.
        None if !terminal && !args.new_secret && matches!(svc.state(&args.user), Ok(State::Pending)) => {
            Some(input::code(Some("-"), "")?).filter(|c| !c.trim().is_empty())
        }
        None => None,
    };
    let prompt = code.is_none() && terminal && !ctx.out.json;
    if args.save.is_some() && code.is_none() && !prompt {
        return Err(CliError::Usage(
            "--save keeps the backup codes of an activation, and there is none here: pass the first code on standard input (--code -) or run on a terminal"
                .into(),
        )
        .into());
    }
    // Made before anything changes, so that a file that cannot be made loses nothing.
    let save = args.save.as_deref().map(SaveFile::create).transpose()?;
    if let Some(code) = code {
        let issued = ctx
            .mailing(&mut svc, |s| s.activate(&args.user, &code))
            .map_err(|e| lockout_advice(ctx, &args.user, e))?;
        return show_backup_codes(ctx, &Activated::from(&issued), &issued, save);
    }
    if args.method == MethodArg::Email {
        super::send_code::mail_must_be_on(ctx, &mut svc)?;
        // (A second factor needs a code of one already held: the step-up prompt.)
        let sent = ctx.privileged(&mut svc, |s| s.enroll_email(&args.user))?;
        ctx.out.print(&sent)?;
        if !ctx.out.json {
            ctx.out.note(format_args!(
                "Activate it with the code from the mail on standard input: twofa enroll {} --method email --code -",
                crate::exit::shell_word(&args.user)
            ));
        }
        return Ok(());
    }
    let req = request(&args);
    let pending = ctx.privileged(&mut svc, |s| s.enroll(&args.user, &req))?;
    let qr_style = match args.qr {
        Some(QrArg::None) => None,
        Some(QrArg::Unicode) => Some(qr::Style::Unicode),
        Some(QrArg::Ansi) => Some(qr::Style::Ansi),
        None if ctx.out.color => Some(qr::Style::Ansi),
        None => Some(qr::Style::Unicode),
    };
    let mut view = PendingView::new(&pending, qr_style);
    if !ctx.out.json {
        if qr_style.is_some() && view.qr.is_none() {
            ctx.out
                .note("(no QR code: the URI is too long for one; add the key by hand)");
        }
        // A QR code wider than the terminal wraps and cannot be scanned: none, and why.
        let needed = view.qr.as_deref().map(|q| qr::columns(q));
        if let (Some(needed), Some(cols)) = (needed, terminal::columns())
            && needed > cols
        {
            view.qr = None;
            ctx.out.note(format_args!(
                "(no QR code: it needs {needed} columns and the terminal has {cols}; widen the window and run this again, or add the key by hand below)"
            ));
        }
    }
    ctx.out.print_secret(&view)?;
    if !pending.new_secret && !ctx.out.json {
        ctx.out.note(format_args!(
            "(the pending enrollment of {} again; --new-secret starts over)",
            pending.user
        ));
    }
    if !prompt {
        if !ctx.out.json {
            ctx.out.note(format_args!(
                "Activate it with the first code on standard input: twofa enroll {} --code -",
                crate::exit::shell_word(&pending.user)
            ));
        }
        return Ok(());
    }
    activate_at_prompt(ctx, &mut svc, &pending, save)
}

fn request(args: &EnrollArgs) -> EnrollRequest {
    EnrollRequest {
        issuer: args.issuer.clone(),
        algorithm: args.algorithm.map(|a| match a {
            AlgorithmArg::Sha1 => Algorithm::Sha1,
            AlgorithmArg::Sha256 => Algorithm::Sha256,
            AlgorithmArg::Sha512 => Algorithm::Sha512,
        }),
        digits: args.digits,
        period: args.period,
        new_secret: args.new_secret,
    }
}

/// Asks for codes until one activates the enrollment, the user gives up (empty
/// input), or the lockout stops them; then shows the backup codes once.
fn activate_at_prompt<C: Clock>(
    ctx: &Context,
    svc: &mut Service<C>,
    pending: &Pending,
    save: Option<SaveFile>,
) -> Result<()> {
    let prompt = format!(
        "Enter the {}-digit code from the app (empty to finish later): ",
        pending.params.digits
    );
    let issued = loop {
        let code = input::prompt_hidden(&prompt)?;
        if code.trim().is_empty() {
            ctx.out.note(format_args!(
                "Left pending. Finish with the code on standard input: twofa enroll {} --code -",
                crate::exit::shell_word(&pending.user)
            ));
            if let Some(save) = &save {
                ctx.out
                    .note(format_args!("(nothing saved: {} removed)", save.path.display()));
            }
            return Ok(());
        }
        match ctx.mailing(svc, |s| s.activate(&pending.user, &code)) {
            Ok(issued) => break issued,
            Err(e @ (twofa::Error::Rejected { locked_until: None, .. } | twofa::Error::Code(_))) => {
                ctx.out.note(format_args!("{e}; try again"));
            }
            Err(e) => return Err(lockout_advice(ctx, &pending.user, e)),
        }
    };
    show_backup_codes(ctx, &Activated::from(&issued), &issued, save)?;
    ctx.out.note(format_args!(
        "Done: {} now signs in with a code from the app.",
        pending.user
    ));
    Ok(())
}

/// Activation stopped by the lockout: say what to do, beside the error itself. A pending
/// enrollment has no backup codes yet, so: wait, or have an admin clear the lock.
fn lockout_advice(ctx: &Context, user: &str, e: twofa::Error) -> anyhow::Error {
    let until = match &e {
        twofa::Error::Rejected {
            locked_until: Some(until),
            ..
        }
        | twofa::Error::LockedOut { until, .. } => Some(*until),
        _ => None,
    };
    if let Some(until) = until {
        let user = crate::exit::shell_word(user);
        ctx.out.note(format_args!(
            "Too many wrong codes: activating {user} is locked until {}. Wait until then and activate again \
             (`twofa enroll {user}`, or the code on standard input: `twofa enroll {user} --code -`); \
             a pending enrollment has no backup codes to use instead. Or ask an admin to clear the lock now: \
             `twofa admin unlock {user} --reason ...`",
            rfc3339(until)
        ));
    }
    e.into()
}

/// Shows new backup codes (activation, `backup-codes --regenerate`), writes them to the
/// `--save` file when there is one, and on a terminal asks until the person says they
/// have kept them.
pub fn show_backup_codes<T: Serialize + Render>(
    ctx: &Context,
    view: &T,
    issued: &IssuedCodes,
    save: Option<SaveFile>,
) -> Result<()> {
    if issued.codes.is_empty() {
        // No new codes (a second factor): nothing to save or confirm; an unused
        // --save file is removed when it drops.
        return ctx.out.print(view);
    }
    // Written first but reported after the codes are shown: a failed write loses nothing.
    let saved = save.map(|s| s.write(issued)).transpose();
    ctx.out.print_secret(view)?;
    if let Some(path) = saved? {
        if !ctx.out.json {
            ctx.out
                .note(format_args!("Also saved in {} (readable only by you).", path.display()));
        }
        return Ok(());
    }
    if ctx.out.json || !input::stdin_is_terminal() {
        return Ok(());
    }
    loop {
        match input::confirm("Have you saved these backup codes somewhere safe?") {
            Ok(()) => return Ok(()),
            Err(e) if matches!(e.downcast_ref::<CliError>(), Some(CliError::Cancelled)) => ctx
                .out
                .note("They will not be shown again. Copy them now, then answer yes."),
            Err(e) => return Err(e),
        }
    }
}

/// The `--save FILE` of new backup codes: made (new, 0600) before the change that
/// issues them, removed again unless they were written to it.
pub struct SaveFile {
    path: PathBuf,
    file: std::fs::File,
    kept: bool,
}

impl SaveFile {
    pub fn create(path: &Path) -> Result<SaveFile> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).map_err(|e| {
            CliError::Usage(match e.kind() {
                std::io::ErrorKind::AlreadyExists => format!(
                    "{} already exists and --save never overwrites a file; name a new one (nothing was changed)",
                    path.display()
                ),
                _ => format!("cannot create {}: {e} (nothing was changed)", path.display()),
            })
        })?;
        // Not left behind empty by a Ctrl-C at the prompt that follows.
        crate::terminal::remove_on_interrupt(Some(path));
        Ok(SaveFile {
            path: path.to_path_buf(),
            file,
            kept: false,
        })
    }

    /// A header line naming the user and the time, then one code per line, each written
    /// as is (no joined copy left unwiped), synced to disk.
    fn write(mut self, issued: &IssuedCodes) -> Result<PathBuf> {
        let mut write = || -> std::io::Result<()> {
            writeln!(
                self.file,
                "# twofa backup codes of {}, made {}; each works once",
                issued.user,
                rfc3339(issued.at)
            )?;
            for code in &issued.codes {
                self.file.write_all(code.as_bytes())?;
                self.file.write_all(b"\n")?;
            }
            self.file.sync_all()
        };
        write().with_context(|| format!("cannot write the backup codes to {}", self.path.display()))?;
        self.kept = true;
        crate::terminal::remove_on_interrupt(None);
        Ok(self.path.clone())
    }
}

impl Drop for SaveFile {
    fn drop(&mut self) {
        if !self.kept {
            crate::terminal::remove_on_interrupt(None);
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn ser_secret<S: Serializer>(v: &Zeroizing<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// What an authenticator app needs. `secret` is the base32 key without padding.
#[derive(Serialize)]
struct PendingView {
    user: String,
    status: &'static str,
    issuer: String,
    algorithm: Algorithm,
    digits: u8,
    period: u32,
    #[serde(serialize_with = "ser_secret")]
    secret: Zeroizing<String>,
    #[serde(serialize_with = "ser_secret")]
    otpauth_uri: Zeroizing<String>,
    #[serde(with = "serde_ts")]
    enrolled_at: Timestamp,
    /// The QR code encodes the URI, secret included: wiped like it.
    #[serde(skip)]
    qr: Option<Zeroizing<String>>,
    #[serde(skip)]
    grouped: Zeroizing<String>,
}

impl PendingView {
    fn new(p: &Pending, qr_style: Option<qr::Style>) -> Self {
        let uri = p.otpauth_uri();
        // A URI too long for any QR code (very long names) still enrolls: by hand.
        let qr = qr_style.and_then(|style| qr::render(&uri, style).ok());
        PendingView {
            user: p.user.clone(),
            status: "pending",
            issuer: p.issuer.clone(),
            algorithm: p.params.algorithm,
            digits: p.params.digits,
            period: p.params.period,
            secret: otp::secret_base32(&p.secret),
            otpauth_uri: uri,
            enrolled_at: p.enrolled_at,
            qr,
            grouped: otp::secret_grouped(&p.secret),
        }
    }
}

impl Render for PendingView {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if let Some(qr) = &self.qr {
            writeln!(out, "Scan this QR code with your authenticator app:\n")?;
            out.write_all(qr.as_bytes())?;
            writeln!(out)?;
        }
        writeln!(out, "Or add the key by hand:  {}", self.grouped.as_str())?;
        writeln!(
            out,
            "  account {}:{}, time-based, {}, {} digits, every {} s",
            self.issuer,
            self.user,
            self.algorithm.as_str(),
            self.digits,
            self.period
        )?;
        if self.algorithm != Algorithm::Sha1 || self.period != 30 {
            writeln!(
                out,
                "  (some apps, Google Authenticator among them, ignore algorithm and period settings)"
            )?;
        }
        writeln!(out, "URI: {}", self.otpauth_uri.as_str())
    }
}

/// The result of activation: the backup codes, shown this once.
#[derive(Serialize)]
struct Activated<'a> {
    user: &'a str,
    status: &'static str,
    #[serde(with = "serde_ts")]
    activated_at: Timestamp,
    backup_codes: Vec<&'a str>,
}

impl<'a> From<&'a IssuedCodes> for Activated<'a> {
    fn from(i: &'a IssuedCodes) -> Self {
        Activated {
            user: &i.user,
            status: "active",
            activated_at: i.at,
            backup_codes: i.codes.iter().map(|c| c.as_str()).collect(),
        }
    }
}

impl Render for Activated<'_> {
    fn render(&self, out: &mut dyn Write, _: &Output) -> std::io::Result<()> {
        if self.backup_codes.is_empty() {
            // A second factor: the backup codes the person has stay as they are.
            writeln!(out, "The new factor is active for {}.", self.user)?;
            return writeln!(out, "The backup codes you already have still work; none were made.");
        }
        writeln!(out, "Two-factor authentication is active for {}.\n", self.user)?;
        write_backup_codes(out, &self.backup_codes)
    }
}

/// The backup-code block, shared with `backup-codes --regenerate`.
pub fn write_backup_codes(out: &mut dyn Write, codes: &[&str]) -> std::io::Result<()> {
    writeln!(out, "Backup codes: each works once, in place of a code from the app.")?;
    writeln!(out, "Save them somewhere safe now; they are not shown again.\n")?;
    // Each code written as is: a joined line would be a copy left unwiped.
    for pair in codes.chunks(2) {
        for code in pair {
            write!(out, "    {code}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
