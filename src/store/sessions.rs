//! Server-side sessions. The browser holds a random 128-bit token; the store keys the session by the
//! token's SHA-256, so a copy of the data directory does not hand out live sessions.

use std::fmt;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::Transactional;
use time::OffsetDateTime;

use super::audit::PendingAudit;
use super::trees::{SESSIONS, Trees, USERS};
use super::vault::Scope;
use super::{Store, StoreError, abort};
use crate::domain::two_step::TotpSecret;
use crate::domain::{AuditEvent, User, UserId};

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

    /// The key of its record (the SHA-256 of the token), which also tells sessions apart in a list.
    pub fn key(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

/// How far a session's sign-in has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Signed in.
    #[default]
    SignedIn,
    /// The password was right; the code from the authenticator app is still to come. Such a
    /// session opens nothing but the code page, and only for a few minutes.
    AwaitingCode,
}

/// What a new session starts as.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    /// Signed in, or waiting for the second step.
    pub stage: Stage,
    /// The browser family and system, for the user's list of sessions ("Firefox on Linux").
    pub browser: Option<String>,
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
    /// How far its sign-in has come (records from before two-step sign-in are signed in).
    #[serde(default)]
    pub stage: Stage,
    /// The browser family, as `NewSession` gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// An authenticator secret shown for setting up and not confirmed yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<TotpSecret>,
}

/// A fresh session of `user` and its token.
pub(super) fn fresh(user: &User, now: OffsetDateTime, new: NewSession) -> (SessionToken, Session) {
    let token = SessionToken::generate();
    let mut csrf = [0u8; 32];
    rand::rng().fill_bytes(&mut csrf);
    let session = Session {
        user_id: user.id,
        epoch: user.session_epoch,
        csrf_token: hex::encode(csrf),
        created_at: now,
        last_seen: now,
        stage: new.stage,
        browser: new.browser,
        enrolment: None,
    };
    (token, session)
}

/// An entry of the per-user session index and the session key it points to.
pub(super) type IndexedSession = (Vec<u8>, Vec<u8>);

pub(super) fn index_key(user: UserId, session_key: &[u8; 32]) -> Vec<u8> {
    let mut key = user.get().to_be_bytes().to_vec();
    key.extend_from_slice(session_key);
    key
}

/// Moves a session's `last_seen` forward to `at` (a deferred record; a session deleted meanwhile
/// stays deleted).
pub(super) fn touch_in(t: &Trees, key: &[u8; 32], at: OffsetDateTime) -> Result<(), StoreError> {
    t.sessions.fetch_and_update(key, |old| {
        let mut session: Session = t.unseal(SESSIONS, key, old?).ok()?;
        session.last_seen = session.last_seen.max(at);
        t.seal(Scope::System, SESSIONS, key, &session).ok()
    })?;
    Ok(())
}

/// Index and session keys of every session of `user`.
pub(super) fn keys_of(t: &Trees, user: UserId) -> Result<Vec<IndexedSession>, StoreError> {
    t.user_sessions
        .scan_prefix(user.get().to_be_bytes())
        .keys()
        .map(|k| {
            let k = k?;
            Ok((k.to_vec(), k[8..].to_vec()))
        })
        .collect()
}

impl Store {
    /// Starts a new session for `user`, with a fresh token and CSRF token: after a sign-in (which
    /// also clears the account's failed sign-ins), a first-run setup or a password change. `audit`
    /// is written in the same transaction.
    pub async fn start_session(
        &self,
        user: &User,
        now: OffsetDateTime,
        audit: Vec<AuditEvent>,
        new: NewSession,
    ) -> Result<(SessionToken, Session), StoreError> {
        self.begin_session(user, now, audit, new, true).await
    }

    /// Starts a session that waits for the second step after a right password. The account's
    /// failed sign-ins stay counted until the code is right too.
    pub async fn start_waiting_session(
        &self,
        user: &User,
        now: OffsetDateTime,
        audit: Vec<AuditEvent>,
        new: NewSession,
    ) -> Result<(SessionToken, Session), StoreError> {
        self.begin_session(user, now, audit, new, false).await
    }

    async fn begin_session(
        &self,
        user: &User,
        now: OffsetDateTime,
        audit: Vec<AuditEvent>,
        new: NewSession,
        clear_failures: bool,
    ) -> Result<(SessionToken, Session), StoreError> {
        let (token, session) = fresh(user, now, new);
        let key = token.key();
        let record = self
            .trees()?
            .seal(Scope::System, SESSIONS, &key, &session)?;
        let index = index_key(user.id, &key);
        let user_id = user.id;
        let store = self.clone();
        self.write(move |t| {
            let entries = PendingAudit::new(&store, t, &audit)?;
            (&t.users, &t.sessions, &t.user_sessions, &t.audit).transaction(
                |(users, sessions, user_sessions, audit)| {
                    let user_key = user_id.get().to_be_bytes();
                    let bytes = users
                        .get(user_key)?
                        .ok_or_else(|| abort(StoreError::NotFound))?;
                    let mut user: User = t.unseal(USERS, &user_key, &bytes).map_err(abort)?;
                    if clear_failures && (user.failed_sign_ins != 0 || user.locked_until.is_some())
                    {
                        user.failed_sign_ins = 0;
                        user.locked_until = None;
                        users.insert(&user_key, super::users::sealed(t, &user).map_err(abort)?)?;
                    }
                    sessions.insert(&key, record.as_slice())?;
                    user_sessions.insert(index.as_slice(), &[])?;
                    entries.write_in(audit)
                },
            )?;
            Ok(())
        })
        .await?;
        Ok((token, session))
    }

