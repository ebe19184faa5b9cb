//! `GET /admin/audit`: the audit log, newest first, 50 entries a page; `POST /admin/audit/verify`
//! checks its hash chain; `GET /admin/audit/export.jsonl` downloads it (audited).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::auth::{CurrentUser, RequireAdmin};
use crate::domain::audit::chain::AuditCheck;
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::routes::cases::audit_download;
use crate::state::AppState;
use crate::web::{PageContext, render};

const PAGE_SIZE: usize = 50;
const TIME_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

struct Row {
    seq: u64,
    at: String,
    actor: String,
    event: AuditEvent,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: PageContext,
    rows: Vec<Row>,
    next_before: Option<u64>,
    /// The outcome of "Verify", when it was just pressed.
    check: Option<AuditCheck>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<u64>,
}

/// The audit log page.
pub async fn page(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &audit_page(&state, &current, query.before, None)?,
    )
}

/// `POST /admin/audit/verify`: checks the whole chain and shows the outcome above the newest
/// entries (not behind a redirect: a link cannot fake it).
pub async fn verify(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let store = state.store.clone();
    let check = web::block(move || store.verify_audit())
        .await
        .map_err(AppError::internal)??;
    let (outcome, detail) = match &check.broken {
        None => (
            Outcome::Success,
            format!("{} entries intact", check.checked),
        ),
        Some(broken) => (Outcome::Failure, broken.to_string()),
    };
    state.store.audit_later(
        AuditEvent::new(
            state.clock.now(),
            Some(current.user.id),
            AuditAction::AuditVerified,
            outcome,
        )
        .with_detail(detail),
    );
    render(
        StatusCode::OK,
        &audit_page(&state, &current, None, Some(check))?,
    )
}

/// `GET /admin/audit/export.jsonl`: the whole log with its hashes, as JSON Lines.
pub async fn export(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    // The export is the log as it stands now: its own entry below (and anything appended while
    // it is written) is left for the next one.
    let through = state.store.audit_last_seq()?;
    let store = state.store.clone();
    // Streamed: a log of years is written line by line as the client reads it.
    let body = crate::web::stream::produced_by("audit export", move |out| {
        store
            .each_audit_line(through, |line| {
                out.write(&line.to_bytes())
                    .map_err(|e| crate::store::StoreError::Unreadable(e.to_string()))
            })
            .map_err(|e| e.to_string())
    });
    audit_download(&state, &current, AuditAction::AuditExported, "audit log").await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/jsonl; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            "attachment; filename=\"exit-factors-audit.jsonl\"",
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .streaming(body))
}

fn audit_page(
    state: &AppState,
    current: &CurrentUser,
    before: Option<u64>,
    check: Option<AuditCheck>,
) -> Result<AuditPage, AppError> {
    let page = state.store.audit_page(before, PAGE_SIZE)?;
    let names: HashMap<_, _> = state
        .store
        .users()?
        .into_iter()
        .map(|u| (u.id, u.username.to_string()))
        .collect();
    let rows = page
        .entries
        .into_iter()
        .map(|(seq, event)| Row {
            seq,
            at: event.at.format(TIME_FORMAT).unwrap_or_default(),
            actor: event
                .actor
                .map(|id| {
                    names
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| format!("user {id}"))
                })
                .unwrap_or_else(|| "(not signed in)".to_owned()),
            event,
        })
        .collect();
    Ok(AuditPage {
        ctx: PageContext::signed_in(current, "/admin/audit"),
        rows,
        next_before: page.next_before,
        check,
    })
}
