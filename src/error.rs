//! The one application error. Handlers return `Result<_, AppError>`; the response carries only a
//! status and a plain message, and `web::frame` renders it through the error page with the request
//! id. The cause goes to the log, never to the user.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, ResponseError};

use crate::store::StoreError;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in: redirect to the sign-in page, then back to `next`.
    #[error("sign-in required")]
    SignInRequired { next: Option<String> },
    /// The page or record does not exist (or the user may not know it exists).
    #[error("not found")]
    NotFound,
    /// The user's role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without the right CSRF token.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// The request body is over the cap.
    #[error("request body too large")]
    PayloadTooLarge,
    /// A malformed request that no form of ours produces; the text is safe to show.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// The record changed since the page was loaded.
    #[error("conflicting change")]
    Conflict,
    /// Too many attempts.
    #[error("too many requests")]
    TooManyRequests,
    /// The store failed (it cannot write, is stuck, or a read failed): nothing was acknowledged.
    #[error("storage unavailable: {0}")]
    Unavailable(#[source] StoreError),
    /// A stored record failed its integrity check (altered outside the service, or damaged).
    #[error("damaged record: {0}")]
    Damaged(#[source] StoreError),
    /// A bug or an unexpected failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Wraps any unexpected failure; its text goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    /// The ids of the title and message shown to the user (see `i18n`): plain, and free of
    /// internal detail.
    pub fn public_ids(&self) -> (&'static str, &'static str) {
        match self {
            AppError::Damaged(_) => ("error-damaged-title", "error-damaged"),
            other => public_ids_for(other.status_code()),
        }
    }

    /// The title and message in English (for answers that are not pages).
    pub fn public_text(&self) -> (String, String) {
        let (title, message) = self.public_ids();
        (
            crate::i18n::t(crate::i18n::Lang::En, title),
            crate::i18n::t(crate::i18n::Lang::En, message),
        )
    }
}

/// The ids of the title and message of an error page with this status.
pub fn public_ids_for(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("error-400-title", "error-400"),
        403 => ("error-403-title", "error-403"),
        404 => ("error-404-title", "error-404"),
        405 => ("error-405-title", "error-405"),
        409 => ("error-409-title", "error-409"),
        413 => ("error-413-title", "error-413"),
        429 => ("error-429-title", "error-429"),
        503 => ("error-503-title", "error-503"),
        _ => ("error-500-title", "error-500"),
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) | AppError::Damaged(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::SignInRequired { next } => {
                let location = match next {
                    Some(next) => format!("/sign-in?next={}", urlencode(next)),
                    None => "/sign-in".to_owned(),
                };
                HttpResponse::SeeOther()
                    .insert_header((LOCATION, location))
                    .finish()
            }
            // The body is replaced by the rendered error page in `web::frame`.
            other => HttpResponse::build(other.status_code()).body(other.public_text().1),
        }
    }
}

impl From<crate::domain::assessment::LifecycleError> for AppError {
    fn from(err: crate::domain::assessment::LifecycleError) -> Self {
        use crate::domain::assessment::LifecycleError as L;
        match err {
            // Not for this role, or their own submission: the page offers no such control.
            L::NotAReviewer | L::OwnSubmission => AppError::Forbidden,
            L::StatusCount { .. } => AppError::BadRequest("choose a status for every action"),
            L::CaseClosed => AppError::BadRequest("reopen the case before starting an assessment"),
            // The record is no longer in the state the page showed.
            L::NotDraft
            | L::NotSubmitted
            | L::Superseded
            | L::Incomplete(_)
            | L::DraftExists(_) => AppError::Conflict,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            // A record whose key an erasure destroyed while the request ran: it is gone.
            StoreError::NotFound | StoreError::KeyGone(_) => AppError::NotFound,
            StoreError::Tampered(_) => AppError::Damaged(err),
            StoreError::Conflict | StoreError::UsernameTaken => AppError::Conflict,
            // Every failure of the store itself is the same 503 page; the cause goes to the log.
            other => AppError::Unavailable(other),
        }
    }
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|encoded| encoded.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_flush_is_a_503_that_says_nothing_was_saved() {
        let err = AppError::from(StoreError::Unavailable(
            crate::store::Unavailable::CannotWrite("disk full".into()),
        ));
        assert_eq!(err.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        let (_, message) = err.public_text();
        assert!(message.contains("it was not saved"));
        assert!(!message.contains("disk full"));
    }

    #[test]
    fn internal_errors_show_no_internal_text() {
        let err = AppError::internal("sled tree users: corrupted page 42");
        let (title, message) = err.public_text();
        assert!(!title.contains("sled") && !message.contains("sled") && !message.contains("42"));
    }
}
