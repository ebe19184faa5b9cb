//! Keeping `aggregate::Rows` (the compact form of every case and assessment that the dashboard
//! and the review queue read) in step with the trees.
//!
//! Writers never wait for the rows: after committing, a writer notes what it changed in `pending`
//! and applies it only if nobody holds the rows at that moment. Whoever takes the rows next for
//! reading applies what is pending first, by reading the noted records back. A record is always
//! re-read after its writer committed, so the rows never keep a stale version, and a change a
//! writer acknowledged before a read began is always in what that read sees.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockWriteGuard};

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use super::trees::{AGGREGATE_ROWS, ASSESSMENTS, CASES, Trees};
use super::vault::Scope;
use super::{Store, StoreError};
use crate::domain::aggregate::CaseRow;
use crate::domain::aggregate::Rows;
use crate::domain::assessment::{Assessment, AssessmentId};
use crate::domain::{Case, CaseCode};
use crate::instrument::Instrument;

/// The meta record naming the rows' format and the instrument (id, version) whose factor order the stored rows
/// follow. Present only while the `aggregate_rows` tree holds a row for every case; a write that
/// cannot keep its case's row (a store opened without an instrument: some commands, tests)
/// removes it, and the server rebuilds the tree in the background (`prepare_aggregate_rows`).
pub(super) const ROWS_FOR: &[u8] = b"aggregate_rows_for";

/// The stored rows' own format: raised when `CaseRow` changes shape, so that rows stored by
/// another build are rebuilt rather than misread.
const ROWS_FORMAT: u32 = 3;

fn marker(instrument: &Instrument) -> Vec<u8> {
    format!("{ROWS_FORMAT}\0{}\0{}", instrument.id, instrument.version).into_bytes()
}

/// Cases whose stored rows one write job of the background rebuild makes.
const REBUILD_CHUNK: usize = 200;

/// What a write does to the stored row of a case, worked out on the writer before (or inside) its
/// transaction and applied in it.
pub(super) enum RowUpdate {
    /// The case's new row, sealed under its key.
    Put { code: String, sealed: Vec<u8> },
    /// The case is gone.
    Remove { code: String },
    /// No instrument to make the row with: the stored rows are no longer complete.
    Forget,
}

impl RowUpdate {
    pub(super) fn apply(
        &self,
        rows: &TransactionalTree,
        meta: &TransactionalTree,
    ) -> Result<(), ConflictableTransactionError<StoreError>> {
        match self {
            RowUpdate::Put { code, sealed } => {
                rows.insert(code.as_bytes(), sealed.as_slice())?;
            }
            RowUpdate::Remove { code } => {
                rows.remove(code.as_bytes())?;
            }
            RowUpdate::Forget => {
                meta.remove(ROWS_FOR)?;
            }
        }
        Ok(())
    }
}

/// The rows (None until first used) and the records written since they last caught up.
#[derive(Default)]
pub(super) struct RowsCache {
    /// The instrument whose rows writes keep on disk (set by the server at start).
    instrument: RwLock<Option<Instrument>>,
    rows: RwLock<Option<Rows>>,
    pending: Mutex<Touched>,
    /// The store's epoch the rows were read from: a reopened store may have dropped changes
    /// that were applied but never made durable, so its rows are read again.
    epoch: AtomicU64,
}

#[derive(Default)]
struct Touched {
    cases: BTreeSet<CaseCode>,
    assessments: BTreeSet<AssessmentId>,
}

impl RowsCache {
    fn has_pending(&self) -> bool {
        self.pending
            .lock()
            .map_or(true, |p| !p.cases.is_empty() || !p.assessments.is_empty())
    }

    fn take_pending(&self) -> Touched {
        match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(poisoned) => {
                self.pending.clear_poison();
                std::mem::take(&mut *poisoned.into_inner())
            }
        }
    }

    /// The rows, locked for an update. A panic while they were locked may have left them half
    /// updated, so then they are dropped and rebuilt.
    fn write(&self) -> RwLockWriteGuard<'_, Option<Rows>> {
        match self.rows.write() {
            Ok(guard) => guard,
            Err(poisoned) => {
                self.rows.clear_poison();
                let mut guard = poisoned.into_inner();
                *guard = None;
                guard
            }
        }
    }
}

