//! The case form: coarse attributes only. There is no field for a name, a birth date or anything
//! else that identifies a person, and none may be added.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Access, event, load_case};
use crate::auth::{CurrentUser, SignedIn};
use crate::domain::case::{AgeBand, Consent, Gender, Region, Route, Site};
use crate::domain::{AuditAction, Case, CaseAttributes, CaseCode, CaseStatus, Choice, Month};
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::state::AppState;
use crate::store::StoreError;
use crate::web::forms::{ChoiceField, FieldErrors, choice};
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "cases/form.html")]
struct CaseFormPage {
    ctx: PageContext,
    /// None for a new case.
    code: Option<String>,
    age_band: ChoiceField,
    gender: ChoiceField,
    region: ChoiceField,
    site: ChoiceField,
    route: ChoiceField,
    consent: ChoiceField,
    programme_start: String,
    errors: FieldErrors,
}

/// The submitted form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    programme_start: String,
    #[serde(default)]
    consent: String,
}

impl CaseForm {
    fn from_attributes(a: &CaseAttributes) -> Self {
        Self {
            age_band: a.age_band.id().into(),
            gender: a.gender.id().into(),
            region: a.region.id().into(),
            site: a.site.id().into(),
            route: a.route.id().into(),
            programme_start: a.programme_start.map(|m| m.to_string()).unwrap_or_default(),
            consent: a.consent.id().into(),
        }
    }

    fn blank() -> Self {
        let nr = "not_recorded".to_owned();
        Self {
            age_band: nr.clone(),
            gender: nr.clone(),
            region: nr.clone(),
            site: nr.clone(),
            route: nr,
            ..Self::default()
        }
    }

    /// Parses the form into attributes, recording an error per field (in `lang`).
    fn parse(&self, errors: &mut FieldErrors, lang: Lang) -> Option<CaseAttributes> {
        let pick = t(lang, "case-error-pick");
        let age_band = choice::<AgeBand>(errors, "age_band", &self.age_band, &pick);
        let gender = choice::<Gender>(errors, "gender", &self.gender, &pick);
        let region = choice::<Region>(errors, "region", &self.region, &pick);
        let site = choice::<Site>(errors, "site", &self.site, &pick);
        let route = choice::<Route>(errors, "route", &self.route, &pick);
        let programme_start = if self.programme_start.trim().is_empty() {
            Some(None)
        } else {
            Month::parse(&self.programme_start)
                .map(Some)
                .map_err(|_| errors.add("programme_start", t(lang, "case-error-month")))
                .ok()
        };
        let consent = choice::<Consent>(
            errors,
            "consent",
            &self.consent,
            &t(lang, "case-error-consent"),
        );
        Some(CaseAttributes {
            age_band: age_band?,
            gender: gender?,
            region: region?,
            site: site?,
            route: route?,
            programme_start: programme_start?,
            consent: consent?,
        })
    }
}

fn page(
    current: &CurrentUser,
    code: Option<&CaseCode>,
    form: &CaseForm,
    errors: FieldErrors,
) -> CaseFormPage {
    let path = code.map_or("/cases/new".to_owned(), |c| {
        format!("/cases/{}/edit", c.as_str())
    });
    let lang = current.lang;
    CaseFormPage {
        ctx: PageContext::signed_in(current, &path),
        code: code.map(|c| c.to_string()),
        age_band: ChoiceField::new_in::<AgeBand>(
            lang,
            "age_band",
            t(lang, "case-age-band"),
            &form.age_band,
            &errors,
        ),
        gender: ChoiceField::new_in::<Gender>(
            lang,
            "gender",
            t(lang, "case-gender"),
            &form.gender,
            &errors,
        ),
        region: ChoiceField::new_in::<Region>(
            lang,
            "region",
            t(lang, "case-region"),
            &form.region,
            &errors,
        ),
        site: ChoiceField::new_in::<Site>(lang, "site", t(lang, "case-site"), &form.site, &errors),
        route: ChoiceField::new_in::<Route>(
            lang,
            "route",
            t(lang, "case-route"),
            &form.route,
            &errors,
        ),
        consent: ChoiceField::new_in::<Consent>(
            lang,
            "consent",
            t(lang, "case-consent"),
            &form.consent,
            &errors,
        ),
        programme_start: form.programme_start.clone(),
        errors,
    }
}

/// `GET /cases/new`.
pub async fn new_form(SignedIn(current): SignedIn) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &page(&current, None, &CaseForm::blank(), FieldErrors::default()),
    )
}

/// `POST /cases`: creates a case with a fresh random code.
#[tracing::instrument(skip_all)]
pub async fn create(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    form: web::Form<CaseForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let Some(attributes) = form.parse(&mut errors, current.lang) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&current, None, &form, errors),
        );
    };
    let now = state.clock.now();
    // 40 random bits: a collision is rare, and then another code is drawn.
    for _ in 0..5 {
        let case = Case {
            code: CaseCode::generate(),
            created_by: current.user.id,
            created_at: now,
            attributes: attributes.clone(),
            status: CaseStatus::Open,
            shared_with: Vec::new(),
        };
        let audit = event(
            &state,
            &current,
            AuditAction::CaseCreated,
            case.code.as_str(),
        );
        match state.store.create_case(&case, audit).await {
            Ok(()) => return Ok(see_other(&format!("/cases/{}", case.code.as_str()))),
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::internal("could not draw a free case code"))
}

/// `GET /cases/{code}/edit`.
pub async fn edit_form(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Write).await?;
    let form = CaseForm::from_attributes(&case.attributes);
    render(
        StatusCode::OK,
        &page(&current, Some(&case.code), &form, FieldErrors::default()),
    )
}

/// `POST /cases/{code}/edit`.
#[tracing::instrument(skip_all)]
pub async fn update(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<CaseForm>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Write).await?;
    let mut errors = FieldErrors::default();
    let Some(attributes) = form.parse(&mut errors, current.lang) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&current, Some(&case.code), &form, errors),
        );
    };
    let audit = event(
        &state,
        &current,
        AuditAction::CaseUpdated,
        case.code.as_str(),
    );
    state
        .store
        .update_case(
            &case.code,
            move |c| c.attributes = attributes.clone(),
            audit,
        )
        .await?;
    Ok(see_other(&format!("/cases/{}", case.code.as_str())))
}
