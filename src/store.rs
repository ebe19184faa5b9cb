//! The durable store: typed repositories over an embedded sled database. Nothing outside this module
//! sees a `sled` type or a raw key. Every method that changes state flushes to disk before it returns,
//! so a change the user saw acknowledged survives a crash; changes that touch several records run in a
//! sled transaction so that no half-written state is ever visible.

mod aggregate_rows;
mod audit;
mod cases;
mod sessions;
pub mod users;

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use serde::de::DeserializeOwned;

pub use audit::AuditPage;
pub use sessions::{Session, SessionToken};

/// The record layout this build reads and writes. Bump it, with a migration, when a stored record
/// changes shape.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// Writing to disk failed: the change is not durable and must not be acknowledged.
    #[error("the change could not be written to disk")]
    Flush(#[source] sled::Error),
    /// Any other storage failure.
    #[error("storage failure")]
    Backend(#[from] sled::Error),
    /// A record that does not decode: damaged data or a bug.
    #[error("a stored record could not be read")]
    Corrupt(#[from] serde_json::Error),
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(err: sled::transaction::TransactionError<StoreError>) -> Self {
        match err {
            sled::transaction::TransactionError::Abort(inner) => inner,
            sled::transaction::TransactionError::Storage(e) => StoreError::Backend(e),
        }
    }
}

/// The application's store. Cheap to clone: clones share one database.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    users: sled::Tree,
    usernames: sled::Tree,
    sessions: sled::Tree,
    user_sessions: sled::Tree,
    audit: sled::Tree,
    cases: sled::Tree,
    assessments: sled::Tree,
    case_assessments: sled::Tree,
    /// The compact rows aggregates are computed from, built on first use and kept up to date by
    /// every write to cases and assessments (see `store::aggregate_rows`).
    rows: Arc<aggregate_rows::RowsCache>,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, and checks its schema version.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        let db = sled::Config::new().path(dir).open().map_err(|e| match e {
            sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
                StoreError::Locked
            }
            sled::Error::Io(io) => StoreError::Unreadable(io.to_string()),
            other => StoreError::Unreadable(other.to_string()),
        })?;
        let store = Self {
            meta: db.open_tree("meta")?,
            users: db.open_tree("users")?,
            usernames: db.open_tree("usernames")?,
            sessions: db.open_tree("sessions")?,
            user_sessions: db.open_tree("user_sessions")?,
            audit: db.open_tree("audit")?,
            cases: db.open_tree("cases")?,
            assessments: db.open_tree("assessments")?,
            case_assessments: db.open_tree("case_assessments")?,
            rows: Arc::default(),
            db,
        };
        store.check_schema()?;
        Ok(store)
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        let current = SCHEMA_VERSION.to_string();
        match self.meta.get(SCHEMA_KEY)? {
            Some(found) if found.as_ref() == current.as_bytes() => Ok(()),
            Some(found) => Err(StoreError::SchemaMismatch {
                found: String::from_utf8_lossy(&found).into_owned(),
            }),
            None => {
                // A fresh store: only stamp it when nothing else is in it, so that a store from a
                // build that predates versioning is not silently adopted.
                if self.users.is_empty() && self.audit.is_empty() {
                    self.meta.insert(SCHEMA_KEY, current.as_bytes())?;
                    self.db.flush()?;
                    Ok(())
                } else {
                    Err(StoreError::SchemaMismatch {
                        found: "none".into(),
                    })
                }
            }
        }
    }

    /// Whether the store holds demo data (filled by `exit-factors demo`).
    pub fn is_demo(&self) -> Result<bool, StoreError> {
        Ok(self.meta.get(DEMO_KEY)?.is_some())
    }

    /// Whether the store holds nothing yet: no account, no case, no audit entry.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.cases.is_empty() && self.audit.is_empty()
    }

    /// Marks the store as demo data, so that every page says so.
    pub async fn mark_demo(&self) -> Result<(), StoreError> {
        self.meta.insert(DEMO_KEY, b"true")?;
        self.flush().await
    }

    /// The installation's settings (defaults until an admin saves them).
    pub fn settings(&self) -> Result<crate::domain::settings::Settings, StoreError> {
        Ok(self
            .meta
            .get(SETTINGS_KEY)?
            .map(|b| decode(&b))
            .transpose()?
            .unwrap_or_default())
    }

    /// Saves the installation's settings.
    pub async fn save_settings(
        &self,
        settings: &crate::domain::settings::Settings,
    ) -> Result<(), StoreError> {
        self.meta.insert(SETTINGS_KEY, encode(settings)?)?;
        self.flush().await
    }

    /// Whether the store can be read: used by the health check.
    pub fn is_readable(&self) -> bool {
        self.meta.get(SCHEMA_KEY).is_ok_and(|v| v.is_some())
    }

    /// Makes every change so far durable. Called by each write method before it returns.
    async fn flush(&self) -> Result<(), StoreError> {
        self.db
            .flush_async()
            .await
            .map(|_| ())
            .map_err(StoreError::Flush)
    }
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    Ok(serde_json::to_vec(value)?)
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    Ok(serde_json::from_slice(bytes)?)
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{AuditAction, AuditEvent, Outcome, Role, Username};

    fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    #[test]
    fn a_store_from_another_schema_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.meta.insert(SCHEMA_KEY, b"99").unwrap();
            store.db.flush().unwrap();
        }
        let err = Store::open(dir.path()).err().unwrap();
        assert!(
            matches!(err, StoreError::SchemaMismatch { ref found } if found == "99"),
            "{err}"
        );
    }

    #[actix_web::test]
    async fn usernames_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let name = Username::parse("anna").unwrap();
        store
            .create_user(name.clone(), Role::Operator, "h".into(), now())
            .await
            .unwrap();
        let again = store
            .create_user(name, Role::Admin, "h".into(), now())
            .await;
        assert!(matches!(again, Err(StoreError::UsernameTaken)));
        assert_eq!(store.users().unwrap().len(), 1);
    }

    #[actix_web::test]
    async fn revoking_removes_every_session_and_bumps_the_epoch() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let user = store
            .create_user(
                Username::parse("anna").unwrap(),
                Role::Operator,
                "h".into(),
                now(),
            )
            .await
            .unwrap();
        let (a, _) = store.create_session(&user, now()).await.unwrap();
        let (b, _) = store.create_session(&user, now()).await.unwrap();
        assert_eq!(store.session_count(user.id).unwrap(), 2);
        let changed = store.set_password(user.id, "h2".into()).await.unwrap();
        assert_eq!(changed.session_epoch, user.session_epoch + 1);
        assert!(store.session(&a).unwrap().is_none());
        assert!(store.session(&b).unwrap().is_none());
        assert_eq!(store.session_count(user.id).unwrap(), 0);
    }

    #[actix_web::test]
    async fn the_audit_log_pages_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
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
