//! The open sled database and its trees. Readers hold one (`Arc<Trees>`) for the length of a read;
//! the writer applies changes to the same one. Values go in sealed and come out opened through
//! `seal` and `unseal` (`store::vault`).

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;
use super::vault::{Scope, Vault};

pub(super) const META: &str = "meta";
pub(super) const USERS: &str = "users";
pub(super) const USERNAMES: &str = "usernames";
pub(super) const SESSIONS: &str = "sessions";
pub(super) const USER_SESSIONS: &str = "user_sessions";
pub(super) const AUDIT: &str = "audit";
pub(super) const CASES: &str = "cases";
pub(super) const ASSESSMENTS: &str = "assessments";
pub(super) const CASE_ASSESSMENTS: &str = "case_assessments";
pub(super) const ERASURES: &str = "erasures";
pub(super) const SEEN: &str = "seen";
pub(super) const CASE_ORDER: &str = "case_order";
pub(super) const AGGREGATE_ROWS: &str = "aggregate_rows";

/// The meta record of the id floor (see `Trees::new_id`): plain, derived, never backed up.
pub(super) const ID_FLOOR: &[u8] = b"id_floor";

/// The open database and its trees. Readers hold one for the length of a read.
pub struct Trees {
    pub(super) db: sled::Db,
    pub(super) meta: sled::Tree,
    pub(super) users: sled::Tree,
    pub(super) usernames: sled::Tree,
    pub(super) sessions: sled::Tree,
    pub(super) user_sessions: sled::Tree,
    pub(super) audit: sled::Tree,
    pub(super) cases: sled::Tree,
    pub(super) assessments: sled::Tree,
    pub(super) case_assessments: sled::Tree,
    /// The erasure register: case code → when and why it was erased.
    pub(super) erasures: sled::Tree,
    /// Case code and user id → when that user last opened the case.
    pub(super) seen: sled::Tree,
    /// The case list's order (`store::case_order`): derived, rebuilt by a restore.
    pub(super) case_order: sled::Tree,
    /// Each case's aggregate row (`store::aggregate_rows`): derived, rebuilt when missing.
    pub(super) aggregate_rows: sled::Tree,
    pub(super) vault: Arc<Vault>,
    /// The page cache it was opened with (a reopen keeps it).
    pub(super) cache: super::CacheSize,
    /// The sequence number and hash of the audit entry written last, so that appending does not
    /// open the newest entry again (used only while that entry is still the newest).
    pub(super) chain_head: std::sync::Mutex<Option<(u64, [u8; 32])>>,
    /// Records decoded lately (`store::decoded`).
    pub(super) decoded: super::decoded::Decoded,
    /// Cases' assessment lists read lately (`store::case_lists`).
    pub(super) case_lists: super::case_lists::CaseLists,
    /// The installation's settings, once read.
    pub(super) settings: KeptSettings,
}

/// Opens the sled database in `dir` with a page cache of at most `cache` (sled's own default is
/// 1 GB, which a small server cannot spare).
pub(super) fn open_db(dir: &Path, cache: super::CacheSize) -> Result<sled::Db, StoreError> {
    sled::Config::new()
        .path(dir)
        .cache_capacity(cache.bytes())
        .open()
        .map_err(|e| match e {
            sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
                StoreError::Locked
            }
            sled::Error::Io(io) => StoreError::Unreadable(io.to_string()),
            other => StoreError::Unreadable(other.to_string()),
        })
}

impl Trees {
    pub(super) fn open(
        dir: &Path,
        vault: Arc<Vault>,
        cache: super::CacheSize,
    ) -> Result<Self, StoreError> {
        Self::with_db(open_db(dir, cache)?, vault, cache)
    }

    /// `open`, waiting up to `patience` for the directory's lock: sled lets it go only when its
    /// background flusher, which holds the database too, has stopped, shortly after the last
    /// handle is dropped.
    pub(super) fn open_when_free(
        dir: &Path,
        vault: Arc<Vault>,
        cache: super::CacheSize,
        patience: std::time::Duration,
    ) -> Result<Self, StoreError> {
        let deadline = std::time::Instant::now() + patience;
        loop {
            match Self::open(dir, vault.clone(), cache) {
                Err(StoreError::Locked) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                result => return result,
            }
        }
    }

