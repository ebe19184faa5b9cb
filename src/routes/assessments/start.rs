//! `POST /cases/{code}/assessments`: starts a draft pinned to the current instrument, or returns to
//! the draft the case already has.

use actix_web::{HttpResponse, web};

use crate::auth::SignedIn;
use crate::domain::assessment::Assessment;
use crate::domain::{AuditAction, CaseStatus, Outcome};
use crate::error::AppError;
use crate::routes::cases::{Access, audit, load_case};
use crate::state::AppState;
use crate::web::see_other;

/// Starts an assessment.
pub async fn start(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Write).await?;
    if let Some(draft) = state
        .store
        .assessments_of(&case.code)?
        .into_iter()
        .find(|a| a.is_draft())
    {
        return Ok(see_other(&format!("/assessments/{}", draft.id)));
    }
    if case.status != CaseStatus::Open {
        return Err(AppError::BadRequest(
            "reopen the case before starting an assessment",
        ));
    }
    let now = state.clock.now();
    let id = state.store.new_assessment_id()?;
    let assessment = Assessment::new_draft(
        id,
        case.code.clone(),
        &state.instrument,
        current.user.id,
        now,
        now.date(),
    );
    state.store.insert_assessment(&assessment, None).await?;
    audit(
        &state,
        &current,
        AuditAction::AssessmentStarted,
        Outcome::Success,
        &id.to_string(),
    )
    .await?;
    Ok(see_other(&format!("/assessments/{id}/context")))
}
