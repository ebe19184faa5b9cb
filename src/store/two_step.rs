//! The second step of a sign-in and setting up an authenticator app. The code is checked on the
//! writer thread, so two requests racing with the same code cannot both pass: the step it spends
//! is stored by the same job that accepted it.

use sled::Transactional;
use time::{Duration, OffsetDateTime};

use super::audit::PendingAudit;
use super::sessions::{self, NewSession, Session, SessionToken, Stage, index_key};
use super::trees::{SESSIONS, USERS};
use super::users::{FailedSignIn, count_failure, load_in, save_in};
use super::vault::Scope;
use super::{Store, StoreError, abort};
use crate::domain::two_step::{TwoStep, Verified};
use crate::domain::{AuditAction, AuditEvent, Outcome, User, UserId};

/// What became of a second-step attempt.
#[derive(Debug)]
pub enum SecondStep {
    /// Signed in: the waiting session was replaced by a new one. `recovery_left` when a recovery
    /// code was spent.
    SignedIn {
        token: SessionToken,
        user: Box<User>,
        recovery_left: Option<usize>,
    },
    /// Refused: a wrong code (counted toward the lock), a code already used (counted too), or an
    /// account that cannot sign in now. `locked` when the account is locked (its sessions ended).
    Refused { replayed: bool, locked: bool },
}

/// A second-step attempt: who, with what, from where.
pub struct Attempt {
    /// The session waiting for the code.
    pub pending: SessionToken,
    /// Six digits from the app, or a recovery code.
    pub code: String,
    /// When.
    pub now: OffsetDateTime,
    /// Failures that lock the account, and for how long.
    pub lock_after: u32,
    pub lock_for: Duration,
    /// The client address as the audit keeps it.
    pub address: Option<String>,
}

impl Store {
    /// Checks the code of a waiting sign-in and, if it is right and not used before, replaces the
    /// waiting session with a signed-in one, all in one transaction with its audit entries.
    pub async fn second_step(&self, attempt: Attempt) -> Result<SecondStep, StoreError> {
        let store = self.clone();
        self.write(move |t| {
            let pending_key = attempt.pending.key();
            let Some(bytes) = t.sessions.get(pending_key)? else {
                return Ok(SecondStep::Refused {
                    replayed: false,
                    locked: false,
                });
            };
            let pending: Session = t.unseal(SESSIONS, &pending_key, &bytes)?;
            let key = pending.user_id.get().to_be_bytes();
            let bytes = t.users.get(key)?.ok_or(StoreError::NotFound)?;
            let mut user: User = t.unseal(USERS, &key, &bytes)?;
            let now = attempt.now;
            let event = |action, outcome| {
                let mut e = AuditEvent::new(now, Some(user.id), action, outcome);
                e.address = attempt.address.clone();
                e
            };
            let live = pending.stage == Stage::AwaitingCode
                && pending.epoch == user.session_epoch
                && !user.disabled
                && !user.is_locked(now);
            let verified = match (&mut user.two_step, live) {
                (Some(two), true) => two.verify(&attempt.code, now),
                _ => {
                    store.audit_later(event(AuditAction::SecondStep, Outcome::Denied));
                    return Ok(SecondStep::Refused {
                        replayed: false,
                        locked: true,
                    });
                }
            };
            if matches!(verified, Verified::Wrong | Verified::Replayed) {
                let replayed = verified == Verified::Replayed;
                let mut failure = event(AuditAction::SecondStep, Outcome::Failure);
                if replayed {
                    failure = failure.with_detail("code already used");
                }
                // `verify` changed nothing: a failure spends no step and no recovery code.
                let counted = count_failure(
                    t,
                    &mut user,
                    now,
                    attempt.lock_after,
                    attempt.lock_for,
                    failure,
                    true,
                )?;
                counted.write(&store, t, &user)?;
                return Ok(SecondStep::Refused {
                    replayed,
                    locked: counted.outcome == FailedSignIn::Locked,
                });
            }

            user.failed_sign_ins = 0;
            user.locked_until = None;
            let mut events = vec![event(AuditAction::SecondStep, Outcome::Success)];
            let recovery_left = match verified {
                Verified::Recovery { left } => {
                    events.push(
                        event(AuditAction::RecoveryCodeUsed, Outcome::Success)
                            .with_detail(format!("{left} left")),
                    );
                    Some(left)
                }
                _ => None,
            };
            let (token, session) = sessions::fresh(
                &user,
                now,
                NewSession {
                    stage: Stage::SignedIn,
                    browser: pending.browser.clone(),
                },
            );
            let new_key = token.key();
            let record = t.seal(Scope::System, SESSIONS, &new_key, &session)?;
            let entries = PendingAudit::new(&store, t, &events)?;
            (&t.users, &t.sessions, &t.user_sessions, &t.audit).transaction(
                |(users, sessions, user_sessions, audit)| {
                    save_in(t, users, &user)?;
                    sessions.remove(&pending_key)?;
                    user_sessions.remove(index_key(user.id, &pending_key))?;
                    sessions.insert(&new_key, record.as_slice())?;
                    user_sessions.insert(index_key(user.id, &new_key), &[])?;
                    entries.write_in(audit)
                },
            )?;
            Ok(SecondStep::SignedIn {
                token,
                user: Box::new(user),
                recovery_left,
            })
        })
        .await
    }

    /// Makes `two_step` the account's second step (replacing any earlier app and its recovery
    /// codes) and forgets the secret kept in `session` while it was set up, with `audit`.
    pub async fn enrol_two_step(
        &self,
        id: UserId,
        session: &SessionToken,
        two_step: TwoStep,
        audit: AuditEvent,
    ) -> Result<User, StoreError> {
        let session_key = session.key();
        let store = self.clone();
        self.write(move |t| {
            let entries = PendingAudit::new(&store, t, &[audit])?;
            Ok(
                (&t.users, &t.sessions, &t.audit).transaction(|(users, sessions, audit)| {
                    let mut user = load_in(t, users, id)?;
                    user.two_step = Some(two_step.clone());
                    save_in(t, users, &user)?;
                    if let Some(bytes) = sessions.get(session_key)? {
                        let mut s: Session =
                            t.unseal(SESSIONS, &session_key, &bytes).map_err(abort)?;
                        s.enrolment = None;
                        let sealed = t
                            .seal(Scope::System, SESSIONS, &session_key, &s)
                            .map_err(abort)?;
                        sessions.insert(&session_key, sealed)?;
                    }
                    entries.write_in(audit)?;
                    Ok(user)
                })?,
            )
        })
        .await
    }
}
