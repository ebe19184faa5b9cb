//! `GET/POST /admin/erase`: erasing a case on request. The administrator types the case code,
//! types it again to confirm, and chooses a reason category; the case, its assessments and plans
//! go, its data key is destroyed, and the audit keeps one entry (who, when, the category).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireAdmin};
use crate::domain::erasure::{Erasure, ErasureReason};
use crate::domain::{AuditAction, CaseCode, Choice};
use crate::error::AppError;
use crate::i18n::{t, t_with};
use crate::state::AppState;
use crate::store::StoreError;
use crate::web::forms::{ChoiceField, FieldErrors};
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "admin/erase.html")]
struct ErasePage {
    ctx: PageContext,
    code: String,
    confirm: String,
    reason: ChoiceField,
    errors: FieldErrors,
    /// The code and assessment count of the case just erased.
    erased: Option<(String, usize)>,
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct EraseQuery {
    erased: Option<String>,
    count: Option<usize>,
    /// Prefilled from a link on a case page.
    code: Option<String>,
}

fn page(current: &CurrentUser, form: &EraseForm, errors: FieldErrors) -> ErasePage {
    let lang = current.lang;
    let mut reason = ChoiceField::new_in::<ErasureReason>(
        lang,
        "reason",
        t(lang, "erase-reason"),
        &form.reason,
        &errors,
    );
    reason.options = std::iter::once(("", t(lang, "erase-choose-reason")))
        .chain(ErasureReason::chosen_by_people().map(|r| (r.id(), t(lang, r.message_id()))))
        .collect();
    ErasePage {
        ctx: PageContext::signed_in(current, "/admin/erase"),
        code: form.code.clone(),
        confirm: form.confirm.clone(),
        reason,
        errors,
        erased: None,
    }
}

/// `GET /admin/erase`.
pub async fn show(
    RequireAdmin(current): RequireAdmin,
    query: web::Query<EraseQuery>,
) -> Result<HttpResponse, AppError> {
    let form = EraseForm {
        code: query.code.clone().unwrap_or_default(),
        ..EraseForm::default()
    };
    let mut shown = page(&current, &form, FieldErrors::default());
    shown.erased = query
        .erased
        .as_deref()
        .and_then(|c| CaseCode::parse(c).ok())
        .map(|c| (c.to_string(), query.count.unwrap_or(0)));
    render(StatusCode::OK, &shown)
}

/// `POST /admin/erase`.
pub async fn erase(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    form: web::Form<EraseForm>,
) -> Result<HttpResponse, AppError> {
    let lang = current.lang;
    let mut errors = FieldErrors::default();
    let code = CaseCode::parse(&form.code)
        .map_err(|e| {
            let problem = t(lang, crate::routes::cases::code_error_id(&e));
            errors.add(
                "code",
                t_with(lang, "erase-error-code", &[("problem", problem.into())]),
            )
        })
        .ok();
    let confirmed = CaseCode::parse(&form.confirm).ok();
    if code.is_some() && confirmed != code {
        errors.add("confirm", t(lang, "erase-error-confirm"));
    }
    let reason = crate::web::forms::choice::<ErasureReason>(
        &mut errors,
        "reason",
        &form.reason,
        &t(lang, "erase-error-reason"),
    )
    .filter(|r| *r != ErasureReason::Retention);
    if reason.is_none() && errors.get("reason").is_none() {
        errors.add("reason", t(lang, "erase-error-reason"));
    }
    let (Some(code), Some(reason), true) = (code, reason, errors.is_empty()) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&current, &form, errors),
        );
    };
    let at = state.clock.now();
    let erasure = Erasure {
        code: code.to_string(),
        at,
        reason,
    };
    let audit =
        super::super::cases::event(&state, &current, AuditAction::CaseErased, code.as_str())
            .with_detail(reason.label());
    match state.store.erase_case(&code, erasure, audit).await {
        Ok(erased) => {
            state.backups.register_changed(&state.store);
            Ok(see_other(&format!(
                "/admin/erase?erased={code}&count={}",
                erased.assessments
            )))
        }
        Err(StoreError::NotFound) => {
            errors.add("code", t(lang, "erase-error-unknown"));
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&current, &form, errors),
            )
        }
        Err(e) => Err(e.into()),
    }
}
