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

fn optional<C: Choice>(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<C> {
    if raw.is_empty() {
        return None;
    }
    let parsed = C::from_id(raw);
    if parsed.is_none() {
        errors.add(field, "Choose one of the answers");
    }
    parsed
}

fn parse_filters(
    state: &AppState,
    q: &FilterQuery,
    errors: &mut FieldErrors,
) -> Result<Filters, AppError> {
    let month = |errors: &mut FieldErrors, field: &'static str, raw: &str| {
        if raw.trim().is_empty() {
            return None;
        }
        Month::parse(raw)
            .map_err(|e| errors.add(field, format!("{e}")))
            .ok()
    };
    let operator = if q.operator.trim().is_empty() {
        None
    } else {
        let user = Username::parse(&q.operator)
            .ok()
            .and_then(|n| state.store.user_by_username(&n).ok().flatten());
        if user.is_none() {
            errors.add("operator", "Choose one of the operators");
        }
        user.map(|u| u.id)
    };
    Ok(Filters {
        from: month(errors, "from", &q.from),
        to: month(errors, "to", &q.to),
        operator,
        age_band: optional::<AgeBand>(errors, "age_band", &q.age_band),
        site: optional::<Site>(errors, "site", &q.site),
        route: optional::<Route>(errors, "route", &q.route),
        region: optional::<Region>(errors, "region", &q.region),
        stage: optional::<Stage>(errors, "stage", &q.stage),
    })
}

/// Computes the dashboard for a query, with the filters it used, or None with errors when a filter
/// is invalid. The computation runs on the blocking pool (tens of milliseconds at 100k
/// assessments).
async fn dashboard_for(
    state: &web::Data<AppState>,
    q: &FilterQuery,
    errors: &mut FieldErrors,
) -> Result<Option<(Filters, Dashboard)>, AppError> {
    let filters = parse_filters(state, q, errors)?;
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

fn select<C: Choice>(name: &str, label: &str, value: &str, errors: &FieldErrors) -> ChoiceField {
    let mut field = ChoiceField::new::<C>(name, label, value, errors);
    field.options.insert(0, ("", "All".to_owned()));
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
    let dashboard = dashboard_for(&state, &q, &mut errors)
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
        age_band: select::<AgeBand>("age_band", "Age band", &q.age_band, &errors),
        site: select::<Site>("site", "Site of exploitation", &q.site, &errors),
        route: select::<Route>("route", "Route", &q.route, &errors),
        region: select::<Region>("region", "Region of origin", &q.region, &errors),
        stage: select::<Stage>("stage", "Stage of change (latest)", &q.stage, &errors),
        errors,
        view: dashboard.map(|d| view(&state.instrument, &d)),
    })
}

/// `GET /dashboard.csv`: the same figures in a tidy long format, one row per figure.
pub async fn csv(
    RequireSupervisor(current): RequireSupervisor,
    state: web::Data<AppState>,
    q: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let Some((filters, d)) = dashboard_for(&state, &q, &mut errors).await? else {
        return Err(AppError::BadRequest(
            "a filter is not valid; correct it on the dashboard",
        ));
    };
    let operator = match filters.operator {
        Some(id) => state.store.user(id)?.map(|u| u.username.to_string()),
        None => None,
    };
    let body = crate::domain::aggregate_csv::to_csv(
        &view(&state.instrument, &d),
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
fn describe_filters(q: &FilterQuery) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |label: &str, value: &str| {
        if !value.trim().is_empty() {
            out.push(format!("{label}: {}", value.trim()));
        }
    };
    add("from", &q.from);
    add("to", &q.to);
    add("operator", &q.operator);
    add(
        "age band",
        AgeBand::from_id(&q.age_band).map_or("", |c| c.label()),
    );
    add("site", Site::from_id(&q.site).map_or("", |c| c.label()));
    add("route", Route::from_id(&q.route).map_or("", |c| c.label()));
    add(
        "region",
        Region::from_id(&q.region).map_or("", |c| c.label()),
    );
    add("stage", Stage::from_id(&q.stage).map_or("", |c| c.label()));
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
    let Some((_, dashboard)) = dashboard_for(&state, &q, &mut errors).await? else {
        return Err(AppError::BadRequest(
            "a filter is not valid; correct it on the dashboard",
        ));
    };
    let settings = state.store.settings()?;
    let filters = describe_filters(&q);
    let instrument = state.instrument.clone();
    let generated_at = state.clock.now();
    let bytes = web::block(move || {
        let input = crate::pdf::report::ReportInput {
            organisation: &settings.organisation,
            source: &instrument.source,
            view: &view(&instrument, &dashboard),
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
