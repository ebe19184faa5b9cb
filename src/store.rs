//! The durable store: typed repositories over an embedded sled database. Nothing outside this module
//! sees a `sled` type or a raw key. Every change goes through one writer thread and is acknowledged
//! only once it is on stable storage (group commit; `store::engine` says exactly what an
//! acknowledgement guarantees); changes that touch several records run in a sled transaction so
//! that no half-written state is ever visible. Reads run on the caller's thread.

mod aggregate_rows;
mod audit;
mod case_lists;
mod case_order;
mod cases;
mod codec;
pub mod compact;
mod decoded;
mod deferred;
mod engine;
mod erasure;
mod migrate;
mod seen;
mod sessions;
pub mod snapshot;
mod trees;
pub mod two_step;
pub mod users;
pub mod vault;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sled::Transactional;

pub use crate::domain::audit::chain::AuditCheck;
pub use audit::AuditPage;
pub use case_lists::CaseAssessments;
pub use case_order::{CaseFrom, CaseList, CasePage};
#[doc(hidden)]
pub use engine::Fault;
pub use engine::{Health, Unavailable};
pub use erasure::Erased;
pub use sessions::{NewSession, Session, SessionToken, Stage};
pub use two_step::SecondStep;

use engine::{Completion, Engine, Step};
use trees::Trees;

/// The record layout this build reads and writes. Bump it, with a migration, when a stored record
/// changes shape.
///
/// 1: plain JSON values. 2: every value that carries data sealed (`store::vault`), usernames
/// indexed by a keyed hash. 3: accounts may hold a second step, sessions a sign-in stage, settings
/// the two-step policy, audit entries a client address. Version 2 records read as they are (the
/// new fields have defaults); the bump keeps an older build from opening the store and silently
/// dropping accounts' second steps. 4: records in MessagePack, compressed (`store::codec`), and the
/// case list's index. 5: records compressed with a dictionary.
pub const SCHEMA_VERSION: u32 = 5;

const SCHEMA_KEY: &[u8] = b"schema_version";
const DEMO_KEY: &[u8] = b"demo";
const SETTINGS_KEY: &[u8] = b"settings";

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (a running server) holds the data directory.
    #[error("the data directory is in use by a running server")]
    Locked,
    /// The directory could not be opened or read.
    #[error("the data directory cannot be opened: {0}")]
    Unreadable(String),
    /// The data were written by a newer (or unknown) version of the program.
    #[error(
        "the data directory holds schema version {found}, this program reads version {SCHEMA_VERSION}"
    )]
    SchemaMismatch { found: String },
    /// Someone else changed the record first, or the key is taken.
    #[error("the record was changed by someone else")]
    Conflict,
    /// A username that is already in use.
    #[error("that username is already taken")]
    UsernameTaken,
    /// No such record.
    #[error("no such record")]
    NotFound,
    /// The change was not made durable (disk full, stuck, closing): it must not be acknowledged.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// Any other storage failure.
    #[error("storage failure")]
    Backend(#[from] sled::Error),
    /// A record that does not decode: damaged data or a bug.
    #[error("a stored record could not be read")]
    Corrupt(String),
    /// The key file does not open this data directory's keyring.
    #[error(
        "the key file does not open this data directory (a wrong key, or the key of another installation)"
    )]
    WrongKey,
    /// The store is encrypted but its keyring is gone.
    #[error("the data directory is encrypted but its keyring file is missing")]
    KeyringMissing,
    /// A sealed record failed its integrity check: altered, damaged or moved.
    #[error(
        "a stored record failed its integrity check (in {0}): the data were altered or damaged"
    )]
    Tampered(String),
    /// A record whose data key was destroyed (an erased case).
    #[error("a stored record's data key has been destroyed")]
    KeyGone(String),
    /// The master key file is missing or unusable.
    #[error(transparent)]
    Key(#[from] vault::KeyError),
    /// A write that panicked on the writer thread (a bug); nothing of it was kept.
    #[error("a store write failed unexpectedly")]
    Panicked,
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(err: sled::transaction::TransactionError<StoreError>) -> Self {
        match err {
            sled::transaction::TransactionError::Abort(inner) => inner,
            sled::transaction::TransactionError::Storage(e) => StoreError::Backend(e),
        }
    }
}

/// A transaction's error type, for changes that span records.
type TxError = sled::transaction::ConflictableTransactionError<StoreError>;

/// Aborts a transaction with `e`.
fn abort(e: StoreError) -> TxError {
    TxError::Abort(e)
}

