//! `GET /dashboard` (and `/dashboard.csv`): aggregate results across cases for supervisors and
//! admins, filtered, with every figure from fewer than k cases hidden. The figures come from
//! `domain::aggregate`, already protected; this module only parses filters and formats.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireSupervisor};
use crate::domain::aggregate::{Counting, Dashboard, Filters, compute};
use crate::domain::assessment::Stage;
use crate::domain::case::{AgeBand, Region, Route, Site};
use crate::domain::disclosure::Figure;
use crate::domain::{AuditAction, Choice, Month, Outcome, Role, Username};
use crate::error::AppError;
use crate::routes::cases::audit;
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

/// A figure ready to show: text, whether hidden, and a bar length (0–100).
pub struct Shown {
    pub text: String,
    pub hidden: bool,
    pub bar: f64,
}

fn hidden(k: usize) -> Shown {
    Shown {
        text: format!("fewer than {k}"),
        hidden: true,
        bar: 0.0,
    }
}

fn as_count(f: &Figure, k: usize) -> Shown {
    match f.shown() {
        Some(v) => Shown {
            text: format!("{v:.0}"),
            hidden: false,
            bar: 0.0,
        },
        None => hidden(k),
    }
}

fn as_percent(f: &Figure, k: usize) -> Shown {
    match f.shown() {
        Some(v) => Shown {
            text: format!("{v:.0}%"),
            hidden: false,
            bar: v.clamp(0.0, 100.0),
        },
        None => hidden(k),
    }
}

fn as_score(f: &Figure, k: usize) -> Shown {
    match f.shown() {
        Some(v) => Shown {
            text: format!("{v:.0}"),
            hidden: false,
            bar: v.clamp(0.0, 100.0),
        },
        None => hidden(k),
    }
}

fn as_change(f: &Figure, k: usize) -> Shown {
    match f.shown() {
        Some(v) => Shown {
            text: format!("{v:+.0}"),
            hidden: false,
            bar: 0.0,
        },
        None => hidden(k),
    }
}

struct Row {
    label: String,
    cells: Vec<Shown>,
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
    dashboard: Option<Dashboard>,
    k: usize,
    headline: Vec<(&'static str, Shown)>,
    stages: Vec<Row>,
    levels: Vec<Row>,
    factors: Vec<Row>,
    missing: Vec<Row>,
    by_stage: Vec<Row>,
    stage_titles: Vec<&'static str>,
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
    field.options.insert(0, ("", "All"));
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
    let k = state.store.settings()?.k;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = build_page(
        &state,
        &current,
        req.query_string(),
        &q,
        errors,
        dashboard,
        k,
    )?;
    render(status, &page)
}

fn build_page(
    state: &AppState,
    current: &CurrentUser,
    query: &str,
    q: &FilterQuery,
    errors: FieldErrors,
    dashboard: Option<Dashboard>,
    k: usize,
) -> Result<DashboardPage, AppError> {
    let operators = state
        .store
        .users()?
        .into_iter()
        .filter(|u| u.role == Role::Operator)
        .map(|u| u.username.to_string())
        .collect();
    let mut page = DashboardPage {
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
        dashboard: None,
        k,
        headline: Vec::new(),
        stages: Vec::new(),
        levels: Vec::new(),
        factors: Vec::new(),
        missing: Vec::new(),
        by_stage: Vec::new(),
        stage_titles: Stage::ALL.iter().map(|s| s.label()).collect(),
    };
    let Some(d) = dashboard else {
        return Ok(page);
    };
    let k = d.k;
    page.headline = vec![
        ("Assessments counted", as_count(&d.assessments, k)),
        (
            "Cases followed over two or more assessments",
            as_count(&d.followed, k),
        ),
        (
            "Of those, improved overall (resources up)",
            as_percent(&d.improved, k),
        ),
        (
            "Of those, worsened overall (resources down)",
            as_percent(&d.worsened, k),
        ),
        (
            "Cases with a re-entry in the period",
            as_count(&d.reentries, k),
        ),
        (
            "Cases left out: no consent to anonymous reports",
            as_count(&d.without_consent, k),
        ),
    ];
    page.stages = d
        .stages
        .iter()
        .map(|(s, f)| {
            let mut cell = as_count(f, k);
            cell.bar = f.shown().map_or(0.0, |v| v * 100.0 / d.cases.max(1) as f64);
            Row {
                label: s.label().into(),
                cells: vec![cell],
            }
        })
        .collect();
    page.levels = d
        .levels
        .iter()
        .map(|l| {
            let title = state
                .instrument
                .levels
                .iter()
                .find(|x| x.id == l.level)
                .map_or("", |x| x.title.as_str());
            Row {
                label: title.to_owned(),
                cells: vec![
                    as_score(&l.resource, k),
                    as_change(&l.resource_change, k),
                    as_score(&l.barrier, k),
                    as_change(&l.barrier_change, k),
                ],
            }
        })
        .collect();
    page.factors = d
        .factors
        .iter()
        .map(|f| {
            let mut cells = vec![as_percent(&f.present, k)];
            cells.extend(f.directions.iter().map(|(_, fig)| as_percent(fig, k)));
            Row {
                label: format!("{} ({})", f.title, f.role.action_label()),
                cells,
            }
        })
        .collect();
    page.missing = d
        .missing_support
        .iter()
        .map(|(t, f)| Row {
            label: t.clone(),
            cells: vec![as_percent(f, k)],
        })
        .collect();
    page.by_stage = d
        .factors
        .iter()
        .enumerate()
        .map(|(i, f)| Row {
            label: f.title.clone(),
            cells: d
                .by_stage
                .iter()
                .map(|(_, row)| as_percent(&row[i], k))
                .collect(),
        })
        .collect();
    page.dashboard = Some(d);
    Ok(page)
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
    let body =
        crate::domain::aggregate_csv::to_csv(&state.instrument, &d, &filters, operator.as_deref());
    audit(
        &state,
        &current,
        AuditAction::AggregateCsvExported,
        Outcome::Success,
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
            instrument: &instrument,
            dashboard: &dashboard,
            filters,
            generated_at,
        };
        crate::pdf::report::render_report(&input, settings.default_paper)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    audit(
        &state,
        &current,
        AuditAction::AggregatePdfExported,
        Outcome::Success,
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
