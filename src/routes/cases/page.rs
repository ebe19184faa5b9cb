//! `GET /cases` (the list, with search by code) and `GET /cases/{code}` (the case page).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::history::CaseHistory;
use super::{Access, history, load_case, note_view};
use crate::auth::{CurrentUser, SignedIn};
use crate::domain::case::ClosingReason;
use crate::domain::{AuditAction, Case, CaseCode, CaseStatus, Choice, Role, access};
use crate::error::AppError;
use crate::i18n::{Lang, format_date, format_date_time, t};
use crate::state::AppState;
use crate::store::{CaseFrom, CaseList};
use crate::web::forms::{ChoiceField, FieldErrors};
use crate::web::{PageContext, Pager, render};

/// A line of the cases table.
struct CaseRow {
    code: String,
    key: String,
    status: String,
    last_date: String,
    stage: String,
    draft: bool,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<CaseRow>,
    query: String,
    search_error: Option<String>,
    /// Every case the user may open (the search aside), and the page of them shown.
    total: usize,
    pager: Pager,
}

/// Cases per page of the list.
const CASES_PAGE: usize = 50;

#[derive(Template)]
#[template(path = "cases/show.html")]
struct CasePage {
    ctx: PageContext,
    case: Case,
    code: String,
    key: String,
    can_write: bool,
    can_share: bool,
    history: CaseHistory,
    closing_reason: ChoiceField,
    shared_names: Vec<String>,
    operators: Vec<String>,
    creator: String,
    /// Who opened the case and when last (supervisors and admins only; empty otherwise).
    seen_by: Vec<(String, String)>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
    /// Cursors of the case list's index (`store::CaseFrom`), as the pager's links carry them.
    after: Option<String>,
    before: Option<String>,
}

/// Whether `text` can be a cursor (hex, as `Store::case_page` gives them); anything else is
/// ignored and the page counted from the top.
fn is_cursor(text: &str) -> bool {
    (18..=80).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Deserialize)]
pub struct ShowQuery {
    notice: Option<String>,
}

fn row(state: &AppState, case: Case, lang: Lang) -> Result<CaseRow, AppError> {
    let assessments = state.store.assessments_of(&case.code)?;
    let latest = assessments
        .iter()
        .filter(|a| a.is_current_submission())
        .max_by_key(|a| (a.context().date, a.id()));
    Ok(CaseRow {
        code: case.code.to_string(),
        key: case.code.as_str().to_owned(),
        status: t(
            lang,
            match case.status {
                CaseStatus::Open => "case-status-open",
                CaseStatus::Closed { .. } => "case-status-closed",
            },
        ),
        last_date: latest
            .map(|a| format_date(lang, a.context().date))
            .unwrap_or_else(|| t(lang, "cases-none-yet")),
        stage: latest
            .and_then(|a| a.context().stage)
            .map(|s| t(lang, s.message_id()))
            .unwrap_or_else(|| "–".into()),
        draft: assessments.iter().any(|a| a.is_draft()),
    })
}

/// The list `current` reads: every case for supervisors and admins, an operator's own.
fn list_of(current: &CurrentUser) -> CaseList {
    if current.user.role >= Role::Supervisor {
        CaseList::Everyone
    } else {
        CaseList::Operator(current.user.id)
    }
}

