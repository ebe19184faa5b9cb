//! `GET/POST /admin/settings`: the organisation name and paper of summaries, what aggregates count,
//! retention, who must use two-step sign-in, and how the audit log keeps client addresses.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CurrentUser, RequireAdmin};
use crate::domain::AuditEvent;
use crate::domain::assessment::Note;
use crate::domain::disclosure::{MAX_K, MIN_K};
use crate::domain::retention::{AUDIT_MONTHS, CLOSED_MONTHS, DRAFT_DAYS, Plan, Retention};
use crate::domain::settings::{MAX_ORGANISATION_CHARS, Paper, Settings};
use crate::domain::two_step::TwoStepPolicy;
use crate::domain::{AuditAction, Choice, Outcome};
use crate::error::AppError;
use crate::i18n::{Lang, format_date, t, t_with};
use crate::state::AppState;
use crate::web::forms::FieldErrors;
use crate::web::forms::note_error;
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
    erase_closed_months: String,
    draft_days: String,
    audit_months: String,
    two_step: String,
    two_step_policies: &'static [TwoStepPolicy],
    full_addresses: bool,
    language: String,
    languages: [Lang; 4],
    /// What the next retention run would remove.
    next_run: Plan,
    /// The date before which audit entries would be removed, in the page's language.
    audit_before: Option<String>,
    /// The counts of a run just made from this page.
    ran: Option<String>,
    errors: FieldErrors,
    saved: bool,
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    #[serde(default)]
    saved: bool,
    /// A retention run from this page: cases, drafts, sessions removed.
    ran: Option<String>,
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
    #[serde(default)]
    erase_closed_months: String,
    #[serde(default)]
    draft_days: String,
    #[serde(default)]
    audit_months: String,
    #[serde(default)]
    two_step: String,
    /// "yes" when ticked.
    #[serde(default)]
    full_addresses: String,
    #[serde(default)]
    language: String,
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
            erase_closed_months: s
                .retention
                .erase_closed_after_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            draft_days: s
                .retention
                .delete_drafts_after_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            audit_months: s
                .retention
                .purge_audit_after_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            two_step: s.two_step.id().to_owned(),
            full_addresses: if s.audit_full_addresses { "yes" } else { "" }.to_owned(),
            language: s.language.tag().to_owned(),
        }
    }
}

/// An optional whole number in `range`: empty is `Some(None)` (off), anything else outside it
/// records `message` and is `None`.
fn optional_in(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    range: std::ops::RangeInclusive<u32>,
    message: String,
) -> Option<Option<u32>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    match raw.parse::<u32>() {
        Ok(n) if range.contains(&n) => Some(Some(n)),
        _ => {
            errors.add(field, message);
            None
        }
    }
}

/// What a retention run removed, from its four counts ("1.0.3.0"), in `lang`.
fn ran_text(lang: Lang, counts: &str) -> Option<String> {
    let n: Vec<usize> = counts
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [cases, drafts, sessions, audit] = n[..] else {
        return None;
    };
    Some(t_with(
        lang,
        "settings-ran",
        &[
            ("cases", cases.into()),
            ("drafts", drafts.into()),
            ("sessions", sessions.into()),
            ("audit", audit.into()),
        ],
    ))
}

/// A range message: "… from { $min } to { $max }".
fn range_error(lang: Lang, id: &str, range: &std::ops::RangeInclusive<u32>) -> String {
    let bound = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
    t_with(
        lang,
        id,
        &[
            ("min", bound(*range.start()).into()),
            ("max", bound(*range.end()).into()),
        ],
    )
}

