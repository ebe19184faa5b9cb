//! `GET /account` and `POST /account/password`: every user can change their own password, which
//! signs out all their other sessions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::session::{removal_cookie, session_cookie};
use crate::auth::{CurrentUser, SignedIn, password};
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::users::FailedSignIn;
use crate::web::forms::{self, FieldErrors};
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ctx: PageContext,
    username: String,
    role: &'static str,
    changed: bool,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    changed: bool,
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

fn account_page(current: &CurrentUser, changed: bool, errors: FieldErrors) -> AccountPage {
    AccountPage {
        ctx: PageContext::signed_in(current, "/account"),
        username: current.user.username.to_string(),
        role: current.user.role.label(),
        changed,
        errors,
    }
}

/// `GET /account`.
pub async fn page(
    SignedIn(current): SignedIn,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &account_page(&current, query.changed, FieldErrors::default()),
    )
}

/// `POST /account/password`.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    req: HttpRequest,
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    form: web::Form<ChangePasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let now = state.clock.now();
    let policy = &state.policy;
    let ip = crate::web::client_ip(req.peer_addr());
    if state.throttle.is_blocked(ip, now, policy) {
        return Err(AppError::TooManyRequests);
    }
    let mut errors = FieldErrors::default();
    let user_id = current.user.id;
    let current_ok =
        password::verify(form.current_password, current.user.password_hash.clone()).await?;
    if !current_ok {
        // Counted like a failed sign-in, so a stolen session cannot guess the password: at the
        // limit the account locks and every session of it ends, this one included.
        state.throttle.record_failure(ip, now);
        let failure = AuditEvent::new(
            now,
            Some(user_id),
            AuditAction::PasswordChanged,
            Outcome::Failure,
        )
        .on(user_id.to_string());
        let failed = state
            .store
            .record_failed_sign_in(
                user_id,
                now,
                policy.lock_after_failures,
                policy.lock_duration,
                failure,
                true,
            )
            .await?;
        if failed == FailedSignIn::Locked {
            let mut res = see_other("/sign-in");
            res.add_cookie(&removal_cookie(state.secure_cookies_for(&req)))
                .map_err(AppError::internal)?;
            return Ok(res);
        }
        errors.add("current_password", "Your current password is not right");
    }
    let new = forms::new_password(
        &mut errors,
        "new_password",
        "confirm_password",
        form.new_password,
        &form.confirm_password,
    );
    let (Some(new), true) = (new, errors.is_empty()) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &account_page(&current, false, errors),
        );
    };
    let hash = password::hash(new).await?;
    let changed = AuditEvent::new(
        now,
        Some(user_id),
        AuditAction::PasswordChanged,
        Outcome::Success,
    )
    .on(user_id.to_string());
    let user = state.store.set_password(user_id, hash, changed).await?;
    // Every session, this one included, was revoked; this browser continues on a new one.
    let (token, _) = state.store.start_session(&user, now, Vec::new()).await?;
    let mut res = see_other("/account?changed=true");
    res.add_cookie(&session_cookie(&token, state.secure_cookies_for(&req)))
        .map_err(AppError::internal)?;
    Ok(res)
}
