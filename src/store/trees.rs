//! The open sled database and its trees. Readers hold one (`Arc<Trees>`) for the length of a read;
//! the writer applies changes to the same one.

use std::path::Path;

use super::StoreError;

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
}

impl Trees {
    pub(super) fn open(dir: &Path) -> Result<Self, StoreError> {
        let db = sled::Config::new().path(dir).open().map_err(|e| match e {
            sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
                StoreError::Locked
            }
            sled::Error::Io(io) => StoreError::Unreadable(io.to_string()),
            other => StoreError::Unreadable(other.to_string()),
        })?;
        Ok(Self {
            meta: db.open_tree("meta")?,
            users: db.open_tree("users")?,
            usernames: db.open_tree("usernames")?,
            sessions: db.open_tree("sessions")?,
            user_sessions: db.open_tree("user_sessions")?,
            audit: db.open_tree("audit")?,
            cases: db.open_tree("cases")?,
            assessments: db.open_tree("assessments")?,
            case_assessments: db.open_tree("case_assessments")?,
            db,
        })
    }
}
