//! The audit log's entries and their hash chain. Pure: the store keeps the rows, the
//! service appends one in the same transaction as the change it records.
//!
//! Each entry's hash covers the previous entry's hash, its own id and every field, so
//! editing, removing or inserting a row breaks the chain at that row. Pruning keeps
//! an anchor (the hash of the last removed entry) to start the walk from.

use crate::actor::{Actor, Via};
use crate::clock::Timestamp;
use crate::text::timefmt::serde_ts;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The chain starts from zeros on a log that was never pruned.
pub const GENESIS: Hash = [0; 32];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    #[serde(with = "serde_ts")]
    pub time: Timestamp,
    pub actor: String,
    /// How the actor was identified: flag, env, sudo, os, api.
    pub actor_via: Via,
    /// The OS user who really ran twofa (absent on entries written before it was kept).
    pub os_user: Option<String>,
    /// The person behind sudo, when there was one.
    pub sudo_user: Option<String>,
    /// Whether the real invoker was the operator (root, or the database's owner).
    pub operator: Option<bool>,
    pub action: String,
    /// The user the action was about.
    pub subject: Option<String>,
    pub org: Option<String>,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub details: Option<String>,
}

impl Entry {
    pub fn new(actor: &Actor, time: Timestamp, action: &str) -> Entry {
        Entry {
            time,
            actor: actor.name.clone(),
            actor_via: actor.via,
            os_user: Some(actor.invoker.os_user.clone()),
            sudo_user: actor.invoker.sudo_user.clone(),
            operator: Some(actor.invoker.operator),
            action: action.into(),
            subject: None,
            org: None,
            outcome: Outcome::Ok,
            reason: None,
            ticket: None,
            details: None,
        }
    }

    pub fn subject(mut self, user: &str) -> Entry {
        self.subject = Some(user.into());
        self
    }

    pub fn org(mut self, org: &str) -> Entry {
        self.org = Some(org.into());
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Entry {
        self.outcome = outcome;
        self
    }

    pub fn details(mut self, details: impl Into<String>) -> Entry {
        self.details = Some(details.into());
        self
    }

    pub fn reason(mut self, reason: Option<&str>, ticket: Option<&str>) -> Entry {
        self.reason = reason.map(String::from);
        self.ticket = ticket.map(String::from);
        self
    }
}

/// How a change or a code check ended (stored and shown as the snake_case word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A change made.
    Ok,
    /// A change or check refused by role or policy.
    Denied,
    /// A code accepted.
    Accepted,
    /// A wrong code.
    Wrong,
    /// A code already used.
    Reused,
    /// Refused because of a lockout.
    Locked,
    /// Something outside twofa did not happen: a mail not sent (it stays queued).
    Failed,
}

impl Outcome {
    const ALL: [Outcome; 7] = [
        Outcome::Ok,
        Outcome::Denied,
        Outcome::Accepted,
        Outcome::Wrong,
        Outcome::Reused,
        Outcome::Locked,
        Outcome::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Accepted => "accepted",
            Outcome::Wrong => "wrong",
            Outcome::Reused => "reused",
            Outcome::Locked => "locked",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// An entry as stored: its id and hash.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: i64,
    #[serde(flatten)]
    pub entry: Entry,
    #[serde(serialize_with = "hex")]
    pub hash: Hash,
}

fn hex<S: serde::Serializer>(h: &Hash, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_hex(h))
}

