//! Compaction: the store copied, record by record, into a fresh directory that then takes the
//! old one's place.
//!
//! sled 0.34 appends every change to its log and reclaims a log segment only once less than half
//! of it is still live, so a store written one save at a time holds several times its live data
//! (a 34,000-case demo store: 64 MB of records in a 287 MB file). It has no compaction of its own;
//! a copy written in large batches holds about 2.5 times its records. This is that copy, made the
//! way a backup and a restore make it (`snapshot` streamed into `snapshot::import`, no file in
//! between), while the store is open and locked, so nothing can change meanwhile.
//!
//! The swap is two renames: the store to `DIR.before-compact`, the copy (`DIR.compacting`,
//! marked `.compacted` once complete and checked) to `DIR`. `recover` runs before every open and
//! finishes what a crash interrupted: a copy left half-written is removed (the store is
//! untouched); a store moved aside with nothing in its place is moved back; a store moved aside
//! behind a marked copy is removed, and behind anything else is left for a person to look at (the
//! open is refused). A compaction holds `DIR.compact-lock` locked from start to end, and `recover`
//! takes it first, so a second process never undoes a compaction still running.
//!
//! Like a restore, the copy seals every record again under new data keys, leaves sessions out
//! (everyone signs in again) and rebuilds the derived trees (the username and case list indexes;
//! the aggregate rows at the server's next start).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::snapshot::{Record, RecordSink, TreeManifest};
use super::vault::{MasterKey, sync_parent};
use super::{CacheSize, Store, StoreError};

/// Where the copy is written.
fn copy_of(dir: &Path) -> PathBuf {
    sibling(dir, "compacting")
}

/// Where the store waits while the copy takes its place.
fn set_aside(dir: &Path) -> PathBuf {
    sibling(dir, "before-compact")
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    // Absolute first, so that `.` or `data/` name the directory itself.
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    dir.with_file_name(name)
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Unreadable(e.to_string())
}

/// The file a compaction holds locked from its start to its end; `recover` takes it before it
/// touches anything, so that it never removes the copy or the set-aside store of a compaction
/// still running.
fn lock_file(dir: &Path) -> PathBuf {
    sibling(dir, "compact-lock")
}

/// Written in the copy once it is complete and checked: a store set aside is removed only from
/// behind a directory holding it.
const FINISHED: &str = ".compacted";

/// `lock_file` held locked until dropped. The file itself stays (empty, beside the directory):
/// removing it would let two processes each lock a file of that name.
struct Running {
    _file: std::fs::File,
}

