//! `GET/POST /admin/settings`: the organisation name printed on summaries and the default paper.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireAdmin};
use crate::domain::AuditEvent;
use crate::domain::assessment::Note;
use crate::domain::disclosure::{MAX_K, MIN_K};
use crate::domain::settings::{MAX_ORGANISATION_CHARS, Paper, Settings};
use crate::domain::{AuditAction, Outcome};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::forms::FieldErrors;
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    organisation: String,
    paper: String,
    papers: [Paper; 2],
    counted: String,
    k: String,
    errors: FieldErrors,
    saved: bool,
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    #[serde(default)]
    saved: bool,
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    paper: String,
    #[serde(default)]
    counted: String,
    #[serde(default)]
    k: String,
}

impl SettingsForm {
    fn from_settings(s: &Settings) -> Self {
        Self {
            organisation: s.organisation.clone(),
            paper: s.default_paper.id().to_owned(),
            counted: if s.aggregates_reviewed_only {
                "reviewed"
            } else {
                "submitted"
            }
            .to_owned(),
            k: s.k.to_string(),
        }
    }
}

fn page(
    current: &CurrentUser,
    form: &SettingsForm,
    errors: FieldErrors,
    saved: bool,
) -> SettingsPage {
    SettingsPage {
        ctx: PageContext::signed_in(current, "/admin/settings"),
        organisation: form.organisation.clone(),
        paper: form.paper.clone(),
        papers: [Paper::A4, Paper::Letter],
        counted: form.counted.clone(),
        k: form.k.clone(),
        errors,
        saved,
    }
}

/// `GET /admin/settings`.
pub async fn show(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    query: web::Query<SettingsQuery>,
) -> Result<HttpResponse, AppError> {
    let form = SettingsForm::from_settings(&state.store.settings()?);
    render(
        StatusCode::OK,
        &page(&current, &form, FieldErrors::default(), query.saved),
    )
}

/// `POST /admin/settings`.
pub async fn save(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    // The name is printed on every summary, so it gets the same identifying-details check as notes.
    let organisation = match Note::parse(&form.organisation, MAX_ORGANISATION_CHARS) {
        Ok(name) => name.map(|n| n.to_string()).unwrap_or_default(),
        Err(e) => {
            errors.add("organisation", format!("Organisation name: {e}"));
            String::new()
        }
    };
    let paper = Paper::from_id(&form.paper);
    if paper.is_none() {
        errors.add("paper", "Choose a paper size");
    }
    let reviewed_only = match form.counted.as_str() {
        "reviewed" => Some(true),
        "submitted" => Some(false),
        _ => {
            errors.add("counted", "Choose which assessments the aggregates count");
            None
        }
    };
    let k = form
        .k
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|k| (MIN_K..=MAX_K).contains(k));
    if k.is_none() {
        errors.add(
            "k",
            format!("Minimum group size: enter a whole number from {MIN_K} to {MAX_K}"),
        );
    }
    let (Some(default_paper), Some(aggregates_reviewed_only), Some(k), true) =
        (paper, reviewed_only, k, errors.is_empty())
    else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&current, &form, errors, false),
        );
    };
    let settings = Settings {
        organisation,
        default_paper,
        aggregates_reviewed_only,
        k,
    };
    let audit = AuditEvent::new(
        state.clock.now(),
        Some(current.user.id),
        AuditAction::SettingsChanged,
        Outcome::Success,
    )
    .on("settings");
    state.store.save_settings(&settings, audit).await?;
    Ok(see_other("/admin/settings?saved=true"))
}