pub fn to_hex(h: &[u8]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of entry `id` following `prev`. Every field is length-prefixed (absent
/// fields have their own marker), so no two different entries hash alike. Entries that
/// record the real invoker (`os_user`) hash it too, under their own domain tag; older
/// entries keep their original hash.
pub fn chain(prev: &Hash, id: i64, e: &Entry) -> Hash {
    let mut h = Sha256::new();
    h.update(if e.os_user.is_some() {
        b"twofa-audit-v2"
    } else {
        b"twofa-audit-v1"
    });
    h.update(prev);
    h.update(id.to_be_bytes());
    h.update(e.time.to_be_bytes());
    let mut field = |v: Option<&str>| match v {
        None => h.update(u32::MAX.to_be_bytes()),
        Some(s) => {
            h.update((s.len() as u32).to_be_bytes());
            h.update(s.as_bytes());
        }
    };
    field(Some(&e.actor));
    field(Some(e.actor_via.as_str()));
    field(Some(&e.action));
    field(e.subject.as_deref());
    field(e.org.as_deref());
    field(Some(e.outcome.as_str()));
    field(e.reason.as_deref());
    field(e.ticket.as_deref());
    field(e.details.as_deref());
    if e.os_user.is_some() {
        field(e.os_user.as_deref());
        field(e.sudo_user.as_deref());
        field(e.operator.map(|o| if o { "operator" } else { "person" }));
    }
    h.finalize().into()
}

/// Where the chain broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The first entry whose hash does not follow from its predecessor.
    pub id: i64,
    pub problem: String,
}

/// Walks records in id order from `anchor`; the first break, if any.
pub struct Walker {
    prev: Hash,
    prev_id: Option<i64>,
    pub checked: u64,
    pub broken: Option<Break>,
}

impl Walker {
    pub fn new(anchor: Hash, anchor_id: Option<i64>) -> Walker {
        Walker {
            prev: anchor,
            prev_id: anchor_id,
            checked: 0,
            broken: None,
        }
    }

    /// Feeds the next record; stops checking after the first break.
    pub fn next(&mut self, r: &Record) {
        if self.broken.is_some() {
            return;
        }
        self.checked += 1;
        if chain(&self.prev, r.id, &r.entry) != r.hash {
            let gap = self.prev_id.is_some_and(|p| r.id != p + 1);
            let problem = if gap {
                let first = self.prev_id.unwrap_or(0) + 1;
                match r.id - 1 {
                    last if last == first => format!("entry {first} is missing: removed"),
                    last => format!("entries {first}–{last} are missing: removed"),
                }
            } else {
                "altered or inserted: its hash does not follow from the entry before it".into()
            };
            self.broken = Some(Break { id: r.id, problem });
            return;
        }
        self.prev = r.hash;
        self.prev_id = Some(r.id);
    }

    /// The hash of the last good entry: record it elsewhere to detect removal of the
    /// newest entries, which no chain can show by itself.
    pub fn head(&self) -> Hash {
        self.prev
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(n: i64) -> Vec<Record> {
        let actor = Actor::new("root", Via::Os);
        let mut prev = GENESIS;
        (1..=n)
            .map(|id| {
                let entry = Entry::new(&actor, 1000 + id, "verify")
                    .subject("alice")
                    .outcome(Outcome::Accepted);
                let hash = chain(&prev, id, &entry);
                prev = hash;
                Record { id, entry, hash }
            })
            .collect()
    }

    fn walk(records: &[Record]) -> Option<Break> {
        let mut w = Walker::new(GENESIS, Some(0));
        records.iter().for_each(|r| w.next(r));
        w.broken
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(walk(&log(5)), None);
        assert_eq!(walk(&[]), None);
    }

    #[test]
    fn an_edited_field_breaks_the_chain_at_that_entry() {
        for field in 0..8 {
            let mut l = log(5);
            let e = &mut l[2].entry;
            match field {
                0 => e.outcome = Outcome::Wrong,
                1 => e.subject = None,
                2 => e.time += 1,
                3 => e.os_user = None,
                4 => e.sudo_user = Some("mallory".into()),
                5 => e.operator = Some(true),
                6 => e.os_user = Some("mallory".into()),
                _ => e.details = Some(String::new()),
            }
            assert_eq!(walk(&l).map(|b| b.id), Some(3), "field {field}");
        }
    }

    #[test]
    fn a_removed_entry_is_reported_as_a_gap() {
        let mut l = log(5);
        l.remove(2);
        let b = walk(&l).unwrap();
        assert_eq!(b.id, 4);
        assert!(b.problem.contains("removed"), "{}", b.problem);
    }

    #[test]
    fn an_inserted_entry_breaks_the_chain() {
        let mut l = log(5);
        let mut fake = l[1].clone();
        fake.id = 6;
        fake.entry.outcome = Outcome::Ok;
        l.push(fake);
        assert_eq!(walk(&l).map(|b| b.id), Some(6));
    }

    #[test]
    fn absent_and_empty_fields_hash_differently() {
        let e = Entry::new(&Actor::new("a", Via::Os), 0, "x");
        assert_ne!(chain(&GENESIS, 1, &e), chain(&GENESIS, 1, &e.clone().details("")));
        assert_ne!(chain(&GENESIS, 1, &e), chain(&GENESIS, 2, &e));
    }
}
