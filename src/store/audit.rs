//! The append-only audit log: keys are sled's monotonic ids, so the order is the order of events,
//! across restarts too. There is no method to change or delete an entry.

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
        let id = self.db.generate_id()?;
        self.audit.insert(id.to_be_bytes(), encode(event)?)?;
        self.flush().await
    }

    /// Up to `limit` events older than `before` (or the newest, without it).
    pub fn audit_page(&self, before: Option<u64>, limit: usize) -> Result<AuditPage, StoreError> {
        let range = match before {
            Some(b) => self.audit.range(..b.to_be_bytes()),
            None => self.audit.iter(),
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
