//! Extractors that put the role check in the handler's signature: a handler that takes
//! `RequireAdmin` cannot run for anyone else. A refused request is audited.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::domain::{AuditAction, AuditEvent, Outcome, Role, User};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{Session, SessionToken};

/// The signed-in user of this request, put in the request extensions by `web::guard`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account, as loaded for this request.
    pub user: User,
    /// Its session.
    pub session: Session,
    /// The session's token (to end it at sign-out).
    pub token: SessionToken,
    /// Whether the store holds demo data (every page then says so).
    pub demo: bool,
    /// Whether the store could not write when the request began (pages then say saving is paused).
    pub read_only: bool,
    /// Whether the policy requires a second step this account has not set up: until it has, it
    /// reaches only the set-up page (the guard sees to that).
    pub must_enrol: bool,
    /// The language of this request's pages (the guard decides it).
    pub lang: crate::i18n::Lang,
}

async fn require(req: HttpRequest, min: Role) -> Result<CurrentUser, AppError> {
    let current = req.extensions().get::<CurrentUser>().cloned();
    let Some(current) = current else {
        return Err(AppError::SignInRequired { next: None });
    };
    if current.user.role >= min {
        return Ok(current);
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal("application state missing"))?;
    let target = req.match_pattern().unwrap_or_else(|| req.path().to_owned());
    let event = AuditEvent::new(
        state.clock.now(),
        Some(current.user.id),
        AuditAction::ForbiddenAccess,
        Outcome::Denied,
    )
    .on(target);
    state.store.audit_later(event);
    Err(AppError::Forbidden)
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub CurrentUser);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move { require(req, $role).await.map($name) })
            }
        }
    };
}

role_extractor!(
    /// Any signed-in user (operators and up).
    SignedIn,
    Role::Operator
);
role_extractor!(
    /// A supervisor or an admin.
    RequireSupervisor,
    Role::Supervisor
);
role_extractor!(
    /// An admin.
    RequireAdmin,
    Role::Admin
);
