//! The outermost middleware: gives each request an id, renders every error as the error page
//! (status, plain message, request id; the cause only in the log), sets the security headers, and
//! logs one line per request without query strings, bodies or cookies.

use std::time::Instant;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};
use askama::Template;
use rand::RngCore;

use super::PageContext;
use super::guard::PostedForm;
use crate::auth::CurrentUser;
use crate::error::public_ids_for;

/// The id of one request, shown on error pages and written to the log.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The Content-Security-Policy of every response: no inline script or style, nothing from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: PageContext,
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
    /// For a form that could not be saved: what was typed, to send again or copy.
    kept: Option<KeptInput>,
}

/// A posted form given back on the 503 page: sent again as it was by "Try again", and its typed
/// values shown to copy. Passwords are never echoed.
struct KeptInput {
    action: String,
    /// Every field as posted (passwords left out), for the "Try again" form.
    fields: Vec<(String, String)>,
    /// The values a person typed or chose, to read or copy.
    typed: Vec<(String, String)>,
    /// Whether a password was left out (it must be typed again).
    had_password: bool,
}

impl KeptInput {
    fn from_posted(action: &str, body: &[u8]) -> Option<Self> {
        let posted = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).ok()?;
        let had_password = posted.iter().any(|(name, _)| name.contains("password"));
        let fields: Vec<(String, String)> = posted
            .into_iter()
            .filter(|(name, _)| !name.contains("password"))
            .collect();
        let typed = fields
            .iter()
            .filter(|(name, value)| {
                !value.trim().is_empty() && !matches!(name.as_str(), "csrf" | "version" | "action")
            })
            .cloned()
            .collect();
        Some(Self {
            action: action.to_owned(),
            fields,
            typed,
            had_password,
        })
    }
}

/// The frame middleware (see the module docs).
pub async fn frame(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    let request_id = RequestId(hex::encode(bytes));
    req.extensions_mut().insert(request_id.clone());
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let is_static = req.path().starts_with("/static/");

    // Inner layers turn their errors into responses (`guard` never fails), so an `Err` here is the
    // framework's own and is passed on as it is.
    let mut res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();

    // Errors, and bare error statuses from the framework (such as 405), get the error page; a form
    // a handler re-rendered with a 4xx status has no error attached and a body, and is kept.
    let failed =
        res.response().error().is_some() || res.response().body().size() == BodySize::Sized(0);
    if (status.is_client_error() || status.is_server_error()) && failed {
        if let Some(err) = res.response().error()
            && status.is_server_error()
        {
            tracing::error!(request_id = %request_id.0, error = %err, "request failed");
        }
        let http_req = res.request().clone();
        let state = http_req.app_data::<actix_web::web::Data<crate::state::AppState>>();
        let mut ctx = http_req
            .extensions()
            .get::<CurrentUser>()
            .map(|u| PageContext::signed_in(u, http_req.path()))
            .unwrap_or_else(|| PageContext {
                demo: state.is_some_and(|s| s.demo),
                lang: super::request_lang(&http_req),
                ..PageContext::default()
            });
        ctx.read_only = state.is_some_and(|s| !s.store.can_write());
        let kept = (status == StatusCode::SERVICE_UNAVAILABLE)
            .then(|| http_req.extensions().get::<PostedForm>().cloned())
            .flatten()
            .and_then(|posted| KeptInput::from_posted(http_req.path(), &posted.0));
        let (title, message) = if status == StatusCode::SERVICE_UNAVAILABLE && kept.is_none() {
            ("error-unavailable-title", "error-unavailable")
        } else {
            res.response()
                .error()
                .and_then(|e| e.as_error::<crate::error::AppError>())
                .map_or_else(|| public_ids_for(status), |e| e.public_ids())
        };
        let (title, message) = (ctx.t(title), ctx.t(message));
        let page = ErrorPage {
            ctx,
            status: status.as_u16(),
            title: &title,
            message: &message,
            request_id: &request_id.0,
            kept,
        };
        let body = page.render().unwrap_or_else(|_| message.to_string());
        let mut replacement = HttpResponse::build(status);
        replacement.content_type("text/html; charset=utf-8");
        // Keep cookies the inner layers set (e.g. clearing a dead session), and what a 405 allows.
        for cookie in res.response().cookies() {
            replacement.cookie(cookie.into_owned());
        }
        if let Some(allow) = res.headers().get(header::ALLOW) {
            replacement.insert_header((header::ALLOW, allow.clone()));
        }
        res = ServiceResponse::new(http_req, replacement.body(body));
    }

    let headers = res.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    if !is_static || status != StatusCode::OK {
        // Pages may show case data: never keep them in a browser or proxy cache.
        set(header::CACHE_CONTROL, "no-store");
    }

    tracing::info!(
        request_id = %request_id.0,
        method = %method,
        route = %route,
        status = status.as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    Ok(res)
}
