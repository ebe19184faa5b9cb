//! Signing in: per-address throttling, per-account lockout, constant-ish timing for unknown
//! usernames, a fresh session on success (or, for an account with an authenticator app, a session
//! that waits for its code), and an audit entry for every outcome.

use std::net::IpAddr;

use super::password;
use crate::domain::{AuditAction, AuditEvent, Outcome, User, Username};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{NewSession, SessionToken, Stage};

/// Why a sign-in did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong username or password, locked or disabled account: one message for all, on purpose.
    #[error("sign-in failed")]
    Failed,
    /// Too many failures from this address.
    #[error("too many failed sign-ins from this address")]
    Throttled,
    /// The store failed.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::store::StoreError> for SignInError {
    fn from(e: crate::store::StoreError) -> Self {
        SignInError::App(e.into())
    }
}

/// A password that was right.
#[derive(Debug)]
pub enum PasswordStep {
    /// Signed in.
    SignedIn(SessionToken, Box<User>),
    /// The account has an authenticator app: this session waits for its code.
    CodeNext(SessionToken),
}

/// Checks the credentials and, if they are right and the account is open, starts a new session:
/// signed in, or waiting for the code of the account's authenticator app.
pub async fn sign_in(
    state: &AppState,
    ip: IpAddr,
    browser: Option<String>,
    username: &str,
    candidate: String,
) -> Result<PasswordStep, SignInError> {
    let now = state.clock.now();
    let policy = &state.policy;
    let address = state.audit_address(ip);
    let audit = |actor: Option<&User>, action, outcome| {
        AuditEvent::new(now, actor.map(|u| u.id), action, outcome).from_address(address.clone())
    };

    if state.throttle.is_blocked(ip, now, policy) {
        // Counted, not written one by one: a flood must cost no disk.
        state
            .refusals
            .count(ip, AuditAction::SignIn, "/sign-in (address throttled)", now);
        return Err(SignInError::Throttled);
    }

    let user = match Username::parse(username) {
        Ok(name) => state.store.user_by_username(&name)?,
        Err(_) => None,
    };
    let Some(user) = user else {
        // Spend the same time as a real check so response times do not reveal which names exist.
        password::verify(candidate, password::dummy_hash().to_owned()).await?;
        state.throttle.record_failure(ip, now);
        state
            .store
            .append_audit(&audit(None, AuditAction::SignIn, Outcome::Failure))
            .await?;
        return Err(SignInError::Failed);
    };

    let matches = password::verify(candidate, user.password_hash.clone()).await?;
    if user.disabled || user.is_locked(now) {
        state.throttle.record_failure(ip, now);
        state
            .store
            .append_audit(&audit(Some(&user), AuditAction::SignIn, Outcome::Denied))
            .await?;
        return Err(SignInError::Failed);
    }
    if !matches {
        state.throttle.record_failure(ip, now);
        // The count, a lock at the limit and their audit entries: one transaction.
        state
            .store
            .record_failed_sign_in(
                user.id,
                now,
                policy.lock_after_failures,
                policy.lock_duration,
                audit(Some(&user), AuditAction::SignIn, Outcome::Failure),
                false,
            )
            .await?;
        return Err(SignInError::Failed);
    }

    if user.two_step.is_some() {
        let accepted = audit(Some(&user), AuditAction::PasswordAccepted, Outcome::Success);
        let new = NewSession {
            stage: Stage::AwaitingCode,
            browser,
        };
        // The failure count is cleared only when the code is right too: mixed password and code
        // failures add up to the lock.
        let (token, _) = state
            .store
            .start_waiting_session(&user, now, vec![accepted], new)
            .await?;
        return Ok(PasswordStep::CodeNext(token));
    }
    let success = audit(Some(&user), AuditAction::SignIn, Outcome::Success);
    let new = NewSession {
        stage: Stage::SignedIn,
        browser,
    };
    let (token, _session) = state
        .store
        .start_session(&user, now, vec![success], new)
        .await?;
    Ok(PasswordStep::SignedIn(token, Box::new(user)))
}
