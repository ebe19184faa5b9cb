//! `GET /assessments/{id}`: a submitted assessment's results, answers and action plan; amending it
//! as a new revision; updating the action plan's progress between assessments.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{instrument_of, load};
use crate::auth::{CurrentUser, SignedIn};
use crate::domain::assessment::{
    ActionStatus, Assessment, FactorAnswer, MAX_NOTE_CHARS, Note, ReviewState,
};
use crate::domain::scoring::{Results, results};
use crate::domain::{Case, Choice, access};
use crate::error::AppError;
use crate::i18n::{Lang, format_date, t, t_with};
use crate::instrument::{Factor, Level};
use crate::routes::cases::Access;
use crate::state::AppState;
use crate::web::forms::note_error;
use crate::web::forms::{ChoiceField, FieldErrors};
use crate::web::{PageContext, render, see_other};

/// One factor row of the answers table.
pub struct AnswerRow<'a> {
    pub factor: &'a Factor,
    pub answer: FactorAnswer,
}

/// One action-plan line with its status control.
pub struct ActionRow {
    pub title: String,
    pub action: String,
    pub owner: String,
    pub target: String,
    pub status: ChoiceField,
    /// The status in words, for readers who cannot change it.
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "assessments/results.html")]
struct ResultsPage<'a> {
    ctx: PageContext,
    assessment: &'a Assessment,
    case_code: String,
    case_key: String,
    submitted_at: String,
    /// The assessment's date, in the page's language.
    date: String,
    results: Results,
    levels: Vec<(&'a Level, Vec<AnswerRow<'a>>)>,
    actions: Vec<ActionRow>,
    can_write: bool,
    can_amend: bool,
    amend_reason: String,
    errors: FieldErrors,
    notice: Option<&'static str>,
    /// The paper the download form preselects.
    default_paper: &'static str,
    /// Whether this user may review it.
    can_review: bool,
    /// Who reviewed or returned it, and when.
    reviewer: Option<(String, String)>,
    /// The languages a summary can be printed in: tag and name in itself.
    copy_languages: Vec<(&'static str, String)>,
    /// The review comment as typed (kept when the form is refused).
    review_comment: String,
}

/// What the user typed into the page's forms, kept when a form is refused.
#[derive(Default)]
struct Typed {
    amend_reason: String,
    review_comment: String,
}

#[derive(Deserialize)]
pub struct ResultsQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct AmendForm {
    #[serde(default)]
    reason: String,
}

fn page<'a>(
    state: &'a AppState,
    current: &CurrentUser,
    assessment: &'a Assessment,
    case: &Case,
    typed: Typed,
    errors: FieldErrors,
    notice: Option<&'static str>,
) -> Result<ResultsPage<'a>, AppError> {
    let lang = current.lang;
    let instrument = instrument_of(state, assessment, lang)?;
    let default_paper = state.store.settings()?.default_paper.id();
    let levels = instrument
        .levels
        .iter()
        .map(|level| {
            let rows = level
                .factors
                .iter()
                .map(|factor| AnswerRow {
                    factor,
                    answer: assessment.answer(&factor.id),
                })
                .collect();
            (level, rows)
        })
        .collect();
    let actions = assessment
        .actions()
        .iter()
        .enumerate()
        .map(|(i, a)| ActionRow {
            title: instrument
                .factors()
                .find(|(_, f)| f.id == a.factor)
                .map_or_else(|| a.factor.to_string(), |(_, f)| f.title.clone()),
            action: a.action.to_string(),
            owner: t(lang, a.owner.message_id()),
            target: crate::i18n::format_month(lang, a.target.year(), a.target.month()),
            status: ChoiceField::new_in::<ActionStatus>(
                lang,
                status_field(i),
                t(lang, "plan-status"),
                a.status.id(),
                &errors,
            ),
            status_label: t(lang, a.status.message_id()),
        })
        .collect();
    let can_change = access::can_change_submission(&current.user, case, assessment);
    let reviewer = match assessment.review_state() {
        ReviewState::Pending => None,
        ReviewState::Reviewed { by, at, .. } | ReviewState::Returned { by, at, .. } => {
            let name = state
                .store
                .user(*by)?
                .map_or_else(|| format!("user {by}"), |u| u.username.to_string());
            Some((name, format_date(lang, at.date())))
        }
    };
    Ok(ResultsPage {
        can_review: access::can_review(current.user.actor(), assessment),
        reviewer,
        review_comment: typed.review_comment,
        ctx: PageContext::signed_in(current, &format!("/assessments/{}", assessment.id())),
        case_code: case.code.to_string(),
        case_key: case.code.as_str().to_owned(),
        submitted_at: assessment
            .submitted()
            .map_or_else(String::new, |(at, _)| format_date(lang, at.date())),
        date: format_date(lang, assessment.context().date),
        copy_languages: Lang::CLIENT_COPY
            .into_iter()
            .map(|l| {
                let name = if Lang::PAGES.contains(&l) {
                    l.native_name().to_owned()
                } else {
                    t_with(
                        lang,
                        "pdf-language-client-only",
                        &[("name", l.native_name().into())],
                    )
                };
                (l.tag(), name)
            })
            .collect(),
        results: results(instrument, assessment.answers()),
        levels,
        actions,
        can_write: can_change,
        can_amend: can_change,
        amend_reason: typed.amend_reason,
        errors,
        notice,
        default_paper,
        assessment,
    })
}

