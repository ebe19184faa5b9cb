//! `GET /healthz`, for monitors and load balancers: 200 `ok` while the store reads and writes; 503
//! with a body that says which part is wrong (never the internal cause) when it cannot write, is
//! stuck, or cannot be read.

use actix_web::{HttpResponse, web};

use crate::state::AppState;
use crate::store::Health;

/// The health check.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let problem = match state.store.health() {
        Health::Ok if state.store.settings().is_ok() => None,
        Health::Ok | Health::Unreadable => Some("store cannot be read".to_owned()),
        Health::CannotWrite { for_secs, .. } => Some(format!(
            "store cannot write: saving refused for {for_secs} s, pages are read-only"
        )),
        Health::Stuck { for_secs } => Some(format!(
            "store stuck: a write has been running for {for_secs} s"
        )),
    };
    match problem {
        None => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Some(problem) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body(problem),
    }
}
