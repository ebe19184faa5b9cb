//! Point-in-time copies of the store, for backups, and filling a new store from one, for restores.
//!
//! A snapshot runs as one job of the writer thread: no change is applied while it reads, so it sees
//! every tree at the same instant and never half of a transaction. Writes wait meanwhile (the
//! caller learns for how long). Sessions are left out: a restored store starts with nobody
//! signed in, and a backup never carries a live session. So is the username index, which is keyed
//! by this installation's keys: a restore rebuilds it.
//!
//! A snapshot carries records opened (plain), so that a backup does not depend on the data
//! directory's master key and keyring (the backup file is encrypted as a whole); a restore seals
//! them again under the new directory's keys.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::migrate::{open_record, rebuild_username_index, seal_record};
use super::trees::{Trees, USERNAMES};
use super::vault::{MasterKey, Vault};
use super::{Store, StoreError};

/// The trees a snapshot holds, in the order it holds them.
pub const BACKED_UP: [&str; 8] = [
    "meta",
    "users",
    "audit",
    "cases",
    "assessments",
    "case_assessments",
    "erasures",
    "seen",
];

/// One record as a snapshot carries it: its tree, key and value.
pub type Record = (String, Vec<u8>, Vec<u8>);

/// What a snapshot holds of one tree: how many records, and the SHA-256 of them all in order
/// (each as key length, key, value length, value, lengths as 4 bytes big-endian).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeManifest {
    pub name: String,
    pub records: u64,
    pub sha256: String,
}

/// Counts and hashes records as they pass, tree by tree.
#[derive(Default)]
pub struct ManifestBuilder {
    done: Vec<TreeManifest>,
    current: Option<(String, u64, Sha256)>,
}

impl ManifestBuilder {
    /// Notes a record of `tree` (records come tree by tree, in `BACKED_UP` order).
    pub fn record(&mut self, tree: &str, key: &[u8], value: &[u8]) {
        if self.current.as_ref().is_none_or(|(name, ..)| name != tree) {
            self.close();
            self.current = Some((tree.to_owned(), 0, Sha256::new()));
        }
        if let Some((_, count, hash)) = self.current.as_mut() {
            *count += 1;
            for part in [key, value] {
                hash.update((part.len() as u32).to_be_bytes());
                hash.update(part);
            }
        }
    }

    /// Starts `tree` even if it has no record, so that every tree is in the manifest.
    pub fn start(&mut self, tree: &str) {
        self.close();
        self.current = Some((tree.to_owned(), 0, Sha256::new()));
    }

    fn close(&mut self) {
        if let Some((name, records, hash)) = self.current.take() {
            self.done.push(TreeManifest {
                name,
                records,
                sha256: hex::encode(hash.finalize()),
            });
        }
    }

    /// The manifest of everything noted.
    pub fn finish(mut self) -> Vec<TreeManifest> {
        self.close();
        self.done
    }
}

/// Where a snapshot's records go (a file being written, in practice).
pub trait RecordSink: Send + 'static {
    /// Takes one record of `tree`.
    fn record(&mut self, tree: &str, key: &[u8], value: &[u8]) -> std::io::Result<()>;
}

/// What a snapshot produced.
pub struct Snapshot<S> {
    pub manifest: Vec<TreeManifest>,
    pub sink: S,
    /// How long writes waited for it.
    pub held_writes_for: Duration,
}

impl Store {
    /// Copies every backed-up tree into `sink`, all at one instant (see the module docs).
    pub async fn snapshot<S: RecordSink>(&self, mut sink: S) -> Result<Snapshot<S>, StoreError> {
        self.engine.set_snapshot_running(true);
        let taken = self
            .write_waiting(super::engine::SNAPSHOT_TIMEOUT, move |t| {
                let started = Instant::now();
                let mut manifest = ManifestBuilder::default();
                for name in BACKED_UP {
                    let tree = t.by_name(name).ok_or(StoreError::NotFound)?;
                    manifest.start(name);
                    for item in tree.iter() {
                        let (key, value) = item?;
                        if is_derived(name, &key) {
                            continue;
                        }
                        let plain = zeroize::Zeroizing::new(open_record(t, name, &key, &value)?);
                        manifest.record(name, &key, &plain);
                        sink.record(name, &key, &plain)
                            .map_err(|e| StoreError::Unreadable(e.to_string()))?;
                    }
                }
                Ok(Snapshot {
                    manifest: manifest.finish(),
                    sink,
                    held_writes_for: started.elapsed(),
                })
            })
            .await;
        self.engine.set_snapshot_running(false);
        taken
    }
}

