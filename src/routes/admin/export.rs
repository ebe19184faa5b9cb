//! `GET /admin/export/research.csv`: the research export for administrators (see
//! `domain::research_export`). Every download is audited.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};

use crate::auth::RequireAdmin;
use crate::domain::AuditAction;
use crate::error::AppError;
use crate::routes::cases::audit_download;
use crate::state::AppState;

/// The research export.
pub async fn research(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let cases = state.store.cases()?;
    let assessments = state.store.all_assessments()?;
    let body = crate::domain::research_export::to_csv(
        &state.instrument,
        &cases,
        &assessments,
        &mut rand::rng(),
    );
    audit_download(
        &state,
        &current,
        AuditAction::ResearchExported,
        "research.csv",
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            "attachment; filename=\"exit-factors-research.csv\"",
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body))
}
