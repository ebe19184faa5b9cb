//! The append-only audit log: keys are sled's monotonic ids, so the order is the order of events,
//! across restarts too. There is no method to change or delete an entry.

use super::trees::Trees;
use super::{Store, StoreError, decode, encode};
use crate::domain::AuditEvent;

/// One page of the audit log, newest first.
#[derive(Debug)]
pub struct AuditPage {
    /// The entries with their sequence numbers.
    pub entries: Vec<(u64, AuditEvent)>,
    /// Pass as `before` to get the next (older) page, if there is one.
    pub next_before: Option<u64>,
}

impl Store {
    /// Appends an event and makes it durable.
    pub async fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        let record = encode(event)?;
        self.write(move |t| {
            let seq = t.db.generate_id()?;
            t.audit.insert(seq.to_be_bytes(), record)?;
            Ok(())
        })
        .await
    }

    /// Up to `limit` events older than `before` (or the newest, without it).
    pub fn audit_page(&self, before: Option<u64>, limit: usize) -> Result<AuditPage, StoreError> {
        let t = self.trees()?;
        let range = match before {
            Some(b) => t.audit.range(..b.to_be_bytes()),
            None => t.audit.iter(),
        };
        let mut entries = Vec::with_capacity(limit);
        let mut more = false;
        for item in range.rev() {
            let (key, value) = item?;
            if entries.len() == limit {
                more = true;
                break;
            }
            let key: [u8; 8] = key.as_ref().try_into().map_err(|_| StoreError::NotFound)?;
            entries.push((u64::from_be_bytes(key), decode(&value)?));
        }
        let next_before = if more {
            entries.last().map(|(id, _)| *id)
        } else {
            None
        };
        Ok(AuditPage {
            entries,
            next_before,
        })
    }
}

/// Writes an event under sequence number `seq` (a deferred entry keeps its number across retries).
pub(super) fn insert_in(t: &Trees, seq: u64, event: &AuditEvent) -> Result<(), StoreError> {
    t.audit.insert(seq.to_be_bytes(), encode(event)?)?;
    Ok(())
}
