//! Account administration: list, create, disable/enable, reset password, reset two-step sign-in.
//! Disabling and resetting revoke the account's sessions at once.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireAdmin, password};
use crate::domain::{AuditAction, AuditEvent, Outcome, Role, User, UserId};
use crate::error::AppError;
use crate::i18n::{format_date, t};
use crate::state::AppState;
use crate::store::StoreError;
use crate::web::forms::{self, FieldErrors};
use crate::web::{ClientAddr, PageContext, render, see_other};

/// One row of the users table.
struct UserRow {
    user: User,
    sessions: usize,
    locked: bool,
    created: String,
    /// When the second step was set up, if it is.
    two_step_since: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: PageContext,
    rows: Vec<UserRow>,
    me: UserId,
    notice: Option<&'static str>,
    error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewUserPage<'a> {
    ctx: PageContext,
    username: &'a str,
    role: &'a str,
    roles: [Role; 3],
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "admin/user_password.html")]
struct ResetPage {
    ctx: PageContext,
    user: User,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct ListQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "created" => Some("users-notice-created"),
        "disabled" => Some("users-notice-disabled"),
        "enabled" => Some("users-notice-enabled"),
        "reset" => Some("users-notice-reset"),
        "two-step-reset" => Some("users-notice-two-step-reset"),
        _ => None,
    }
}

