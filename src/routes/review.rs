//! Supervisor review: the queue of submitted assessments waiting for review, and marking one
//! **Reviewed** (optional comment) or **Return to operator** (required comment). A returned
//! assessment is amended by the operator as a new revision, which joins the queue again.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::RequireSupervisor;
use crate::domain::assessment::{MAX_NOTE_CHARS, Note, ReviewState};
use crate::domain::{AuditAction, Choice, Outcome};
use crate::error::AppError;
use crate::routes::cases::{Access, audit, load_case};
use crate::startup::AppState;
use crate::web::{PageContext, Pager, render, see_other};

/// A line of the queue.
struct QueueRow {
    id: String,
    case: String,
    date: String,
    stage: &'static str,
    operator: String,
    revision: u32,
}

#[derive(Template)]
#[template(path = "review/queue.html")]
struct QueuePage {
    ctx: PageContext,
    rows: Vec<QueueRow>,
    notice: Option<&'static str>,
    pager: Pager,
}

/// Assessments per page of the queue.
const QUEUE_PAGE: usize = 50;

#[derive(Deserialize)]
pub struct QueueQuery {
    notice: Option<String>,
    /// 1-based page number; anything unreadable or past the end shows the nearest page.
    page: Option<String>,
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: u64,
}

/// `GET /review`: submitted, current assessments nobody has reviewed yet, oldest first.
pub async fn queue(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let users = state.store.users()?;
    let shared = state.clone();
    let ids = web::block(move || {
        shared
            .store
            .with_aggregate_rows(&shared.instrument, |rows| rows.pending_review())
    })
    .await
    .map_err(AppError::internal)??;
    let pager = Pager::new(ids.len(), QUEUE_PAGE, query.page.as_deref());
    let mut rows = Vec::with_capacity(QUEUE_PAGE);
    for id in &ids[pager.range()] {
        let Some(a) = state.store.assessment(*id)? else {
            continue;
        };
        rows.push(QueueRow {
            id: a.id.to_string(),
            case: a.case.to_string(),
            date: a.context.date.to_string(),
            stage: a.context.stage.map_or("not given", |s| s.label()),
            operator: users.iter().find(|u| u.id == a.created_by).map_or_else(
                || format!("user {}", a.created_by),
                |u| u.username.to_string(),
            ),
            revision: a.revision,
        });
    }
    let notice = match query.notice.as_deref() {
        Some("reviewed") => Some("The assessment was marked as reviewed."),
        Some("returned") => Some("The assessment was returned to the operator."),
        _ => None,
    };
    render(
        StatusCode::OK,
        &QueuePage {
            ctx: PageContext::signed_in(&current, "/review"),
            rows,
            notice,
            pager,
        },
    )
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
            return super::assessments::results_with_review_error(
                &state,
                &current,
                &assessment,
                &form.comment,
                "Say what the operator should change",
            )
            .await;
        }
        ("reviewed" | "return", Err(e)) => {
            return super::assessments::results_with_review_error(
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
