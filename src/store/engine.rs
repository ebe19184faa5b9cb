//! How the store drives sled: one writer thread, group commit, health, and what an acknowledgement
//! means.
//!
//! Why: sled 0.34.7 deadlocks for good when several threads call `flush_async` at once (its thread
//! pool fills up with flushes that wait for a log write queued behind them; sled #1241, #1308), and
//! its own flush only `sync_file_range`s the log: the file's size and blob files reach the disk
//! only when its background thread calls `fsync`, about every 500 ms. So:
//!
//! - **One writer.** Every change is a job sent to one thread. It takes whatever jobs are waiting
//!   (up to `MAX_BATCH`), applies them one after the other (a change spanning records is one sled
//!   transaction), then makes the whole batch durable once: sled's `flush` on this thread, then
//!   `fsync` of every new blob file and of the blob directory, then `fdatasync` of the log file.
//!   Only then is every request of the batch answered (group commit). No request ever calls a
//!   sled flush.
//! - **What an acknowledgement guarantees.** A write method that returned `Ok` returned after its
//!   change, and every change acknowledged before it, was in sled's log on stable storage
//!   (written, then `fdatasync`ed; blobs `fsync`ed). A crash, `kill -9` or power cut after that
//!   keeps it. A write that failed or timed out is not acknowledged: it may or may not have
//!   reached the disk, but never half of it (transactions), and a job whose caller stopped
//!   waiting before it ran is not applied at all.
//! - **Reads** run on the caller's thread, beside the writer, and see a change as soon as the
//!   writer applied it, which may be up to one group commit before it is durable.
//! - **Deferred records** (session activity, read audit, refusal summaries) are not acknowledged
//!   to anyone: they ride with the next batch, at the latest after `DEFERRED_WITHIN`, and stay in
//!   memory (at most `MAX_DEFERRED`) until a flush succeeds.
//! - **Faults.** A failed flush puts the store in "cannot write": writes are refused at once (503),
//!   reads go on from the open database. Every `PROBE_EVERY` the writer checks whether the disk
//!   takes a write again; then it reopens the database (sled refuses every write after an I/O
//!   error until reopened) and writes resume, without a restart. A batch running longer than
//!   `STUCK_AFTER` marks the store stuck; callers stop waiting after `WRITE_TIMEOUT` (503).
//!
//! A known limit of sled 0.34.7 that this cannot close: sled writes a page larger than 128 KB to a
//! blob file and its log record before this thread `fsync`s the blob, so a power cut in that
//! window (not a process crash) can leave a log record whose blob is incomplete.

use std::collections::HashSet;
use std::fs::File;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use super::StoreError;
use super::deferred::Deferred;
use super::trees::Trees;

/// How long a caller waits for its write to be applied and made durable.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(3);
/// A batch running this long marks the store stuck (unless it is a snapshot for a backup).
pub const STUCK_AFTER: Duration = Duration::from_secs(3);
/// Longest a snapshot may hold the writer; writes waiting behind it wait as long.
pub const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(120);
/// How often the writer checks whether a store that cannot write can write again.
const PROBE_EVERY: Duration = Duration::from_secs(1);
/// Most deferred records wait this long for a batch before they get one of their own.
const DEFERRED_WITHIN: Duration = Duration::from_secs(1);
/// Most jobs in one group commit.
const MAX_BATCH: usize = 512;
/// Most jobs waiting; past it a write is refused at once as busy.
const QUEUE_CAPACITY: usize = 4096;

/// Why the store cannot take a write now. Cheap to clone: one failed flush answers a whole batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// Writing to disk failed (disk full, I/O error); the cause is for the log only.
    #[error("the store cannot write to disk: {0}")]
    CannotWrite(String),
    /// The write was not finished within `WRITE_TIMEOUT`.
    #[error("the store did not finish the write in time")]
    TimedOut,
    /// Too many writes are waiting.
    #[error("too many writes are waiting")]
    Busy,
    /// The database is being reopened after a fault.
    #[error("the store is reopening")]
    Reopening,
    /// The store was closed (the server is stopping).
    #[error("the store is closed")]
    Closed,
}

/// What the health check reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Reads and writes work.
    Ok,
    /// Writes fail; reads go on.
    CannotWrite { cause: String, for_secs: u64 },
    /// A write has been running far too long.
    Stuck { for_secs: u64 },
    /// The database is closed or being reopened.
    Unreadable,
}

/// A fault a test can switch on, to see the service degrade and recover.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Nothing injected.
    None,
    /// Every durable flush, and the disk probe, fails as a full disk would.
    FailWrites,
    /// Every durable flush blocks until the fault is cleared, as a stuck disk would.
    Stall,
    /// Appending an audit entry inside a change's transaction fails: the change is not stored.
    FailAudit,
}