impl Store {
    /// Runs `read` over the compact rows of every case and assessment, reading the whole store
    /// into them on first use (or for another instrument) and applying pending changes first.
    /// Call it from blocking code: the first build takes seconds on a large store.
    pub fn with_aggregate_rows<T>(
        &self,
        instrument: &Instrument,
        read: impl FnOnce(&Rows) -> T,
    ) -> Result<T, StoreError> {
        let cache = &self.rows;
        let epoch = self.engine.epoch();
        if cache.epoch.swap(epoch, Ordering::SeqCst) != epoch {
            *cache.write() = None;
        }
        if !cache.has_pending()
            && let Ok(guard) = cache.rows.read()
            && let Some(rows) = guard.as_ref()
            && rows.is_for(instrument)
        {
            return Ok(read(rows));
        }
        let mut guard = cache.write();
        if guard.as_ref().is_none_or(|rows| !rows.is_for(instrument)) {
            // Changes noted before this point are in the records read now; later ones stay
            // pending and are applied just below.
            *guard = None;
            cache.take_pending();
            let stored = self.stored_rows(instrument).unwrap_or_else(|e| {
                // A row that does not open: read the records instead (slower, but right).
                tracing::warn!(error = %e, "the stored aggregate rows cannot be read");
                None
            });
            *guard = Some(match stored {
                Some(rows) => rows,
                None => {
                    // One record at a time: the decoded records are never all in memory at once.
                    let mut rows = Rows::build(instrument, &self.cases()?, []);
                    self.each_assessment(|a| rows.put_assessment(&a))?;
                    rows.shrink();
                    rows
                }
            });
        }
        self.catch_up(&mut guard)?;
        match guard.as_ref() {
            Some(rows) => Ok(read(rows)),
            None => Err(StoreError::NotFound),
        }
    }

    /// The rows read from the `aggregate_rows` tree, if it holds every case's for `instrument`:
    /// a few hundred bytes per case rather than every assessment.
    fn stored_rows(&self, instrument: &Instrument) -> Result<Option<Rows>, StoreError> {
        let t = self.trees()?;
        if t.meta.get(ROWS_FOR)?.as_deref() != Some(marker(instrument).as_slice()) {
            return Ok(None);
        }
        let mut rows = Rows::new(instrument);
        // A chunk's worth at a time, so that each is allocated once at its size.
        let mut batch = Vec::with_capacity(Rows::APPEND_BATCH);
        for item in t.aggregate_rows.iter() {
            let (key, value) = item?;
            let code = std::str::from_utf8(&key)
                .ok()
                .and_then(|c| CaseCode::parse(c).ok())
                .ok_or_else(|| {
                    StoreError::Unreadable("an aggregate row key is not a code".into())
                })?;
            let plain =
                zeroize::Zeroizing::new(t.vault.open_value(AGGREGATE_ROWS, &key, &value)?);
            batch.push((code, super::codec::decode_positional(&plain)?));
            if batch.len() == Rows::APPEND_BATCH {
                rows.append(std::mem::take(&mut batch));
            }
        }
        rows.append(batch);
        Ok(Some(rows))
    }

    /// Has every write from now on keep its case's row on disk for `instrument` (the server's
    /// active checklist). Call `prepare_aggregate_rows` next.
    pub fn keep_aggregate_rows_for(&self, instrument: &Instrument) {
        *self
            .rows
            .instrument
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(instrument.clone());
    }