    /// The session for a token, if there is one (expiry is the caller's rule), with activity
    /// noted but not written yet.
    pub fn session(&self, token: &SessionToken) -> Result<Option<Session>, StoreError> {
        let key = token.key();
        let t = self.trees()?;
        let Some(bytes) = t.sessions.get(key)? else {
            return Ok(None);
        };
        let mut session: Session = t.unseal(SESSIONS, &key, &bytes)?;
        if let Some(at) = super::engine_deferred(&self.engine).pending_touch(&key) {
            session.last_seen = session.last_seen.max(at);
        }
        Ok(Some(session))
    }

    /// Records activity on a session. Deferred, not acknowledged: losing a `last_seen` update in
    /// a crash only makes the session look idle a little earlier, and a page view must never wait
    /// for the disk or fail because of it.
    pub fn touch_session(&self, token: &SessionToken, now: OffsetDateTime) {
        super::engine_deferred(&self.engine).touch(token.key(), now);
    }

    /// Ends one session (sign-out, or an expired session found on use), with `audit` if given.
    pub async fn delete_session(
        &self,
        token: &SessionToken,
        audit: Option<AuditEvent>,
    ) -> Result<(), StoreError> {
        let key = token.key();
        let store = self.clone();
        self.write(move |t| {
            let Some(bytes) = t.sessions.get(key)? else {
                return Ok(());
            };
            let session: Session = t.unseal(SESSIONS, &key, &bytes)?;
            let index = index_key(session.user_id, &key);
            let entries = PendingAudit::new(&store, t, audit.as_slice())?;
            (&t.sessions, &t.user_sessions, &t.audit).transaction(
                |(sessions, user_sessions, audit)| {
                    sessions.remove(&key)?;
                    user_sessions.remove(index.as_slice())?;
                    entries.write_in(audit)
                },
            )?;
            Ok(())
        })
        .await
    }

    /// Every session of `user` with its record key, oldest first.
    pub fn sessions_of(&self, user: UserId) -> Result<Vec<([u8; 32], Session)>, StoreError> {
        let t = self.trees()?;
        let deferred = super::engine_deferred(&self.engine);
        let mut out = Vec::new();
        for (_, key) in keys_of(&t, user)? {
            let Some(bytes) = t.sessions.get(&key)? else {
                continue;
            };
            let key: [u8; 32] = key
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::NotFound)?;
            let mut session: Session = t.unseal(SESSIONS, &key, &bytes)?;
            if let Some(at) = deferred.pending_touch(&key) {
                session.last_seen = session.last_seen.max(at);
            }
            out.push((key, session));
        }
        out.sort_by_key(|(_, s)| s.created_at);
        Ok(out)
    }

    /// Ends every session of `user` but `keep`, with `audit` (given the count) if any ended; returns
    /// how many ended.
    pub async fn end_other_sessions(
        &self,
        user: UserId,
        keep: &SessionToken,
        audit: impl FnOnce(usize) -> AuditEvent + Send + 'static,
    ) -> Result<usize, StoreError> {
        let keep = keep.key();
        let store = self.clone();
        self.write(move |t| {
            let others: Vec<IndexedSession> = keys_of(t, user)?
                .into_iter()
                .filter(|(_, key)| key.as_slice() != keep.as_slice())
                .collect();
            if others.is_empty() {
                return Ok(0);
            }
            let entries = PendingAudit::new(&store, t, &[audit(others.len())])?;
            (&t.sessions, &t.user_sessions, &t.audit).transaction(
                |(sessions, user_sessions, audit)| {
                    for (index, key) in &others {
                        user_sessions.remove(index.as_slice())?;
                        sessions.remove(key.as_slice())?;
                    }
                    entries.write_in(audit)
                },
            )?;
            Ok(others.len())
        })
        .await
    }

    /// Keeps `secret` in the session as the authenticator being set up (`None` forgets it).
    pub async fn set_enrolment(
        &self,
        token: &SessionToken,
        secret: Option<TotpSecret>,
    ) -> Result<(), StoreError> {
        let key = token.key();
        self.write(move |t| {
            let bytes = t.sessions.get(key)?.ok_or(StoreError::NotFound)?;
            let mut session: Session = t.unseal(SESSIONS, &key, &bytes)?;
            session.enrolment = secret;
            t.sessions
                .insert(key, t.seal(Scope::System, SESSIONS, &key, &session)?)?;
            Ok(())
        })
        .await
    }

    /// How many sessions `user` has open (for the admin page).
    pub fn session_count(&self, user: UserId) -> Result<usize, StoreError> {
        Ok(keys_of(&*self.trees()?, user)?.len())
    }

    /// Deletes sessions for which `is_dead` holds; returns how many went.
    pub async fn sweep_sessions(
        &self,
        is_dead: impl Fn(&Session) -> bool + Send + 'static,
    ) -> Result<usize, StoreError> {
        self.write(move |t| {
            let mut removed = 0;
            for entry in t.sessions.iter() {
                let (key, value) = entry?;
                let Ok(session) = t.unseal_once::<Session>(SESSIONS, &key, &value) else {
                    t.sessions.remove(&key)?;
                    continue;
                };
                if is_dead(&session) {
                    let key32: [u8; 32] =
                        key.as_ref().try_into().map_err(|_| StoreError::NotFound)?;
                    t.sessions.remove(&key)?;
                    t.user_sessions.remove(index_key(session.user_id, &key32))?;
                    removed += 1;
                }
            }
            Ok(removed)
        })
        .await
    }
}
