//! `GET/POST /admin/settings`: the organisation name printed on summaries and the default paper.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireAdmin};
use crate::domain::assessment::Note;
use crate::domain::settings::{MAX_ORGANISATION_CHARS, Paper, Settings};
use crate::domain::{AuditAction, Outcome};
use crate::error::AppError;
use crate::routes::cases::audit;
use crate::startup::AppState;
use crate::web::forms::FieldErrors;
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    organisation: String,
    paper: String,
    papers: [Paper; 2],
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
}

fn page(
    current: &CurrentUser,
    organisation: String,
    paper: String,
    errors: FieldErrors,
    saved: bool,
) -> SettingsPage {
    SettingsPage {
        ctx: PageContext::signed_in(current, "/admin/settings"),
        organisation,
        paper,
        papers: [Paper::A4, Paper::Letter],
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
    let settings = state.store.settings()?;
    let page = page(
        &current,
        settings.organisation,
        settings.default_paper.id().to_owned(),
        FieldErrors::default(),
        query.saved,
    );
    render(StatusCode::OK, &page)
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
    let (Some(default_paper), true) = (paper, errors.is_empty()) else {
        let page = page(
            &current,
            form.organisation.clone(),
            form.paper.clone(),
            errors,
            false,
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    state
        .store
        .save_settings(&Settings {
            organisation,
            default_paper,
        })
        .await?;
    audit(
        &state,
        &current,
        AuditAction::SettingsChanged,
        Outcome::Success,
        "settings",
    )
    .await?;
    Ok(see_other("/admin/settings?saved=true"))
}
