//! `GET /`: the home page, showing what this user's role can do.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::web::{PageContext, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
    instrument_version: String,
    factor_count: usize,
}

/// The home page.
pub async fn home(
    SignedIn(current): SignedIn,
    state: actix_web::web::Data<crate::state::AppState>,
) -> Result<HttpResponse, AppError> {
    let page = HomePage {
        ctx: PageContext::signed_in(&current, "/"),
        instrument_version: state.instrument.version.clone(),
        factor_count: state.instrument.factors().count(),
    };
    render(StatusCode::OK, &page)
}
