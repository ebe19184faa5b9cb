//! The access middleware, in front of every handler:
//! 1. resumes the session from its cookie (and clears a dead one);
//! 2. sends anonymous requests for anything but the public pages to sign-in;
//! 3. refuses any POST whose form lacks the right CSRF token, or is not UTF-8, before a handler
//!    runs, so no handler can forget the check. Bodies past the cap are refused with 413. (No
//!    route takes another state-changing method: those get 405 from the router.)
//!
//! Role checks are not here: they are extractors in handler signatures (`auth::RequireAdmin`...).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::{self, BytesMut};
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use futures_util::StreamExt;

use crate::auth::CurrentUser;
use crate::auth::csrf::{self, AnonymousTokens, tokens_match};
use crate::auth::session::{self, PendingSignIn, Resumed};
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

/// Paths served without signing in.
fn is_public(path: &str) -> bool {
    path == "/sign-in"
        || path == "/healthz"
        || path.starts_with("/static/")
        || path.starts_with("/setup/")
}

/// The page of the second step, the only one a sign-in waiting for its code may see (besides
/// the public ones, so that it can start again).
pub const CODE_PAGE: &str = "/sign-in/code";

/// The page where an authenticator app is set up: all an account that must set one up may see.
pub const ENROL_PAGE: &str = "/account/two-step";

/// What an account that must set up its second step may still reach.
fn is_enrolment(path: &str) -> bool {
    path == ENROL_PAGE || path.starts_with("/account/two-step/") || path == "/sign-out"
}

/// What the checks decided.
enum Verdict {
    /// Let the handler run; clear the session cookie on the way out if it was dead.
    Proceed { clear_cookie: bool, secure: bool },
    /// Answer without running the handler.
    Respond(HttpResponse),
}

/// The guard middleware (see the module docs). It never returns `Err`: refusals are responses
/// carrying an `AppError`, which `frame` renders.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match check(&mut req).await {
        Ok(Verdict::Proceed {
            clear_cookie,
            secure,
        }) => {
            let mut res = next.call(req).await?;
            if clear_cookie
                && !res
                    .response()
                    .cookies()
                    .any(|c| c.name() == session::SESSION_COOKIE)
            {
                res.response_mut()
                    .add_cookie(&session::removal_cookie(secure))
                    .ok();
            }
            Ok(res.map_into_left_body())
        }
        Ok(Verdict::Respond(response)) => Ok(req.into_response(response).map_into_right_body()),
        Err(err) => Ok(req.error_response(err).map_into_right_body()),
    }
}

/// The body of a form post, kept so that the error page of a save that could not be stored can
/// give the user back what they typed.
#[derive(Debug, Clone)]
pub struct PostedForm(pub web::Bytes);

