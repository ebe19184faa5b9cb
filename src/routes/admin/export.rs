//! `GET /admin/export/research.csv`: the research export for administrators (see
//! `domain::research_export`). Every download is audited.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};

use std::collections::{HashMap, HashSet};

use crate::auth::RequireAdmin;
use crate::domain::AuditAction;
use crate::domain::case::Consent;
use crate::domain::research_export;
use crate::domain::{Case, CaseCode};
use crate::error::AppError;
use crate::instrument::Instrument;
use crate::routes::cases::audit_download;
use crate::state::AppState;
use crate::store::{Store, StoreError};
use crate::web::stream::{ChunkWriter, produced_by};

/// The research export, streamed: the assessments are chosen and keyed from a first pass that
/// keeps only their ids, then read one at a time as the client takes the rows.
pub async fn research(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let store = state.store.clone();
    let instrument = state.instrument.clone();
    let body = produced_by("research export", move |out| {
        write_research(&store, &instrument, out).map_err(|e| e.to_string())
    });
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
        .streaming(body))
}

/// Writes the research export from the store to `out`.
fn write_research(
    store: &Store,
    instrument: &Instrument,
    out: &mut ChunkWriter,
) -> Result<(), StoreError> {
    let consenting: HashMap<CaseCode, Case> = store
        .cases()?
        .into_iter()
        .filter(|c| c.attributes.consent == Consent::Yes)
        .map(|c| (c.code.clone(), c))
        .collect();
    let codes: HashSet<CaseCode> = consenting.keys().cloned().collect();
    let mut seen = Vec::new();
    store.each_assessment(|a| {
        seen.push((
            a.id(),
            a.case().clone(),
            a.context().date,
            a.is_current_submission(),
        ));
    })?;
    let chosen = research_export::choose(&codes, seen, &mut rand::rng());
    let gone = |e: std::io::Error| StoreError::Unreadable(e.to_string());
    out.write(&research_export::header()).map_err(gone)?;
    let mut rows = Vec::new();
    for c in &chosen {
        // An assessment erased since the first pass is left out.
        let (Some(case), Some(a)) = (consenting.get(&c.case), store.assessment(c.id)?) else {
            continue;
        };
        rows.clear();
        research_export::write_rows(instrument, c, case, &a, &mut rows);
        out.write(&rows).map_err(gone)?;
    }
    Ok(())
}