    /// Makes sure the stored rows are complete for the instrument set by
    /// `keep_aggregate_rows_for`, rebuilding them if not (after an upgrade, a restore, a command
    /// that wrote without it). The rebuild runs on the writer in small steps between other
    /// writes, so nobody waits for it; the marker goes in last.
    pub async fn prepare_aggregate_rows(&self) -> Result<(), StoreError> {
        let Some(instrument) = self.rows_instrument() else {
            return Ok(());
        };
        let wanted = marker(&instrument);
        let t = self.trees()?;
        if t.meta.get(ROWS_FOR)?.as_deref() == Some(wanted.as_slice()) {
            return Ok(());
        }
        drop(t);
        // In one writer job: no marker (nothing may trust the tree meanwhile, whatever
        // instrument asks), an empty tree, and the cases as they stand. A case created after
        // this job writes its own row.
        let codes: Vec<CaseCode> = self
            .write(|t| {
                t.meta.remove(ROWS_FOR)?;
                t.aggregate_rows.clear()?;
                Ok(t.cases
                    .iter()
                    .keys()
                    .filter_map(|k| {
                        let k = k.ok()?;
                        CaseCode::parse(std::str::from_utf8(&k).ok()?).ok()
                    })
                    .collect())
            })
            .await?;
        for chunk in codes.chunks(REBUILD_CHUNK) {
            let chunk = chunk.to_vec();
            let store = self.clone();
            self.write(move |t| {
                let mut batch = sled::Batch::default();
                for code in &chunk {
                    if let RowUpdate::Put { code, sealed } =
                        store.row_update(t, code, None, &[], &[])?
                    {
                        batch.insert(code.as_bytes(), sealed);
                    }
                }
                Ok(t.aggregate_rows.apply_batch(batch)?)
            })
            .await?;
        }
        let store = self.clone();
        self.write(move |t| {
            // Only if the instrument is still the one the rows were made for.
            if store.rows_instrument().map(|i| marker(&i)) == Some(wanted.clone()) {
                t.meta.insert(ROWS_FOR, wanted)?;
            }
            Ok(())
        })
        .await
    }