fn users_page(
    state: &AppState,
    current: &CurrentUser,
    notice: Option<&'static str>,
    error: Option<&'static str>,
) -> Result<UsersPage, AppError> {
    let now = state.clock.now();
    let rows = state
        .store
        .users()?
        .into_iter()
        .map(|user| {
            Ok(UserRow {
                sessions: state.store.session_count(user.id)?,
                locked: user.is_locked(now),
                created: format_date(current.lang, user.created_at.date()),
                two_step_since: user
                    .two_step
                    .as_ref()
                    .map(|t| format_date(current.lang, t.enrolled_at.date()))
                    .unwrap_or_default(),
                user,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(UsersPage {
        ctx: PageContext::signed_in(current, "/admin/users"),
        rows,
        me: current.user.id,
        notice,
        error,
    })
}

/// `GET /admin/users`.
pub async fn list(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &users_page(&state, &current, notice_text(query.notice.as_deref()), None)?,
    )
}

/// `GET /admin/users/new`.
pub async fn new_form(RequireAdmin(current): RequireAdmin) -> Result<HttpResponse, AppError> {
    let page = NewUserPage {
        ctx: PageContext::signed_in(&current, "/admin/users"),
        username: "",
        role: "",
        roles: Role::ALL,
        errors: FieldErrors::default(),
    };
    render(StatusCode::OK, &page)
}

/// The audit entry of an account change made by `actor` to `target`.
fn event(state: &AppState, actor: &CurrentUser, action: AuditAction, target: UserId) -> AuditEvent {
    AuditEvent::new(
        state.clock.now(),
        Some(actor.user.id),
        action,
        Outcome::Success,
    )
    .on(target.to_string())
}

/// `POST /admin/users`.
#[tracing::instrument(skip_all)]
pub async fn create(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    form: web::Form<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    let NewUserForm {
        username,
        role,
        password: new_password,
        confirm_password,
    } = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = forms::username(&mut errors, "username", &username, current.lang);
    let parsed_role = role
        .parse::<Role>()
        .map_err(|_| errors.add("role", t(current.lang, "users-error-role")))
        .ok();
    let new = forms::new_password(
        &mut errors,
        "password",
        "confirm_password",
        new_password,
        &confirm_password,
        name.as_ref().map_or(username.trim(), |n| n.as_str()),
        current.lang,
    );
    let show = |errors: FieldErrors| {
        let page = NewUserPage {
            ctx: PageContext::signed_in(&current, "/admin/users"),
            username: &username,
            role: &role,
            roles: Role::ALL,
            errors,
        };
        render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let (Some(name), Some(parsed_role), Some(new)) = (name, parsed_role, new) else {
        return show(errors);
    };
    if state.store.user_by_username(&name)?.is_some() {
        errors.add(
            "username",
            crate::i18n::t(current.lang, "error-username-taken"),
        );
        return show(errors);
    }
    let hash = password::hash(new).await?;
    let (now, by) = (state.clock.now(), current.user.id);
    let created = state
        .store
        .create_user(name, parsed_role, hash, now, move |user| {
            AuditEvent::new(now, Some(by), AuditAction::UserCreated, Outcome::Success)
                .on(user.id.to_string())
        })
        .await;
    match created {
        Ok(_) => {}
        Err(StoreError::UsernameTaken) => {
            errors.add(
                "username",
                crate::i18n::t(current.lang, "error-username-taken"),
            );
            return show(errors);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(see_other("/admin/users?notice=created"))
}

/// The users page again, saying why an action on one's own account was refused.
fn refuse_own(
    state: &AppState,
    current: &CurrentUser,
    why: &'static str,
) -> Result<HttpResponse, AppError> {
    let page = users_page(state, current, None, Some(why))?;
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

fn target_user(state: &AppState, id: u64) -> Result<User, AppError> {
    state.store.user(UserId::new(id))?.ok_or(AppError::NotFound)
}

/// `POST /admin/users/{id}/disable`.
pub async fn disable(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    id: web::Path<u64>,
) -> Result<HttpResponse, AppError> {
    let target = target_user(&state, *id)?;
    if target.id == current.user.id {
        return refuse_own(&state, &current, "users-own-account");
    }
    let audit = event(&state, &current, AuditAction::UserDisabled, target.id);
    state.store.set_disabled(target.id, true, audit).await?;
    Ok(see_other("/admin/users?notice=disabled"))
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    id: web::Path<u64>,
) -> Result<HttpResponse, AppError> {
    let target = target_user(&state, *id)?;
    let audit = event(&state, &current, AuditAction::UserEnabled, target.id);
    state.store.set_disabled(target.id, false, audit).await?;
    Ok(see_other("/admin/users?notice=enabled"))
}

/// `POST /admin/users/{id}/two-step/reset`: for a user who lost their phone and recovery codes.
pub async fn reset_two_step(
    RequireAdmin(current): RequireAdmin,
    ClientAddr(ip): ClientAddr,
    state: web::Data<AppState>,
    id: web::Path<u64>,
) -> Result<HttpResponse, AppError> {
    let target = target_user(&state, *id)?;
    if target.id == current.user.id {
        return refuse_own(&state, &current, "users-own-two-step");
    }
    let audit = event(&state, &current, AuditAction::TwoStepReset, target.id)
        .from_address(state.audit_address(ip));
    state.store.reset_two_step(target.id, audit).await?;
    Ok(see_other("/admin/users?notice=two-step-reset"))
}

/// `GET /admin/users/{id}/password`.
pub async fn reset_form(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    id: web::Path<u64>,
) -> Result<HttpResponse, AppError> {
    let user = target_user(&state, *id)?;
    let page = ResetPage {
        ctx: PageContext::signed_in(&current, "/admin/users"),
        user,
        errors: FieldErrors::default(),
    };
    render(StatusCode::OK, &page)
}

/// `POST /admin/users/{id}/password`.
#[tracing::instrument(skip_all)]
pub async fn reset(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    id: web::Path<u64>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let user = target_user(&state, *id)?;
    let ResetForm {
        password: new_password,
        confirm_password,
    } = form.into_inner();
    let mut errors = FieldErrors::default();
    let Some(new) = forms::new_password(
        &mut errors,
        "password",
        "confirm_password",
        new_password,
        &confirm_password,
        user.username.as_str(),
        current.lang,
    ) else {
        let page = ResetPage {
            ctx: PageContext::signed_in(&current, "/admin/users"),
            user,
            errors,
        };
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let hash = password::hash(new).await?;
    let audit = event(&state, &current, AuditAction::PasswordReset, user.id);
    state.store.set_password(user.id, hash, vec![audit]).await?;
    if user.id == current.user.id {
        // Resetting one's own password here revokes this session too.
        return Ok(see_other("/sign-in"));
    }
    Ok(see_other("/admin/users?notice=reset"))
}
