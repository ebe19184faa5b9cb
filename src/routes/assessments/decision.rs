//! `POST /assessments/{id}/decision`: a supervisor marks a submitted assessment **Reviewed**
//! (optional comment) or **Return to operator** (required comment). A returned assessment is
//! amended by the operator as a new revision, which joins the review queue again.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::load;
use crate::auth::RequireSupervisor;
use crate::domain::assessment::{MAX_NOTE_CHARS, Note, ReviewDecision};
use crate::error::AppError;
use crate::i18n::{t, t_with};
use crate::routes::cases::Access;
use crate::state::AppState;
use crate::web::forms::note_error;
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
    let (assessment, _case) = load(&state, &current, &id, Access::Read).await?;
    if form.version != assessment.version() {
        return Err(AppError::Conflict);
    }
    let decision = match (
        form.decision.as_str(),
        Note::parse(&form.comment, MAX_NOTE_CHARS),
    ) {
        ("reviewed", Ok(comment)) => Ok(ReviewDecision::Reviewed(comment)),
        ("return", Ok(Some(comment))) => Ok(ReviewDecision::Returned(comment)),
        ("return", Ok(None)) => Err(t(current.lang, "review-error-missing")),
        ("reviewed" | "return", Err(e)) => Err(t_with(
            current.lang,
            "review-error-comment",
            &[("problem", note_error(current.lang, &e).into())],
        )),
        _ => {
            return Err(AppError::BadRequest(
                "choose Reviewed or Return to operator",
            ));
        }
    };
    let decision = match decision {
        Ok(decision) => decision,
        Err(message) => {
            return super::results::with_review_error(
                &state,
                &current,
                &assessment,
                &form.comment,
                &message,
            )
            .await;
        }
    };
    let notice = match decision {
        ReviewDecision::Reviewed(_) => "reviewed",
        ReviewDecision::Returned(_) => "returned",
    };
    let transition = assessment.review(decision, current.user.actor(), state.clock.now())?;
    state.store.apply(transition).await?;
    Ok(see_other(&format!("/review?notice={notice}")))
}
