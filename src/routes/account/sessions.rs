//! `POST /account/sessions/end-others`: signs out every other session of the user.

use actix_web::{HttpResponse, web};

use crate::auth::SignedIn;
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{ClientAddr, see_other};

/// `POST /account/sessions/end-others`.
pub async fn end_others(
    SignedIn(current): SignedIn,
    ClientAddr(ip): ClientAddr,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let user = current.user.id;
    let now = state.clock.now();
    let address = state.audit_address(ip);
    let ended = state
        .store
        .end_other_sessions(user, &current.token, move |count| {
            AuditEvent::new(
                now,
                Some(user),
                AuditAction::OtherSessionsEnded,
                Outcome::Success,
            )
            .on(user.to_string())
            .with_detail(format!("{count} ended"))
            .from_address(address)
        })
        .await?;
    Ok(see_other(&format!("/account?done=sessions&ended={ended}")))
}
