//! Cases: the list with search by code, creating a case, the case page with its history, editing
//! the coarse attributes, closing and reopening, sharing with an operator. Every case id a user may
//! not open answers 404, and the attempt is audited.

mod form;
mod history;
mod manage;
mod page;

use actix_web::web;

use super::resource;

use crate::auth::CurrentUser;
use crate::domain::{AuditAction, AuditEvent, Case, CaseCode, Outcome, access};
use crate::error::AppError;
use crate::state::AppState;

pub use history::{CaseHistory, history};
pub(crate) use page::code_error_id;

/// Registers the case routes, under one static prefix and one `{code}` segment, so that a
/// request is matched against a few patterns rather than every one (the assessment started from
/// a case page is registered here too).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/cases")
            .service(resource::page("").get(page::list).post(form::create))
            .service(resource::page("/new").get(form::new_form))
            .service(
                web::scope("/{code}")
                    .service(resource::page("").get(page::show))
                    .service(
                        resource::page("/edit")
                            .get(form::edit_form)
                            .post(form::update),
                    )
                    .service(resource::page("/close").post(manage::close))
                    .service(resource::page("/reopen").post(manage::reopen))
                    .service(resource::page("/share").post(manage::share))
                    .service(
                        resource::page("/assessments").post(crate::routes::assessments::start),
                    ),
            ),
    );
}

/// What the user wants to do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// Loads the case at `raw_code` if `current` may read (or write) it. Unknown codes and refused
/// cases look the same (404), so that codes cannot be probed; refusals of real cases are audited.
pub async fn load_case(
    state: &AppState,
    current: &CurrentUser,
    raw_code: &str,
    access: Access,
) -> Result<Case, AppError> {
    let code = CaseCode::parse(raw_code).map_err(|_| AppError::NotFound)?;
    let case = state.store.case(&code)?.ok_or(AppError::NotFound)?;
    let allowed = match access {
        Access::Read => access::can_read(&current.user, &case),
        Access::Write => access::can_write(&current.user, &case),
    };
    if !allowed {
        audit_read(
            state,
            current,
            AuditAction::CaseAccessDenied,
            Outcome::Denied,
            case.code.as_str(),
        );
        return Err(AppError::NotFound);
    }
    Ok(case)
}

/// The audit entry of a change `current` made to `target`, to store with the change.
pub fn event(
    state: &AppState,
    current: &CurrentUser,
    action: AuditAction,
    target: &str,
) -> AuditEvent {
    AuditEvent::new(
        state.clock.now(),
        Some(current.user.id),
        action,
        Outcome::Success,
    )
    .on(target)
}

/// Records a download (a PDF, a CSV, an export) before the data leaves: durably, so that nothing
/// is handed out unaudited; while the store cannot write, downloads are refused (503).
pub async fn audit_download(
    state: &AppState,
    current: &CurrentUser,
    action: AuditAction,
    target: &str,
) -> Result<(), AppError> {
    Ok(state
        .store
        .append_audit(&event(state, current, action, target))
        .await?)
}

/// Records that `current` opened something of case `code` (its page, an assessment): the read
/// audit entry and the case's "Seen by" list, both deferred.
pub fn note_view(
    state: &AppState,
    current: &CurrentUser,
    code: &crate::domain::CaseCode,
    action: AuditAction,
    target: &str,
) {
    audit_read(state, current, action, Outcome::Success, target);
    state
        .store
        .note_seen(code, current.user.id, state.clock.now());
}

/// Queues an audit event about a read (a page view, a refusal) by `current`: written with the next
/// group commit, so the page neither waits for the disk nor fails when the store cannot write.
pub fn audit_read(
    state: &AppState,
    current: &CurrentUser,
    action: AuditAction,
    outcome: Outcome,
    target: &str,
) {
    state.store.audit_later(
        AuditEvent::new(state.clock.now(), Some(current.user.id), action, outcome).on(target),
    );
}
