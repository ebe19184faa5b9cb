//! `GET/POST /assessments/{id}/{step}`: one page per step. Saving checks the draft's version, so a
//! save made from a page that is out of date (another tab, a colleague) is refused and both versions
//! are shown; nothing is overwritten silently. Nothing is stored when any field is wrong.

mod context;
mod level;
mod review;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{instrument_of, load, problem_text};
use crate::auth::{CurrentUser, SignedIn};
use crate::domain::Case;
use crate::domain::assessment::{Assessment, Step, StepAnswers};
use crate::domain::scoring::submission_problems;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::cases::Access;
use crate::state::AppState;
use crate::store::StoreError;
use crate::web::forms::FieldErrors;
use crate::web::see_other;

/// A link in the step navigation.
pub struct StepNav {
    pub slug: &'static str,
    /// The message id of its title.
    pub title: &'static str,
    pub number: usize,
    pub current: bool,
    pub saved: bool,
}

/// What every step page shows around its form.
pub struct StepFrame {
    pub assessment_id: String,
    pub case_code: String,
    pub case_key: String,
    pub step: Step,
    pub steps: Vec<StepNav>,
    pub version: u64,
    /// Set when the save was refused because the draft changed elsewhere.
    pub conflict: bool,
    pub revision: u32,
}

impl StepFrame {
    pub fn new(
        assessment: &Assessment,
        case: &Case,
        step: Step,
        version: u64,
        conflict: bool,
    ) -> Self {
        Self {
            assessment_id: assessment.id().to_string(),
            case_code: case.code.to_string(),
            case_key: case.code.as_str().to_owned(),
            step,
            steps: Step::ALL
                .into_iter()
                .map(|s| StepNav {
                    slug: s.slug(),
                    title: s.message_id(),
                    number: s.number(),
                    current: s == step,
                    saved: assessment.saved_steps().contains(&s),
                })
                .collect(),
            version,
            conflict,
            revision: assessment.revision(),
        }
    }

    /// The frame of the submit page, the last step.
    pub fn new_submit(assessment: &Assessment, case: &Case) -> Self {
        let mut frame = Self::new(assessment, case, Step::Review, assessment.version(), false);
        for nav in &mut frame.steps {
            nav.current = false;
        }
        frame
    }

    /// Whether this frame is the submit page.
    pub fn is_submit(&self) -> bool {
        self.steps.iter().all(|s| !s.current)
    }

    /// The step's position and the number of steps, e.g. (3, 6).
    pub fn position(&self) -> ((&'static str, usize), (&'static str, usize)) {
        let total = Step::ALL.len() + 1;
        let n = if self.is_submit() {
            total
        } else {
            self.step.number()
        };
        (("n", n), ("total", total))
    }

    /// The revision number, for messages.
    pub fn revision_number(&self) -> usize {
        usize::try_from(self.revision).unwrap_or(usize::MAX)
    }
}

/// The form as posted: every field by name (later duplicates win).
pub type Fields = HashMap<String, String>;

fn fields(form: Vec<(String, String)>) -> Fields {
    form.into_iter().collect()
}

#[derive(Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    check: bool,
}

fn step_of(raw: &str) -> Result<Step, AppError> {
    Step::from_slug(raw).ok_or(AppError::NotFound)
}

/// Problems the submit check found on this step, as inline errors (shown after "Submit" sent the
/// user here).
fn check_errors(
    state: &AppState,
    assessment: &Assessment,
    step: Step,
    lang: Lang,
) -> Result<FieldErrors, AppError> {
    let mut errors = FieldErrors::default();
    for p in submission_problems(instrument_of(state, assessment, lang)?, assessment) {
        if p.step == step {
            errors.add(p.anchor.clone(), problem_text(lang, &p));
        }
    }
    Ok(errors)
}

/// `GET /assessments/{id}/{step}`.
pub async fn show(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: web::Query<CheckQuery>,
) -> Result<HttpResponse, AppError> {
    let (raw_id, raw_step) = path.into_inner();
    let step = step_of(&raw_step)?;
    let (assessment, case) = load(&state, &current, &raw_id, Access::Write).await?;
    if !assessment.is_draft() {
        return Ok(see_other(&format!("/assessments/{}", assessment.id())));
    }
    let errors = if query.check {
        check_errors(&state, &assessment, step, current.lang)?
    } else {
        FieldErrors::default()
    };
    let frame = StepFrame::new(&assessment, &case, step, assessment.version(), false);
    render_step(
        &state,
        &current,
        frame,
        &assessment,
        None,
        errors,
        StatusCode::OK,
    )
}