async fn check(req: &mut ServiceRequest) -> Result<Verdict, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))?;
    let now = state.clock.now();
    let secure = state.secure_cookies_for(req.request());
    let path = req.path().to_owned();
    let ip = super::client::resolve(req.peer_addr(), req.headers(), &state.trusted_proxies);
    req.extensions_mut().insert(super::ClientAddr(ip));
    // The route, for audit entries of refusals only: matching the path against every pattern
    // costs as much as routing it, so it is not done for requests that pass.
    let target = |req: &ServiceRequest| {
        req.match_pattern()
            .unwrap_or_else(|| "(unmatched)".to_owned())
    };

    // The installation's settings, read at most once per request and only when needed.
    let settings = Lazy::new(&state);
    let mut clear_cookie = false;
    if let Some(token) = super::cookie_value(req.headers(), session::SESSION_COOKIE) {
        match session::resume(&state.store, &token, now, &state.policy, state.demo).await? {
            Resumed::Active(mut current) => {
                // Only an account without a second step needs the policy read.
                current.must_enrol = current.user.two_step.is_none()
                    && settings.get()?.two_step.requires(current.user.role);
                current.lang = language(&state, &settings, req, true, current.user.language)?;
                req.extensions_mut().insert(current.lang);
                req.extensions_mut().insert(*current);
            }
            Resumed::AwaitingCode(pending) => {
                req.extensions_mut().insert(*pending);
            }
            Resumed::Rejected { user: Some(user) } => {
                // A real session that expired or was revoked: it is deleted now, so this is
                // written once per session.
                clear_cookie = true;
                let event = AuditEvent::new(
                    now,
                    Some(user),
                    AuditAction::SessionRejected,
                    Outcome::Denied,
                )
                .on(target(req));
                state.store.audit_later(event);
            }
            Resumed::Rejected { user: None } => {
                clear_cookie = true;
                state
                    .refusals
                    .count(ip, AuditAction::SessionRejected, &target(req), now);
            }
        }
    }
    let current = req.extensions().get::<CurrentUser>().cloned();
    let pending = req.extensions().get::<PendingSignIn>().cloned();
    if current.is_none() {
        let lang = language(&state, &settings, req, false, None)?;
        req.extensions_mut().insert(lang);
    }

    // Half-way sign-ins go no further than their next step.
    if pending.is_some() && path != CODE_PAGE && !is_public(&path) {
        return Ok(Verdict::Respond(super::see_other(CODE_PAGE)));
    }
    if current.as_ref().is_some_and(|c| c.must_enrol) && !is_enrolment(&path) && !is_public(&path) {
        return Ok(Verdict::Respond(super::see_other(ENROL_PAGE)));
    }

    if current.is_none() && pending.is_none() && !is_public(&path) {
        // The plain entry page is not worth counting; anything deeper is, in memory.
        if path != "/" {
            state
                .refusals
                .count(ip, AuditAction::UnauthenticatedAccess, &target(req), now);
            if state.throttle.record_refusal(ip, now, &state.policy) {
                return Err(AppError::TooManyRequests);
            }
        }
        let next_path = (req.method() == Method::GET && path != "/").then_some(path);
        let mut response = AppError::SignInRequired { next: next_path }.error_response();
        if clear_cookie {
            response.add_cookie(&session::removal_cookie(secure)).ok();
        }
        return Ok(Verdict::Respond(response));
    }

    // POST is the only method any route takes that changes something; other methods reach the
    // router, which answers 405.
    if req.method() == Method::POST {
        let expected = match (&current, &pending) {
            (Some(current), _) => Some(current.session.csrf_token.clone()),
            (None, Some(pending)) if path == CODE_PAGE => Some(pending.session.csrf_token.clone()),
            (None, _) => state.anonymous_key.expected_for_request(req.request()),
        };
        let body = read_body(req, state.policy.body_limit).await?;
        if !is_utf8_form(&body) {
            return Err(AppError::BadRequest(
                "the form contains text that is not valid UTF-8",
            ));
        }
        let presented = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .ok()
            .and_then(|fields| {
                fields
                    .into_iter()
                    .find(|(k, _)| k == csrf::FIELD)
                    .map(|(_, v)| v)
            });
        let ok = matches!((&expected, &presented), (Some(e), Some(p)) if tokens_match(e, p));
        if !ok {
            match &current {
                Some(current) => state.store.audit_later(
                    AuditEvent::new(
                        now,
                        Some(current.user.id),
                        AuditAction::CsrfRejected,
                        Outcome::Denied,
                    )
                    .on(target(req)),
                ),
                None => {
                    state
                        .refusals
                        .count(ip, AuditAction::CsrfRejected, &target(req), now);
                    if state.throttle.record_refusal(ip, now, &state.policy) {
                        return Err(AppError::TooManyRequests);
                    }
                }
            }
            return Err(AppError::Csrf);
        }
        req.extensions_mut().insert(PostedForm(body.clone()));
        req.set_payload(Payload::from(body));
    }
    Ok(Verdict::Proceed {
        clear_cookie,
        secure,
    })
}

/// The language of a request's pages: the tests' pseudo-locale when allowed and asked for; then the
/// signed-in user's choice; before sign-in, the browser's `Accept-Language`; then the organisation's
/// default.
fn language(
    state: &AppState,
    settings: &Lazy<'_>,
    req: &ServiceRequest,
    signed_in: bool,
    chosen: Option<Lang>,
) -> Result<Lang, AppError> {
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if state.pseudo_locale && accept == Lang::Pseudo.tag() {
        return Ok(Lang::Pseudo);
    }
    if let Some(lang) = chosen {
        return Ok(lang);
    }
    if !signed_in && let Some(lang) = Lang::negotiate(accept) {
        return Ok(lang);
    }
    Ok(settings.get()?.language)
}

/// The installation's settings, read from the store on first use.
struct Lazy<'a> {
    state: &'a AppState,
    cell: std::cell::OnceCell<crate::domain::settings::Settings>,
}

impl<'a> Lazy<'a> {
    fn new(state: &'a AppState) -> Self {
        Self {
            state,
            cell: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> Result<&crate::domain::settings::Settings, AppError> {
        if let Some(settings) = self.cell.get() {
            return Ok(settings);
        }
        let read = self.state.store.settings()?;
        Ok(self.cell.get_or_init(|| read))
    }
}

/// Whether a URL-encoded form body decodes to UTF-8 text throughout. (serde_urlencoded replaces
/// bad bytes with U+FFFD silently; a form of ours never sends them, so they are refused instead.)
fn is_utf8_form(body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok()
        && body
            .split(|b| *b == b'&' || *b == b'=')
            .all(|part| percent_encoding::percent_decode(part).decode_utf8().is_ok())
}

/// Reads the whole request body, refusing more than `limit` bytes.
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<web::Bytes, AppError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(AppError::PayloadTooLarge);
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| AppError::BadRequest("the request body could not be read"))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_forms_that_decode_to_utf8_are_accepted() {
        assert!(is_utf8_form(b"note=caf%C3%A9+au+lait&csrf=ab"));
        assert!(is_utf8_form(b""));
        assert!(!is_utf8_form(b"note=caf%E9"), "latin-1 percent-encoded");
        assert!(
            !is_utf8_form(&[b'n', b'=', 0xff]),
            "a raw byte that is not UTF-8"
        );
        assert!(!is_utf8_form(b"%FF=1"), "in a name too");
    }
}
