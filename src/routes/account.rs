//! The Account page: who you are, your authenticator app, your sessions (sign out the others), and
//! changing your password (which signs out the others unless you untick it).

mod sessions;
mod two_step;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::auth::session::{removal_cookie, session_cookie};
use crate::auth::{CurrentUser, SignedIn, password};
use crate::domain::{AuditAction, AuditEvent, Outcome, Role};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::users::FailedSignIn;
use crate::store::{NewSession, Stage};
use crate::web::forms::{self, FieldErrors};
use crate::web::{ClientAddr, PageContext, render, see_other};

pub use sessions::end_others;
pub use two_step::{confirm as confirm_two_step, page as two_step_page, start as start_two_step};

/// A session in the user's list.
struct SessionRow {
    started: OffsetDateTime,
    last_seen: OffsetDateTime,
    browser: Option<String>,
    this_one: bool,
}

#[derive(Template)]
#[template(path = "account/page.html")]
struct AccountPage {
    ctx: PageContext,
    username: String,
    role: Role,
    /// The user's own language ("" for the organisation's), the organisation's, and the choices.
    language: String,
    org_language: Lang,
    languages: [Lang; 4],
    /// "password" after a change; "sessions" after signing out the others (with `ended`).
    done: String,
    ended: usize,
    two_step_since: Option<OffsetDateTime>,
    recovery_left: usize,
    two_step_required: bool,
    sessions: Vec<SessionRow>,
    /// Whether "sign out my other sessions" is ticked on the password form.
    end_others: bool,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    done: String,
    #[serde(default)]
    ended: usize,
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    /// "yes" when ticked (the default).
    #[serde(default)]
    end_other_sessions: String,
}

fn account_page(
    state: &AppState,
    current: &CurrentUser,
    errors: FieldErrors,
    end_others: bool,
) -> Result<AccountPage, AppError> {
    let this = current.token.key();
    let sessions = state
        .store
        .sessions_of(current.user.id)?
        .into_iter()
        .filter(|(_, s)| s.stage == Stage::SignedIn)
        .map(|(key, s)| SessionRow {
            started: s.created_at,
            last_seen: s.last_seen,
            browser: s.browser,
            this_one: key == this,
        })
        .collect();
    let two_step = current.user.two_step.as_ref();
    let settings = state.store.settings()?;
    Ok(AccountPage {
        ctx: PageContext::signed_in(current, "/account"),
        username: current.user.username.to_string(),
        role: current.user.role,
        language: current
            .user
            .language
            .map_or_else(String::new, |l| l.tag().to_owned()),
        org_language: settings.language,
        languages: Lang::PAGES,
        done: String::new(),
        ended: 0,
        two_step_since: two_step.map(|t| t.enrolled_at),
        recovery_left: two_step.map_or(0, |t| t.recovery.len()),
        two_step_required: settings.two_step.requires(current.user.role),
        sessions,
        end_others,
        errors,
    })
}

/// `GET /account`.
pub async fn page(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    let mut shown = account_page(&state, &current, FieldErrors::default(), true)?;
    shown.done = query.done.chars().take(20).collect();
    shown.ended = query.ended;
    render(StatusCode::OK, &shown)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// `POST /account/language`: the language of the user's pages ("" for the organisation's).
pub async fn set_language(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let language = match form.language.as_str() {
        "" => None,
        tag => Some(
            Lang::from_tag(tag)
                .filter(|l| Lang::PAGES.contains(l))
                .ok_or(AppError::BadRequest("that language is not offered"))?,
        ),
    };
    state.store.set_language(current.user.id, language).await?;
    Ok(see_other("/account?done=language"))
}

/// `POST /account/password`.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    req: HttpRequest,
    SignedIn(current): SignedIn,
    ClientAddr(ip): ClientAddr,
    state: web::Data<AppState>,
    form: web::Form<ChangePasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let now = state.clock.now();
    let policy = &state.policy;
    if state.throttle.is_blocked(ip, now, policy) {
        return Err(AppError::TooManyRequests);
    }
    let end_others = form.end_other_sessions == "yes";
    let mut errors = FieldErrors::default();
    let user_id = current.user.id;
    let address = state.audit_address(ip);
    let event = |action, outcome| {
        AuditEvent::new(now, Some(user_id), action, outcome)
            .on(user_id.to_string())
            .from_address(address.clone())
    };
    let current_ok =
        password::verify(form.current_password, current.user.password_hash.clone()).await?;
    if !current_ok {
        // Counted like a failed sign-in, so a stolen session cannot guess the password: at the
        // limit the account locks and every session of it ends, this one included.
        state.throttle.record_failure(ip, now);
        let failed = state
            .store
            .record_failed_sign_in(
                user_id,
                now,
                policy.lock_after_failures,
                policy.lock_duration,
                event(AuditAction::PasswordChanged, Outcome::Failure),
                true,
            )
            .await?;
        if failed == FailedSignIn::Locked {
            let mut res = see_other("/sign-in");
            res.add_cookie(&removal_cookie(state.secure_cookies_for(&req)))
                .map_err(AppError::internal)?;
            return Ok(res);
        }
        errors.add(
            "current_password",
            crate::i18n::t(current.lang, "error-current-password"),
        );
    }
    let new = forms::new_password(
        &mut errors,
        "new_password",
        "confirm_password",
        form.new_password,
        &form.confirm_password,
        current.user.username.as_str(),
        current.lang,
    );
    let (Some(new), true) = (new, errors.is_empty()) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &account_page(&state, &current, errors, end_others)?,
        );
    };
    let hash = password::hash(new).await?;
    let changed = event(AuditAction::PasswordChanged, Outcome::Success);
    if !end_others {
        state
            .store
            .set_password_keeping_sessions(user_id, hash, changed)
            .await?;
        return Ok(see_other("/account?done=password"));
    }
    let ended = event(AuditAction::OtherSessionsEnded, Outcome::Success)
        .with_detail("with a password change");
    let user = state
        .store
        .set_password(user_id, hash, vec![changed, ended])
        .await?;
    // Every session, this one included, was revoked; this browser continues on a new one.
    let new = NewSession {
        stage: Stage::SignedIn,
        browser: current.session.browser.clone(),
    };
    let (token, _) = state
        .store
        .start_session(&user, now, Vec::new(), new)
        .await?;
    let mut res = see_other("/account?done=password-others");
    res.add_cookie(&session_cookie(&token, state.secure_cookies_for(&req)))
        .map_err(AppError::internal)?;
    Ok(res)
}
