//! The web layer shared by all pages: middleware (`frame`: request ids, headers, error pages;
//! `guard`: sessions, sign-in redirects, CSRF), the page context every template gets, and form
//! error handling.

pub mod client;
pub mod forms;
pub mod frame;
pub mod guard;
mod page;
mod pager;
pub mod stream;

use actix_web::error::UrlencodedError;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

pub use client::ClientAddr;
pub use page::PageContext;
pub use pager::Pager;

use crate::error::AppError;

/// Maps form-decoding failures to our errors: too large is 413, anything else a plain 400.
pub fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge.into(),
        _ => AppError::BadRequest("the form could not be read").into(),
    }
}

/// Renders a template into an HTML response with the given status.
pub fn render<T: Template>(
    status: actix_web::http::StatusCode,
    page: &T,
) -> Result<HttpResponse, AppError> {
    // Room for a long page at once: a checklist step is about 31 KB, and growing a smaller
    // buffer step by step copied it several times.
    let mut body = String::with_capacity(T::SIZE_HINT.max(48 * 1024));
    page.render_into(&mut body).map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// The language the guard chose for this request.
pub fn request_lang(req: &HttpRequest) -> crate::i18n::Lang {
    use actix_web::HttpMessage;
    req.extensions()
        .get::<crate::i18n::Lang>()
        .copied()
        .unwrap_or_default()
}

/// Renders a page shown before sign-in. Its forms carry a token bound to a pre-session cookie,
/// which is set here when the browser has none yet (see `auth::csrf`).
pub fn render_anonymous<T: Template>(
    state: &crate::state::AppState,
    req: &HttpRequest,
    path: &str,
    status: actix_web::http::StatusCode,
    page: impl FnOnce(PageContext) -> T,
) -> Result<HttpResponse, AppError> {
    use crate::auth::csrf::AnonymousTokens;
    let secure = state.secure_cookies_for(req);
    let (csrf, cookie) = state.anonymous_key.token_for_request(req, secure);
    let lang = request_lang(req);
    let ctx = PageContext::anonymous(csrf, path, state.demo, !state.store.can_write(), lang);
    let mut res = render(status, &page(ctx))?;
    if let Some(cookie) = cookie {
        res.add_cookie(&cookie).map_err(AppError::internal)?;
    }
    Ok(res)
}

/// A 303 redirect after a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_owned()))
        .finish()
}