    fn rows_instrument(&self) -> Option<Instrument> {
        self.rows
            .instrument
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// On the writer, for a change to case `code`: its stored row afterwards. `case` is its
    /// record after the change (None: read it; gone: the row goes), `changed` the assessments
    /// the change writes and `removed` those it deletes.
    pub(super) fn row_update(
        &self,
        t: &Trees,
        code: &CaseCode,
        case: Option<&Case>,
        changed: &[&Assessment],
        removed: &[AssessmentId],
    ) -> Result<RowUpdate, StoreError> {
        let Some(instrument) = self.rows_instrument() else {
            return Ok(RowUpdate::Forget);
        };
        let read;
        let case = match case {
            Some(case) => case,
            None => match t.cases.get(code.as_str())? {
                Some(bytes) => {
                    read = t.unseal::<Case>(CASES, code.as_str().as_bytes(), &bytes)?;
                    &read
                }
                None => {
                    return Ok(RowUpdate::Remove {
                        code: code.as_str().to_owned(),
                    });
                }
            },
        };
        let mut stored = Vec::new();
        for (_, id) in super::cases::assessment_keys(t, code)? {
            if removed.contains(&id) || changed.iter().any(|a| a.id() == id) {
                continue;
            }
            let key = id.get().to_be_bytes();
            if let Some(bytes) = t.assessments.get(key)? {
                stored.push(t.unseal::<Assessment>(ASSESSMENTS, &key, &bytes)?);
            }
        }
        let row: CaseRow =
            Rows::new(&instrument).case_row(case, stored.iter().chain(changed.iter().copied()));
        let plain = zeroize::Zeroizing::new(super::codec::encode_positional(&row)?);
        let sealed = t.vault.seal(
            Scope::Case(code.as_str()),
            AGGREGATE_ROWS,
            code.as_str().as_bytes(),
            &plain,
        )?;
        Ok(RowUpdate::Put {
            code: code.as_str().to_owned(),
            sealed,
        })
    }

    /// Notes a committed change to a case and some assessments, and applies it at once when the
    /// rows are free. Never waits for them.
    pub(super) fn rows_changed(&self, case: Option<&CaseCode>, assessments: &[AssessmentId]) {
        let cache = &self.rows;
        match cache.pending.lock() {
            Ok(mut p) => {
                p.cases.extend(case.cloned());
                p.assessments.extend(assessments.iter().copied());
            }
            Err(_) => {
                // A panic elsewhere while noting: the change cannot be recorded, so the rows
                // must be rebuilt. Drop them (waiting for the lock is the safe choice here).
                *cache.write() = None;
                return;
            }
        }
        if let Ok(mut guard) = cache.rows.try_write() {
            if guard.is_some() {
                // A failure drops the rows, which are then rebuilt on next use.
                let _ = self.catch_up(&mut guard);
            } else {
                // Not built yet: the build will read this change from the trees.
                cache.take_pending();
            }
        }
    }

    /// Applies every pending change to `rows` by reading the records back. If one cannot be
    /// read, the rows are dropped (to be rebuilt) and the error returned.
    fn catch_up(&self, rows: &mut Option<Rows>) -> Result<(), StoreError> {
        let touched = self.rows.take_pending();
        let Some(current) = rows.as_mut() else {
            return Ok(());
        };
        let mut apply = || -> Result<(), StoreError> {
            for code in &touched.cases {
                match self.case(code)? {
                    Some(case) => current.put_case(&case),
                    // Erased: its rows go with it.
                    None => current.remove_case(code),
                }
            }
            for id in &touched.assessments {
                match self.assessment(*id)? {
                    Some(assessment) => current.put_assessment(&assessment),
                    // Deleted (a stale draft): its row goes.
                    None => current.remove_assessment(*id),
                }
            }
            Ok(())
        };
        let applied = apply();
        if applied.is_err() {
            *rows = None;
        }
        applied
    }
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::assessment::{Actor, Assessment, Note, ReviewDecision};
    use crate::domain::case::Consent;
    use crate::domain::{AuditAction, AuditEvent, Case, Outcome, UserId};

    struct Fixture {
        _dir: tempfile::TempDir,
        store: Store,
        instrument: Instrument,
        data: Vec<(Case, Vec<Assessment>)>,
    }

    /// A store with four synthetic cases, its rows built before anything was written.
    async fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
        let instrument = Instrument::bundled().unwrap();
        let built = store.with_aggregate_rows(&instrument, |r| r.assessment_count());
        assert_eq!(built.unwrap(), 0, "built while empty");
        let now = OffsetDateTime::now_utc();
        let data = crate::demo::generate(&instrument, 4, 7, now, &[UserId::new(1)], None).unwrap();
        for (case, assessments) in &data {
            let created = AuditEvent::new(now, None, AuditAction::CaseCreated, Outcome::Success);
            store.create_case(case, created).await.unwrap();
            for a in assessments {
                store.insert_assessment(a).await.unwrap();
            }
        }
        Fixture {
            _dir: dir,
            store,
            instrument,
            data,
        }
    }

    impl Fixture {
        fn kept(&self) -> Rows {
            self.store
                .with_aggregate_rows(&self.instrument, Clone::clone)
                .unwrap()
        }

        fn fresh(&self) -> Rows {
            let cases = self.store.cases().unwrap();
            let assessments = self.store.all_assessments().unwrap();
            Rows::build(&self.instrument, &cases, &assessments)
        }

        /// Erases the `i`-th case.
        async fn erase(&self, i: usize) {
            let code = &self.data[i].0.code;
            let erasure = crate::domain::erasure::Erasure {
                code: code.to_string(),
                at: OffsetDateTime::now_utc(),
                reason: crate::domain::erasure::ErasureReason::PersonsRequest,
            };
            let event = AuditEvent::new(
                OffsetDateTime::now_utc(),
                None,
                AuditAction::CaseErased,
                Outcome::Success,
            );
            self.store.erase_case(code, erasure, event).await.unwrap();
        }

