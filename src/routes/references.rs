//! `GET /references`: the review, its studies (authors, year, country, who was studied) and the
//! factors each supports, so that an operator can check what a factor's evidence line rests on.

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::instrument::Instrument;
use crate::state::AppState;
use crate::web::{PageContext, render};

#[derive(Template)]
#[template(path = "references.html")]
struct ReferencesPage {
    ctx: PageContext,
    instrument: Arc<Instrument>,
}

/// The references of the active checklist.
pub async fn page(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = ReferencesPage {
        ctx: PageContext::signed_in(&current, "/references"),
        instrument: state.instruments.active_in(current.lang).clone(),
    };
    render(StatusCode::OK, &page)
}