/// `GET /assessments/{id}`.
pub async fn show(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, AppError> {
    let (assessment, case) = load(&state, &current, &id, Access::Read).await?;
    if assessment.is_draft() {
        if !access::can_write(&current.user, &case) {
            return Err(AppError::NotFound);
        }
        return Ok(see_other(&format!(
            "/assessments/{}/{}",
            assessment.id(),
            assessment.resume_step().slug()
        )));
    }
    crate::routes::cases::note_view(
        &state,
        &current,
        &case.code,
        crate::domain::AuditAction::AssessmentViewed,
        &format!("case {} assessment {}", case.code.as_str(), assessment.id()),
    );
    let notice = match query.notice.as_deref() {
        Some("actions") => Some("plan-updated"),
        _ => None,
    };
    render(
        StatusCode::OK,
        &page(
            &state,
            &current,
            &assessment,
            &case,
            Typed::default(),
            FieldErrors::default(),
            notice,
        )?,
    )
}

/// Shows the results page again with an error on the review comment, keeping what was typed.
pub async fn with_review_error(
    state: &AppState,
    current: &CurrentUser,
    assessment: &Assessment,
    comment: &str,
    message: &str,
) -> Result<HttpResponse, AppError> {
    let case = state
        .store
        .case(assessment.case())?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    errors.add("comment", message);
    let typed = Typed {
        review_comment: comment.to_owned(),
        ..Typed::default()
    };
    let page = page(state, current, assessment, &case, typed, errors, None)?;
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /assessments/{id}/amend`: a new draft revision, with a reason; the old one is kept.
#[tracing::instrument(skip_all)]
pub async fn amend(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<AmendForm>,
) -> Result<HttpResponse, AppError> {
    let (old, case) = load(&state, &current, &id, Access::Write).await?;
    instrument_of(&state, &old, current.lang)?;
    let reason = match Note::parse(&form.reason, MAX_NOTE_CHARS) {
        Ok(Some(reason)) => reason,
        refused => {
            let message = match refused {
                Err(e) => t_with(
                    current.lang,
                    "amend-error-reason",
                    &[("problem", note_error(current.lang, &e).into())],
                ),
                _ => t(current.lang, "amend-error-missing"),
            };
            let mut errors = FieldErrors::default();
            errors.add("reason", message);
            let typed = Typed {
                amend_reason: form.reason.clone(),
                ..Typed::default()
            };
            let page = page(&state, &current, &old, &case, typed, errors, None)?;
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let new_id = state.store.new_assessment_id()?;
    let transition = old.amend(new_id, reason, current.user.actor(), state.clock.now())?;
    let revision = state.store.apply(transition).await?;
    Ok(see_other(&format!(
        "/assessments/{}/context",
        revision.id()
    )))
}

/// `POST /assessments/{id}/actions`: new statuses for the action plan (allowed after submission).
pub async fn update_actions(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (assessment, _case) = load(&state, &current, &id, Access::Write).await?;
    let fields: std::collections::HashMap<String, String> = form.into_inner().into_iter().collect();
    let version = fields
        .get("version")
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or(AppError::BadRequest("the form is incomplete"))?;
    if version != assessment.version() {
        return Err(AppError::Conflict);
    }
    let statuses = (0..assessment.actions().len())
        .map(|i| {
            let raw = fields.get(&status_field(i)).map_or("", String::as_str);
            ActionStatus::from_id(raw)
                .ok_or(AppError::BadRequest("choose a status for every action"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let transition =
        assessment.set_action_statuses(&statuses, current.user.actor(), state.clock.now())?;
    let updated = state.store.apply(transition).await?;
    Ok(see_other(&format!(
        "/assessments/{}?notice=actions",
        updated.id()
    )))
}

/// The name of the status field of the `i`-th action line.
fn status_field(i: usize) -> String {
    format!("status-{i}")
}
