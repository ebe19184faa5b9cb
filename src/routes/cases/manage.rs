//! Closing, reopening and sharing a case.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{Access, event, load_case};
use crate::auth::{RequireSupervisor, SignedIn};
use crate::domain::case::ClosingReason;
use crate::domain::{AuditAction, CaseStatus, Choice, Username};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::see_other;

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    username: String,
}

/// `POST /cases/{code}/close`.
pub async fn close(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<CloseForm>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Write).await?;
    let reason = ClosingReason::from_id(&form.reason)
        .ok_or(AppError::BadRequest("choose a reason for closing"))?;
    let at: OffsetDateTime = state.clock.now();
    let audit = event(
        &state,
        &current,
        AuditAction::CaseClosed,
        case.code.as_str(),
    );
    state
        .store
        .update_case(
            &case.code,
            move |c| c.status = CaseStatus::Closed { reason, at },
            audit,
        )
        .await?;
    Ok(see_other(&format!(
        "/cases/{}?notice=closed",
        case.code.as_str()
    )))
}

/// `POST /cases/{code}/reopen`.
pub async fn reopen(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Write).await?;
    let audit = event(
        &state,
        &current,
        AuditAction::CaseReopened,
        case.code.as_str(),
    );
    state
        .store
        .update_case(&case.code, |c| c.status = CaseStatus::Open, audit)
        .await?;
    Ok(see_other(&format!(
        "/cases/{}?notice=reopened",
        case.code.as_str()
    )))
}

/// `POST /cases/{code}/share`: supervisors and admins let another user work on the case.
pub async fn share(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<ShareForm>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Read).await?;
    let name = Username::parse(&form.username)
        .map_err(|_| AppError::BadRequest("choose a user to share with"))?;
    let user = state
        .store
        .user_by_username(&name)?
        .filter(|u| !u.disabled)
        .ok_or(AppError::BadRequest("choose a user to share with"))?;
    let target = format!("{} with user {}", case.code.as_str(), user.id);
    let audit = event(&state, &current, AuditAction::CaseShared, &target);
    state
        .store
        .update_case(
            &case.code,
            move |c| {
                if c.created_by != user.id && !c.shared_with.contains(&user.id) {
                    c.shared_with.push(user.id);
                }
            },
            audit,
        )
        .await?;
    Ok(see_other(&format!(
        "/cases/{}?notice=shared",
        case.code.as_str()
    )))
}
