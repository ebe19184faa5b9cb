//! Records nobody waits for: a session's last activity, the read audit ("case opened"), refusal
//! summaries. They are kept in memory and written with the next group commit, so a page view never
//! waits for the disk and never fails because of it. Until a flush succeeds they stay here, at most
//! `MAX_DEFERRED` audit entries; past that the oldest are counted as lost and the count itself is
//! audited once writing works again.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::StoreError;
use super::trees::Trees;
use crate::domain::{AuditAction, AuditEvent, Outcome, UserId};

/// Most audit entries kept while the store cannot write.
pub const MAX_DEFERRED: usize = 10_000;

/// Records waiting for the next batch.
#[derive(Debug, Default)]
pub struct Deferred {
    /// Latest activity per session key.
    touches: HashMap<[u8; 32], OffsetDateTime>,
    /// Audit entries in order, with the sequence number given at their first write (so a retry
    /// after a failed flush cannot write one twice).
    audit: Vec<(Option<u64>, AuditEvent)>,
    /// When the oldest waiting record arrived.
    oldest: Option<Instant>,
    /// Audit entries dropped for lack of room since the last successful write.
    lost: u64,
    /// When each user last opened each case (case code, user id), for "Seen by".
    seen: HashMap<(String, UserId), OffsetDateTime>,
}

impl Deferred {
    /// Notes activity on a session.
    pub fn touch(&mut self, key: [u8; 32], at: OffsetDateTime) {
        self.note_arrival();
        let seen = self.touches.entry(key).or_insert(at);
        *seen = (*seen).max(at);
    }

    /// Activity noted on a session and not written yet.
    pub fn pending_touch(&self, key: &[u8; 32]) -> Option<OffsetDateTime> {
        self.touches.get(key).copied()
    }

    /// Notes that `user` opened case `code` (or one of its assessments or summaries) at `at`.
    pub fn seen(&mut self, code: &str, user: UserId, at: OffsetDateTime) {
        self.note_arrival();
        let last = self.seen.entry((code.to_owned(), user)).or_insert(at);
        *last = (*last).max(at);
    }

    /// Views noted and not written yet.
    pub fn pending_seen(&self) -> Vec<((String, UserId), OffsetDateTime)> {
        self.seen.iter().map(|(k, at)| (k.clone(), *at)).collect()
    }

    /// Queues an audit entry.
    pub fn audit(&mut self, event: AuditEvent) {
        self.note_arrival();
        self.audit.push((None, event));
        self.trim();
    }

    fn note_arrival(&mut self) {
        self.oldest.get_or_insert_with(Instant::now);
    }

    fn trim(&mut self) {
        if self.audit.len() > MAX_DEFERRED {
            let excess = self.audit.len() - MAX_DEFERRED;
            self.audit.drain(..excess);
            self.lost += excess as u64;
        }
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.touches.is_empty() && self.audit.is_empty() && self.seen.is_empty() && self.lost == 0
    }

    /// Whether the records should be written now: a batch is going anyway, or the oldest has
    /// waited `within`.
    pub fn is_due(&self, within: Duration, batch_waiting: bool) -> bool {
        !self.is_empty() && (batch_waiting || self.oldest.is_some_and(|t| t.elapsed() >= within))
    }

    /// Takes every waiting record, leaving none.
    pub fn take(&mut self) -> Deferred {
        std::mem::take(self)
    }

    /// Puts back records whose flush failed, before any that arrived since.
    pub fn restore(&mut self, mut earlier: Deferred) {
        for (key, at) in self.touches.drain() {
            let seen = earlier.touches.entry(key).or_insert(at);
            *seen = (*seen).max(at);
        }
        for (key, at) in self.seen.drain() {
            let last = earlier.seen.entry(key).or_insert(at);
            *last = (*last).max(at);
        }
        earlier.audit.append(&mut self.audit);
        earlier.lost += self.lost;
        earlier.oldest = match (earlier.oldest, self.oldest) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        *self = earlier;
        self.trim();
    }

    /// Writes the records into `trees` (not flushed: the batch's flush makes them durable).
    pub fn apply(&mut self, trees: &Trees) -> Result<(), StoreError> {
        for (key, at) in &self.touches {
            super::sessions::touch_in(trees, key, *at)?;
        }
        for ((code, user), at) in &self.seen {
            super::seen::record_in(trees, code, *user, *at)?;
        }
        if self.lost > 0 {
            let at = self
                .audit
                .first()
                .map_or_else(OffsetDateTime::now_utc, |(_, e)| e.at);
            let event = AuditEvent::new(at, None, AuditAction::AuditEntriesLost, Outcome::Failure)
                .on(format!(
                    "{} entries not kept while the store could not write",
                    self.lost
                ));
            self.audit.insert(0, (None, event));
            self.lost = 0;
        }
        for (id, event) in &mut self.audit {
            super::audit::append_deferred(trees, id, event)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64) -> AuditEvent {
        AuditEvent::new(
            OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(n),
            None,
            AuditAction::CaseViewed,
            Outcome::Success,
        )
    }

    #[test]
    fn a_failed_batch_goes_back_before_what_came_since_and_the_overflow_is_counted() {
        let mut waiting = Deferred::default();
        for n in 0..MAX_DEFERRED as i64 {
            waiting.audit(event(n));
        }
        let taken = waiting.take();
        waiting.audit(event(-1));
        waiting.audit(event(-2));
        waiting.restore(taken);
        assert_eq!(waiting.audit.len(), MAX_DEFERRED);
        assert_eq!(waiting.lost, 2, "the two oldest did not fit");
        assert_eq!(waiting.audit[0].1, event(2));
        assert_eq!(waiting.audit.last().unwrap().1, event(-2));
    }

    #[test]
    fn touches_keep_the_latest_time() {
        let mut waiting = Deferred::default();
        let t = OffsetDateTime::UNIX_EPOCH;
        waiting.touch([1; 32], t + time::Duration::minutes(5));
        let taken = waiting.take();
        waiting.touch([1; 32], t + time::Duration::minutes(3));
        waiting.restore(taken);
        assert_eq!(waiting.touches[&[1; 32]], t + time::Duration::minutes(5));
        assert!(waiting.is_due(Duration::from_secs(60), true));
        assert!(!Deferred::default().is_due(Duration::ZERO, true));
    }
}
