//! Staff accounts: create, read, sign-in bookkeeping, and changes that revoke sessions.

use sled::Transactional;
use sled::transaction::TransactionalTree;
use time::{Duration, OffsetDateTime};

use super::audit::PendingAudit;
use super::migrate::username_key;
use super::trees::{Trees, USERS};
use super::vault::Scope;
use super::{Store, StoreError, TxError, abort};
use crate::domain::{AuditAction, AuditEvent, Outcome, Role, User, UserId, Username};

/// What a failed sign-in did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailedSignIn {
    /// Counted; the account is still open.
    Counted,
    /// This failure locked the account.
    Locked,
}

pub(super) fn load_in(t: &Trees, users: &TransactionalTree, id: UserId) -> Result<User, TxError> {
    let key = id.get().to_be_bytes();
    let bytes = users.get(key)?.ok_or_else(|| abort(StoreError::NotFound))?;
    t.unseal(USERS, &key, &bytes).map_err(abort)
}

/// `user` sealed for its record.
pub(super) fn sealed(t: &Trees, user: &User) -> Result<Vec<u8>, StoreError> {
    t.seal(Scope::System, USERS, &user.id.get().to_be_bytes(), user)
}

pub(super) fn save_in(t: &Trees, users: &TransactionalTree, user: &User) -> Result<(), TxError> {
    users.insert(
        &user.id.get().to_be_bytes(),
        sealed(t, user).map_err(abort)?,
    )?;
    Ok(())
}

/// A failed sign-in step counted on an account: what it did, its audit entries, and the sessions
/// to delete.
pub(super) struct Counted {
    pub outcome: FailedSignIn,
    pub events: Vec<AuditEvent>,
    pub revoke: Vec<super::sessions::IndexedSession>,
}

impl Counted {
    /// Saves `user` as counted, deletes the sessions the lock ended and appends the audit entries,
    /// in one transaction.
    pub(super) fn write(&self, store: &Store, t: &Trees, user: &User) -> Result<(), StoreError> {
        let entries = PendingAudit::new(store, t, &self.events)?;
        (&t.users, &t.sessions, &t.user_sessions, &t.audit).transaction(
            |(users, sessions, user_sessions, audit)| {
                save_in(t, users, user)?;
                for (index_key, session_key) in &self.revoke {
                    user_sessions.remove(index_key.as_slice())?;
                    sessions.remove(session_key.as_slice())?;
                }
                entries.write_in(audit)
            },
        )?;
        Ok(())
    }
}

/// Counts a failed password or code on `user` (changed in place, not saved): at `lock_after`
/// failures it locks the account for `lock_for` (audited, with the failure's address) and, with
/// `end_sessions`, ends its sessions.
pub(super) fn count_failure(
    t: &Trees,
    user: &mut User,
    now: OffsetDateTime,
    lock_after: u32,
    lock_for: Duration,
    failure: AuditEvent,
    end_sessions: bool,
) -> Result<Counted, StoreError> {
    user.failed_sign_ins += 1;
    let mut events = vec![failure.clone()];
    let mut revoke = Vec::new();
    let outcome = if user.failed_sign_ins >= lock_after {
        user.failed_sign_ins = 0;
        user.locked_until = Some(now + lock_for);
        let mut locked = AuditEvent::new(
            now,
            failure.actor,
            AuditAction::AccountLocked,
            Outcome::Success,
        )
        .on(user.id.to_string());
        locked.address = failure.address;
        events.push(locked);
        if end_sessions {
            user.session_epoch = user.session_epoch.wrapping_add(1);
            revoke = super::sessions::keys_of(t, user.id)?;
        }
        FailedSignIn::Locked
    } else {
        FailedSignIn::Counted
    };
    Ok(Counted {
        outcome,
        events,
        revoke,
    })
}