fn take_lock(dir: &Path) -> Result<Running, StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(lock_file(dir)).map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(Running { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Unreadable(format!(
            "a compaction of {} is running: wait for it to finish",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Writes `FINISHED` in `dir`, durably.
fn mark_finished(dir: &Path) -> Result<(), StoreError> {
    let marker = dir.join(FINISHED);
    std::fs::File::create(&marker)
        .and_then(|f| f.sync_all())
        .and_then(|()| sync_parent(&marker))
        .map_err(io)
}

/// Finishes or undoes a compaction a crash interrupted (see the module docs). Returns what it did,
/// if anything, for the log.
pub(super) fn recover(dir: &Path) -> Result<Option<&'static str>, StoreError> {
    let dir = &std::path::absolute(dir).map_err(io)?;
    let aside = set_aside(dir);
    let copy = copy_of(dir);
    if !aside.exists() && !copy.exists() && !dir.join(FINISHED).exists() {
        return Ok(None);
    }
    let _running = take_lock(dir)?;
    let mut done = None;
    if !aside.exists() && dir.join(FINISHED).exists() {
        // Left by a compaction stopped after its last removal: the store is the copy.
        std::fs::remove_file(dir.join(FINISHED)).map_err(io)?;
    }
    if aside.exists() {
        if dir.join(FINISHED).exists() {
            // Both renames happened: the copy is the store.
            std::fs::remove_dir_all(&aside).map_err(io)?;
            std::fs::remove_file(dir.join(FINISHED)).map_err(io)?;
            done = Some("removed the store a finished compaction had set aside");
        } else if dir.exists() {
            return Err(StoreError::Unreadable(format!(
                "{} holds the store an interrupted compaction set aside, and {} is not its \
                 finished copy: move one of them away, keeping the one with your data",
                aside.display(),
                dir.display()
            )));
        } else {
            // Cut between the renames: the store goes back, the copy is dropped below.
            std::fs::rename(&aside, dir).map_err(io)?;
            sync_parent(dir).map_err(io)?;
            done = Some("put the store back where an interrupted compaction had moved it from");
        }
    }
    if copy.exists() {
        std::fs::remove_dir_all(&copy).map_err(io)?;
        done = done.or(Some("removed the copy an interrupted compaction left"));
    }
    Ok(done)
}

/// The sizes a compaction went between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compacted {
    pub records: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// Records passed from the snapshot (the writer thread) to the import (another thread).
struct Channel(std::sync::mpsc::SyncSender<Record>);

impl RecordSink for Channel {
    fn record(&mut self, tree: &str, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        self.0
            .send((tree.to_owned(), key.to_vec(), value.to_vec()))
            .map_err(|_| std::io::Error::other("the copy stopped"))
    }
}

/// The bytes the files under `dir` take.
pub fn directory_bytes(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            directory_bytes(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// Refuses a directory holding anything but the store's own files (a master key file kept inside
/// it, say): the copy would not carry it, and the swap would delete it.
fn refuse_foreign_files(dir: &Path) -> Result<(), StoreError> {
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let name = entry.map_err(io)?.file_name();
        let name = name.to_string_lossy();
        let ours = matches!(name.as_ref(), "conf" | "db" | "blobs" | "keyring")
            || name.starts_with("snap.")
            || name.starts_with('.');
        if !ours {
            return Err(StoreError::Unreadable(format!(
                "{} holds {name}, which is not part of the store: move it out before compacting",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Compacts the store in `dir` (see the module docs). Fails, changing nothing, if the store is
/// open elsewhere (a running server) or the copy does not hold exactly what the store held.
pub async fn compact(
    dir: &Path,
    key: MasterKey,
    cache: CacheSize,
) -> Result<Compacted, StoreError> {
    let dir = &std::path::absolute(dir).map_err(io)?;
    refuse_foreign_files(dir)?;
    // An earlier one cut short is finished or undone first; this one then holds the lock to
    // its end.
    recover(dir)?;
    let running = take_lock(dir)?;
    let key = std::sync::Arc::new(key);
    let store = Store::open_with_cache(dir, &key, cache)?;
    let copy = copy_of(dir);
    let bytes_before = directory_bytes(dir).map_err(io)?;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Record>(4096);
    let import = {
        let copy = copy.clone();
        let key = key.clone();
        std::thread::spawn(move || {
            super::snapshot::import::<StoreError>(&copy, &key, receiver.into_iter().map(Ok))
        })
    };
    let copied = (async {
        // The sink goes with the snapshot's end: the import then sees the last record.
        let taken = store
            .snapshot(Channel(sender))
            .await
            .map(|snapshot| snapshot.manifest);
        let written: Result<Vec<TreeManifest>, StoreError> = import
            .join()
            .map_err(|_| StoreError::Unreadable("the copy failed".into()))?;
        // A failed import is the cause of a failed snapshot (its records had nowhere to go).
        let written = written?;
        let taken = taken?;
        if written != taken {
            return Err(StoreError::Unreadable(
                "the copy does not hold what the store held".into(),
            ));
        }
        // Opening the copy checks it as a store and builds its indexes.
        let opened = Store::open_with_cache(&copy, &key, cache)?;
        let closed = opened.close(Duration::from_secs(30));
        drop(opened);
        if !closed {
            return Err(StoreError::Unreadable(
                "the copy did not close in time".into(),
            ));
        }
        mark_finished(&copy)?;
        Ok(taken.iter().map(|t| t.records).sum::<u64>())
    })
    .await;
    let records = match copied {
        Ok(records) => records,
        Err(e) => {
            store.close(Duration::from_secs(30));
            drop(store);
            let _ = std::fs::remove_dir_all(&copy);
            return Err(e);
        }
    };
    // The store stays open (and locked) through the renames: nothing writes to it meanwhile.
    let aside = set_aside(dir);
    std::fs::rename(dir, &aside).map_err(io)?;
    sync_parent(dir).map_err(io)?;
    if let Err(e) = std::fs::rename(&copy, dir) {
        // The store goes back where it was; the copy is removed at the next open.
        return Err(
            match std::fs::rename(&aside, dir).and_then(|()| sync_parent(dir)) {
                Ok(()) => io(e),
                Err(back) => StoreError::Unreadable(format!(
                    "the copy could not take the store's place ({e}), nor the store go back ({back}): \
                 the next start puts it back"
                )),
            },
        );
    }
    sync_parent(dir).map_err(io)?;
    store.close(Duration::from_secs(30));
    drop(store);
    std::fs::remove_dir_all(&aside).map_err(io)?;
    std::fs::remove_file(dir.join(FINISHED)).map_err(io)?;
    drop(running);
    Ok(Compacted {
        records,
        bytes_before,
        bytes_after: directory_bytes(dir).map_err(io)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::vault::test_key;

    /// A store written the way a team writes one: a demo fill, one case at a time.
    async fn filled(dir: &Path) -> Store {
        let store = Store::open(dir, &test_key()).unwrap();
        let instrument = crate::instrument::Instrument::bundled().unwrap();
        crate::demo::fill(&store, &instrument, 150, 4, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        store
    }

    #[actix_web::test]
    async fn compaction_keeps_every_record_and_shrinks_a_store_written_one_case_at_a_time() {
        let place = tempfile::tempdir().unwrap();
        let dir = place.path().join("data");
        let mut store = filled(&dir).await;
        // Started again twice, as a server is: sled's counter jumps at each start, so the store
        // holds ids far above where a new directory's counter begins.
        for _ in 0..2 {
            assert!(store.close(Duration::from_secs(10)));
            drop(store);
            store = Store::open(&dir, &test_key()).unwrap();
            store.append_audit(&event()).await.unwrap();
        }
        let user = store.users().unwrap()[0].clone();
        let (cases, assessments, users) = (
            store.cases().unwrap(),
            store.all_assessments().unwrap(),
            store.users().unwrap(),
        );
        let manifest = store.manifest().unwrap();
        store
            .start_session(
                &user,
                time::OffsetDateTime::now_utc(),
                vec![],
                crate::store::NewSession {
                    stage: crate::store::Stage::SignedIn,
                    browser: None,
                },
            )
            .await
            .unwrap();
        assert!(store.close(Duration::from_secs(10)));
        drop(store);

        let compacted = compact(&dir, test_key(), CacheSize::default())
            .await
            .unwrap();
        assert_eq!(
            compacted.records,
            manifest.iter().map(|t| t.records).sum::<u64>()
        );
        // (What it saves shows at scale, not in a test store of a megabyte: `benches/lean.py`
        // reports the 34,000-case store before and after.)
        assert_eq!(compacted.bytes_after, directory_bytes(&dir).unwrap());
        assert!(!copy_of(&dir).exists() && !set_aside(&dir).exists());
        assert!(!dir.join(FINISHED).exists(), "nothing left in the store");

        let store = Store::open(&dir, &test_key()).unwrap();
        assert_eq!(store.cases().unwrap(), cases);
        assert_eq!(store.all_assessments().unwrap(), assessments);
        assert_eq!(store.users().unwrap(), users);
        assert_eq!(store.manifest().unwrap(), manifest);
        assert!(store.verify_audit().unwrap().broken.is_none());
        assert!(store.sessions_of(user.id).unwrap().is_empty(), "signed out");
        let page = store
            .case_page(
                crate::store::CaseList::Everyone,
                &crate::store::CaseFrom::Skip(0),
                10,
            )
            .unwrap();
        assert_eq!(page.total, cases.len());
        // It takes new records as before, above every number it holds: an audit entry appended
        // now overwrites none and keeps the chain whole.
        let fresh = store.new_assessment_id().unwrap();
        assert!(assessments.iter().all(|a| a.id().get() < fresh.get()));
        let entries = store.audit_last_seq().unwrap();
        store.append_audit(&event()).await.unwrap();
        assert!(store.audit_last_seq().unwrap() > entries);
        assert!(store.verify_audit().unwrap().broken.is_none());
        assert_eq!(
            store.manifest().unwrap()[2].records,
            manifest[2].records + 1
        );
    }

    fn event() -> crate::domain::AuditEvent {
        crate::domain::AuditEvent::new(
            time::OffsetDateTime::now_utc(),
            None,
            crate::domain::AuditAction::SignIn,
            crate::domain::Outcome::Success,
        )
    }

    #[actix_web::test]
    async fn a_directory_holding_other_files_is_not_compacted() {
        let place = tempfile::tempdir().unwrap();
        let dir = place.path().join("data");
        let store = filled(&dir).await;
        assert!(store.close(Duration::from_secs(10)));
        drop(store);
        std::fs::write(dir.join("data.key"), b"a key kept in the wrong place").unwrap();
        let refused = compact(&dir, test_key(), CacheSize::default()).await;
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("data.key, which is not part of the store")
        );
        assert!(dir.join("data.key").exists() && !copy_of(&dir).exists());
    }

    #[actix_web::test]
    async fn a_store_open_elsewhere_is_not_compacted_and_nothing_is_left_behind() {
        let place = tempfile::tempdir().unwrap();
        let dir = place.path().join("data");
        let store = filled(&dir).await;
        let manifest = store.manifest().unwrap();
        assert!(
            compact(&dir, test_key(), CacheSize::default())
                .await
                .is_err()
        );
        assert!(!copy_of(&dir).exists() && !set_aside(&dir).exists());
        assert_eq!(store.manifest().unwrap(), manifest);
    }

    #[actix_web::test]
    async fn a_compaction_cut_short_is_finished_or_undone_at_the_next_open() {
        let place = tempfile::tempdir().unwrap();
        let dir = place.path().join("data");
        let store = filled(&dir).await;
        let manifest = store.manifest().unwrap();
        assert!(store.close(Duration::from_secs(10)));
        drop(store);
        let half_written = |at: &Path| {
            std::fs::create_dir_all(at).unwrap();
            std::fs::write(at.join("db"), b"half a copy").unwrap();
        };
        let reopened = || {
            let store = Store::open(&dir, &test_key()).unwrap();
            assert_eq!(store.manifest().unwrap(), manifest);
            assert!(!copy_of(&dir).exists() && !set_aside(&dir).exists());
            assert!(!dir.join(FINISHED).exists());
            assert!(store.close(Duration::from_secs(10)));
        };

        // Cut while the copy was written: the copy goes.
        half_written(&copy_of(&dir));
        reopened();
        // Cut between the renames: the store comes back, the copy goes.
        std::fs::rename(&dir, set_aside(&dir)).unwrap();
        half_written(&copy_of(&dir));
        reopened();
        // Cut after both renames: the store set aside goes (here the "copy" is the store itself,
        // marked finished).
        half_written(&set_aside(&dir));
        mark_finished(&dir).unwrap();
        reopened();
        assert!(!dir.join(FINISHED).exists());

        // A store set aside, and in its place a directory that is no finished copy (a store
        // started afresh by another program, say): nothing is removed, the open is refused.
        half_written(&set_aside(&dir));
        let refused = Store::open(&dir, &test_key()).err().unwrap().to_string();
        assert!(refused.contains("is not its finished copy"), "{refused}");
        assert!(set_aside(&dir).join("db").exists() && dir.join("db").exists());
        std::fs::remove_dir_all(set_aside(&dir)).unwrap();

        // While a compaction runs (it holds the lock), an open leaves its copy alone.
        half_written(&copy_of(&dir));
        let running = take_lock(&dir).unwrap();
        let refused = Store::open(&dir, &test_key()).err().unwrap().to_string();
        assert!(refused.contains("is running"), "{refused}");
        assert!(copy_of(&dir).join("db").exists());
        drop(running);
        reopened();

        // A marker left in the store by a compaction stopped after its last removal goes.
        mark_finished(&dir).unwrap();
        reopened();
    }
}
