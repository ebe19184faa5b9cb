//! The append-only audit log: keys are sled's monotonic ids, so the order is the order of events,
//! across restarts too. Each entry is sealed and chained to the one before it
//! (`domain::audit::chain`); there is no method to change or delete an entry (retention removes
//! a prefix and keeps its last hash as the anchor).

use sled::transaction::TransactionalTree;

use super::trees::{AUDIT, META, Trees};
use super::vault::Scope;
use super::{Fault, Store, StoreError, TxError, Unavailable, abort};
use crate::domain::AuditEvent;
use crate::domain::audit::chain::{AuditCheck, ChainBreak, ChainCheck, ChainedEntry, GENESIS};

/// Where the hash of the last entry removed by retention is kept (the chain's anchor).
pub(super) const ANCHOR_KEY: &[u8] = b"audit_anchor";

/// One page of the audit log, newest first.
#[derive(Debug)]
pub struct AuditPage {
    /// The entries with their sequence numbers.
    pub entries: Vec<(u64, AuditEvent)>,
    /// Pass as `before` to get the next (older) page, if there is one.
    pub next_before: Option<u64>,
}

fn seq_of(key: &[u8]) -> Result<u64, StoreError> {
    let key: [u8; 8] = key.try_into().map_err(|_| StoreError::NotFound)?;
    Ok(u64::from_be_bytes(key))
}

/// The stored entry under `key`.
fn entry_in(t: &Trees, key: &[u8], value: &[u8]) -> Result<ChainedEntry, StoreError> {
    t.unseal_once(AUDIT, key, value)
}

/// The hash the next entry follows: the last entry's, or the anchor. The writer notes each entry
/// it appends (`note_head`); that note is used while the entry is stored (a transaction that
/// aborted leaves none), which spares reading and opening the newest entry for every change.
fn head(t: &Trees) -> Result<[u8; 32], StoreError> {
    let cached = *t.chain_head.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((seq, hash)) = cached
        && t.audit.contains_key(seq.to_be_bytes())?
    {
        return Ok(hash);
    }
    match t.audit.last()? {
        Some((key, value)) => Ok(entry_in(t, &key, &value)?.hash_bytes()),
        None => anchor(t),
    }
}

/// Notes the entry just appended (or about to be, in a transaction: if that aborts, the entry is
/// not the newest and the note is ignored).
fn note_head(t: &Trees, seq: u64, hash: [u8; 32]) {
    *t.chain_head.lock().unwrap_or_else(|p| p.into_inner()) = Some((seq, hash));
}

fn anchor(t: &Trees) -> Result<[u8; 32], StoreError> {
    match t.meta.get(ANCHOR_KEY)? {
        Some(value) => {
            let hex: String = t.unseal(META, ANCHOR_KEY, &value)?;
            crate::domain::audit::chain::parse_hash(&hex)
                .ok_or_else(|| StoreError::Tampered(META.into()))
        }
        None => Ok(GENESIS),
    }
}

