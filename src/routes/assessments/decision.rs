//! `POST /assessments/{id}/decision`: a supervisor marks a submitted assessment **Reviewed**
//! (optional comment) or **Return to operator** (required comment). A returned assessment is
//! amended by the operator as a new revision, which joins the review queue again.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::RequireSupervisor;
use crate::domain::assessment::{MAX_NOTE_CHARS, Note, ReviewState};
use crate::domain::{AuditAction, Outcome};
use crate::error::AppError;
use crate::routes::cases::{Access, audit, load_case};
use crate::state::AppState;
use crate::web::see_other;

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: u64,
}

/// `POST /assessments/{id}/decision`.
#[tracing::instrument(skip_all)]
pub async fn decide(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    let raw = id.parse::<u64>().map_err(|_| AppError::NotFound)?;
    let assessment = state
        .store
        .assessment(crate::domain::assessment::AssessmentId::new(raw))?
        .ok_or(AppError::NotFound)?;
    load_case(&state, &current, assessment.case.as_str(), Access::Read).await?;
    if assessment.is_draft() || assessment.superseded_by.is_some() {
        return Err(AppError::Conflict);
    }
    let comment = Note::parse(&form.comment, MAX_NOTE_CHARS);
    let now = state.clock.now();
    let by = current.user.id;
    let (review, action, notice) = match (form.decision.as_str(), comment) {
        ("reviewed", Ok(comment)) => (
            ReviewState::Reviewed {
                by,
                at: now,
                comment,
            },
            AuditAction::AssessmentReviewed,
            "reviewed",
        ),
        ("return", Ok(Some(comment))) => (
            ReviewState::Returned {
                by,
                at: now,
                comment,
            },
            AuditAction::AssessmentReturned,
            "returned",
        ),
        ("return", Ok(None)) => {
            return super::results::with_review_error(
                &state,
                &current,
                &assessment,
                &form.comment,
                "Say what the operator should change",
            )
            .await;
        }
        ("reviewed" | "return", Err(e)) => {
            return super::results::with_review_error(
                &state,
                &current,
                &assessment,
                &form.comment,
                &format!("Comment: {e}"),
            )
            .await;
        }
        _ => {
            return Err(AppError::BadRequest(
                "choose Reviewed or Return to operator",
            ));
        }
    };
    let saved = state
        .store
        .save_assessment(assessment.id, form.version, move |a| {
            a.review = review.clone()
        })
        .await?;
    audit(
        &state,
        &current,
        action,
        Outcome::Success,
        &saved.id.to_string(),
    )
    .await?;
    Ok(see_other(&format!("/review?notice={notice}")))
}