impl Store {
    /// Creates an account, with the audit entry `audit` gives for it, in one transaction. Fails
    /// with `UsernameTaken` if the name is in use.
    pub async fn create_user(
        &self,
        username: Username,
        role: Role,
        password_hash: String,
        now: OffsetDateTime,
        audit: impl FnOnce(&User) -> AuditEvent + Send + 'static,
    ) -> Result<User, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            let user = User {
                id: UserId::new(t.new_id()?),
                username,
                role,
                password_hash,
                disabled: false,
                created_at: now,
                failed_sign_ins: 0,
                locked_until: None,
                session_epoch: 0,
                two_step: None,
                language: None,
            };
            let entries = PendingAudit::new(&store, t, &[audit(&user)])?;
            let name = username_key(&t.vault, user.username.as_str())?;
            (&t.users, &t.usernames, &t.audit).transaction(|(users, usernames, audit)| {
                if usernames.get(name)?.is_some() {
                    return Err(abort(StoreError::UsernameTaken));
                }
                usernames.insert(&name, &user.id.get().to_be_bytes())?;
                save_in(t, users, &user)?;
                entries.write_in(audit)
            })?;
            Ok(user)
        })
        .await
    }

    /// The account with this id.
    pub fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let t = self.trees()?;
        let key = id.get().to_be_bytes();
        t.users
            .get(key)?
            .map(|b| t.unseal(USERS, &key, &b))
            .transpose()
    }

    /// The account with this username.
    pub fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError> {
        let t = self.trees()?;
        match t
            .usernames
            .get(username_key(&t.vault, username.as_str())?)?
        {
            Some(id) => {
                let id: [u8; 8] = id.as_ref().try_into().map_err(|_| StoreError::NotFound)?;
                self.user(UserId::new(u64::from_be_bytes(id)))
            }
            None => Ok(None),
        }
    }

    /// Every account, ordered by username.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        let t = self.trees()?;
        let mut users = t
            .users
            .iter()
            .map(|item| {
                let (key, value) = item?;
                t.unseal::<User>(USERS, &key, &value)
            })
            .collect::<Result<Vec<_>, _>>()?;
        users.sort_by(|a, b| a.username.as_str().cmp(b.username.as_str()));
        Ok(users)
    }

    /// Whether any enabled administrator exists (if not, the first-run setup is offered).
    pub fn has_admin(&self) -> Result<bool, StoreError> {
        Ok(self
            .users()?
            .iter()
            .any(|u| u.role == Role::Admin && !u.disabled))
    }

    /// Counts a failed password check, with its audit entry `failure`; at `lock_after` failures
    /// locks the account for `lock_for` (audited too) and, with `end_sessions_on_lock`, ends
    /// every session of it. One transaction.
    pub async fn record_failed_sign_in(
        &self,
        id: UserId,
        now: OffsetDateTime,
        lock_after: u32,
        lock_for: Duration,
        failure: AuditEvent,
        end_sessions_on_lock: bool,
    ) -> Result<FailedSignIn, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            // One writer: what is read here is what the transaction below changes.
            let key = id.get().to_be_bytes();
            let bytes = t.users.get(key)?.ok_or(StoreError::NotFound)?;
            let mut user: User = t.unseal(USERS, &key, &bytes)?;
            let counted = count_failure(
                t,
                &mut user,
                now,
                lock_after,
                lock_for,
                failure,
                end_sessions_on_lock,
            )?;
            counted.write(&store, t, &user)?;
            Ok(counted.outcome)
        })
        .await
    }

    /// Replaces the password hash and revokes every session of the account, with `audit`.
    pub async fn set_password(
        &self,
        id: UserId,
        password_hash: String,
        audit: Vec<AuditEvent>,
    ) -> Result<User, StoreError> {
        self.change_and_revoke(
            id,
            move |user| {
                user.password_hash = password_hash.clone();
                user.failed_sign_ins = 0;
                user.locked_until = None;
            },
            audit,
        )
        .await
    }

    /// Disables or re-enables an account, with `audit`; disabling revokes its sessions.
    pub async fn set_disabled(
        &self,
        id: UserId,
        disabled: bool,
        audit: AuditEvent,
    ) -> Result<User, StoreError> {
        self.change_and_revoke(id, move |user| user.disabled = disabled, vec![audit])
            .await
    }

    /// Replaces the password hash, keeping the account's sessions (the user chose to), with
    /// `audit`.
    pub async fn set_password_keeping_sessions(
        &self,
        id: UserId,
        password_hash: String,
        audit: AuditEvent,
    ) -> Result<User, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            let entries = PendingAudit::new(&store, t, &[audit])?;
            Ok((&t.users, &t.audit).transaction(|(users, audit)| {
                let mut user = load_in(t, users, id)?;
                user.password_hash = password_hash.clone();
                save_in(t, users, &user)?;
                entries.write_in(audit)?;
                Ok(user)
            })?)
        })
        .await
    }

    /// Sets the language of the pages for the account (None: the organisation's default).
    pub async fn set_language(
        &self,
        id: UserId,
        language: Option<crate::i18n::Lang>,
    ) -> Result<User, StoreError> {
        self.write(move |t| {
            Ok(t.users.transaction(|users| {
                let mut user = load_in(t, users, id)?;
                user.language = language;
                save_in(t, users, &user)?;
                Ok(user)
            })?)
        })
        .await
    }

    /// Removes the account's second step (an administrator's reset: the user sets up a new app at
    /// the next sign-in if the policy requires one) and ends all its sessions, with `audit`.
    pub async fn reset_two_step(&self, id: UserId, audit: AuditEvent) -> Result<User, StoreError> {
        self.change_and_revoke(id, |user| user.two_step = None, vec![audit])
            .await
    }

    /// Applies `change` to the account and, in the same transaction, revokes all its sessions and
    /// appends `audit`: the epoch bump kills any session record missed by the scan, the deletes
    /// clean up the rest.
    async fn change_and_revoke(
        &self,
        id: UserId,
        change: impl Fn(&mut User) + Send + 'static,
        audit: Vec<AuditEvent>,
    ) -> Result<User, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            let session_keys = super::sessions::keys_of(t, id)?;
            let entries = PendingAudit::new(&store, t, &audit)?;
            Ok(
                (&t.users, &t.sessions, &t.user_sessions, &t.audit).transaction(
                    |(users, sessions, user_sessions, audit)| {
                        let mut user = load_in(t, users, id)?;
                        change(&mut user);
                        user.session_epoch = user.session_epoch.wrapping_add(1);
                        save_in(t, users, &user)?;
                        for (index_key, session_key) in &session_keys {
                            user_sessions.remove(index_key.as_slice())?;
                            sessions.remove(session_key.as_slice())?;
                        }
                        entries.write_in(audit)?;
                        Ok(user)
                    },
                )?,
            )
        })
        .await
    }
}
