//! Setting up an authenticator app: `POST /account/two-step/start` makes a secret and keeps it in
//! the session; `GET /account/two-step` shows it as a QR code (an SVG drawn here, no script, no
//! outside service) and as text; `POST /account/two-step/confirm` checks a first code, saves the
//! app as the account's second step, and shows the ten recovery codes once.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::auth::{CurrentUser, SignedIn};
use crate::domain::two_step::{TotpSecret, TwoStep, recovery_codes};
use crate::domain::{AuditAction, AuditEvent, Outcome};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::forms::FieldErrors;
use crate::web::{ClientAddr, PageContext, render, see_other};

/// A secret being set up, as the page shows it.
struct Shown {
    qr_svg: String,
    text: String,
}

#[derive(Template)]
#[template(path = "account/two_step.html")]
struct TwoStepPage {
    ctx: PageContext,
    /// The app being set up, if one is.
    setting_up: Option<Shown>,
    /// When the current app was set up, if there is one.
    enrolled_since: Option<OffsetDateTime>,
    recovery_left: usize,
    /// The policy requires a second step of this account and it has none yet.
    must_enrol: bool,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryCodesPage {
    ctx: PageContext,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
}

/// The QR code of `url` as an inline SVG element.
fn qr_svg(url: &str, label: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(AppError::internal)?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer writes a whole XML document; the page needs only the element, labelled.
    let element = image
        .find("<svg")
        .map(|at| &image[at..])
        .ok_or_else(|| AppError::internal("QR renderer gave no <svg> element"))?;
    let label = askama::filters::escape(label, askama::filters::Html)
        .map_err(AppError::internal)?
        .to_string();
    Ok(element.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" "),
        1,
    ))
}

fn page_for(current: &CurrentUser, errors: FieldErrors) -> Result<TwoStepPage, AppError> {
    let setting_up = match &current.session.enrolment {
        Some(secret) => {
            let url = secret
                .otpauth_url(current.user.username.as_str())
                .ok_or_else(|| AppError::internal("the authenticator address could not be made"))?;
            Some(Shown {
                qr_svg: qr_svg(&url, &crate::i18n::t(current.lang, "two-step-qr-label"))?,
                text: secret.base32_grouped(),
            })
        }
        None => None,
    };
    let two_step = current.user.two_step.as_ref();
    Ok(TwoStepPage {
        ctx: PageContext::signed_in(current, "/account/two-step"),
        setting_up,
        enrolled_since: two_step.map(|t| t.enrolled_at),
        recovery_left: two_step.map_or(0, |t| t.recovery.len()),
        must_enrol: current.must_enrol,
        errors,
    })
}

/// `GET /account/two-step`.
pub async fn page(SignedIn(current): SignedIn) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, &page_for(&current, FieldErrors::default())?)
}

/// `POST /account/two-step/start`: a new secret for this session to show (an app already set up
/// keeps working until the new one is confirmed).
pub async fn start(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    state
        .store
        .set_enrolment(&current.token, Some(TotpSecret::generate()))
        .await?;
    Ok(see_other("/account/two-step"))
}

/// `POST /account/two-step/confirm`.
#[tracing::instrument(skip_all)]
pub async fn confirm(
    SignedIn(current): SignedIn,
    ClientAddr(ip): ClientAddr,
    state: web::Data<AppState>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let Some(secret) = current.session.enrolment.clone() else {
        return Ok(see_other("/account/two-step"));
    };
    let now = state.clock.now();
    let Some(step) = secret.matching_step(&form.code, now) else {
        let mut errors = FieldErrors::default();
        errors.add("code", crate::i18n::t(current.lang, "two-step-code-wrong"));
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page_for(&current, errors)?,
        );
    };
    let (codes, hashes) = recovery_codes();
    let user = current.user.id;
    let replaced = current.user.two_step.is_some();
    let event = AuditEvent::new(
        now,
        Some(user),
        AuditAction::TwoStepEnrolled,
        Outcome::Success,
    )
    .on(user.to_string())
    .from_address(state.audit_address(ip));
    let event = if replaced {
        event.with_detail("replaced the earlier app")
    } else {
        event
    };
    let enrolled = state
        .store
        .enrol_two_step(
            user,
            &current.token,
            TwoStep::new(secret, now, step, hashes),
            event,
        )
        .await?;
    let mut shown = current.clone();
    shown.user = enrolled;
    shown.must_enrol = false;
    let page = RecoveryCodesPage {
        ctx: PageContext::signed_in(&shown, "/account/two-step"),
        codes,
    };
    render(StatusCode::OK, &page)
}