    pub(super) fn with_db(
        db: sled::Db,
        vault: Arc<Vault>,
        cache: super::CacheSize,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            cache,
            meta: db.open_tree(META)?,
            users: db.open_tree(USERS)?,
            usernames: db.open_tree(USERNAMES)?,
            sessions: db.open_tree(SESSIONS)?,
            user_sessions: db.open_tree(USER_SESSIONS)?,
            audit: db.open_tree(AUDIT)?,
            cases: db.open_tree(CASES)?,
            assessments: db.open_tree(ASSESSMENTS)?,
            case_assessments: db.open_tree(CASE_ASSESSMENTS)?,
            erasures: db.open_tree(ERASURES)?,
            seen: db.open_tree(SEEN)?,
            case_order: db.open_tree(CASE_ORDER)?,
            aggregate_rows: db.open_tree(AGGREGATE_ROWS)?,
            db,
            vault,
            chain_head: std::sync::Mutex::new(None),
            decoded: super::decoded::Decoded::default(),
            case_lists: super::case_lists::CaseLists::default(),
            settings: KeptSettings::default(),
        })
    }

    /// The tree called `name`.
    pub(super) fn by_name(&self, name: &str) -> Option<&sled::Tree> {
        Some(match name {
            META => &self.meta,
            USERS => &self.users,
            USERNAMES => &self.usernames,
            SESSIONS => &self.sessions,
            USER_SESSIONS => &self.user_sessions,
            AUDIT => &self.audit,
            CASES => &self.cases,
            ASSESSMENTS => &self.assessments,
            CASE_ASSESSMENTS => &self.case_assessments,
            ERASURES => &self.erasures,
            SEEN => &self.seen,
            CASE_ORDER => &self.case_order,
            AGGREGATE_ROWS => &self.aggregate_rows,
            _ => return None,
        })
    }

    /// A fresh id for an account, an assessment or an audit entry: sled's counter, above the
    /// store's id floor (`ID_FLOOR`, set by an import: in a new directory sled counts from zero
    /// again, below the ids the imported records hold).
    pub(super) fn new_id(&self) -> Result<u64, StoreError> {
        let floor = match self.meta.get(ID_FLOOR)? {
            Some(bytes) => u64::from_be_bytes(
                bytes
                    .as_ref()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("the id floor is not 8 bytes".into()))?,
            ),
            None => 0,
        };
        Ok(floor.saturating_add(self.db.generate_id()?))
    }

    /// Sets the id floor above every id the store holds (after an import).
    pub(super) fn raise_id_floor(&self) -> Result<(), StoreError> {
        let mut highest = 0u64;
        for tree in [&self.users, &self.assessments, &self.audit] {
            if let Some((key, _)) = tree.last()?
                && let Ok(bytes) = <[u8; 8]>::try_from(key.as_ref())
            {
                highest = highest.max(u64::from_be_bytes(bytes));
            }
        }
        self.meta
            .insert(ID_FLOOR, &highest.saturating_add(1).to_be_bytes())?;
        Ok(())
    }

    /// `value` encoded and sealed under `scope`'s key, for record `key` of `tree`.
    pub(super) fn seal<T: Serialize + ?Sized>(
        &self,
        scope: Scope<'_>,
        tree: &str,
        key: &[u8],
        value: &T,
    ) -> Result<Vec<u8>, StoreError> {
        let plain = zeroize::Zeroizing::new(super::codec::encode(value)?);
        self.vault.seal(scope, tree, key, &plain)
    }

    /// The record `key` of `tree`, opened and decoded, or taken from the records decoded lately
    /// (`store::decoded`).
    pub(super) fn unseal<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Result<T, StoreError> {
        self.unseal_shared(tree, key, sealed)
            .map(std::sync::Arc::unwrap_or_clone)
    }

    /// `unseal`, without copying the record out of the records decoded lately.
    pub(super) fn unseal_shared<T: DeserializeOwned + Send + Sync + 'static>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Result<std::sync::Arc<T>, StoreError> {
        if let Some(hit) = self.decoded.get::<T>(tree, key, sealed) {
            return Ok(hit);
        }
        let value = std::sync::Arc::new(self.unseal_once::<T>(tree, key, sealed)?);
        self.decoded.put(tree, key, sealed, value.clone());
        Ok(value)
    }

    /// `unseal` for a full scan: opened and decoded every time, and not kept.
    pub(super) fn unseal_once<T: DeserializeOwned>(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Result<T, StoreError> {
        let plain = zeroize::Zeroizing::new(self.vault.open_value(tree, key, sealed)?);
        super::codec::decode(&plain)
    }
}

/// The installation's settings as last read, until `changed` (called once a new version is
/// committed). A read that began before a change does not keep what it read: the generation it
/// started from is checked under the same lock `changed` takes.
#[derive(Default)]
pub(super) struct KeptSettings {
    kept: std::sync::Mutex<(u64, Option<crate::domain::settings::Settings>)>,
}

impl KeptSettings {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Option<crate::domain::settings::Settings>)> {
        // A panic while holding it can only have left a valid value behind: use it.
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn get_or_read(
        &self,
        read: impl FnOnce() -> Result<crate::domain::settings::Settings, StoreError>,
    ) -> Result<crate::domain::settings::Settings, StoreError> {
        let generation = {
            let kept = self.lock();
            if let Some(settings) = &kept.1 {
                return Ok(settings.clone());
            }
            kept.0
        };
        let settings = read()?;
        let mut kept = self.lock();
        if kept.0 == generation {
            kept.1 = Some(settings.clone());
        }
        Ok(settings)
    }

    pub(super) fn changed(&self) {
        let mut kept = self.lock();
        kept.0 += 1;
        kept.1 = None;
    }
}

#[cfg(test)]
mod kept_settings_tests {
    use super::KeptSettings;
    use crate::domain::settings::Settings;

    #[test]
    fn settings_are_kept_once_read_and_never_across_a_change() {
        let kept = KeptSettings::default();
        let mut reads = 0;
        let mut read = |kept: &KeptSettings, change_meanwhile: bool| {
            kept.get_or_read(|| {
                reads += 1;
                if change_meanwhile {
                    // A save committed while this read was under way.
                    kept.changed();
                }
                Ok(Settings::default())
            })
            .unwrap();
        };
        read(&kept, true);
        read(&kept, false);
        read(&kept, false);
        // The first read was not kept (a save came in meanwhile); the second was.
        assert_eq!(reads, 2);
        kept.changed();
        let mut again = 0;
        kept.get_or_read(|| {
            again += 1;
            Ok(Settings::default())
        })
        .unwrap();
        assert_eq!(again, 1, "read afresh after a change");
    }
}
