//! The guided assessment: start it on a case, go through the steps (context, the three levels,
//! results and action plan), save drafts that resume where they were, submit and lock it, amend it
//! as a new revision, and keep its action plan up to date.

mod decision;
mod results;
mod start;
mod steps;
mod submit;
mod summary;

pub(crate) use start::start;

use actix_web::web;

use super::resource::page;

use super::cases::{Access, load_case};
use crate::auth::CurrentUser;
use crate::domain::Case;
use crate::domain::assessment::{Assessment, AssessmentId};
use crate::domain::scoring::{Problem, ProblemKind};
use crate::error::AppError;
use crate::i18n::{Lang, t, t_with};
use crate::instrument::Instrument;
use crate::state::AppState;

/// What a submission problem says, in `lang`.
fn problem_text(lang: Lang, problem: &Problem) -> String {
    match &problem.kind {
        ProblemKind::NoStage => t(lang, "problem-no-stage"),
        ProblemKind::StepNotSaved => t_with(
            lang,
            "problem-step-not-saved",
            &[("step", t(lang, problem.step.message_id()).into())],
        ),
        ProblemKind::NoDirection(title) => t_with(
            lang,
            "problem-no-direction",
            &[("factor", title.as_str().into())],
        ),
    }
}

/// Registers the assessment routes: one static prefix, one `{id}` segment, then the fixed
/// pages before the step (`start` is under the case routes).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/assessments").service(
            web::scope("/{id}")
                .service(page("").get(results::show))
                .service(page("/submit").get(submit::check).post(submit::submit))
                .service(page("/amend").post(results::amend))
                .service(page("/actions").post(results::update_actions))
                .service(page("/summary").get(summary::download))
                .service(page("/decision").post(decision::decide))
                .service(page("/{step}").get(steps::show).post(steps::save)),
        ),
    );
}

/// Loads an assessment and its case, if `current` may read (or change) the case.
async fn load(
    state: &AppState,
    current: &CurrentUser,
    raw_id: &str,
    access: Access,
) -> Result<(Assessment, Case), AppError> {
    let id = raw_id.parse::<u64>().map_err(|_| AppError::NotFound)?;
    let assessment = state
        .store
        .assessment(AssessmentId::new(id))?
        .ok_or(AppError::NotFound)?;
    let case = load_case(state, current, assessment.case().as_str(), access).await?;
    Ok((assessment, case))
}

/// The checklist version an assessment was made with: it keeps its texts and scores when a newer
/// version is active. One this build does not carry is refused rather than scored against the
/// wrong checklist.
fn instrument_of<'a>(
    state: &'a AppState,
    assessment: &Assessment,
    lang: Lang,
) -> Result<&'a Instrument, AppError> {
    state
        .instruments
        .find_in(
            assessment.instrument_id(),
            assessment.instrument_version(),
            lang,
        )
        .map(|i| i.as_ref())
        .ok_or_else(|| {
            AppError::internal(format!(
                "assessment {} uses instrument {} {}, which this build does not carry",
                assessment.id(),
                assessment.instrument_id(),
                assessment.instrument_version()
            ))
        })
}
