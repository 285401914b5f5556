//! Second factors: TOTP codes (RFC 4226/6238), backup codes, telling them apart in
//! what a person typed, and the lockout that follows failures. Pure: no SQL, no
//! terminal; time comes from the caller.

pub mod backup;
pub mod code;
pub mod lockout;
pub mod otp;