        /// A review of the first submitted assessment, an amendment replacing it (submitted in
        /// turn), and a change to its case.
        async fn review_amend_and_change(&self) -> (AssessmentId, AssessmentId) {
            let (case, assessments) = &self.data[0];
            let first = assessments.iter().find(|a| !a.is_draft()).unwrap();
            let now = OffsetDateTime::now_utc();
            let supervisor = Actor::supervisor(UserId::new(2));
            let review = first
                .review(ReviewDecision::Reviewed(None), supervisor, now)
                .unwrap();
            let reviewed = self.store.apply(review).await.unwrap();
            let reason = Note::parse("a rating was wrong", 500).unwrap().unwrap();
            // The demo data numbered its assessments from 1, apart from the store's ids.
            let new_id = AssessmentId::new(1_000_000);
            let operator = Actor::operator(UserId::new(1));
            let amend = reviewed.amend(new_id, reason, operator, now).unwrap();
            let draft = self.store.apply(amend).await.unwrap();
            let submit = draft.submit(&self.instrument, operator, now).unwrap();
            let amended = self.store.apply(submit).await.unwrap();
            let change = AuditEvent::new(now, None, AuditAction::CaseUpdated, Outcome::Success);
            self.store
                .update_case(
                    &case.code,
                    move |c| {
                        c.attributes.consent = Consent::No;
                        c.shared_with.push(UserId::new(9));
                    },
                    change,
                )
                .await
                .unwrap();
            (first.id(), amended.id())
        }
    }

    #[actix_web::test]
    async fn the_rows_follow_every_kind_of_write_as_a_fresh_read_would() {
        let fx = fixture().await;
        let total: usize = fx.data.iter().map(|(_, a)| a.len()).sum();
        assert_eq!(fx.kept().assessment_count(), total);
        let (first, amended) = fx.review_amend_and_change().await;
        let kept = fx.kept();
        assert_eq!(kept, fx.fresh());
        assert_eq!(kept.assessment_count(), total + 1);
        assert!(kept.pending_review().contains(&amended));
        assert!(!kept.pending_review().contains(&first));
    }

    #[actix_web::test]
    async fn a_write_never_waits_for_a_reader_and_the_next_read_has_it() {
        let fx = fixture().await;
        let (holding_tx, holding) = std::sync::mpsc::channel();
        let (release, release_rx) = std::sync::mpsc::channel::<()>();
        let reader = {
            let store = fx.store.clone();
            let instrument = fx.instrument.clone();
            std::thread::spawn(move || {
                store.with_aggregate_rows(&instrument, |_| {
                    holding_tx.send(()).unwrap();
                    // Released by the test once its writes returned; a timeout means a write
                    // was waiting for this reader.
                    release_rx
                        .recv_timeout(std::time::Duration::from_secs(10))
                        .is_ok()
                })
            })
        };
        holding.recv().unwrap();
        fx.review_amend_and_change().await;
        release.send(()).unwrap();
        let released = reader.join().unwrap().unwrap();
        assert!(released, "the writes returned while a reader held the rows");
        assert_eq!(fx.kept(), fx.fresh(), "the next read applied them");
    }

