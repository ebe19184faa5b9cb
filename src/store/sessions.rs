//! Server-side sessions. The browser holds a random 128-bit token; the store keys the session by the
//! token's SHA-256, so a copy of the data directory does not hand out live sessions.

use std::fmt;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::Transactional;
use time::OffsetDateTime;

use super::{Store, StoreError, decode, encode};
use crate::domain::{User, UserId};

/// The secret a browser presents (hex of 16 random bytes). `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// Accepts a token presented by a browser if it has the right shape.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32
            && raw
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
        .then(|| Self(raw.to_owned()))
    }

    /// The value for the cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn key(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// A signed-in browser session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Whose session it is.
    pub user_id: UserId,
    /// The user's session epoch when it was made; a later epoch means it was revoked.
    pub epoch: u32,
    /// The synchronizer token every form of this session must send back.
    pub csrf_token: String,
    /// Sign-in time, for the absolute timeout.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last request, for the idle timeout.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
}

/// An entry of the per-user session index and the session key it points to.
pub(super) type IndexedSession = (Vec<u8>, Vec<u8>);

fn index_key(user: UserId, session_key: &[u8; 32]) -> Vec<u8> {
    let mut key = user.get().to_be_bytes().to_vec();
    key.extend_from_slice(session_key);
    key
}

impl Store {
    /// Starts a new session for `user`, with a fresh token and CSRF token.
    pub async fn create_session(
        &self,
        user: &User,
        now: OffsetDateTime,
    ) -> Result<(SessionToken, Session), StoreError> {
        let token = SessionToken::generate();
        let mut csrf = [0u8; 32];
        rand::rng().fill_bytes(&mut csrf);
        let session = Session {
            user_id: user.id,
            epoch: user.session_epoch,
            csrf_token: hex::encode(csrf),
            created_at: now,
            last_seen: now,
        };
        let key = token.key();
        let record = encode(&session)?;
        (&self.sessions, &self.user_sessions).transaction(|(sessions, user_sessions)| {
            sessions.insert(&key, record.as_slice())?;
            user_sessions.insert(index_key(user.id, &key), &[])?;
            Ok::<_, sled::transaction::ConflictableTransactionError<StoreError>>(())
        })?;
        self.flush().await?;
        Ok((token, session))
    }

    /// The session for a token, if there is one (expiry is the caller's rule).
    pub fn session(&self, token: &SessionToken) -> Result<Option<Session>, StoreError> {
        self.sessions
            .get(token.key())?
            .map(|b| decode(&b))
            .transpose()
    }

    /// Records activity on a session. Not flushed: losing a `last_seen` update in a crash only makes
    /// the session look idle a little earlier, and flushing on every page view would be wasted work.
    pub fn touch_session(
        &self,
        token: &SessionToken,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let key = token.key();
        self.sessions.fetch_and_update(key, |old| {
            let mut session: Session = decode(old?).ok()?;
            session.last_seen = now;
            encode(&session).ok()
        })?;
        Ok(())
    }

    /// Ends one session (sign-out, or an expired session found on use).
    pub async fn delete_session(&self, token: &SessionToken) -> Result<(), StoreError> {
        let key = token.key();
        let Some(session) = self.session(token)? else {
            return Ok(());
        };
        (&self.sessions, &self.user_sessions).transaction(|(sessions, user_sessions)| {
            sessions.remove(&key)?;
            user_sessions.remove(index_key(session.user_id, &key))?;
            Ok::<_, sled::transaction::ConflictableTransactionError<StoreError>>(())
        })?;
        self.flush().await
    }

    /// Index and session keys of every session of `user`, for revocation.
    pub(super) fn session_keys_of(&self, user: UserId) -> Result<Vec<IndexedSession>, StoreError> {
        self.user_sessions
            .scan_prefix(user.get().to_be_bytes())
            .keys()
            .map(|k| {
                let k = k?;
                Ok((k.to_vec(), k[8..].to_vec()))
            })
            .collect()
    }

    /// How many sessions `user` has open (for the admin page).
    pub fn session_count(&self, user: UserId) -> Result<usize, StoreError> {
        Ok(self.session_keys_of(user)?.len())
    }

    /// Deletes sessions for which `is_dead` holds; returns how many went.
    pub async fn sweep_sessions(
        &self,
        is_dead: impl Fn(&Session) -> bool,
    ) -> Result<usize, StoreError> {
        let mut removed = 0;
        for entry in self.sessions.iter() {
            let (key, value) = entry?;
            let Ok(session) = decode::<Session>(&value) else {
                self.sessions.remove(&key)?;
                continue;
            };
            if is_dead(&session) {
                let key32: [u8; 32] = key.as_ref().try_into().map_err(|_| StoreError::NotFound)?;
                self.sessions.remove(&key)?;
                self.user_sessions
                    .remove(index_key(session.user_id, &key32))?;
                removed += 1;
            }
        }
        if removed > 0 {
            self.flush().await?;
        }
        Ok(removed)
    }
}