/// The application's store. Cheap to clone: clones share one database and one writer.
#[derive(Clone)]
pub struct Store {
    engine: Arc<Engine>,
    /// The compact rows aggregates are computed from, built on first use and kept up to date by
    /// every write to cases and assessments (see `store::aggregate_rows`).
    rows: Arc<aggregate_rows::RowsCache>,
}

/// The most memory sled may use for its page cache. sled's own default is 1 GB; a store of
/// 100,000 assessments runs well in far less, since pages read once are reread cheaply from the
/// operating system's file cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheSize(u64);

impl CacheSize {
    /// The default, in megabytes. sled counts a page by its size on disk; decoded in memory it
    /// takes about twice that. Measured at 954,630 assessments, resident after start: 325 MB
    /// with 32, 297 with 16, 280 with 8. Below 16 a step page slows down (41 µs of server time
    /// with 16 or 32, 54 with 12, 89 with 8, at 34,000 cases): sled splits its cache into 256
    /// shards, and one shard no longer holds a large tree's index pages.
    pub const DEFAULT_MB: u64 = 16;

    /// A cache of `mb` megabytes (at least 1).
    pub fn from_mb(mb: u64) -> Self {
        Self(mb.max(1).saturating_mul(1024 * 1024))
    }

    /// In bytes.
    pub fn bytes(self) -> u64 {
        self.0
    }
}

