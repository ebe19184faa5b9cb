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

use super::{Store, StoreError};
use crate::domain::CaseCode;
use crate::domain::aggregate::Rows;
use crate::domain::assessment::AssessmentId;
use crate::instrument::Instrument;

/// The rows (None until first used) and the records written since they last caught up.
#[derive(Default)]
pub(super) struct RowsCache {
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
            // One record at a time: the decoded records are never all in memory at once.
            let mut rows = Rows::build(instrument, &self.cases()?, []);
            self.each_assessment(|a| rows.put_assessment(&a))?;
            *guard = Some(rows);
        }
        self.catch_up(&mut guard)?;
        match guard.as_ref() {
            Some(rows) => Ok(read(rows)),
            None => Err(StoreError::NotFound),
        }
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
    async fn rows_for_another_instrument_version_are_rebuilt() {
        let fx = fixture().await;
        let mut other = fx.instrument.clone();
        other.version = "3".into();
        let rows = fx.store.with_aggregate_rows(&other, Clone::clone).unwrap();
        assert!(rows.is_for(&other) && !rows.is_for(&fx.instrument));
        assert_eq!(rows.assessment_count(), fx.fresh().assessment_count());
    }
}
