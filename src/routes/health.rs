//! `GET /healthz`: 200 `ok` while the store can be read, for monitors and load balancers.

use actix_web::{HttpResponse, web};

use crate::startup::AppState;

/// The health check.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    if state.store.is_readable() {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("store unavailable")
    }
}