impl Default for CacheSize {
    fn default() -> Self {
        Self::from_mb(Self::DEFAULT_MB)
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir` with the master key `key`, checks its
    /// schema version and brings an older store up to date (sealing a plain one). A wrong key, or
    /// an encrypted store without its keyring, is refused before anything is changed.
    pub fn open(dir: &Path, key: &vault::MasterKey) -> Result<Self, StoreError> {
        Self::open_with_cache(dir, key, CacheSize::default())
    }

    /// `open`, with sled's page cache bounded by `cache`.
    pub fn open_with_cache(
        dir: &Path,
        key: &vault::MasterKey,
        cache: CacheSize,
    ) -> Result<Self, StoreError> {
        if let Some(done) = compact::recover(dir)? {
            tracing::warn!("{done}");
        }
        let trees = open_checked(dir, key, cache)?;
        let engine = Engine::open(dir, trees)?;
        remove_stale_work_files(dir);
        Ok(Self {
            engine: Arc::new(engine),
            rows: Arc::default(),
        })
    }

    /// Opens the store in `data_dir` with the master key from `key_file` (or the default key file
    /// beside the directory, created for a new or unencrypted store when `may_create`). Finishes a
    /// key rotation a crash interrupted. Returns the key file's path if it was created now.
    pub fn open_with_key_file(
        data_dir: &Path,
        key_file: Option<&Path>,
        may_create: bool,
        cache: CacheSize,
    ) -> Result<(Self, Option<std::path::PathBuf>), StoreError> {
        let loaded = vault::load_master_key(data_dir, key_file, may_create)?;
        let next = vault::next_key_file(&loaded.path);
        let store = match Self::open_with_cache(data_dir, &loaded.key, cache) {
            Err(StoreError::WrongKey) if next.exists() => {
                // `key rotate` re-wrapped the keyring but stopped before renaming the new key.
                let store =
                    Self::open_with_cache(data_dir, &vault::MasterKey::read(&next)?, cache)?;
                std::fs::rename(&next, &loaded.path)
                    .map_err(|e| StoreError::Unreadable(e.to_string()))?;
                tracing::warn!("finished an interrupted key rotation");
                store
            }
            Err(e) if loaded.created => {
                // Never leave behind a key that opens nothing.
                let _ = std::fs::remove_file(&loaded.path);
                return Err(e);
            }
            other => {
                let store = other?;
                // A new key written before a rotation was cut short: the old one still rules.
                let _ = std::fs::remove_file(&next);
                store
            }
        };
        Ok((store, loaded.created.then_some(loaded.path)))
    }

    /// Replaces the master key: writes a new key file, re-wraps every data key with it (no record
    /// is re-encrypted) and swaps the key file in. A crash midway is finished by the next open.
    pub fn rotate_master_key(&self, key_file: &Path) -> Result<(), StoreError> {
        let next = vault::next_key_file(key_file);
        let _ = std::fs::remove_file(&next);
        let new = vault::MasterKey::generate();
        new.write_new(&next)?;
        self.trees()?.vault.rewrap(&new)?;
        std::fs::rename(&next, key_file).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        vault::sync_parent(key_file).map_err(|e| StoreError::Unreadable(e.to_string()))
    }

    /// The open database, for a read. Fails while the store is being reopened after a fault.
    fn trees(&self) -> Result<Arc<Trees>, StoreError> {
        self.engine.shared.trees()
    }

    /// Runs `change` on the writer thread and returns its result once it is durable (group
    /// commit). Refused at once while the store cannot write; gives up after
    /// `engine::WRITE_TIMEOUT` (longer while a snapshot holds the writer), and a change still
    /// queued then is never applied.
    async fn write<T, F>(&self, change: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Trees) -> Result<T, StoreError> + Send + 'static,
    {
        self.write_waiting(engine::WRITE_TIMEOUT, change).await
    }

    /// `write`, waiting at most `timeout` (at least `WRITE_TIMEOUT`).
    async fn write_waiting<T, F>(&self, timeout: Duration, change: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Trees) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, mut rx) = tokio::sync::oneshot::channel::<Result<T, StoreError>>();
        let job = Box::new(move |step: Step<'_>| -> Option<Completion> {
            let trees = match step {
                Step::Refuse(why) => {
                    let _ = tx.send(Err(why.into()));
                    return None;
                }
                Step::Apply(trees) => trees,
            };
            if tx.is_closed() {
                // The caller stopped waiting: it was told the change failed, so do not make it.
                return None;
            }
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change(trees)))
                .unwrap_or(Err(StoreError::Panicked));
            Some(Box::new(move |flushed: &Result<(), Unavailable>| {
                let answer = match (result, flushed) {
                    (Ok(value), Ok(())) => Ok(value),
                    (Ok(_), Err(why)) => Err(why.clone().into()),
                    (Err(e), _) => Err(e),
                };
                let _ = tx.send(answer);
            }))
        });
        self.engine.submit(job)?;
        let started = std::time::Instant::now();
        loop {
            match tokio::time::timeout(engine::WRITE_TIMEOUT, &mut rx).await {
                Ok(Ok(answer)) => return answer,
                Ok(Err(_)) => return Err(Unavailable::Closed.into()),
                // Behind a snapshot (a backup), a write waits for it rather than fail.
                Err(_)
                    if started.elapsed() < timeout.max(engine::SNAPSHOT_TIMEOUT)
                        && (started.elapsed() < timeout || self.engine.snapshot_running()) => {}
                Err(_) => return Err(Unavailable::TimedOut.into()),
            }
        }
    }

    /// Writes everything deferred so far (and waits for it to be durable).
    pub async fn write_pending(&self) -> Result<(), StoreError> {
        // An empty change: its batch carries whatever deferred records are waiting.
        self.write(|_| Ok(())).await
    }

    /// How the store is doing, for the health check.
    pub fn health(&self) -> Health {
        self.engine.health()
    }

    /// Whether writes are accepted now (pages show a read-only banner otherwise).
    pub fn can_write(&self) -> bool {
        self.engine.can_write()
    }

    /// Stops taking writes, finishes what is queued, and waits for the writer at most `wait`.
    /// Returns whether everything queued was written.
    pub fn close(&self, wait: Duration) -> bool {
        self.engine.close(wait)
    }

    /// Switches on an injected fault (tests only: a full or stuck disk, on demand).
    #[doc(hidden)]
    pub fn inject_fault(&self, fault: Fault) {
        self.engine.inject_fault(fault);
    }

    /// Whether the store holds demo data (filled by `exit-factors demo`).
    pub fn is_demo(&self) -> Result<bool, StoreError> {
        Ok(self.trees()?.meta.get(DEMO_KEY)?.is_some())
    }

    /// Whether the store holds nothing yet: no account, no case, no audit entry.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let t = self.trees()?;
        Ok(t.users.is_empty() && t.cases.is_empty() && t.audit.is_empty())
    }

    /// Marks the store as demo data, so that every page says so.
    pub async fn mark_demo(&self) -> Result<(), StoreError> {
        self.write(|t| {
            t.meta.insert(DEMO_KEY, b"true")?;
            Ok(())
        })
        .await
    }

    /// The installation's settings (defaults until an admin saves them).
    /// Every request reads them: kept in memory once read (`trees::KeptSettings`).
    pub fn settings(&self) -> Result<crate::domain::settings::Settings, StoreError> {
        let t = self.trees()?;
        t.settings.get_or_read(|| {
            Ok(t.meta
                .get(SETTINGS_KEY)?
                .map(|b| t.unseal(trees::META, SETTINGS_KEY, &b))
                .transpose()?
                .unwrap_or_default())
        })
    }

    /// Saves the installation's settings, with `audit`, in one transaction.
    pub async fn save_settings(
        &self,
        settings: &crate::domain::settings::Settings,
        audit: Vec<crate::domain::AuditEvent>,
    ) -> Result<(), StoreError> {
        let settings = settings.clone();
        let store = self.clone();
        self.write(move |t| {
            let record = t.seal(vault::Scope::System, trees::META, SETTINGS_KEY, &settings)?;
            let entries = audit::PendingAudit::new(&store, t, &audit)?;
            (&t.meta, &t.audit).transaction(|(meta, audit)| {
                meta.insert(SETTINGS_KEY, record.as_slice())?;
                entries.write_in(audit)
            })?;
            t.settings.changed();
            Ok(())
        })
        .await
    }

    /// Queues an audit entry that nobody waits for (a page view, a refusal): it is written with
    /// the next group commit, within a second, and kept in memory while the store cannot write.
    pub fn audit_later(&self, event: crate::domain::AuditEvent) {
        engine_deferred(&self.engine).audit(event);
    }
}

fn engine_deferred(engine: &Engine) -> std::sync::MutexGuard<'_, deferred::Deferred> {
    engine
        .shared
        .deferred
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Removes snapshot working files a crash left behind (a backup interrupted by `kill -9`).
fn remove_stale_work_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(snapshot::WORK_FILE_SUFFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Opens the database and its keyring in `dir`, and checks (and migrates) the schema.
fn open_checked(dir: &Path, key: &vault::MasterKey, cache: CacheSize) -> Result<Trees, StoreError> {
    // An existing keyring is opened before sled is, so that a wrong key changes no file.
    let existing = if vault::keyring_path(dir).exists() {
        Some(vault::Vault::open(dir, key, false)?)
    } else {
        None
    };
    std::fs::create_dir_all(dir).map_err(|e| StoreError::Unreadable(e.to_string()))?;
    let db = trees::open_db(dir, cache)?;
    let vault = match existing {
        Some(vault) => vault,
        None => {
            // Only a store that holds nothing sealed yet (new, or from before encryption) gets a
            // new keyring; an encrypted one without its keyring is refused.
            let sealed = db
                .open_tree(trees::META)?
                .get(SCHEMA_KEY)?
                .as_deref()
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|v| v.parse::<u32>().ok())
                .is_some_and(|v| v >= 2);
            if sealed {
                return Err(StoreError::KeyringMissing);
            }
            vault::Vault::open(dir, key, true)?
        }
    };
    let trees = Trees::with_db(db, Arc::new(vault), cache)?;
    check_schema(&trees)?;
    destroy_orphan_keys(&trees)?;
    Ok(trees)
}

/// Destroys the data key of every case that has no record left: an erasure whose key destruction
/// a crash cut short, or a case whose creation did not complete.
fn destroy_orphan_keys(t: &Trees) -> Result<(), StoreError> {
    for code in t.vault.case_codes() {
        let used = t.cases.contains_key(code.as_bytes())?
            || t.case_assessments
                .scan_prefix(code.as_bytes())
                .next()
                .is_some();
        if !used {
            t.vault.destroy_case_key(&code)?;
        }
    }
    Ok(())
}

/// How to bring a store written by an older build up to date: the step from each version to the
/// next, in order. Start-up runs them; a restore writes the backup's records sealed and then
/// runs them too (so each step skips what is already in the new shape).
const MIGRATIONS: &[(u32, Migration)] = &[
    (1, migrate::seal_every_value),
    (2, migrate::nothing_to_rewrite),
    (3, migrate::compact_every_record),
    (4, migrate::compress_with_dictionary),
];

/// One step of `MIGRATIONS`: rewrites what changed shape, in place.
type Migration = fn(&Trees) -> Result<(), StoreError>;

/// Stamps a new store with the schema version, checks an existing one's, and migrates an older
/// one step by step (before anything else can read or write it).
fn check_schema(t: &Trees) -> Result<(), StoreError> {
    let current = SCHEMA_VERSION.to_string();
    match t.meta.get(SCHEMA_KEY)? {
        Some(found) if found.as_ref() == current.as_bytes() => migrate::finish_compacting(t),
        Some(found) => {
            let text = String::from_utf8_lossy(&found).into_owned();
            let mismatch = || StoreError::SchemaMismatch {
                found: text.clone(),
            };
            let mut version: u32 = text.parse().map_err(|_| mismatch())?;
            if version > SCHEMA_VERSION {
                return Err(mismatch());
            }
            while version < SCHEMA_VERSION {
                let step = MIGRATIONS
                    .iter()
                    .find(|(from, _)| *from == version)
                    .ok_or_else(mismatch)?;
                (step.1)(t)?;
                version += 1;
                t.meta.insert(SCHEMA_KEY, version.to_string().as_bytes())?;
            }
            Ok(())
        }
        None => {
            // A fresh store: only stamp it when nothing else is in it, so that a store from a
            // build that predates versioning is not silently adopted.
            if t.users.is_empty() && t.audit.is_empty() {
                t.meta.insert(SCHEMA_KEY, current.as_bytes())?;
                Ok(())
            } else {
                Err(StoreError::SchemaMismatch {
                    found: "none".into(),
                })
            }
        }
    }
}

#[cfg(test)]
mod encryption_tests;

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{AuditAction, AuditEvent, Outcome, Role, Username};

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn created(user: &crate::domain::User) -> AuditEvent {
        AuditEvent::new(now(), None, AuditAction::UserCreated, Outcome::Success)
            .on(user.id.to_string())
    }

    /// Stamps a new store with schema `stamp`, then opens it again: the error it gives.
    fn reopened_with_schema(stamp: &[u8]) -> StoreError {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
            let t = store.trees().unwrap();
            t.meta.insert(SCHEMA_KEY, stamp).unwrap();
            t.db.flush().unwrap();
        }
        super::encryption_tests::open_when_free(dir.path(), &crate::store::vault::test_key())
            .err()
            .unwrap()
    }

    #[test]
    fn a_store_from_an_older_schema_without_a_migration_is_refused_by_version() {
        let err = reopened_with_schema(b"0");
        assert!(
            matches!(err, StoreError::SchemaMismatch { ref found } if found == "0"),
            "{err}"
        );
    }

    #[test]
    fn a_store_from_another_schema_version_is_refused() {
        let err = reopened_with_schema(b"99");
        assert!(
            matches!(err, StoreError::SchemaMismatch { ref found } if found == "99"),
            "{err}"
        );
    }

    #[actix_web::test]
    async fn usernames_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
        let name = Username::parse("anna").unwrap();
        store
            .create_user(name.clone(), Role::Operator, "h".into(), now(), created)
            .await
            .unwrap();
        let again = store
            .create_user(name, Role::Admin, "h".into(), now(), created)
            .await;
        assert!(matches!(again, Err(StoreError::UsernameTaken)));
        assert_eq!(store.users().unwrap().len(), 1);
    }

    #[actix_web::test]
    async fn revoking_removes_every_session_and_bumps_the_epoch() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
        let user = store
            .create_user(
                Username::parse("anna").unwrap(),
                Role::Operator,
                "h".into(),
                now(),
                created,
            )
            .await
            .unwrap();
        let (a, _) = store
            .start_session(&user, now(), Vec::new(), NewSession::default())
            .await
            .unwrap();
        let (b, _) = store
            .start_session(&user, now(), Vec::new(), NewSession::default())
            .await
            .unwrap();
        assert_eq!(store.session_count(user.id).unwrap(), 2);
        let reset = AuditEvent::new(now(), None, AuditAction::PasswordReset, Outcome::Success);
        let changed = store
            .set_password(user.id, "h2".into(), vec![reset])
            .await
            .unwrap();
        assert_eq!(changed.session_epoch, user.session_epoch + 1);
        assert!(store.session(&a).unwrap().is_none());
        assert!(store.session(&b).unwrap().is_none());
        assert_eq!(store.session_count(user.id).unwrap(), 0);
    }

    #[actix_web::test]
    async fn the_audit_log_pages_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
        for _ in 0..5 {
            let event = AuditEvent::new(now(), None, AuditAction::SignIn, Outcome::Failure);
            store.append_audit(&event).await.unwrap();
        }
        let first = store.audit_page(None, 3).unwrap();
        assert_eq!(first.entries.len(), 3);
        let seqs: Vec<u64> = first.entries.iter().map(|(s, _)| *s).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] > w[1]),
            "newest first: {seqs:?}"
        );
        let second = store.audit_page(first.next_before, 3).unwrap();
        assert_eq!(second.entries.len(), 2);
        assert!(second.next_before.is_none());
        assert!(second.entries[0].0 < seqs[2]);
    }
}
