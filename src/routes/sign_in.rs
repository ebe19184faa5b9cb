//! Signing in (the password, then the code of an authenticator app when the account has one) and
//! signing out.

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::session::{PendingSignIn, removal_cookie, session_cookie};
use crate::auth::{CurrentUser, PasswordStep, SignInError, SignedIn, sign_in};
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::SecondStep;
use crate::store::two_step::Attempt;
use crate::web::guard::{CODE_PAGE, ENROL_PAGE};
use crate::web::{ClientAddr, PageContext, render, render_anonymous, see_other};

/// The one message for every failed sign-in, so it reveals nothing about the account (an id of
/// `i18n`, as are the others here).
const FAILED_MESSAGE: &str = "sign-in-failed";
const THROTTLED_MESSAGE: &str = "sign-in-throttled";

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
    ClientAddr(ip): ClientAddr,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let SignInForm {
        username,
        password,
        next,
    } = form.into_inner();
    let browser = crate::web::client::browser_family(&req);
    let secure = state.secure_cookies_for(&req);
    match sign_in(&state, ip, browser, &username, password).await {
        Ok(PasswordStep::SignedIn(token, user)) => {
            let must_enrol = state.store.settings()?.two_step.requires(user.role);
            let to = if must_enrol {
                ENROL_PAGE
            } else {
                safe_next(&next)
            };
            let mut res = see_other(to);
            res.add_cookie(&session_cookie(&token, secure))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        Ok(PasswordStep::CodeNext(token)) => {
            let next = percent_encoding::utf8_percent_encode(
                safe_next(&next),
                percent_encoding::NON_ALPHANUMERIC,
            );
            let mut res = see_other(&format!("{CODE_PAGE}?next={next}"));
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

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage<'a> {
    ctx: PageContext,
    next: &'a str,
    /// The id of the message saying why the code was refused, and the message.
    error: Option<&'a str>,
    error_text: Option<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

const WRONG_CODE: &str = "code-wrong";
const REPLAYED_CODE: &str = "code-replayed";

fn show_code(
    pending: &PendingSignIn,
    lang: crate::i18n::Lang,
    state: &AppState,
    status: StatusCode,
    next: &str,
    error: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageContext::anonymous(
        pending.session.csrf_token.clone(),
        CODE_PAGE,
        state.demo,
        !state.store.can_write(),
        lang,
    );
    let error_text = error.map(|id| ctx.t(id).into_owned());
    render(
        status,
        &CodePage {
            ctx,
            next: safe_next(next),
            error,
            error_text,
        },
    )
}

/// The sign-in waiting for its code, if this request has one.
fn pending_of(req: &HttpRequest) -> Option<PendingSignIn> {
    req.extensions().get::<PendingSignIn>().cloned()
}

/// `GET /sign-in/code`: the second step.
pub async fn code_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(pending) = pending_of(&req) else {
        return Ok(see_other("/sign-in"));
    };
    let next = query.next.as_deref().unwrap_or("/");
    show_code(
        &pending,
        crate::web::request_lang(&req),
        &state,
        StatusCode::OK,
        next,
        None,
    )
}

/// `POST /sign-in/code`.
#[tracing::instrument(skip_all)]
pub async fn code_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientAddr(ip): ClientAddr,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(pending) = pending_of(&req) else {
        return Ok(see_other("/sign-in"));
    };
    let CodeForm { code, next } = form.into_inner();
    let now = state.clock.now();
    let secure = state.secure_cookies_for(&req);
    if state.throttle.is_blocked(ip, now, &state.policy) {
        state.refusals.count(
            ip,
            AuditAction::SecondStep,
            "/sign-in/code (address throttled)",
            now,
        );
        return show_code(
            &pending,
            crate::web::request_lang(&req),
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            Some(THROTTLED_MESSAGE),
        );
    }
    let attempt = Attempt {
        pending: pending.token.clone(),
        code,
        now,
        lock_after: state.policy.lock_after_failures,
        lock_for: state.policy.lock_duration,
        address: Some(state.audit_address(ip)),
    };
    match state.store.second_step(attempt).await? {
        SecondStep::SignedIn { token, .. } => {
            let mut res = see_other(safe_next(&next));
            res.add_cookie(&session_cookie(&token, secure))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        SecondStep::Refused { locked: true, .. } => {
            state.throttle.record_failure(ip, now);
            let mut res = show(
                &state,
                &req,
                StatusCode::UNAUTHORIZED,
                pending.user.username.as_str(),
                &next,
                Some(FAILED_MESSAGE),
            )?;
            res.add_cookie(&removal_cookie(secure))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        SecondStep::Refused { replayed, .. } => {
            state.throttle.record_failure(ip, now);
            let message = if replayed { REPLAYED_CODE } else { WRONG_CODE };
            show_code(
                &pending,
                crate::web::request_lang(&req),
                &state,
                StatusCode::UNAUTHORIZED,
                &next,
                Some(message),
            )
        }
    }
}

/// `POST /sign-out`: ends this session at once.
pub async fn sign_out(
    req: HttpRequest,
    SignedIn(current): SignedIn,
    ClientAddr(ip): ClientAddr,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let event = AuditEvent::new(
        state.clock.now(),
        Some(current.user.id),
        AuditAction::SignOut,
        Outcome::Success,
    )
    .from_address(state.audit_address(ip));
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
