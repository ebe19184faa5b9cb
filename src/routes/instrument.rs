//! `GET /instrument`: the checklist as a reference, with guidance and evidence for each factor.

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
#[template(path = "instrument.html")]
struct GuidePage {
    ctx: PageContext,
    instrument: Arc<Instrument>,
}

/// The checklist guide.
pub async fn guide(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = GuidePage {
        ctx: PageContext::signed_in(&current, "/instrument"),
        instrument: state.instruments.active_in(current.lang).clone(),
    };
    render(StatusCode::OK, &page)
}
