//! Erasing a case: its records go in one transaction with the audit entry and the register entry,
//! then its data key is destroyed, so that any copy of its records sled's log still holds is
//! unreadable. The register (case code, when, why) is what a restore of an older backup uses to
//! erase the case again.

use sled::Transactional;

use super::audit::PendingAudit;
use super::trees::ERASURES;
use super::vault::Scope;
use super::{Store, StoreError, abort};
use crate::domain::assessment::AssessmentId;
use crate::domain::erasure::Erasure;
use crate::domain::{AuditEvent, CaseCode};

/// What an erasure removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub assessments: usize,
}

impl Store {
    /// Erases the case `erasure.code`: the case, every assessment and action plan of it, its
    /// index entries and its aggregate rows, with `audit` and a register entry, in one
    /// transaction; then destroys its data key. `NotFound` if there is no such case.
    pub async fn erase_case(
        &self,
        code: &CaseCode,
        erasure: Erasure,
        audit: AuditEvent,
    ) -> Result<Erased, StoreError> {
        let code = code.clone();
        let store = self.clone();
        let target = code.clone();
        let erased = self
            .write(move |t| {
                if !t.cases.contains_key(code.as_str())? {
                    return Err(StoreError::NotFound);
                }
                let ids = super::cases::assessment_keys(t, &code)?;
                // Its case list entries: from the record, or, if that cannot be opened, found in
                // the index (an erasure must not fail on a damaged record).
                let case = t.cases.get(code.as_str())?.and_then(|b| {
                    t.unseal_once(super::trees::CASES, code.as_str().as_bytes(), &b)
                        .ok()
                });
                let listed = super::case_order::entries_of(t, &code, case.as_ref())?;
                let seen = super::seen::keys_of(t, &code)?;
                let register =
                    t.seal(Scope::System, ERASURES, code.as_str().as_bytes(), &erasure)?;
                let entries = PendingAudit::new(&store, t, &[audit])?;
                (
                    &t.cases,
                    &t.assessments,
                    &t.case_assessments,
                    &t.erasures,
                    &t.seen,
                    &t.case_order,
                    &t.aggregate_rows,
                    &t.audit,
                )
                    .transaction(
                        |(cases, assessments, index, erasures, seen_tree, order, rows, audit)| {
                            if cases.remove(code.as_str())?.is_none() {
                                return Err(abort(StoreError::NotFound));
                            }
                            super::case_order::remove_entries(order, &listed)?;
                            rows.remove(code.as_str())?;
                            for (index_key, id) in &ids {
                                assessments.remove(&id.get().to_be_bytes())?;
                                index.remove(index_key.as_slice())?;
                            }
                            for key in &seen {
                                seen_tree.remove(key.as_slice())?;
                            }
                            erasures.insert(code.as_str(), register.as_slice())?;
                            entries.write_in(audit)
                        },
                    )?;
                let ids: Vec<AssessmentId> = ids.into_iter().map(|(_, id)| id).collect();
                t.case_lists.changed(&code);
                store.rows_changed(Some(&code), &ids);
                Ok(Erased {
                    assessments: ids.len(),
                })
            })
            .await?;
        // The removal is durable: now the key goes. (A crash in between leaves a key with no
        // case, which the next start destroys.)
        let t = self.trees()?;
        // Decoded copies go first, whatever happens to the key.
        t.decoded.clear();
        t.case_lists.clear();
        let destroyed = t.vault.destroy_case_key(target.as_str());
        t.decoded.clear();
        t.case_lists.clear();
        destroyed?;
        Ok(erased)
    }

    /// The erasure register, oldest first.
    pub fn erasures(&self) -> Result<Vec<Erasure>, StoreError> {
        let t = self.trees()?;
        let mut all = t
            .erasures
            .iter()
            .map(|item| {
                let (key, value) = item?;
                t.unseal::<Erasure>(ERASURES, &key, &value)
            })
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by_key(|e| e.at);
        Ok(all)
    }
}

/// Handles for tests that look at the stored bytes as someone with the files and the master key
/// would.
impl Store {
    /// The value of record `key` in `tree` exactly as stored (sealed).
    #[doc(hidden)]
    pub fn raw_record(&self, tree: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let t = self.trees()?;
        let tree = t.by_name(tree).ok_or(StoreError::NotFound)?;
        Ok(tree.get(key)?.map(|v| v.to_vec()))
    }

    /// Replaces the stored bytes of a record (a flipped bit on the disk, or someone editing the
    /// files), bypassing everything.
    #[doc(hidden)]
    pub fn overwrite_raw_record(
        &self,
        tree: &str,
        key: &[u8],
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let t = self.trees()?;
        let tree = t.by_name(tree).ok_or(StoreError::NotFound)?;
        tree.insert(key, bytes)?;
        t.db.flush()?;
        Ok(())
    }

    /// Opens a stored value with this store's keys, wherever it was found.
    #[doc(hidden)]
    pub fn open_raw_record(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        self.trees()?.vault.open_value(tree, key, sealed)
    }

    /// The keyring's wrapped copy of a case's data key.
    #[doc(hidden)]
    pub fn wrapped_case_key(&self, code: &CaseCode) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .trees()?
            .vault
            .wrapped_key_bytes(Scope::Case(code.as_str())))
    }
}

impl Store {
    /// Deletes drafts that still have the version they were planned with (one saved meanwhile
    /// stays), each with its index entry, in one transaction. Returns how many went.
    pub async fn delete_drafts(
        &self,
        drafts: Vec<(CaseCode, crate::domain::retention::StaleDraft)>,
    ) -> Result<usize, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            let mut gone = Vec::new();
            for (_, draft) in &drafts {
                let key = draft.id.get().to_be_bytes();
                let Some(bytes) = t.assessments.get(key)? else {
                    continue;
                };
                let stored: crate::domain::assessment::Assessment =
                    t.unseal(super::trees::ASSESSMENTS, &key, &bytes)?;
                if stored.is_draft() && stored.version() == draft.version {
                    // The record's own case, whatever the plan said: its index key and its
                    // case's kept list follow it.
                    gone.push((stored.case().clone(), draft.id));
                }
            }
            let mut row_updates = Vec::new();
            let mut codes: Vec<&CaseCode> = gone.iter().map(|(code, _)| code).collect();
            codes.sort();
            codes.dedup();
            for code in codes {
                let ids: Vec<AssessmentId> = gone
                    .iter()
                    .filter(|(c, _)| c == code)
                    .map(|(_, id)| *id)
                    .collect();
                row_updates.push(store.row_update(t, code, None, &[], &ids)?);
            }
            let trees = (
                &t.assessments,
                &t.case_assessments,
                &t.aggregate_rows,
                &t.meta,
            );
            trees.transaction(|(assessments, index, rows, meta)| {
                for row in &row_updates {
                    row.apply(rows, meta)?;
                }
                for (code, id) in &gone {
                    assessments.remove(&id.get().to_be_bytes())?;
                    let mut index_key = code.as_str().as_bytes().to_vec();
                    index_key.extend_from_slice(&id.get().to_be_bytes());
                    index.remove(index_key)?;
                }
                Ok::<_, super::TxError>(())
            })?;
            for (code, _) in &gone {
                t.case_lists.changed(code);
            }
            let ids: Vec<AssessmentId> = gone.iter().map(|(_, id)| *id).collect();
            store.rows_changed(None, &ids);
            Ok(ids.len())
        })
        .await
    }
}