/// Ends the name of a snapshot's working file, kept in the data directory (encrypted with a key
/// that lives only in memory: see `backup`) and removed when done, or at the next start after a
/// crash.
pub const WORK_FILE_SUFFIX: &str = ".snapshot-records";

impl Store {
    /// A working file for a snapshot's records, named after `label`, in the data directory.
    pub fn snapshot_work_file(&self, label: &str) -> std::path::PathBuf {
        self.engine
            .dir()
            .join(format!(".{label}{WORK_FILE_SUFFIX}"))
    }

    /// The manifest of what the backed-up trees hold now (read as they stand, not as one
    /// instant: for a store nobody writes to, such as a restored one).
    pub fn manifest(&self) -> Result<Vec<TreeManifest>, StoreError> {
        manifest_of(&*self.trees()?)
    }
}

/// Fills the new, empty data directory `dir` with `records` (tree, key, plain value, in snapshot
/// order), sealed under a new keyring wrapped by `key`; makes them durable, and returns the
/// manifest of what the trees hold afterwards (opened again). Records of the username index (in
/// backups from before encryption) are left out: the index is rebuilt. The caller opens the
/// result as a store, which checks (and, for an older schema, migrates) it.
pub fn import<E: From<StoreError>>(
    dir: &std::path::Path,
    key: &MasterKey,
    records: impl Iterator<Item = Result<Record, E>>,
) -> Result<Vec<TreeManifest>, E> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::Unreadable(e.to_string()))?;
    let vault = Vault::open(dir, key, true)?;
    let trees = Trees::open(
        dir,
        std::sync::Arc::new(vault),
        crate::store::CacheSize::default(),
    )?;
    let mut batch = sled::Batch::default();
    let mut batch_tree: Option<String> = None;
    let mut pending = 0usize;
    let flush = |tree: &Option<String>, batch: sled::Batch| -> Result<(), StoreError> {
        if let Some(name) = tree {
            trees
                .by_name(name)
                .ok_or(StoreError::NotFound)?
                .apply_batch(batch)?;
        }
        Ok(())
    };
    for record in records {
        let (tree, key, value) = record?;
        if tree == USERNAMES {
            continue;
        }
        if trees.by_name(&tree).is_none() {
            return Err(StoreError::Unreadable(format!("unknown tree {tree:?}")).into());
        }
        if tree == super::trees::CASES {
            let code = String::from_utf8_lossy(&key);
            trees.vault.ensure_case_keys_unsynced([code.as_ref()])?;
        }
        let value = seal_record(&trees, &tree, &key, &value)?;
        if batch_tree.as_deref() != Some(tree.as_str()) || pending >= 10_000 {
            flush(&batch_tree, std::mem::take(&mut batch))?;
            pending = 0;
            batch_tree = Some(tree.clone());
        }
        batch.insert(key, value);
        pending += 1;
    }
    flush(&batch_tree, batch)?;
    trees.vault.sync_keys()?;
    rebuild_username_index(&trees)?;
    super::case_order::rebuild(&trees)?;
    trees.raise_id_floor()?;
    trees.db.flush().map_err(StoreError::from)?;
    // Read back what landed, rather than trust what was sent.
    Ok(manifest_of(&trees)?)
}

/// Whether record `key` of `tree` is derived from the others and left out of backups: the marker
/// of the stored aggregate rows (whose tree is not backed up either; a restored store rebuilds
/// them at its first start).
fn is_derived(tree: &str, key: &[u8]) -> bool {
    tree == super::trees::META
        && (key == super::aggregate_rows::ROWS_FOR || key == super::trees::ID_FLOOR)
}

/// The manifest of what `trees` hold now.
fn manifest_of(trees: &Trees) -> Result<Vec<TreeManifest>, StoreError> {
    let mut manifest = ManifestBuilder::default();
    for name in BACKED_UP {
        let tree = trees.by_name(name).ok_or(StoreError::NotFound)?;
        manifest.start(name);
        for item in tree.iter() {
            let (key, value) = item?;
            if is_derived(name, &key) {
                continue;
            }
            manifest.record(name, &key, &open_record(trees, name, &key, &value)?);
        }
    }
    Ok(manifest.finish())
}
