//! `GET /admin/audit`: the audit log, newest first, 50 entries a page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::RequireAdmin;
use crate::domain::AuditEvent;
use crate::error::AppError;
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
    let page = state.store.audit_page(query.before, PAGE_SIZE)?;
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
    render(
        StatusCode::OK,
        &AuditPage {
            ctx: PageContext::signed_in(&current, "/admin/audit"),
            rows,
            next_before: page.next_before,
        },
    )
}
