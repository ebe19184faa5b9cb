//! The append-only audit log: keys are sled's monotonic ids, so the order is the order of events,
//! across restarts too. There is no method to change or delete an entry.

use sled::transaction::TransactionalTree;

use super::trees::Trees;
use super::{Fault, Store, StoreError, TxError, Unavailable, abort, decode, encode};
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
        let mut entries = Vec::with_capacity(limit.min(1024));
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

/// Audit entries to be written inside the transaction of the change they record: encoded and
/// numbered before it starts. If they cannot be written, the transaction aborts and the change
/// is not stored either.
pub(super) struct PendingAudit {
    entries: Vec<(u64, Vec<u8>)>,
    /// An injected failure of the append (tests).
    fail: bool,
}

impl PendingAudit {
    /// Numbers and encodes `events` (on the writer thread, just before the transaction).
    pub(super) fn new(store: &Store, t: &Trees, events: &[AuditEvent]) -> Result<Self, StoreError> {
        let entries = events
            .iter()
            .map(|e| Ok((t.db.generate_id()?, encode(e)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(Self {
            entries,
            fail: store.engine.fault() == Fault::FailAudit,
        })
    }

    /// Appends the entries in the transaction over the `audit` tree.
    pub(super) fn write_in(&self, audit: &TransactionalTree) -> Result<(), TxError> {
        if self.fail {
            return Err(abort(StoreError::Unavailable(Unavailable::CannotWrite(
                "injected fault: the audit log cannot be appended".into(),
            ))));
        }
        for (seq, bytes) in &self.entries {
            audit.insert(&seq.to_be_bytes(), bytes.as_slice())?;
        }
        Ok(())
    }
}

/// Writes an event under sequence number `seq` (a deferred entry keeps its number across retries).
pub(super) fn insert_in(t: &Trees, seq: u64, event: &AuditEvent) -> Result<(), StoreError> {
    t.audit.insert(seq.to_be_bytes(), encode(event)?)?;
    Ok(())
}