/// What the writer hands a job: the trees to apply it to, or the reason it will not run.
pub enum Step<'a> {
    Apply(&'a Trees),
    Refuse(Unavailable),
}

/// Called with the outcome of the batch's flush, to answer the waiting caller.
pub type Completion = Box<dyn FnOnce(&Result<(), Unavailable>) + Send>;
/// A change waiting for the writer. `None` back means there is nobody to answer.
pub type Job = Box<dyn FnOnce(Step<'_>) -> Option<Completion> + Send>;

#[derive(Default)]
struct Status {
    /// Since when and why writes fail.
    cannot_write: Option<(Instant, String)>,
    /// When the running batch started.
    batch_started: Option<Instant>,
}

/// State shared by the writer thread and every reader.
pub(super) struct Shared {
    dir: PathBuf,
    vault: Arc<super::vault::Vault>,
    /// The page cache the database is opened with.
    cache: super::CacheSize,
    trees: RwLock<Option<Arc<Trees>>>,
    status: Mutex<Status>,
    /// Fast path for pages: whether writes are accepted now.
    writable: AtomicBool,
    /// Bumped at each reopen, so caches built from the old database are dropped.
    epoch: AtomicU64,
    fault: Mutex<Fault>,
    pub(super) deferred: Mutex<Deferred>,
    /// Whether a snapshot (a backup) holds the writer: writes then wait longer than
    /// `WRITE_TIMEOUT`, and a long batch is not "stuck".
    pub(super) snapshot_running: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(super) fn trees(&self) -> Result<Arc<Trees>, StoreError> {
        self.trees
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or(StoreError::Unavailable(Unavailable::Reopening))
    }

    fn fault(&self) -> Fault {
        *lock(&self.fault)
    }

    fn health(&self) -> Health {
        if self
            .trees
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
        {
            return Health::Unreadable;
        }
        let status = lock(&self.status);
        let limit = if self.snapshot_running.load(Ordering::SeqCst) {
            SNAPSHOT_TIMEOUT
        } else {
            STUCK_AFTER
        };
        if let Some(started) = status.batch_started
            && started.elapsed() >= limit
        {
            return Health::Stuck {
                for_secs: started.elapsed().as_secs(),
            };
        }
        match &status.cannot_write {
            Some((since, cause)) => Health::CannotWrite {
                cause: cause.clone(),
                for_secs: since.elapsed().as_secs(),
            },
            None => Health::Ok,
        }
    }

    fn set_batch_started(&self, at: Option<Instant>) {
        lock(&self.status).batch_started = at;
    }

    fn mark_cannot_write(&self, cause: String) {
        let mut status = lock(&self.status);
        if status.cannot_write.is_none() {
            tracing::error!(%cause, "the store cannot write: saving is refused until the disk takes writes again");
            status.cannot_write = Some((Instant::now(), cause));
        }
        self.writable.store(false, Ordering::SeqCst);
    }

    fn mark_writable(&self) {
        let mut status = lock(&self.status);
        if let Some((since, _)) = status.cannot_write.take() {
            tracing::warn!(
                after_secs = since.elapsed().as_secs(),
                "the store can write again"
            );
        }
        self.writable.store(true, Ordering::SeqCst);
    }

    /// Makes everything applied so far durable (see the module docs).
    fn make_durable(&self, trees: &Trees, files: &mut DurableFiles) -> Result<(), Unavailable> {
        loop {
            match self.fault() {
                Fault::None | Fault::FailAudit => break,
                Fault::FailWrites => {
                    return Err(Unavailable::CannotWrite(
                        "injected fault: no space left on device".into(),
                    ));
                }
                Fault::Stall => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        trees
            .db
            .flush()
            .map_err(|e| Unavailable::CannotWrite(e.to_string()))?;
        files
            .sync()
            .map_err(|e| Unavailable::CannotWrite(e.to_string()))
    }

    /// Applies a batch and the deferred records, makes them durable, answers every caller.
    fn commit(&self, jobs: Vec<Job>, files: &mut DurableFiles) {
        let trees = match self.trees() {
            Ok(trees) => trees,
            Err(_) => {
                refuse(jobs, Unavailable::Reopening);
                return;
            }
        };
        self.set_batch_started(Some(Instant::now()));
        let mut deferred = lock(&self.deferred).take();
        let applied = deferred.apply(&trees);
        let completions: Vec<Completion> = jobs
            .into_iter()
            .filter_map(|job| {
                std::panic::catch_unwind(AssertUnwindSafe(|| job(Step::Apply(&trees))))
                    .unwrap_or_else(|_| {
                        tracing::error!("a store write panicked; it was not applied");
                        None
                    })
            })
            .collect();
        let flushed = match applied {
            Ok(()) => self.make_durable(&trees, files),
            Err(e) => Err(Unavailable::CannotWrite(e.to_string())),
        };
        self.set_batch_started(None);
        if let Err(Unavailable::CannotWrite(cause)) = &flushed {
            lock(&self.deferred).restore(deferred);
            self.mark_cannot_write(cause.clone());
        }
        for complete in completions {
            complete(&flushed);
        }
    }

    /// While writes fail: whether the disk takes a write again. If it does, reopens the database
    /// (sled refuses writes after an I/O error until then) and checks a write through it.
    fn try_recover(&self, files: &mut DurableFiles) {
        if matches!(self.fault(), Fault::FailWrites | Fault::Stall) {
            return;
        }
        if let Err(e) = probe_disk(&self.dir) {
            let mut status = lock(&self.status);
            let since = status
                .cannot_write
                .as_ref()
                .map_or_else(Instant::now, |(since, _)| *since);
            status.cannot_write = Some((since, e.to_string()));
            return;
        }
        if let Err(e) = self.reopen(files) {
            tracing::warn!(error = %e, "reopening the store failed; trying again shortly");
            return;
        }
        let probe = self.trees().and_then(|trees| {
            trees.meta.insert(b"write_probe", &[1u8][..])?;
            self.make_durable(&trees, files)
                .map_err(StoreError::Unavailable)
        });
        match probe {
            Ok(()) => self.mark_writable(),
            Err(e) => tracing::warn!(error = %e, "the store still cannot write"),
        }
    }

    /// Closes the database and opens it again from disk. Readers get `Reopening` meanwhile.
    fn reopen(&self, files: &mut DurableFiles) -> Result<(), StoreError> {
        let old = self.trees.write().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(old) = old {
            // Wait for readers to let go: the directory lock goes with the last handle.
            let deadline = Instant::now() + Duration::from_secs(10);
            while Arc::strong_count(&old) > 1 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            drop(old);
        }
        let trees = Trees::open_when_free(
            &self.dir,
            self.vault.clone(),
            self.cache,
            Duration::from_secs(10),
        )?;
        *files = DurableFiles::new(&self.dir);
        *self.trees.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(trees));
        self.epoch.fetch_add(1, Ordering::SeqCst);
        tracing::info!("store reopened");
        Ok(())
    }
}

fn refuse(jobs: Vec<Job>, why: Unavailable) {
    for job in jobs {
        let _ = job(Step::Refuse(why.clone()));
    }
}

/// Writes, syncs and removes a small file: whether the disk takes writes.
fn probe_disk(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let path = dir.join(".write-probe");
    let result = (|| {
        let mut f = File::create(&path)?;
        f.write_all(&[0u8; 64 * 1024])?;
        f.sync_all()
    })();
    let _ = std::fs::remove_file(&path);
    result
}

/// The files sled writes, and which of them are known to be on stable storage.
struct DurableFiles {
    dir: PathBuf,
    log: Option<File>,
    synced_blobs: HashSet<std::ffi::OsString>,
}

impl DurableFiles {
    fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            log: None,
            synced_blobs: HashSet::new(),
        }
    }

    /// `fsync`s blob files not synced yet and their directory, then `fdatasync`s the log.
    fn sync(&mut self) -> std::io::Result<()> {
        let blobs = self.dir.join("blobs");
        let mut present = HashSet::new();
        let mut new = false;
        match std::fs::read_dir(&blobs) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry?;
                    let name = entry.file_name();
                    if !self.synced_blobs.contains(&name) {
                        File::open(entry.path())?.sync_data()?;
                        new = true;
                    }
                    present.insert(name);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if new || present.len() != self.synced_blobs.len() {
            File::open(&blobs)?.sync_all()?;
        }
        self.synced_blobs = present;
        if self.log.is_none() {
            self.log = Some(File::open(self.dir.join("db"))?);
        }
        match &self.log {
            Some(log) => log.sync_data(),
            None => Ok(()),
        }
    }
}

