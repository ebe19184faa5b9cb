//! The audit log's hash chain: each entry carries the SHA-256 of the entry before it and of its
//! own canonical form, so that changing, removing or reordering an entry breaks every later link.
//!
//! An entry's hash is SHA-256 over `DOMAIN`, the previous hash (32 bytes), the sequence number
//! (8 bytes, big-endian) and the event's JSON as serde writes it (fields in declaration order,
//! which is what makes it canonical). The first entry follows the anchor: 32 zero bytes, or the
//! last hash of a prefix that retention removed.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::AuditEvent;

const DOMAIN: &[u8] = b"exit-factors audit chain 1\0";

/// The anchor of a chain that starts from nothing.
pub const GENESIS: [u8; 32] = [0; 32];

/// An audit entry as stored and exported: the event with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainedEntry {
    pub seq: u64,
    /// Hex SHA-256 of the entry before (or the anchor).
    pub prev: String,
    /// Hex SHA-256 of this entry.
    pub hash: String,
    pub event: AuditEvent,
}

/// The hash of `event` at `seq` after `prev`.
pub fn entry_hash(prev: &[u8; 32], seq: u64, event: &AuditEvent) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(DOMAIN);
    hash.update(prev);
    hash.update(seq.to_be_bytes());
    // Serialising a plain struct of strings, numbers and enums cannot fail.
    hash.update(serde_json::to_vec(event).unwrap_or_default());
    hash.finalize().into()
}

impl ChainedEntry {
    /// `event` appended at `seq` after an entry whose hash is `prev`.
    pub fn new(prev: &[u8; 32], seq: u64, event: AuditEvent) -> Self {
        Self {
            seq,
            prev: hex::encode(prev),
            hash: hex::encode(entry_hash(prev, seq, &event)),
            event,
        }
    }

    /// This entry's hash as bytes (zeros if it is not hex: then it cannot verify either).
    pub fn hash_bytes(&self) -> [u8; 32] {
        parse_hash(&self.hash).unwrap_or(GENESIS)
    }
}

/// A hex hash as bytes.
pub fn parse_hash(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// Where and why a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the audit log is broken at entry {seq}: {why}")]
pub struct ChainBreak {
    /// The first entry that does not check.
    pub seq: u64,
    pub why: &'static str,
}

/// What checking a whole chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries that checked, before the break if there is one.
    pub checked: u64,
    /// The hash of the last entry that checked (hex): compare an exported copy's with it.
    pub head: String,
    pub broken: Option<ChainBreak>,
}

/// Checks entries one by one, in order.
pub struct ChainCheck {
    prev: [u8; 32],
    last_seq: Option<u64>,
    /// How many entries checked so far.
    pub checked: u64,
}

impl ChainCheck {
    /// A check starting from `anchor`.
    pub fn from(anchor: [u8; 32]) -> Self {
        Self {
            prev: anchor,
            last_seq: None,
            checked: 0,
        }
    }

    /// Checks the next entry, stored under `position` (its key, or its line's number).
    pub fn next(&mut self, position: u64, entry: &ChainedEntry) -> Result<(), ChainBreak> {
        let broken = |why| ChainBreak { seq: position, why };
        if entry.seq != position || self.last_seq.is_some_and(|last| entry.seq <= last) {
            return Err(broken("it is not where its sequence number says"));
        }
        if parse_hash(&entry.prev) != Some(self.prev) {
            return Err(broken(
                "it does not follow the entry before it (an entry was removed or inserted)",
            ));
        }
        let hash = entry_hash(&self.prev, entry.seq, &entry.event);
        if parse_hash(&entry.hash) != Some(hash) {
            return Err(broken(
                "its content does not match its hash (it was altered)",
            ));
        }
        self.prev = hash;
        self.last_seq = Some(entry.seq);
        self.checked += 1;
        Ok(())
    }

    /// The hash of the last entry checked (the anchor if none): the chain's head.
    pub fn head(&self) -> [u8; 32] {
        self.prev
    }

    /// The result so far, with the break if one was found.
    pub fn outcome(&self, broken: Option<ChainBreak>) -> AuditCheck {
        AuditCheck {
            checked: self.checked,
            head: hex::encode(self.prev),
            broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{AuditAction, Outcome};

    fn chain(n: u64) -> Vec<ChainedEntry> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let event = AuditEvent::new(
                    OffsetDateTime::UNIX_EPOCH,
                    None,
                    AuditAction::SignIn,
                    Outcome::Success,
                )
                .on(format!("user {seq}"));
                let entry = ChainedEntry::new(&prev, seq * 10, event);
                prev = entry.hash_bytes();
                entry
            })
            .collect()
    }

    fn check(entries: &[ChainedEntry]) -> Result<u64, ChainBreak> {
        let mut check = ChainCheck::from(GENESIS);
        for e in entries {
            check.next(e.seq, e)?;
        }
        Ok(check.checked)
    }

    #[test]
    fn an_intact_chain_checks_and_any_change_names_the_entry() {
        let entries = chain(5);
        assert_eq!(check(&entries), Ok(5));

        let mut altered = entries.clone();
        altered[2].event.target = Some("someone else".into());
        assert_eq!(check(&altered).unwrap_err().seq, 30);

        let mut removed = entries.clone();
        removed.remove(1);
        assert_eq!(check(&removed).unwrap_err().seq, 30);

        let mut swapped = entries.clone();
        swapped.swap(3, 4);
        assert!(check(&swapped).is_err());

        let mut rehashed = entries;
        rehashed[1].event.outcome = Outcome::Failure;
        let prev = parse_hash(&rehashed[1].prev).unwrap();
        rehashed[1].hash = hex::encode(entry_hash(&prev, 20, &rehashed[1].event));
        assert_eq!(
            check(&rehashed).unwrap_err().seq,
            30,
            "re-hashing one entry breaks the next link"
        );
    }
}
