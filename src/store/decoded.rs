//! Records opened recently, kept decoded: a page asks for the same few records again and again
//! (its session, its account, the assessment and its case, the case's earlier assessments), and
//! opening one (decrypt, decompress, decode) was a third of a checklist page's time.
//!
//! An entry is found by the record's tree and key and used only if the stored value is the very one
//! it was decoded from, so a record changed on disk, or moved to another key, is a miss and is
//! opened (and checked) afresh. One entry per record: a newer version replaces the older. Bounded
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
    /// Tree, a zero, the record's key.
    bytes: Box<[u8]>,
}

impl Key {
    fn new<T: 'static>(tree: &str, key: &[u8]) -> Self {
        let mut bytes = Vec::with_capacity(tree.len() + key.len() + 1);
        bytes.extend_from_slice(tree.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(key);
        Self {
            type_id: TypeId::of::<T>(),
            bytes: bytes.into_boxed_slice(),
        }
    }
}

/// A decoded record and the stored value it was decoded from: a hit needs the same value (one
/// comparison, no hashing of the whole value).
struct Entry {
    sealed: Box<[u8]>,
    value: Arc<dyn Any + Send + Sync>,
}

type Entries = LruCache<Key, Entry>;

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
    pub(super) fn get<T: Send + Sync + 'static>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Option<Arc<T>> {
        let found = {
            let mut entries = self.lock();
            let entry = entries.get(&Key::new::<T>(tree, key))?;
            (*entry.sealed == *sealed).then(|| entry.value.clone())?
        };
        found.downcast::<T>().ok()
    }

    pub(super) fn put<T: Send + Sync + 'static>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
        value: Arc<T>,
    ) {
        let entry = Entry {
            sealed: sealed.into(),
            value,
        };
        self.lock().put(Key::new::<T>(tree, key), entry);
    }

    /// Forgets everything (a case was erased).
    pub(super) fn clear(&self) {
        self.lock().clear();
    }
}
