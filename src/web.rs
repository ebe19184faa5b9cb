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

/// The value of the first cookie named `name` the request carries. actix's `cookie()` parses and
/// keeps every cookie of the request first (2% of a checklist page's time, for one cookie); this
/// reads the Cookie headers only as far as that one, with the same parser (names are compared as
/// sent, before percent-decoding).
pub fn cookie_value(headers: &actix_web::http::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(actix_web::http::header::COOKIE)
        // As actix reads them: UTF-8, not only visible ASCII (a neighbour set by a script may
        // hold any text).
        .filter_map(|v| std::str::from_utf8(v.as_bytes()).ok())
        .flat_map(|v| v.split(';'))
        .filter(|pair| pair.split_once('=').is_some_and(|(n, _)| n.trim() == name))
        .find_map(|pair| actix_web::cookie::Cookie::parse_encoded(pair.trim()).ok())
        .map(|cookie| cookie.value().to_owned())
}

/// A 303 redirect after a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_owned()))
        .finish()
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{COOKIE, HeaderMap, HeaderValue};

    use super::cookie_value;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(COOKIE, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn a_cookie_is_found_among_others_as_actix_would_read_it() {
        let read = |values: &[&str]| cookie_value(&headers(values), "ef_session");
        assert_eq!(read(&["ef_session=abc"]).as_deref(), Some("abc"));
        assert_eq!(
            read(&["lang=it; ef_session=abc; x=1"]).as_deref(),
            Some("abc")
        );
        assert_eq!(
            read(&["lang=it", "ef_session=a%20b"]).as_deref(),
            Some("a b")
        );
        assert_eq!(
            read(&["ef_session=first; ef_session=second"]).as_deref(),
            Some("first")
        );
        // A name that only starts like it, a value that mentions it, a broken neighbour.
        assert_eq!(read(&["ef_session2=x; y=ef_session=z"]), None);
        assert_eq!(read(&["=junk; ef_session=abc"]).as_deref(), Some("abc"));
        assert_eq!(read(&[]), None);
        let mut utf8 = HeaderMap::new();
        utf8.append(
            COOKIE,
            HeaderValue::from_bytes("note=café; ef_session=abc".as_bytes()).unwrap(),
        );
        assert_eq!(cookie_value(&utf8, "ef_session").as_deref(), Some("abc"));
    }
}
