//! `GET /assessments/{id}/summary`: the PDF summary of a submitted assessment, full or client copy,
//! on A4 or US Letter. Rendered off the async workers; every download is audited.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{instrument_of, load};
use crate::auth::SignedIn;
use crate::domain::AuditAction;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pdf::{Paper, ReviewInfo, SummaryInput, Variant, render_summary};
use crate::routes::cases::{Access, audit_download};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SummaryQuery {
    variant: Option<String>,
    paper: Option<String>,
    /// The language of the summary (the woman's, for a client copy); the user's by default.
    lang: Option<String>,
}

/// Downloads a summary.
#[tracing::instrument(skip_all)]
pub async fn download(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, AppError> {
    let (assessment, case) = load(&state, &current, &id, Access::Read).await?;
    if assessment.is_draft() {
        return Err(AppError::NotFound);
    }
    let variant = Variant::from_id(query.variant.as_deref().unwrap_or("full")).ok_or(
        AppError::BadRequest("choose the full summary or the client copy"),
    )?;
    let settings = state.store.settings()?;
    let paper = match query.paper.as_deref() {
        None | Some("") => settings.default_paper,
        Some(id) => Paper::from_id(id).ok_or(AppError::BadRequest("choose A4 or US Letter"))?,
    };
    let lang = match query.lang.as_deref() {
        None | Some("") => current.lang,
        Some(tag) => Lang::from_tag(tag)
            .filter(|l| Lang::CLIENT_COPY.contains(l))
            .ok_or(AppError::BadRequest("choose one of the languages offered"))?,
    };
    // The full summary is for the team: in a page language. Romanian is offered for the client
    // copy only (the form says so); a full summary asked in it is made in the user's language.
    let lang = if variant == Variant::Full && !Lang::PAGES.contains(&lang) {
        current.lang
    } else {
        lang
    };
    let instrument = instrument_of(&state, &assessment, lang)?.clone();
    // The case so far: current revisions submitted up to this assessment, oldest first.
    let mut history: Vec<_> = state
        .store
        .assessments_of(&case.code)?
        .into_iter()
        .filter(|a| a.is_current_submission() || a.id() == assessment.id())
        .filter(|a| (a.context().date, a.id()) <= (assessment.context().date, assessment.id()))
        .collect();
    history.sort_by_key(|a| (a.context().date, a.id()));
    let filename = format!("{}_{}.pdf", case.code, assessment.context().date);
    let generated_at = state.clock.now();
    let code = case.code.clone();
    let bytes = web::block(move || {
        let input = SummaryInput {
            organisation: &settings.organisation,
            case_code: &code,
            instrument: &instrument,
            assessment: &assessment,
            history: &history,
            generated_at,
            review: Some(ReviewInfo {
                status: assessment.review_state().message_id(),
                comment: assessment.review_state().comment().map(|c| c.as_str()),
            }),
            lang,
        };
        render_summary(&input, variant, paper).map(|(bytes, _)| bytes)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let target = format!(
        "case {} assessment {} {} {} {}",
        case.code.as_str(),
        id,
        variant.id(),
        paper.id(),
        lang.tag()
    );
    audit_download(&state, &current, AuditAction::SummaryDownloaded, &target).await?;
    state
        .store
        .note_seen(&case.code, current.user.id, state.clock.now());
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/pdf"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(bytes))
}
