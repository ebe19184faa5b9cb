//! Cases and their assessments. A case is keyed by its code; assessments by a sled id, with an index
//! from case code to assessment ids so a case's history is one prefix scan.

use sled::Transactional;

use super::audit::PendingAudit;
use super::trees::{ASSESSMENTS, CASES, Trees};
use super::vault::Scope;
use super::{CaseAssessments, Store, StoreError, TxError, abort};
use crate::domain::assessment::{Assessment, AssessmentId, Transition};
use crate::domain::{AuditEvent, Case, CaseCode};

fn case_index_key(code: &CaseCode, id: AssessmentId) -> Vec<u8> {
    let mut key = code.as_str().as_bytes().to_vec();
    key.extend_from_slice(&id.get().to_be_bytes());
    key
}

impl Store {
    /// Stores a new case with its audit entry. Fails with `Conflict` if the code is already used
    /// (the caller draws again).
    pub async fn create_case(&self, case: &Case, audit: AuditEvent) -> Result<(), StoreError> {
        let case = case.clone();
        let code = case.code.clone();
        let store = self.clone();
        self.write(move |t| {
            // The case's data key exists (durably) before anything is sealed with it.
            t.vault.ensure_case_keys([code.as_str()])?;
            let record = seal_case(t, &case)?;
            let entries = PendingAudit::new(&store, t, &[audit])?;
            let row = store.row_update(t, &code, Some(&case), &[], &[])?;
            (
                &t.cases,
                &t.case_order,
                &t.aggregate_rows,
                &t.meta,
                &t.audit,
            )
                .transaction(|(cases, order, rows, meta, audit)| {
                    if cases.get(code.as_str())?.is_some() {
                        return Err(abort(StoreError::Conflict));
                    }
                    cases.insert(code.as_str(), record.as_slice())?;
                    super::case_order::replace(order, None, Some(&case))?;
                    row.apply(rows, meta)?;
                    entries.write_in(audit)
                })?;
            store.rows_changed(Some(&code), &[]);
            Ok(())
        })
        .await
    }

    /// The case with this code.
    pub fn case(&self, code: &CaseCode) -> Result<Option<Case>, StoreError> {
        let t = self.trees()?;
        t.cases
            .get(code.as_str())?
            .map(|b| t.unseal(CASES, code.as_str().as_bytes(), &b))
            .transpose()
    }