    #[actix_web::test]
    async fn a_kept_list_of_a_cases_assessments_follows_every_write() {
        let fx = fixture().await;
        let codes: Vec<CaseCode> = fx.data.iter().map(|(c, _)| c.code.clone()).collect();
        let check = |fx: &Fixture, when: &str| {
            let all = fx.store.all_assessments().unwrap();
            for code in &codes {
                let mut fresh: Vec<Assessment> =
                    all.iter().filter(|a| a.case() == code).cloned().collect();
                fresh.sort_by_key(|a| a.id());
                assert_eq!(fx.store.assessments_of(code).unwrap(), fresh, "{when}");
            }
        };
        check(&fx, "at first");
        // Kept: read twice without a write between, the same list.
        let once = fx.store.assessments_of_shared(&codes[3]).unwrap();
        let twice = fx.store.assessments_of_shared(&codes[3]).unwrap();
        assert!(std::sync::Arc::ptr_eq(&once, &twice));

        fx.review_amend_and_change().await;
        check(&fx, "after a review, an amendment and a case change");
        // A new assessment started on a case without a draft (the amended one's is submitted),
        // then deleted as a stale draft.
        let existing = fx.store.assessments_of(&codes[0]).unwrap();
        let start = Assessment::start(
            AssessmentId::new(2_000_000),
            &fx.data[0].0,
            &existing,
            &fx.instrument,
            Actor::operator(UserId::new(1)),
            OffsetDateTime::now_utc(),
        )
        .unwrap();
        let draft = fx.store.apply(start).await.unwrap();
        assert!(fx.store.assessments_of(&codes[0]).unwrap().contains(&draft));
        check(&fx, "after a new assessment was started");
        let stale = crate::domain::retention::StaleDraft {
            id: draft.id(),
            version: draft.version(),
        };
        let gone = fx
            .store
            .delete_drafts(vec![(codes[0].clone(), stale)])
            .await;
        assert_eq!(gone.unwrap(), 1);
        assert!(!fx.store.assessments_of(&codes[0]).unwrap().contains(&draft));
        check(&fx, "after a draft was deleted");
        fx.erase(2).await;
        assert!(fx.store.assessments_of(&codes[2]).unwrap().is_empty());
        check(&fx, "after an erasure");
    }

    #[actix_web::test]
    async fn the_stored_rows_follow_every_write_and_a_write_without_them_is_caught_up() {
        let fx = fixture().await;
        let stored = |fx: &Fixture| fx.store.stored_rows(&fx.instrument).unwrap();
        assert!(
            stored(&fx).is_none(),
            "written without an instrument: not complete"
        );
        fx.store.keep_aggregate_rows_for(&fx.instrument);
        fx.store.prepare_aggregate_rows().await.unwrap();
        assert_eq!(stored(&fx), Some(fx.fresh()), "rebuilt from the records");

        // Every kind of write keeps them: a review, an amendment, a case change, a deleted draft
        // and an erasure.
        fx.review_amend_and_change().await;
        let (case, assessments) = &fx.data[1];
        if let Some(draft) = assessments.iter().find(|a| a.is_draft()) {
            let stale = crate::domain::retention::StaleDraft {
                id: draft.id(),
                version: draft.version(),
            };
            let gone = fx
                .store
                .delete_drafts(vec![(case.code.clone(), stale)])
                .await;
            assert_eq!(gone.unwrap(), 1);
        }
        fx.erase(2).await;
        assert_eq!(stored(&fx), Some(fx.fresh()));

        // A store handle without the instrument writes: the marker goes, the rows are not trusted
        // until a rebuild, which makes them right again.
        let other = Store::open(fx._dir.path(), &crate::store::vault::test_key());
        assert!(other.is_err(), "one process per data directory");
        *fx.store.rows.instrument.write().unwrap() = None;
        let (case, _) = &fx.data[3];
        let change = AuditEvent::new(
            OffsetDateTime::now_utc(),
            None,
            AuditAction::CaseUpdated,
            Outcome::Success,
        );
        fx.store
            .update_case(&case.code, |c| c.attributes.consent = Consent::No, change)
            .await
            .unwrap();
        assert!(stored(&fx).is_none());
        fx.store.keep_aggregate_rows_for(&fx.instrument);
        fx.store.prepare_aggregate_rows().await.unwrap();
        assert_eq!(stored(&fx), Some(fx.fresh()));
        assert_eq!(fx.kept(), fx.fresh());
    }

    #[actix_web::test]
    async fn rows_for_another_instrument_version_are_rebuilt() {
        let fx = fixture().await;
        let mut other = fx.instrument.clone();
        other.version = "3".into();
        let rows = fx.store.with_aggregate_rows(&other, Clone::clone).unwrap();
        assert!(rows.is_for(&other) && !rows.is_for(&fx.instrument));
        assert_eq!(rows.assessment_count(), fx.fresh().assessment_count());
    }
}