impl Store {
    /// Appends an event and makes it durable.
    pub async fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        let event = event.clone();
        self.write(move |t| {
            let seq = t.new_id()?;
            insert_in(t, seq, event)
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
            entries.push((seq_of(&key)?, entry_in(&t, &key, &value)?.event));
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

    /// Checks the whole chain, from the anchor to the newest entry, and names the first entry
    /// that does not check (one that does not even open counts as broken too).
    pub fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        let t = self.trees()?;
        let mut check = ChainCheck::from(anchor(&t)?);
        for item in t.audit.iter() {
            let (key, value) = item?;
            let seq = seq_of(&key)?;
            let broken = match entry_in(&t, &key, &value) {
                Ok(entry) => check.next(seq, &entry).err(),
                Err(StoreError::Tampered(_)) => Some(ChainBreak {
                    seq,
                    why: "it does not open (its stored bytes were altered)",
                }),
                Err(e) => return Err(e),
            };
            if broken.is_some() {
                return Ok(check.outcome(broken));
            }
        }
        Ok(check.outcome(None))
    }

    /// The sequence number of the newest audit entry (`None` while the log is empty): where an
    /// export asked for now ends, whatever is appended while it is written.
    pub fn audit_last_seq(&self) -> Result<Option<u64>, StoreError> {
        let t = self.trees()?;
        t.audit.last()?.map(|(key, _)| seq_of(&key)).transpose()
    }

    /// The audit log as an export reads it, one entry at a time, up to and including entry
    /// `through` (see `audit_last_seq`): `f` gets the head (the anchor and how many entries
    /// follow), then every one of those entries, oldest first.
    pub fn each_audit_line(
        &self,
        through: Option<u64>,
        mut f: impl FnMut(crate::domain::audit::export::Line<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use crate::domain::audit::export::Line;
        let t = self.trees()?;
        let anchor = hex::encode(anchor(&t)?);
        let Some(last) = through else {
            return f(Line::Head { anchor, entries: 0 });
        };
        let last = last.to_be_bytes();
        let mut entries = 0u64;
        for key in t.audit.range(..=last).keys() {
            key?;
            entries += 1;
        }
        f(Line::Head { anchor, entries })?;
        for item in t.audit.range(..=last) {
            let (key, value) = item?;
            f(Line::Entry(&entry_in(&t, &key, &value)?))?;
        }
        Ok(())
    }

    /// The anchor and every entry, oldest first, in memory (tests; exports stream with
    /// `each_audit_line`).
    #[cfg(test)]
    pub fn audit_entries(&self) -> Result<(String, Vec<ChainedEntry>), StoreError> {
        let t = self.trees()?;
        let entries = t
            .audit
            .iter()
            .map(|item| {
                let (key, value) = item?;
                entry_in(&t, &key, &value)
            })
            .collect::<Result<_, _>>()?;
        Ok((hex::encode(anchor(&t)?), entries))
    }

    /// Rewrites the entry `seq` with `change` applied to its event, keeping its stored hashes: a
    /// forger with the key. Tests only, to show that `verify_audit` notices.
    #[doc(hidden)]
    pub async fn tamper_with_audit_entry(
        &self,
        seq: u64,
        change: impl FnOnce(&mut AuditEvent) + Send + 'static,
    ) -> Result<(), StoreError> {
        self.write(move |t| {
            let key = seq.to_be_bytes();
            let value = t.audit.get(key)?.ok_or(StoreError::NotFound)?;
            let mut entry = entry_in(t, &key, &value)?;
            change(&mut entry.event);
            t.audit
                .insert(key, t.seal(Scope::System, AUDIT, &key, &entry)?)?;
            Ok(())
        })
        .await
    }
}

/// Audit entries to be written inside the transaction of the change they record: numbered,
/// chained and sealed before it starts (on the writer, so nothing is appended in between). If
/// they cannot be written, the transaction aborts and the change is not stored either.
pub(super) struct PendingAudit {
    entries: Vec<(u64, Vec<u8>)>,
    /// An injected failure of the append (tests).
    fail: bool,
}

impl PendingAudit {
    /// Numbers, chains and seals `events` (on the writer thread, just before the transaction).
    pub(super) fn new(store: &Store, t: &Trees, events: &[AuditEvent]) -> Result<Self, StoreError> {
        let mut prev = head(t)?;
        let entries = events
            .iter()
            .map(|e| {
                let seq = t.new_id()?;
                let entry = ChainedEntry::new(&prev, seq, e.clone());
                prev = entry.hash_bytes();
                note_head(t, seq, prev);
                let key = seq.to_be_bytes();
                Ok((seq, t.seal(Scope::System, AUDIT, &key, &entry)?))
            })
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

/// Appends `event` under `seq`, chained to the entry before it.
pub(super) fn insert_in(t: &Trees, seq: u64, event: AuditEvent) -> Result<(), StoreError> {
    let entry = ChainedEntry::new(&head(t)?, seq, event);
    let key = seq.to_be_bytes();
    t.audit
        .insert(key, t.seal(Scope::System, AUDIT, &key, &entry)?)?;
    note_head(t, seq, entry.hash_bytes());
    Ok(())
}

/// Appends a deferred entry: under a fresh number, unless the number it was given in a batch
/// that failed made it to disk after all (then it is already in the chain).
pub(super) fn append_deferred(
    t: &Trees,
    seq: &mut Option<u64>,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    if let Some(old) = *seq
        && t.audit.contains_key(old.to_be_bytes())?
    {
        return Ok(());
    }
    let fresh = t.new_id()?;
    *seq = Some(fresh);
    insert_in(t, fresh, event.clone())
}

/// Schema 1 to 2, for the audit log: chains every entry not chained yet, in order (a plain or
/// sealed event from before the chain becomes a chained entry).
pub(super) fn chain_unchained(t: &Trees) -> Result<(), StoreError> {
    let mut prev = anchor(t)?;
    let mut batch = sled::Batch::default();
    for item in t.audit.iter() {
        let (key, value) = item?;
        let plain = super::migrate::open_record(t, AUDIT, &key, &value)?;
        let entry = match super::codec::decode::<ChainedEntry>(&plain) {
            Ok(entry) => entry,
            Err(_) => {
                let event: AuditEvent = super::codec::decode(&plain)?;
                let entry = ChainedEntry::new(&prev, seq_of(&key)?, event);
                batch.insert(&key, t.seal(Scope::System, AUDIT, &key, &entry)?);
                entry
            }
        };
        prev = entry.hash_bytes();
    }
    t.audit.apply_batch(batch)?;
    Ok(())
}

impl Store {
    /// Removes every audit entry older than `before`, oldest first, and keeps the hash of the
    /// last one removed as the chain's anchor, in one transaction: what is left still verifies.
    /// Returns how many went.
    pub async fn purge_audit_before(
        &self,
        before: time::OffsetDateTime,
    ) -> Result<usize, StoreError> {
        use sled::Transactional;
        self.write(move |t| {
            let mut gone = Vec::new();
            let mut anchor_hash = None;
            for item in t.audit.iter() {
                let (key, value) = item?;
                let entry = entry_in(t, &key, &value)?;
                if entry.event.at >= before {
                    break;
                }
                anchor_hash = Some(entry.hash.clone());
                gone.push(key);
            }
            let Some(anchor_hash) = anchor_hash else {
                return Ok(0);
            };
            let sealed = t.seal(Scope::System, META, ANCHOR_KEY, &anchor_hash)?;
            (&t.audit, &t.meta).transaction(|(audit, meta)| {
                for key in &gone {
                    audit.remove(key)?;
                }
                meta.insert(ANCHOR_KEY, sealed.as_slice())?;
                Ok::<_, TxError>(())
            })?;
            Ok(gone.len())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use time::{Duration, OffsetDateTime};

    use super::*;
    use crate::domain::{AuditAction, Outcome};

    #[actix_web::test]
    async fn a_purged_prefix_leaves_an_anchor_and_the_rest_still_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
        let start = OffsetDateTime::now_utc() - Duration::days(1000);
        for day in 0..10 {
            let event = AuditEvent::new(
                start + Duration::days(day * 100),
                None,
                AuditAction::SignIn,
                Outcome::Success,
            );
            store.append_audit(&event).await.unwrap();
        }
        let before = store.verify_audit().unwrap();
        assert_eq!((before.checked, &before.broken), (10, &None));

        let purged = store
            .purge_audit_before(start + Duration::days(450))
            .await
            .unwrap();
        assert_eq!(purged, 5);
        let after = store.verify_audit().unwrap();
        assert_eq!((after.checked, &after.broken), (5, &None));
        assert_eq!(after.head, before.head, "the newest entry is the same");
        let (anchor, entries) = store.audit_entries().unwrap();
        assert_eq!(entries[0].prev, anchor);

        // An entry altered after the purge is still named.
        let seq = entries[2].seq;
        store
            .tamper_with_audit_entry(seq, |e| e.outcome = Outcome::Failure)
            .await
            .unwrap();
        assert_eq!(store.verify_audit().unwrap().broken.unwrap().seq, seq);
    }
}
