//! `twofa enroll USER [--code CODE]`: start an enrollment (QR code, URI, secret), then
//! activate it with a first code — at a prompt on a terminal, or with `--code` later.

use super::Context;
use crate::cli::{AlgorithmArg, EnrollArgs, QrArg};
use crate::input;
use crate::output::{Output, Render};
use crate::qr;
use anyhow::Result;
use serde::{Serialize, Serializer};
use std::io::Write;
use twofa::clock::{Clock, Timestamp};
use twofa::otp::{self, Algorithm};
use twofa::service::{EnrollRequest, IssuedCodes, Pending, Service};
use twofa::timefmt::serde_ts;
use zeroize::Zeroizing;

pub fn run(ctx: &Context, args: EnrollArgs) -> Result<()> {
    let mut svc = ctx.service_or_create()?;
    if let Some(flag) = args.code.as_deref() {
        let code = input::code(Some(flag), "Code: ")?;
        let issued = svc.activate(&args.user, &code)?;
        return ctx.out.print_secret(&Activated::from(&issued));
    }
    let pending = svc.enroll(&args.user, &request(&args))?;
    let qr_style = match args.qr {
        Some(QrArg::None) => None,
        Some(QrArg::Unicode) => Some(qr::Style::Unicode),
        Some(QrArg::Ansi) => Some(qr::Style::Ansi),
        None if ctx.out.color => Some(qr::Style::Ansi),
        None => Some(qr::Style::Unicode),
    };
    let view = PendingView::new(&pending, qr_style);
    if qr_style.is_some() && view.qr.is_none() && !ctx.out.json {
        ctx.out
            .note("(no QR code: the URI is too long for one; add the key by hand)");
    }
    ctx.out.print_secret(&view)?;
    if !pending.new_secret {
        ctx.out.note(format_args!(
            "(the pending enrollment of {} again; --new-secret starts over)",
            pending.user
        ));
    }
    if ctx.out.json || !input::stdin_is_terminal() {
        ctx.out.note(format_args!(
            "Activate it with the first code on standard input: twofa enroll {} --code -",
            pending.user
        ));
        return Ok(());
    }
    activate_at_prompt(ctx, &mut svc, &pending)
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
fn activate_at_prompt<C: Clock>(ctx: &Context, svc: &mut Service<C>, pending: &Pending) -> Result<()> {
    let prompt = format!(
        "Enter the {}-digit code from the app (empty to finish later): ",
        pending.params.digits
    );
    let issued = loop {
        let code = input::prompt_hidden(&prompt)?;
        if code.trim().is_empty() {
            ctx.out.note(format_args!(
                "Left pending. Finish with the code on standard input: twofa enroll {} --code -",
                pending.user
            ));
            return Ok(());
        }
        match svc.activate(&pending.user, &code) {
            Ok(issued) => break issued,
            Err(e @ (twofa::Error::Rejected { locked_until: None, .. } | twofa::Error::Code(_))) => {
                ctx.out.note(format_args!("{e}; try again"));
            }
            Err(e) => return Err(e.into()),
        }
    };
    ctx.out.print_secret(&Activated::from(&issued))?;
    while input::confirm("Have you saved these backup codes somewhere safe?").is_err() {
        ctx.out
            .note("They will not be shown again. Copy them now, then answer yes.");
    }
    ctx.out.note(format_args!(
        "Done: {} now signs in with a code from the app.",
        pending.user
    ));
    Ok(())
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
