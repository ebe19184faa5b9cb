//! A case's assessments as read lately. Every checklist step shows what the case's previous
//! assessment found, and reading the case's list (an index scan, then each record) was a tenth of
//! a step page's time.
//!
//! Each case falls in one of `STRIPES` stripes (by its code), each with a generation. Every write
//! that changes a case's assessments bumps its stripe's generation once the write is committed; a
//! list is kept with the generation read before it was read from the trees, only if that generation
//! still holds once it is read, and used only while it holds. So a list read before a write was
//! visible is never used after it, nor kept; cases sharing a stripe only cost each other a reread. Emptied when a case is erased, like
//! `store::decoded`.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use lru::LruCache;

use crate::domain::CaseCode;
use crate::domain::assessment::Assessment;

const STRIPES: usize = 1024;

/// How many cases' lists are kept: those a team has open at once, many times over.
const LISTS: usize = 256;

/// A case's assessments, oldest first.
pub type CaseAssessments = Arc<[Arc<Assessment>]>;

pub(super) struct CaseLists {
    generations: Box<[AtomicU64]>,
    lists: Mutex<LruCache<CaseCode, (u64, CaseAssessments)>>,
}

impl Default for CaseLists {
    fn default() -> Self {
        Self {
            generations: (0..STRIPES).map(|_| AtomicU64::new(0)).collect(),
            lists: Mutex::new(LruCache::new(
                NonZeroUsize::new(LISTS).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

fn stripe(code: &CaseCode) -> usize {
    let packed = code.packed();
    // The low bits are the code's last characters; mixed with the rest, as codes are random.
    usize::try_from((packed ^ (packed >> 20)) % STRIPES as u64).unwrap_or(0)
}

impl CaseLists {
    fn lock(&self) -> MutexGuard<'_, LruCache<CaseCode, (u64, CaseAssessments)>> {
        // A panic while holding it can only have left a valid cache behind: use it.
        self.lists.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The list of `code`, kept if still current, else read by `read` (and kept).
    pub(super) fn get_or_read<E>(
        &self,
        code: &CaseCode,
        read: impl FnOnce() -> Result<Vec<Arc<Assessment>>, E>,
    ) -> Result<CaseAssessments, E> {
        // Read before the trees: a write committed after this bumps it, so what is kept below
        // (possibly without that write) is not used again.
        let stripe = &self.generations[stripe(code)];
        let generation = stripe.load(Ordering::Acquire);
        if let Some((kept, list)) = self.lock().get(code)
            && *kept == generation
        {
            return Ok(list.clone());
        }
        let list: CaseAssessments = read()?.into();
        let mut lists = self.lock();
        // Kept only if no write came in meanwhile: an erasure bumps before it clears, so a list
        // read before it is never left behind holding the erased case's plaintext.
        if stripe.load(Ordering::Acquire) == generation {
            lists.put(code.clone(), (generation, list.clone()));
        }
        Ok(list)
    }

    /// Called once a write that changed `code`'s assessments is committed.
    pub(super) fn changed(&self, code: &CaseCode) {
        self.generations[stripe(code)].fetch_add(1, Ordering::Release);
    }

    /// Forgets every list (a case was erased: its plaintext must not outlive its key).
    pub(super) fn clear(&self) {
        self.lock().clear();
    }
}
