//! Signing in and out.

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::session::{removal_cookie, session_cookie};
use crate::auth::{CurrentUser, SignInError, SignedIn, sign_in};
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{PageContext, render_anonymous, see_other};

/// The one message for every failed sign-in, so it reveals nothing about the account.
pub const FAILED_MESSAGE: &str = "The username or password is not right, or the account is locked or disabled. \
     After 6 failed attempts an account is locked for 30 minutes.";
const THROTTLED_MESSAGE: &str =
    "Too many failed sign-ins from this network. Wait 15 minutes and try again.";

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    ctx: PageContext,
    username: &'a str,
    next: &'a str,
    error: Option<&'a str>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only same-site paths are followed after sign-in (no open redirect).
fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if ok { next } else { "/" }
}

fn show(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    username: &str,
    next: &str,
    error: Option<&str>,
) -> Result<HttpResponse, AppError> {
    render_anonymous(state, req, "/sign-in", status, |ctx| SignInPage {
        ctx,
        username,
        next: safe_next(next),
        error,
    })
}

/// `GET /sign-in`.
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if req.extensions().get::<CurrentUser>().is_some() {
        return Ok(see_other("/"));
    }
    show(
        &state,
        &req,
        StatusCode::OK,
        "",
        query.next.as_deref().unwrap_or("/"),
        None,
    )
}

/// `POST /sign-in`.
#[tracing::instrument(skip_all)]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let SignInForm {
        username,
        password,
        next,
    } = form.into_inner();
    let ip = crate::web::client_ip(req.peer_addr());
    match sign_in(&state, ip, &username, password).await {
        Ok((token, _user)) => {
            let secure = state.secure_cookies_for(&req);
            let mut res = see_other(safe_next(&next));
            res.add_cookie(&session_cookie(&token, secure))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        Err(SignInError::Failed) => show(
            &state,
            &req,
            StatusCode::UNAUTHORIZED,
            &username,
            &next,
            Some(FAILED_MESSAGE),
        ),
        Err(SignInError::Throttled) => show(
            &state,
            &req,
            StatusCode::TOO_MANY_REQUESTS,
            &username,
            &next,
            Some(THROTTLED_MESSAGE),
        ),
        Err(SignInError::App(e)) => Err(e),
    }
}

/// `POST /sign-out`: ends this session at once.
pub async fn sign_out(
    req: HttpRequest,
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let event = AuditEvent::new(
        state.clock.now(),
        Some(current.user.id),
        AuditAction::SignOut,
        Outcome::Success,
    );
    state
        .store
        .delete_session(&current.token, Some(event))
        .await?;
    let secure = state.secure_cookies_for(&req);
    let mut res = see_other("/sign-in");
    res.add_cookie(&removal_cookie(secure))
        .map_err(AppError::internal)?;
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/admin/users"), "/admin/users");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/a\nb"), "/");
    }
}
