//! `POST /cases/{code}/assessments`: starts a draft pinned to the current instrument, or returns to
//! the draft the case already has.

use actix_web::{HttpResponse, web};

use crate::auth::SignedIn;
use crate::domain::assessment::{Assessment, LifecycleError};
use crate::error::AppError;
use crate::routes::cases::{Access, load_case};
use crate::state::AppState;
use crate::web::see_other;

/// Starts an assessment.
pub async fn start(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Write).await?;
    let existing = state.store.assessments_of(&case.code)?;
    let id = state.store.new_assessment_id()?;
    let started = Assessment::start(
        id,
        &case,
        &existing,
        &state.instrument,
        current.user.actor(),
        state.clock.now(),
    );
    match started {
        Ok(transition) => {
            let draft = state.store.apply(transition).await?;
            Ok(see_other(&format!("/assessments/{}/context", draft.id())))
        }
        Err(LifecycleError::DraftExists(draft)) => Ok(see_other(&format!("/assessments/{draft}"))),
        Err(LifecycleError::CaseClosed) => Err(AppError::BadRequest(
            "reopen the case before starting an assessment",
        )),
        Err(other) => Err(other.into()),
    }
}
