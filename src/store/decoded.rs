//! Records opened recently, kept decoded: a page asks for the same few records again and again
//! (its session, its account, the assessment and its case, the case's earlier assessments), and
//! opening one (decrypt, decompress, decode) was a third of a checklist page's time.
//!
//! An entry is found only by the record's whole stored value, its tree and its key, so a record
//! changed on disk, or moved to another key, is a miss and is opened (and checked) afresh. Bounded
//! by count; emptied when a case is erased (its plaintext must not outlive its key) and with the
//! store handle it belongs to. Full scans (exports, the aggregate rows read at start) do not pass
//! through it; the background rebuild of the stored rows does, and merely evicts older entries.

use std::any::{Any, TypeId};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use lru::LruCache;

/// How many decoded records are kept: a few pages' worth for every member of a busy team, a few
/// megabytes at most.
const ENTRIES: usize = 1024;

#[derive(Hash, PartialEq, Eq)]
struct Key {
    type_id: TypeId,
    /// Tree, a zero, the record's key, a zero, its stored value.
    bytes: Box<[u8]>,
}

impl Key {
    fn new<T: 'static>(tree: &str, key: &[u8], sealed: &[u8]) -> Self {
        let mut bytes = Vec::with_capacity(tree.len() + key.len() + sealed.len() + 2);
        bytes.extend_from_slice(tree.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(key);
        bytes.push(0);
        bytes.extend_from_slice(sealed);
        Self {
            type_id: TypeId::of::<T>(),
            bytes: bytes.into_boxed_slice(),
        }
    }
}

type Entries = LruCache<Key, Arc<dyn Any + Send + Sync>>;

pub(super) struct Decoded {
    entries: Mutex<Entries>,
}

impl Default for Decoded {
    fn default() -> Self {
        Self {
            entries: Mutex::new(LruCache::new(
                NonZeroUsize::new(ENTRIES).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl Decoded {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        // A panic while holding it can only have left a valid cache behind: use it.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The record stored as `sealed` under `key` of `tree`, if it was decoded as a `T` lately.
    pub(super) fn get<T: Clone + 'static>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Option<T> {
        let found = self
            .lock()
            .get(&Key::new::<T>(tree, key, sealed))
            .cloned()?;
        found.downcast_ref::<T>().cloned()
    }

    pub(super) fn put<T: Send + Sync + 'static>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
        value: T,
    ) {
        self.lock()
            .put(Key::new::<T>(tree, key, sealed), Arc::new(value));
    }

    /// Forgets everything (a case was erased).
    pub(super) fn clear(&self) {
        self.lock().clear();
    }
}
