//! The supervisors' review queue: submitted, current assessments nobody has reviewed yet, oldest
//! first. The decision itself is taken on the assessment's page (`routes::assessments::decision`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::RequireSupervisor;
use crate::domain::Choice;
use crate::error::AppError;
use crate::i18n::{format_date, t};
use crate::state::AppState;
use crate::web::{PageContext, Pager, render};

/// A line of the queue.
struct QueueRow {
    id: String,
    case: String,
    date: String,
    stage: String,
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
            id: a.id().to_string(),
            case: a.case().to_string(),
            date: format_date(current.lang, a.context().date),
            stage: t(
                current.lang,
                a.context()
                    .stage
                    .map_or("answer-not-given", |s| s.message_id()),
            ),
            operator: users.iter().find(|u| u.id == a.created_by()).map_or_else(
                || format!("user {}", a.created_by()),
                |u| u.username.to_string(),
            ),
            revision: a.revision(),
        });
    }
    let notice = match query.notice.as_deref() {
        Some("reviewed") => Some("review-notice-reviewed"),
        Some("returned") => Some("review-notice-returned"),
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
