//! `GET /dashboard` (and `/dashboard.csv`): aggregate results across cases for supervisors and
//! admins, filtered, with every figure from fewer than k cases hidden. The figures come from
//! `domain::aggregate`, already protected; this module only parses filters and formats.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireSupervisor};
use crate::domain::aggregate::view::{DashboardView, view};
use crate::domain::aggregate::{Counting, Dashboard, Filters, compute};
use crate::domain::assessment::Stage;
use crate::domain::case::{AgeBand, Region, Route, Site};
use crate::domain::{AuditAction, Choice, Month, Role, Username};
use crate::error::AppError;
use crate::i18n::{Lang, format_month, t};
use crate::routes::cases::audit_download;
use crate::state::AppState;
use crate::web::forms::{ChoiceField, FieldErrors};
use crate::web::{PageContext, render};

/// The filter form as typed (all optional).
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    stage: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ctx: PageContext,
    query: String,
    from: String,
    to: String,
    operator: String,
    operators: Vec<String>,
    age_band: ChoiceField,
    site: ChoiceField,
    route: ChoiceField,
    region: ChoiceField,
    stage: ChoiceField,
    errors: FieldErrors,
    /// None when the filters are invalid.
    view: Option<DashboardView>,
}

fn optional<C: Choice>(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    lang: Lang,
) -> Option<C> {
    if raw.is_empty() {
        return None;
    }
    let parsed = C::from_id(raw);
    if parsed.is_none() {
        errors.add(field, t(lang, "error-choose-answer"));
    }
    parsed
}

fn parse_filters(
    state: &AppState,
    q: &FilterQuery,
    errors: &mut FieldErrors,
    lang: Lang,
) -> Result<Filters, AppError> {
    let month = |errors: &mut FieldErrors, field: &'static str, raw: &str| {
        if raw.trim().is_empty() {
            return None;
        }
        Month::parse(raw)
            .map_err(|_| errors.add(field, t(lang, "dash-error-month")))
            .ok()
    };
    let operator = if q.operator.trim().is_empty() {
        None
    } else {
        let user = Username::parse(&q.operator)
            .ok()
            .and_then(|n| state.store.user_by_username(&n).ok().flatten());
        if user.is_none() {
            errors.add("operator", t(lang, "dash-error-operator"));
        }
        user.map(|u| u.id)
    };
    Ok(Filters {
        from: month(errors, "from", &q.from),
        to: month(errors, "to", &q.to),
        operator,
        age_band: optional::<AgeBand>(errors, "age_band", &q.age_band, lang),
        site: optional::<Site>(errors, "site", &q.site, lang),
        route: optional::<Route>(errors, "route", &q.route, lang),
        region: optional::<Region>(errors, "region", &q.region, lang),
        stage: optional::<Stage>(errors, "stage", &q.stage, lang),
    })
}

/// Computes the dashboard for a query, with the filters it used, or None with errors when a filter
/// is invalid. The computation runs on the blocking pool (tens of milliseconds at 100k
/// assessments).
async fn dashboard_for(
    state: &web::Data<AppState>,
    q: &FilterQuery,
    errors: &mut FieldErrors,
    lang: Lang,
) -> Result<Option<(Filters, Dashboard)>, AppError> {
    let filters = parse_filters(state, q, errors, lang)?;
    if !errors.is_empty() {
        return Ok(None);
    }
    let settings = state.store.settings()?;
    let counting = Counting {
        reviewed_only: settings.aggregates_reviewed_only,
        k: settings.k,
    };
    let state = state.clone();
    let computed = web::block(move || {
        let dashboard = state.store.with_aggregate_rows(&state.instrument, |rows| {
            compute(&state.instrument, rows, &filters, counting)
        })?;
        Ok::<_, AppError>((filters, dashboard))
    })
    .await
    .map_err(AppError::internal)??;
    Ok(Some(computed))
}

fn select<C: Choice>(
    lang: Lang,
    name: &str,
    label: &str,
    value: &str,
    errors: &FieldErrors,
) -> ChoiceField {
    let mut field = ChoiceField::new_in::<C>(lang, name, t(lang, label), value, errors);
    field.options.insert(0, ("", t(lang, "dash-all")));
    field
}

/// `GET /dashboard`.
pub async fn page(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    q: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let dashboard = dashboard_for(&state, &q, &mut errors, current.lang)
        .await?
        .map(|(_, d)| d);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = build_page(&state, &current, req.query_string(), &q, errors, dashboard)?;
    render(status, &page)
}