/// The running engine: the shared state and the writer thread. Dropping the last handle lets the
/// writer finish what is queued and stop.
pub(super) struct Engine {
    pub(super) shared: Arc<Shared>,
    queue: Mutex<Option<SyncSender<Job>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    writer_id: ThreadId,
}

impl Engine {
    /// Takes the database the caller opened (and checked: schema, migrations) in `dir`, makes it
    /// all durable, and starts the writer.
    pub(super) fn open(dir: &Path, trees: Trees) -> Result<Self, StoreError> {
        trees.db.flush()?;
        let mut files = DurableFiles::new(dir);
        files
            .sync()
            .and_then(|()| File::open(dir)?.sync_all())
            .map_err(|e| StoreError::Unreadable(e.to_string()))?;
        let shared = Arc::new(Shared {
            dir: dir.to_owned(),
            vault: trees.vault.clone(),
            cache: trees.cache,
            trees: RwLock::new(Some(Arc::new(trees))),
            status: Mutex::default(),
            writable: AtomicBool::new(true),
            epoch: AtomicU64::new(0),
            fault: Mutex::new(Fault::None),
            deferred: Mutex::default(),
            snapshot_running: AtomicBool::new(false),
        });
        let (tx, rx) = mpsc::sync_channel(QUEUE_CAPACITY);
        let writer = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("store-writer".into())
                .spawn(move || write_loop(&shared, &rx, files))
                .map_err(|e| StoreError::Unreadable(e.to_string()))?
        };
        Ok(Self {
            shared,
            writer_id: writer.thread().id(),
            queue: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Hands a job to the writer, or refuses at once when it cannot take it.
    pub(super) fn submit(&self, job: Job) -> Result<(), Unavailable> {
        if !self.shared.writable.load(Ordering::SeqCst) {
            return Err(self.unavailable_now());
        }
        let queue = lock(&self.queue);
        let Some(tx) = queue.as_ref() else {
            return Err(Unavailable::Closed);
        };
        match tx.try_send(job) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(Unavailable::Busy),
            Err(TrySendError::Disconnected(_)) => Err(Unavailable::Closed),
        }
    }

    fn unavailable_now(&self) -> Unavailable {
        match &lock(&self.shared.status).cannot_write {
            Some((_, cause)) => Unavailable::CannotWrite(cause.clone()),
            None => Unavailable::Reopening,
        }
    }

    pub(super) fn health(&self) -> Health {
        self.shared.health()
    }

    pub(super) fn can_write(&self) -> bool {
        self.shared.writable.load(Ordering::SeqCst)
    }

    pub(super) fn set_snapshot_running(&self, running: bool) {
        self.shared
            .snapshot_running
            .store(running, Ordering::SeqCst);
    }

    /// Whether a snapshot holds the writer now.
    pub(super) fn snapshot_running(&self) -> bool {
        self.shared.snapshot_running.load(Ordering::SeqCst)
    }

    /// The data directory.
    pub(super) fn dir(&self) -> &Path {
        &self.shared.dir
    }

    pub(super) fn epoch(&self) -> u64 {
        self.shared.epoch.load(Ordering::SeqCst)
    }

    pub(super) fn inject_fault(&self, fault: Fault) {
        *lock(&self.shared.fault) = fault;
    }

    pub(super) fn fault(&self) -> Fault {
        self.shared.fault()
    }

    /// Stops taking writes, lets the writer finish what is queued (and the deferred records),
    /// and waits for it at most `wait`. Returns whether it finished.
    pub(super) fn close(&self, wait: Duration) -> bool {
        lock(&self.queue).take();
        let Some(writer) = lock(&self.writer).take() else {
            return true;
        };
        if std::thread::current().id() == self.writer_id {
            // The last handle went away on the writer itself: it stops on its own.
            return true;
        }
        let deadline = Instant::now() + wait;
        while !writer.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if writer.is_finished() {
            let _ = writer.join();
            true
        } else {
            tracing::error!("the store writer did not stop in time");
            false
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.close(Duration::from_secs(10));
    }
}

/// The writer thread (see the module docs).
fn write_loop(shared: &Shared, rx: &Receiver<Job>, mut files: DurableFiles) {
    let mut last_probe = Instant::now();
    loop {
        let (mut jobs, closing) = match rx.recv_timeout(DEFERRED_WITHIN / 4) {
            Ok(job) => (vec![job], false),
            Err(RecvTimeoutError::Timeout) => (Vec::new(), false),
            Err(RecvTimeoutError::Disconnected) => (Vec::new(), true),
        };
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        if !shared.writable.load(Ordering::SeqCst) {
            if last_probe.elapsed() >= PROBE_EVERY || closing {
                last_probe = Instant::now();
                shared.try_recover(&mut files);
            }
            if !shared.writable.load(Ordering::SeqCst) {
                let cause = lock(&shared.status)
                    .cannot_write
                    .as_ref()
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                refuse(jobs, Unavailable::CannotWrite(cause));
                if closing {
                    return;
                }
                continue;
            }
        }
        let deferred_due = lock(&shared.deferred).is_due(DEFERRED_WITHIN, !jobs.is_empty());
        if !jobs.is_empty() || deferred_due || (closing && !lock(&shared.deferred).is_empty()) {
            shared.commit(jobs, &mut files);
        }
        if closing {
            return;
        }
    }
}
