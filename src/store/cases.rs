//! Cases and their assessments. A case is keyed by its code; assessments by a sled id, with an index
//! from case code to assessment ids so a case's history is one prefix scan.

use sled::Transactional;

use super::{Store, StoreError, abort, decode, encode};
use crate::domain::assessment::{Assessment, AssessmentId};
use crate::domain::{Case, CaseCode};

fn case_index_key(code: &CaseCode, id: AssessmentId) -> Vec<u8> {
    let mut key = code.as_str().as_bytes().to_vec();
    key.extend_from_slice(&id.get().to_be_bytes());
    key
}

impl Store {
    /// Stores a new case. Fails with `Conflict` if the code is already used (the caller draws again).
    pub async fn create_case(&self, case: &Case) -> Result<(), StoreError> {
        let record = encode(case)?;
        let code = case.code.clone();
        let store = self.clone();
        self.write(move |t| {
            let swapped =
                t.cases
                    .compare_and_swap(code.as_str(), None as Option<&[u8]>, Some(record))?;
            if swapped.is_err() {
                return Err(StoreError::Conflict);
            }
            store.rows_changed(Some(&code), &[]);
            Ok(())
        })
        .await
    }

    /// The case with this code.
    pub fn case(&self, code: &CaseCode) -> Result<Option<Case>, StoreError> {
        self.trees()?
            .cases
            .get(code.as_str())?
            .map(|b| decode(&b))
            .transpose()
    }

    /// Every case, in code order.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        self.trees()?
            .cases
            .iter()
            .values()
            .map(|v| decode(&v?))
            .collect()
    }

    /// Changes a case atomically.
    pub async fn update_case(
        &self,
        code: &CaseCode,
        change: impl Fn(&mut Case) + Send + 'static,
    ) -> Result<Case, StoreError> {
        let code = code.clone();
        let store = self.clone();
        self.write(move |t| {
            let case = t.cases.transaction(|cases| {
                let bytes = cases
                    .get(code.as_str())?
                    .ok_or_else(|| abort(StoreError::NotFound))?;
                let mut case: Case = decode(&bytes).map_err(abort)?;
                change(&mut case);
                cases.insert(code.as_str(), encode(&case).map_err(abort)?)?;
                Ok(case)
            })?;
            store.rows_changed(Some(&code), &[]);
            Ok(case)
        })
        .await
    }

    /// A fresh id for a new assessment.
    pub fn new_assessment_id(&self) -> Result<AssessmentId, StoreError> {
        Ok(AssessmentId::new(self.trees()?.db.generate_id()?))
    }

    /// Stores a new assessment (a first revision, or an amendment: then `supersedes` gets its
    /// `superseded_by` set in the same transaction).
    pub async fn insert_assessment(
        &self,
        assessment: &Assessment,
        supersedes: Option<AssessmentId>,
    ) -> Result<(), StoreError> {
        let record = encode(assessment)?;
        let id = assessment.id;
        let index = case_index_key(&assessment.case, id);
        let store = self.clone();
        self.write(move |t| {
            (&t.assessments, &t.case_assessments).transaction(|(assessments, cases)| {
                if let Some(old_id) = supersedes {
                    let bytes = assessments
                        .get(old_id.get().to_be_bytes())?
                        .ok_or_else(|| abort(StoreError::NotFound))?;
                    let mut old: Assessment = decode(&bytes).map_err(abort)?;
                    if old.superseded_by.is_some() {
                        return Err(abort(StoreError::Conflict));
                    }
                    old.superseded_by = Some(id);
                    assessments
                        .insert(&old_id.get().to_be_bytes(), encode(&old).map_err(abort)?)?;
                }
                assessments.insert(&id.get().to_be_bytes(), record.as_slice())?;
                cases.insert(index.as_slice(), &[])?;
                Ok(())
            })?;
            let touched: Vec<AssessmentId> = supersedes.into_iter().chain([id]).collect();
            store.rows_changed(None, &touched);
            Ok(())
        })
        .await
    }

    /// The assessment with this id.
    pub fn assessment(&self, id: AssessmentId) -> Result<Option<Assessment>, StoreError> {
        self.trees()?
            .assessments
            .get(id.get().to_be_bytes())?
            .map(|b| decode(&b))
            .transpose()
    }

    /// Every assessment (all revisions) of a case, oldest first.
    pub fn assessments_of(&self, code: &CaseCode) -> Result<Vec<Assessment>, StoreError> {
        let t = self.trees()?;
        t.case_assessments
            .scan_prefix(code.as_str())
            .keys()
            .map(|key| {
                let key = key?;
                let raw: [u8; 8] = key[code.as_str().len()..]
                    .try_into()
                    .map_err(|_| StoreError::NotFound)?;
                let bytes = t.assessments.get(raw)?.ok_or(StoreError::NotFound)?;
                decode(&bytes)
            })
            .collect()
    }

    /// Every assessment in the store (for aggregates and the demo check).
    pub fn all_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        self.trees()?
            .assessments
            .iter()
            .values()
            .map(|v| decode(&v?))
            .collect()
    }

    /// Saves a change to an assessment if nobody saved it since `expected_version` was read;
    /// otherwise fails with `Conflict` and changes nothing. The version goes up by one.
    pub async fn save_assessment(
        &self,
        id: AssessmentId,
        expected_version: u64,
        change: impl Fn(&mut Assessment) + Send + 'static,
    ) -> Result<Assessment, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            let saved = t.assessments.transaction(|assessments| {
                let key = id.get().to_be_bytes();
                let bytes = assessments
                    .get(key)?
                    .ok_or_else(|| abort(StoreError::NotFound))?;
                let mut assessment: Assessment = decode(&bytes).map_err(abort)?;
                if assessment.version != expected_version {
                    return Err(abort(StoreError::Conflict));
                }
                change(&mut assessment);
                assessment.version += 1;
                assessments.insert(&key, encode(&assessment).map_err(abort)?)?;
                Ok(assessment)
            })?;
            store.rows_changed(None, &[id]);
            Ok(saved)
        })
        .await
    }
}
