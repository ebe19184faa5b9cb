//! Step 6: submitting. The checks run again on the server; problems are listed at the top, each
//! linking to the field on its step. A submitted assessment is locked.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::steps::StepFrame;
use super::{instrument_of, load, problem_text};
use crate::auth::{CurrentUser, SignedIn};
use crate::domain::Case;
use crate::domain::assessment::{Assessment, LifecycleError};
use crate::domain::scoring::{Problem, submission_problems};
use crate::error::AppError;
use crate::routes::cases::Access;
use crate::state::AppState;
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "assessments/submit.html")]
struct SubmitPage {
    ctx: PageContext,
    frame: StepFrame,
    /// Each problem with what it says.
    problems: Vec<(Problem, String)>,
    /// Whether the problems come from a refused submission (rather than the preview).
    refused: bool,
}

#[derive(Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    version: u64,
}

fn page(
    state: &AppState,
    current: &CurrentUser,
    assessment: &Assessment,
    case: &Case,
    refused: bool,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let problems = submission_problems(instrument_of(state, assessment, current.lang)?, assessment)
        .into_iter()
        .map(|p| {
            let text = problem_text(current.lang, &p);
            (p, text)
        })
        .collect();
    let frame = StepFrame::new_submit(assessment, case);
    let path = format!("/assessments/{}/submit", assessment.id());
    render(
        status,
        &SubmitPage {
            ctx: PageContext::signed_in(current, &path),
            frame,
            problems,
            refused,
        },
    )
}

/// `GET /assessments/{id}/submit`: what is still missing, and the Submit button.
pub async fn check(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (assessment, case) = load(&state, &current, &id, Access::Write).await?;
    if !assessment.is_draft() {
        return Ok(see_other(&format!("/assessments/{}", assessment.id())));
    }
    page(&state, &current, &assessment, &case, false, StatusCode::OK)
}

/// `POST /assessments/{id}/submit`.
#[tracing::instrument(skip_all)]
pub async fn submit(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let (assessment, case) = load(&state, &current, &id, Access::Write).await?;
    if form.version != assessment.version() {
        return Err(AppError::Conflict);
    }
    let instrument = instrument_of(&state, &assessment, current.lang)?;
    match assessment.submit(instrument, current.user.actor(), state.clock.now()) {
        Ok(transition) => {
            let submitted = state.store.apply(transition).await?;
            Ok(see_other(&format!("/assessments/{}", submitted.id())))
        }
        Err(LifecycleError::Incomplete(_)) => page(
            &state,
            &current,
            &assessment,
            &case,
            true,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(refused) => Err(refused.into()),
    }
}
