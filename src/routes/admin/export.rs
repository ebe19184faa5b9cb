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

/// The shape of a research export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One row per assessment and factor.
    Long,
    /// One row per assessment, a column per factor (what R and Stata load).
    Wide,
}

/// `GET /admin/export/research.csv`: the long format.
pub async fn research(
    current: RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    research_in(current, state, Shape::Long).await
}

/// `GET /admin/export/research-wide.csv`: the wide format.
pub async fn research_wide(
    current: RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    research_in(current, state, Shape::Wide).await
}

/// The research export, streamed: the assessments are chosen and keyed from a first pass that
/// keeps only their ids, then read one at a time as the client takes the rows.
async fn research_in(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    shape: Shape,
) -> Result<HttpResponse, AppError> {
    let store = state.store.clone();
    let instrument = state.instrument.clone();
    let body = produced_by("research export", move |out| {
        write_research(&store, &instrument, shape, out).map_err(|e| e.to_string())
    });
    let (target, file) = match shape {
        Shape::Long => ("research.csv", "exit-factors-research.csv"),
        Shape::Wide => ("research-wide.csv", "exit-factors-research-wide.csv"),
    };
    audit_download(&state, &current, AuditAction::ResearchExported, target).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// Writes the research export from the store to `out`.
fn write_research(
    store: &Store,
    instrument: &Instrument,
    shape: Shape,
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
    let header = match shape {
        Shape::Long => research_export::header(),
        Shape::Wide => research_export::wide_header(instrument),
    };
    out.write(&header).map_err(gone)?;
    let mut rows = Vec::new();
    for c in &chosen {
        // An assessment erased since the first pass is left out.
        let (Some(case), Some(a)) = (consenting.get(&c.case), store.assessment(c.id)?) else {
            continue;
        };
        rows.clear();
        match shape {
            Shape::Long => research_export::write_rows(instrument, c, case, &a, &mut rows),
            Shape::Wide => research_export::write_wide_row(instrument, c, case, &a, &mut rows),
        }
        out.write(&rows).map_err(gone)?;
    }
    Ok(())
}
