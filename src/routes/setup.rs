//! First run: while the store has no administrator, `serve` prints a one-time link
//! `/setup/{token}`; opening it lets the person create the first admin account. The token lives only
//! in this server process and dies when used.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::csrf::tokens_match;
use crate::auth::password;
use crate::auth::session::session_cookie;
use crate::domain::{AuditAction, AuditEvent, Outcome, Role};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::StoreError;
use crate::web::forms::{self, FieldErrors};
use crate::web::{PageContext, render_anonymous, see_other};

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    ctx: PageContext,
    token: &'a str,
    username: &'a str,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

/// The token is valid only if it is this run's, unused, and no admin exists yet.
fn check_token(state: &AppState, presented: &str) -> Result<(), AppError> {
    let guard = state
        .setup_token
        .lock()
        .map_err(|_| AppError::internal("setup token lock poisoned"))?;
    match guard.as_deref() {
        Some(token) if tokens_match(token, presented) => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

fn show(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    token: &str,
    username: &str,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    render_anonymous(state, req, "/setup", status, |ctx| SetupPage {
        ctx,
        token,
        username,
        errors,
    })
}

/// `GET /setup/{token}`.
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    check_token(&state, &token)?;
    show(
        &state,
        &req,
        StatusCode::OK,
        &token,
        "",
        FieldErrors::default(),
    )
}

/// `POST /setup/{token}`: creates the first admin and signs them in.
#[tracing::instrument(skip_all)]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<SetupForm>,
) -> Result<HttpResponse, AppError> {
    check_token(&state, &token)?;
    let SetupForm {
        username,
        password: new_password,
        confirm_password,
    } = form.into_inner();
    let mut errors = FieldErrors::default();
    let lang = crate::web::request_lang(&req);
    let name = forms::username(&mut errors, "username", &username, lang);
    let new = forms::new_password(
        &mut errors,
        "password",
        "confirm_password",
        new_password,
        &confirm_password,
        name.as_ref().map_or(username.trim(), |n| n.as_str()),
        crate::web::request_lang(&req),
    );
    let (Some(name), Some(new)) = (name, new) else {
        return show(
            &state,
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &username,
            errors,
        );
    };
    // Take the token before the slow hash so that two racing submissions cannot both succeed.
    {
        let mut guard = state
            .setup_token
            .lock()
            .map_err(|_| AppError::internal("setup token lock poisoned"))?;
        if guard.as_deref().is_none_or(|t| !tokens_match(t, &token)) {
            return Err(AppError::NotFound);
        }
        *guard = None;
    }
    let now = state.clock.now();
    let hash = password::hash(new).await?;
    let first_admin = move |user: &crate::domain::User| {
        AuditEvent::new(
            now,
            Some(user.id),
            AuditAction::FirstAdminCreated,
            Outcome::Success,
        )
        .on(user.id.to_string())
    };
    let created = state
        .store
        .create_user(name, Role::Admin, hash, now, first_admin)
        .await;
    let user = match created {
        Ok(user) => user,
        Err(StoreError::UsernameTaken) => {
            errors.add("username", crate::i18n::t(lang, "error-username-taken"));
            *state
                .setup_token
                .lock()
                .map_err(|_| AppError::internal("setup token lock poisoned"))? =
                Some(token.clone());
            return show(
                &state,
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                &username,
                errors,
            );
        }
        Err(e) => return Err(e.into()),
    };
    let new = crate::store::NewSession {
        stage: crate::store::Stage::SignedIn,
        browser: crate::web::client::browser_family(&req),
    };
    let (session, _) = state
        .store
        .start_session(&user, now, Vec::new(), new)
        .await?;
    // The first administrator sets up two-step sign-in next if the policy asks (it does by
    // default): the guard takes them there.
    let mut res = see_other("/");
    res.add_cookie(&session_cookie(&session, state.secure_cookies_for(&req)))
        .map_err(AppError::internal)?;
    Ok(res)
}