fn build_page(
    state: &AppState,
    current: &CurrentUser,
    query: &str,
    q: &FilterQuery,
    errors: FieldErrors,
    dashboard: Option<Dashboard>,
) -> Result<DashboardPage, AppError> {
    let lang = current.lang;
    let operators = state
        .store
        .users()?
        .into_iter()
        .filter(|u| u.role == Role::Operator)
        .map(|u| u.username.to_string())
        .collect();
    Ok(DashboardPage {
        ctx: PageContext::signed_in(current, "/dashboard"),
        query: query.to_owned(),
        from: q.from.clone(),
        to: q.to.clone(),
        operator: q.operator.clone(),
        operators,
        age_band: select::<AgeBand>(lang, "age_band", "case-age-band", &q.age_band, &errors),
        site: select::<Site>(lang, "site", "case-site-short", &q.site, &errors),
        route: select::<Route>(lang, "route", "case-route", &q.route, &errors),
        region: select::<Region>(lang, "region", "case-region", &q.region, &errors),
        stage: select::<Stage>(lang, "stage", "dash-stage-latest", &q.stage, &errors),
        errors,
        view: dashboard.map(|d| view(state.instruments.active_in(lang), &d, lang)),
    })
}

/// `GET /dashboard.csv`: the same figures in a tidy long format, one row per figure.
pub async fn csv(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    q: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    // The CSV is data: English ids and keys whatever the user's language.
    let Some((filters, d)) = dashboard_for(&state, &q, &mut errors, Lang::En).await? else {
        return Err(AppError::BadRequest(
            "a filter is not valid; correct it on the dashboard",
        ));
    };
    let operator = match filters.operator {
        Some(id) => state.store.user(id)?.map(|u| u.username.to_string()),
        None => None,
    };
    let body = crate::domain::aggregate_csv::to_csv(
        &view(&state.instrument, &d, Lang::En),
        &filters,
        operator.as_deref(),
    );
    audit_download(
        &state,
        &current,
        AuditAction::AggregateCsvExported,
        "dashboard.csv",
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            "attachment; filename=\"exit-factors-aggregates.csv\"",
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body))
}

/// The filters in words, for the PDF report.
fn describe_filters(q: &FilterQuery, lang: Lang) -> Vec<String> {
    fn label<C: Choice>(lang: Lang, raw: &str) -> String {
        C::from_id(raw).map_or_else(String::new, |c| t(lang, c.message_id()))
    }
    let month = |raw: &str| {
        Month::parse(raw).map_or_else(
            |_| String::new(),
            |m| format_month(lang, m.year(), m.month()),
        )
    };
    let mut out = Vec::new();
    for (id, value) in [
        ("dash-from", month(&q.from)),
        ("dash-to", month(&q.to)),
        ("review-operator", q.operator.trim().to_owned()),
        ("case-age-band", label::<AgeBand>(lang, &q.age_band)),
        ("case-site-short", label::<Site>(lang, &q.site)),
        ("case-route", label::<Route>(lang, &q.route)),
        ("case-region", label::<Region>(lang, &q.region)),
        ("dash-stage-latest", label::<Stage>(lang, &q.stage)),
    ] {
        if !value.is_empty() {
            out.push(format!("{}: {value}", t(lang, id)));
        }
    }
    out
}

/// `GET /dashboard.pdf`: the same figures as a PDF report, with the filters, k and the counting
/// setting printed on it.
pub async fn pdf(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    q: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let lang = current.lang;
    let Some((_, dashboard)) = dashboard_for(&state, &q, &mut errors, lang).await? else {
        return Err(AppError::BadRequest(
            "a filter is not valid; correct it on the dashboard",
        ));
    };
    let settings = state.store.settings()?;
    let filters = describe_filters(&q, lang);
    let instrument = state.instruments.active_in(lang).clone();
    let generated_at = state.clock.now();
    let bytes = web::block(move || {
        let input = crate::pdf::report::ReportInput {
            organisation: &settings.organisation,
            source: &instrument.source,
            view: &view(&instrument, &dashboard, lang),
            lang,
            filters,
            generated_at,
        };
        crate::pdf::report::render_report(&input, settings.default_paper)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    audit_download(
        &state,
        &current,
        AuditAction::AggregatePdfExported,
        "dashboard.pdf",
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/pdf"))
        .insert_header((
            CONTENT_DISPOSITION,
            "attachment; filename=\"exit-factors-aggregates.pdf\"",
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(bytes))
}