/// The latest submitted assessment of the same case from an earlier series, to show beside each
/// factor what was found last time.
fn previous_of(
    state: &AppState,
    assessment: &Assessment,
) -> Result<Option<std::sync::Arc<Assessment>>, AppError> {
    Ok(state
        .store
        .assessments_of_shared(assessment.case())?
        .iter()
        .filter(|a| a.is_current_submission() && a.series() != assessment.series())
        .max_by_key(|a| (a.context().date, a.id()))
        .cloned())
}

/// Renders a step from the stored draft, or from what the user posted (`posted`), with errors.
fn render_step(
    state: &AppState,
    current: &CurrentUser,
    frame: StepFrame,
    assessment: &Assessment,
    posted: Option<&Fields>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let instrument = instrument_of(state, assessment, current.lang)?;
    match frame.step {
        Step::Context => context::render(
            current, instrument, frame, assessment, posted, errors, status,
        ),
        Step::Review => review::render(
            current, instrument, frame, assessment, posted, errors, status,
        ),
        level_step => {
            let level = level_step.level().ok_or(AppError::NotFound)?;
            let previous = previous_of(state, assessment)?;
            let input = level::Input {
                assessment,
                previous: previous.as_deref(),
                posted,
            };
            let kept = level::Kept {
                instrument,
                rendered: &state.rendered,
            };
            level::render(current, kept, level, frame, input, errors, status)
        }
    }
}

/// `POST /assessments/{id}/{step}`: "Save and continue" (`action=continue`) or "Save draft"
/// (`action=draft`).
#[tracing::instrument(skip_all)]
pub async fn save(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (raw_id, raw_step) = path.into_inner();
    let step = step_of(&raw_step)?;
    let (assessment, case) = load(&state, &current, &raw_id, Access::Write).await?;
    if !assessment.is_draft() {
        return Err(AppError::Conflict);
    }
    let posted = fields(form.into_inner());
    let version = posted
        .get("version")
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or(AppError::BadRequest("the form is incomplete"))?;
    let go_on = posted.get("action").map(String::as_str) != Some("draft");
    let instrument = instrument_of(&state, &assessment, current.lang)?;
    let now = state.clock.now();

    let mut errors = FieldErrors::default();
    let answers = match step {
        Step::Context => {
            context::parse(&posted, now, &mut errors, current.lang).map(StepAnswers::Context)
        }
        Step::Review => review::parse(instrument, &assessment, &posted, &mut errors, current.lang)
            .map(StepAnswers::Plan),
        level_step => {
            let level = level_step.level().ok_or(AppError::NotFound)?;
            level::parse(instrument, level, &posted, &mut errors, current.lang)
                .map(StepAnswers::Level)
        }
    };
    let Some(answers) = answers.filter(|_| errors.is_empty()) else {
        let frame = StepFrame::new(&assessment, &case, step, version, false);
        return render_step(
            &state,
            &current,
            frame,
            &assessment,
            Some(&posted),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    if version != assessment.version() {
        // The page was read before the latest save (another tab, a colleague).
        return show_conflict(&state, &current, &case, &assessment, step, &posted);
    }
    let transition = assessment.apply(answers, go_on, current.user.actor(), now)?;
    match state.store.apply(transition).await {
        Ok(saved) => Ok(see_other(&match (go_on, step.next()) {
            (true, Some(next)) => format!("/assessments/{}/{}", saved.id(), next.slug()),
            (true, None) => format!("/assessments/{}/submit", saved.id()),
            (false, _) => format!("/cases/{}?notice=draft", case.code.as_str()),
        })),
        Err(StoreError::Conflict) => {
            let latest = state
                .store
                .assessment(assessment.id())?
                .ok_or(AppError::NotFound)?;
            show_conflict(&state, &current, &case, &latest, step, &posted)
        }
        Err(e) => Err(e.into()),
    }
}

/// What the user typed, next to what is saved now (`latest`), to decide: nothing is overwritten
/// silently.
fn show_conflict(
    state: &AppState,
    current: &CurrentUser,
    case: &Case,
    latest: &Assessment,
    step: Step,
    posted: &Fields,
) -> Result<HttpResponse, AppError> {
    if !latest.is_draft() {
        return Err(AppError::Conflict);
    }
    let frame = StepFrame::new(latest, case, step, latest.version(), true);
    render_step(
        state,
        current,
        frame,
        latest,
        Some(posted),
        FieldErrors::default(),
        StatusCode::CONFLICT,
    )
}