fn page(
    current: &CurrentUser,
    form: &SettingsForm,
    errors: FieldErrors,
    saved: bool,
    next_run: Plan,
) -> SettingsPage {
    SettingsPage {
        ctx: PageContext::signed_in(current, "/admin/settings"),
        organisation: form.organisation.clone(),
        paper: form.paper.clone(),
        papers: [Paper::A4, Paper::Letter],
        counted: form.counted.clone(),
        k: form.k.clone(),
        erase_closed_months: form.erase_closed_months.clone(),
        draft_days: form.draft_days.clone(),
        audit_months: form.audit_months.clone(),
        two_step: form.two_step.clone(),
        two_step_policies: TwoStepPolicy::ALL,
        full_addresses: form.full_addresses == "yes",
        language: form.language.clone(),
        languages: Lang::PAGES,
        audit_before: next_run
            .audit_before
            .map(|at| format_date(current.lang, at.date())),
        next_run,
        ran: None,
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
    let store = state.store.clone();
    let now = state.clock.now();
    let next_run = web::block(move || crate::retention::preview(&store, now))
        .await
        .map_err(AppError::internal)??;
    let mut shown = page(
        &current,
        &form,
        FieldErrors::default(),
        query.saved,
        next_run,
    );
    shown.ran = query.ran.as_deref().and_then(|r| ran_text(current.lang, r));
    render(StatusCode::OK, &shown)
}

/// `POST /admin/settings`.
pub async fn save(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let lang = current.lang;
    let mut errors = FieldErrors::default();
    // The name is printed on every summary, so it gets the same identifying-details check as notes.
    let organisation = match Note::parse(&form.organisation, MAX_ORGANISATION_CHARS) {
        Ok(name) => name.map(|n| n.to_string()).unwrap_or_default(),
        Err(e) => {
            errors.add(
                "organisation",
                t_with(
                    lang,
                    "settings-error-organisation",
                    &[("problem", note_error(lang, &e).into())],
                ),
            );
            String::new()
        }
    };
    let paper = Paper::from_id(&form.paper);
    if paper.is_none() {
        errors.add("paper", t(lang, "settings-error-paper"));
    }
    let reviewed_only = match form.counted.as_str() {
        "reviewed" => Some(true),
        "submitted" => Some(false),
        _ => {
            errors.add("counted", t(lang, "settings-error-counted"));
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
            t_with(
                lang,
                "settings-error-k",
                &[("min", MIN_K.into()), ("max", MAX_K.into())],
            ),
        );
    }
    let closed = optional_in(
        &mut errors,
        "erase_closed_months",
        &form.erase_closed_months,
        CLOSED_MONTHS,
        range_error(lang, "settings-error-erase", &CLOSED_MONTHS),
    );
    let drafts = optional_in(
        &mut errors,
        "draft_days",
        &form.draft_days,
        DRAFT_DAYS,
        range_error(lang, "settings-error-drafts", &DRAFT_DAYS),
    );
    let audit = optional_in(
        &mut errors,
        "audit_months",
        &form.audit_months,
        AUDIT_MONTHS,
        range_error(lang, "settings-error-audit", &AUDIT_MONTHS),
    );
    let language = Lang::from_tag(&form.language).filter(|l| Lang::PAGES.contains(l));
    if language.is_none() {
        errors.add("language", t(lang, "settings-error-language"));
    }
    let two_step = TwoStepPolicy::from_id(&form.two_step);
    if two_step.is_none() {
        errors.add("two_step", t(lang, "settings-error-two-step"));
    }
    let (
        Some(default_paper),
        Some(aggregates_reviewed_only),
        Some(k),
        Some(erase_closed_after_months),
        Some(delete_drafts_after_days),
        Some(purge_audit_after_months),
        Some(two_step),
        Some(language),
        true,
    ) = (
        paper,
        reviewed_only,
        k,
        closed,
        drafts,
        audit,
        two_step,
        language,
        errors.is_empty(),
    )
    else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&current, &form, errors, false, Plan::default()),
        );
    };
    let settings = Settings {
        organisation,
        default_paper,
        aggregates_reviewed_only,
        k,
        retention: Retention {
            erase_closed_after_months,
            delete_drafts_after_days,
            purge_audit_after_months,
        },
        two_step,
        audit_full_addresses: form.full_addresses == "yes",
        language,
    };
    let now = state.clock.now();
    let event = |action| AuditEvent::new(now, Some(current.user.id), action, Outcome::Success);
    let mut audit = vec![event(AuditAction::SettingsChanged).on("settings")];
    let before = state.store.settings()?;
    if before.two_step != two_step {
        audit.push(
            event(AuditAction::TwoStepPolicyChanged)
                .on("settings")
                .with_detail(format!("{} -> {}", before.two_step.id(), two_step.id())),
        );
    }
    if before.audit_full_addresses != settings.audit_full_addresses {
        let kept = if settings.audit_full_addresses {
            "full"
        } else {
            "truncated"
        };
        audit.push(
            event(AuditAction::SettingsChanged)
                .on("settings")
                .with_detail(format!("audit client addresses: {kept}")),
        );
    }
    state.store.save_settings(&settings, audit).await?;
    Ok(see_other("/admin/settings?saved=true"))
}

/// `POST /admin/retention`: applies the retention rules now.
pub async fn run_retention(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let policy = state.policy.clone();
    let report = crate::retention::run(
        &state.store,
        now,
        move |s| crate::auth::session::is_expired(s, now, &policy),
        Some(current.user.id),
    )
    .await?;
    if report.cases_erased > 0 {
        state.backups.register_changed(&state.store);
    }
    // The counts travel as numbers; the page words them in the reader's language.
    let ran = format!(
        "{}.{}.{}.{}",
        report.cases_erased,
        report.drafts_deleted,
        report.sessions_purged,
        report.audit_entries_purged
    );
    Ok(see_other(&format!("/admin/settings?ran={ran}")))
}