/// `GET /cases`: a page of the cases `current` works on, newest first, from the index; or the
/// one case a search names.
pub async fn list(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query_text = query.q.trim().to_owned();
    let list = list_of(&current);
    let total = state.store.case_count(list)?;
    let (pager, cases, search_error) = if query_text.is_empty() {
        // Next and previous follow cursors (one short read wherever the page is); a page
        // number typed alone is counted from the top.
        let from = match (&query.after, &query.before) {
            (Some(after), _) if is_cursor(after) => CaseFrom::After(after.clone()),
            (_, Some(before)) if is_cursor(before) => CaseFrom::Before(before.clone()),
            _ => CaseFrom::Skip(0),
        };
        let pager = Pager::new(total, CASES_PAGE, query.page.as_deref());
        let from = match from {
            CaseFrom::Skip(_) => CaseFrom::Skip(pager.range().start),
            cursor => cursor,
        };
        let page = state.store.case_page(list, &from, CASES_PAGE)?;
        let pager = pager.with_cursors(page.first, page.last);
        (pager, page.cases, None)
    } else {
        let (found, error) = match CaseCode::parse(&query_text) {
            Ok(code) => (
                state
                    .store
                    .case(&code)?
                    .filter(|c| access::can_read(&current.user, c)),
                None,
            ),
            Err(e) => (None, Some(t(current.lang, code_error_id(&e)))),
        };
        let found: Vec<Case> = found.into_iter().collect();
        let pager = Pager::new(found.len(), CASES_PAGE, query.page.as_deref());
        (pager, found, error)
    };
    // Only the cases on this page have their assessments read.
    let rows = cases
        .into_iter()
        .map(|c| row(&state, c, current.lang))
        .collect::<Result<_, _>>()?;
    let page = ListPage {
        ctx: PageContext::signed_in(&current, "/cases"),
        rows,
        query: query_text,
        search_error,
        total,
        pager,
    };
    render(StatusCode::OK, &page)
}

/// The message saying why a typed case code is not one.
pub(crate) fn code_error_id(e: &crate::domain::case::CaseCodeError) -> &'static str {
    use crate::domain::case::CaseCodeError;
    match e {
        CaseCodeError::Length => "case-code-length",
        CaseCodeError::Characters => "case-code-characters",
        CaseCodeError::Checksum => "case-code-checksum",
    }
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "closed" => Some("case-notice-closed"),
        "reopened" => Some("case-notice-reopened"),
        "shared" => Some("case-notice-shared"),
        "submitted" => Some("case-notice-submitted"),
        "draft" => Some("case-notice-draft"),
        _ => None,
    }
}

/// `GET /cases/{code}`.
pub async fn show(
    SignedIn(current): SignedIn,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let case = load_case(&state, &current, &code, Access::Read).await?;
    note_view(
        &state,
        &current,
        &case.code,
        AuditAction::CaseViewed,
        case.code.as_str(),
    );
    let history = history(
        &state.instruments,
        state.store.assessments_of(&case.code)?,
        current.lang,
    );
    let users = state.store.users()?;
    let name_of = |id| {
        users
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| format!("user {id}"), |u| u.username.to_string())
    };
    let selected = match case.status {
        CaseStatus::Closed { reason, .. } => reason.id(),
        CaseStatus::Open => "",
    };
    let page = CasePage {
        ctx: PageContext::signed_in(&current, "/cases"),
        code: case.code.to_string(),
        key: case.code.as_str().to_owned(),
        can_write: access::can_write(&current.user, &case),
        can_share: current.user.role >= Role::Supervisor,
        closing_reason: ChoiceField::new_in::<ClosingReason>(
            current.lang,
            "reason",
            t(current.lang, "case-closing-reason"),
            selected,
            &FieldErrors::default(),
        ),
        shared_names: case.shared_with.iter().map(|id| name_of(*id)).collect(),
        operators: users
            .iter()
            .filter(|u| !u.disabled && u.id != case.created_by && !case.shared_with.contains(&u.id))
            .map(|u| u.username.to_string())
            .collect(),
        creator: name_of(case.created_by),
        seen_by: if current.user.role >= Role::Supervisor {
            state
                .store
                .seen_by(&case.code)?
                .into_iter()
                .map(|(id, at)| (name_of(id), format_date_time(current.lang, at)))
                .collect()
        } else {
            Vec::new()
        },
        notice: notice_text(query.notice.as_deref()),
        history,
        case,
    };
    render(StatusCode::OK, &page)
}