    /// Every case, in code order.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        let t = self.trees()?;
        t.cases
            .iter()
            .map(|item| {
                let (key, value) = item?;
                t.unseal_once(CASES, &key, &value)
            })
            .collect()
    }

    /// Changes a case and appends its audit entry, atomically.
    pub async fn update_case(
        &self,
        code: &CaseCode,
        change: impl Fn(&mut Case) + Send + 'static,
        audit: AuditEvent,
    ) -> Result<Case, StoreError> {
        let code = code.clone();
        let store = self.clone();
        self.write(move |t| {
            // Read and changed here, on the one writer (nothing else changes it meanwhile), so
            // that the case's aggregate row can be made before the transaction: sled reads
            // inside one would wait for the transaction itself.
            let bytes = t.cases.get(code.as_str())?.ok_or(StoreError::NotFound)?;
            let before: Case = t.unseal(CASES, code.as_str().as_bytes(), &bytes)?;
            let mut case = before.clone();
            change(&mut case);
            let record = seal_case(t, &case)?;
            let row = store.row_update(t, &code, Some(&case), &[], &[])?;
            let entries = PendingAudit::new(&store, t, &[audit])?;
            let trees = (
                &t.cases,
                &t.case_order,
                &t.aggregate_rows,
                &t.meta,
                &t.audit,
            );
            trees.transaction(|(cases, order, rows, meta, audit)| {
                if cases.get(code.as_str())?.as_deref() != Some(bytes.as_ref()) {
                    return Err(abort(StoreError::Conflict));
                }
                cases.insert(code.as_str(), record.as_slice())?;
                super::case_order::replace(order, Some(&before), Some(&case))?;
                row.apply(rows, meta)?;
                entries.write_in(audit)
            })?;
            store.rows_changed(Some(&code), &[]);
            Ok(case)
        })
        .await
    }

    /// A fresh id for a new assessment.
    pub fn new_assessment_id(&self) -> Result<AssessmentId, StoreError> {
        Ok(AssessmentId::new(self.trees()?.new_id()?))
    }

    /// Stores what a lifecycle transition made, with its audit entry, in one transaction: each
    /// record only if the store still holds the version it was computed from (or, for a new
    /// record, none). Otherwise fails with `Conflict` and stores nothing. Returns the record the
    /// transition is about.
    pub async fn apply(&self, transition: Transition) -> Result<Assessment, StoreError> {
        let sealer = self.trees()?;
        let changes = transition
            .changes()
            .map(|c| {
                let record = &c.record;
                Ok((
                    record.id(),
                    case_index_key(record.case(), record.id()),
                    c.expected_version,
                    seal_assessment(&sealer, record)?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        drop(sealer);
        let audit = transition.audit().clone();
        let records: Vec<Assessment> = transition.changes().map(|c| c.record.clone()).collect();
        let store = self.clone();
        self.write(move |t| {
            let entries = PendingAudit::new(&store, t, &[audit])?;
            let row = match records.first() {
                Some(first) => {
                    let changed: Vec<&Assessment> = records.iter().collect();
                    Some(store.row_update(t, first.case(), None, &changed, &[])?)
                }
                None => None,
            };
            (
                &t.assessments,
                &t.case_assessments,
                &t.aggregate_rows,
                &t.meta,
                &t.audit,
            )
                .transaction(|(assessments, index, rows, meta, audit)| {
                    for (id, index_key, expected, record) in &changes {
                        let key = id.get().to_be_bytes();
                        let stored = match assessments.get(key)? {
                            Some(bytes) => Some(
                                t.unseal_once::<StoredVersion>(ASSESSMENTS, &key, &bytes)
                                    .map_err(abort)?
                                    .version,
                            ),
                            None => None,
                        };
                        if stored != *expected {
                            return Err(abort(StoreError::Conflict));
                        }
                        assessments.insert(&key, record.as_slice())?;
                        index.insert(index_key.as_slice(), &[])?;
                    }
                    if let Some(row) = &row {
                        row.apply(rows, meta)?;
                    }
                    entries.write_in(audit)
                })?;
            let touched: Vec<AssessmentId> = changes.iter().map(|(id, ..)| *id).collect();
            for record in &records {
                t.case_lists.changed(record.case());
            }
            store.rows_changed(None, &touched);
            Ok(())
        })
        .await?;
        Ok(transition.into_assessment())
    }

    /// Stores an assessment built elsewhere (demo data, test fixtures), without an audit entry:
    /// pages change assessments only through `apply`.
    pub async fn insert_assessment(&self, assessment: &Assessment) -> Result<(), StoreError> {
        let assessment = assessment.clone();
        let id = assessment.id();
        let index_key = case_index_key(assessment.case(), id);
        let store = self.clone();
        self.write(move |t| {
            t.vault.ensure_case_keys([assessment.case().as_str()])?;
            let record = seal_assessment(t, &assessment)?;
            let row = store.row_update(t, assessment.case(), None, &[&assessment], &[])?;
            (
                &t.assessments,
                &t.case_assessments,
                &t.aggregate_rows,
                &t.meta,
            )
                .transaction(|(assessments, index, rows, meta)| {
                    assessments.insert(&id.get().to_be_bytes(), record.as_slice())?;
                    index.insert(index_key.as_slice(), &[])?;
                    row.apply(rows, meta)?;
                    Ok::<_, TxError>(())
                })?;
            t.case_lists.changed(assessment.case());
            store.rows_changed(None, &[id]);
            Ok(())
        })
        .await
    }

    /// The assessment with this id.
    pub fn assessment(&self, id: AssessmentId) -> Result<Option<Assessment>, StoreError> {
        let t = self.trees()?;
        let key = id.get().to_be_bytes();
        t.assessments
            .get(key)?
            .map(|b| t.unseal(ASSESSMENTS, &key, &b))
            .transpose()
    }

    /// Every assessment (all revisions) of a case, oldest first.
    pub fn assessments_of(&self, code: &CaseCode) -> Result<Vec<Assessment>, StoreError> {
        Ok(self
            .assessments_of_shared(code)?
            .iter()
            .map(|a| Assessment::clone(a))
            .collect())
    }

    /// `assessments_of` for a page that only reads them: the records decoded lately are shared,
    /// not copied, and the case's list is kept while no write changes it (`store::case_lists`).
    pub fn assessments_of_shared(&self, code: &CaseCode) -> Result<CaseAssessments, StoreError> {
        let t = self.trees()?;
        t.case_lists.get_or_read(code, || {
            assessment_keys(&t, code)?
                .into_iter()
                .map(|(_, id)| {
                    let key = id.get().to_be_bytes();
                    let bytes = t.assessments.get(key)?.ok_or(StoreError::NotFound)?;
                    t.unseal_shared(ASSESSMENTS, &key, &bytes)
                })
                .collect()
        })
    }

    /// Every assessment in the store (for aggregates and the demo check).
    /// Calls `f` with every assessment record in turn, keeping none of them: for reading the
    /// whole store in bounded memory.
    pub fn each_assessment(&self, mut f: impl FnMut(Assessment)) -> Result<(), StoreError> {
        let t = self.trees()?;
        for item in t.assessments.iter() {
            let (key, value) = item?;
            f(t.unseal_once(ASSESSMENTS, &key, &value)?);
        }
        Ok(())
    }

    pub fn all_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        let t = self.trees()?;
        t.assessments
            .iter()
            .map(|item| {
                let (key, value) = item?;
                t.unseal_once(ASSESSMENTS, &key, &value)
            })
            .collect()
    }
}

/// The one field of a stored assessment the writer checks a change against (read without
/// building the whole record: the answers are skipped, not decoded).
#[derive(serde::Deserialize)]
struct StoredVersion {
    version: u64,
}

/// The index keys and ids of every assessment of `code`, oldest first.
pub(super) fn assessment_keys(
    t: &Trees,
    code: &CaseCode,
) -> Result<Vec<(Vec<u8>, AssessmentId)>, StoreError> {
    t.case_assessments
        .scan_prefix(code.as_str())
        .keys()
        .map(|key| {
            let key = key?;
            let raw: [u8; 8] = key[code.as_str().len()..]
                .try_into()
                .map_err(|_| StoreError::NotFound)?;
            Ok((key.to_vec(), AssessmentId::new(u64::from_be_bytes(raw))))
        })
        .collect()
}

/// `case` sealed under its own data key.
fn seal_case(t: &Trees, case: &Case) -> Result<Vec<u8>, StoreError> {
    let code = case.code.as_str();
    t.seal(Scope::Case(code), CASES, code.as_bytes(), case)
}

/// `assessment` sealed under its case's data key.
fn seal_assessment(t: &Trees, assessment: &Assessment) -> Result<Vec<u8>, StoreError> {
    t.seal(
        Scope::Case(assessment.case().as_str()),
        ASSESSMENTS,
        &assessment.id().get().to_be_bytes(),
        assessment,
    )
}
