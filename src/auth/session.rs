//! Resuming a session from its cookie, with the idle and absolute timeouts, and building cookies.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use time::{Duration, OffsetDateTime};

use super::CurrentUser;
use crate::configuration::SecurityPolicy;
use crate::domain::{User, UserId};
use crate::error::AppError;
use crate::store::{Session, SessionToken, Stage, Store};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ef_session";

/// How `last_seen` may lag before a request refreshes it.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A sign-in whose password was right and whose code is still to come.
#[derive(Debug, Clone)]
pub struct PendingSignIn {
    /// The account.
    pub user: User,
    /// The waiting session (its CSRF token protects the code form).
    pub session: Session,
    /// Its token, to replace it once the code is right.
    pub token: SessionToken,
}

/// What became of a presented session cookie.
pub enum Resumed {
    /// A live session.
    Active(Box<CurrentUser>),
    /// A sign-in waiting for its second step.
    AwaitingCode(Box<PendingSignIn>),
    /// Unknown, revoked, expired or belonging to a disabled account.
    Rejected { user: Option<UserId> },
}

/// Whether a session is past either timeout at `now`.
pub fn is_expired(session: &Session, now: OffsetDateTime, policy: &SecurityPolicy) -> bool {
    match session.stage {
        Stage::AwaitingCode => now - session.created_at > policy.second_step_timeout,
        Stage::SignedIn => {
            now - session.last_seen > policy.idle_timeout
                || now - session.created_at > policy.absolute_timeout
        }
    }
}

/// Looks up the session for a cookie value and checks that it is still good.
pub async fn resume(
    store: &Store,
    raw: &str,
    now: OffsetDateTime,
    policy: &SecurityPolicy,
    demo: bool,
) -> Result<Resumed, AppError> {
    let Some(token) = SessionToken::parse(raw) else {
        return Ok(Resumed::Rejected { user: None });
    };
    let Some(session) = store.session(&token)? else {
        return Ok(Resumed::Rejected { user: None });
    };
    let user = store.user(session.user_id)?;
    let live = user.as_ref().is_some_and(|u| {
        !u.disabled && u.session_epoch == session.epoch && !is_expired(&session, now, policy)
    });
    match user {
        Some(user) if live && session.stage == Stage::AwaitingCode => {
            Ok(Resumed::AwaitingCode(Box::new(PendingSignIn {
                user,
                session,
                token,
            })))
        }
        Some(user) if live => {
            if now - session.last_seen > TOUCH_EVERY {
                store.touch_session(&token, now);
            }
            Ok(Resumed::Active(Box::new(CurrentUser {
                user,
                session,
                token,
                demo,
                read_only: !store.can_write(),
                must_enrol: false,
                lang: Default::default(),
            })))
        }
        _ => {
            // Refusing the session does not depend on deleting it: if the store cannot write
            // now, the periodic sweep removes it later.
            if let Err(e) = store.delete_session(&token, None).await {
                tracing::warn!(error = %e, "a dead session could not be deleted now");
            }
            Ok(Resumed::Rejected {
                user: Some(session.user_id),
            })
        }
    }
}

/// The cookie that carries a new session.
pub fn session_cookie(token: &SessionToken, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.as_str().to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// A cookie that makes the browser forget its session cookie.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, "")
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::ZERO)
        .finish()
}
