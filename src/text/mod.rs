//! Text as people type and read it: names and free text (validated, escaped for
//! display), durations, times.

pub mod duration;
pub mod names;
pub mod timefmt;
