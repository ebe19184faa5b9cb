//! Step 5: the results (scores and the three lists) and the action plan, one line per priority
//! factor: what will be done, by whom (a role, never a name), by when, and how far it got.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::{Fields, StepFrame};
use crate::auth::CurrentUser;
use crate::domain::Choice;
use crate::domain::assessment::{
    ActionItem, ActionOwner, ActionPlan, ActionStatus, Assessment, MAX_NOTE_CHARS, Note,
};
use crate::domain::case::Month;
use crate::domain::scoring::{Results, results};
use crate::error::AppError;
use crate::i18n::{Lang, t, t_with};
use crate::instrument::{FactorId, Instrument};
use crate::web::forms::note_error;
use crate::web::forms::{ChoiceField, FieldErrors};
use crate::web::{PageContext, render as render_page};

/// One action-plan line as the form shows it.
pub struct ActionView {
    pub dom: String,
    pub title: String,
    pub action: String,
    pub action_error: Option<String>,
    pub owner: ChoiceField,
    pub target: String,
    pub target_error: Option<String>,
    pub status: ChoiceField,
}

#[derive(Template)]
#[template(path = "assessments/review.html")]
struct ReviewPage {
    ctx: PageContext,
    frame: StepFrame,
    results: Results,
    actions: Vec<ActionView>,
    errors: FieldErrors,
}

/// The name (and element id) of one field of a factor's action line, e.g. `ind-autonomy-action`:
/// the form renders it, the parser reads it and errors point at it, all through this function.
fn field_name(dom: &str, suffix: &str) -> String {
    format!("{dom}-{suffix}")
}

/// The priority factors, in checklist order, with their titles.
fn priorities(instrument: &Instrument, assessment: &Assessment) -> Vec<(FactorId, String)> {
    instrument
        .factors()
        .filter(|(_, f)| assessment.answer(&f.id).priority)
        .map(|(_, f)| (f.id.clone(), f.title.clone()))
        .collect()
}

/// Renders the review step.
pub fn render(
    current: &CurrentUser,
    instrument: &Instrument,
    frame: StepFrame,
    assessment: &Assessment,
    posted: Option<&Fields>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actions = priorities(instrument, assessment)
        .into_iter()
        .map(|(id, title)| {
            let dom = id.dom_id();
            let stored = assessment.actions().iter().find(|a| a.factor == id);
            let value = |suffix: &str, from_store: String| match posted {
                Some(p) => p
                    .get(&field_name(&dom, suffix))
                    .cloned()
                    .unwrap_or_default(),
                None => from_store,
            };
            let action = value(
                "action",
                stored.map(|a| a.action.to_string()).unwrap_or_default(),
            );
            let owner = value(
                "owner",
                stored.map(|a| a.owner.id().to_owned()).unwrap_or_default(),
            );
            let target = value(
                "target",
                stored.map(|a| a.target.to_string()).unwrap_or_default(),
            );
            let state = value(
                "status",
                stored.map_or("planned", |a| a.status.id()).to_owned(),
            );
            ActionView {
                action_error: errors.get(&field_name(&dom, "action")).map(str::to_owned),
                target_error: errors.get(&field_name(&dom, "target")).map(str::to_owned),
                owner: ChoiceField::new_in::<ActionOwner>(
                    current.lang,
                    field_name(&dom, "owner"),
                    t(current.lang, "plan-owner"),
                    &owner,
                    &errors,
                ),
                status: ChoiceField::new_in::<ActionStatus>(
                    current.lang,
                    field_name(&dom, "status"),
                    t(current.lang, "plan-status"),
                    &state,
                    &errors,
                ),
                dom,
                title,
                action,
                target,
            }
        })
        .collect();
    let path = format!("/assessments/{}/review", frame.assessment_id);
    let page = ReviewPage {
        ctx: PageContext::signed_in(current, &path),
        results: results(instrument, assessment.answers()),
        frame,
        actions,
        errors,
    };
    render_page(status, &page)
}

/// Parses the action plan. A priority factor without an action text simply has no line yet.
pub fn parse(
    instrument: &Instrument,
    assessment: &Assessment,
    posted: &Fields,
    errors: &mut FieldErrors,
    lang: Lang,
) -> Option<ActionPlan> {
    let mut actions = Vec::new();
    for (id, title) in priorities(instrument, assessment) {
        let dom = id.dom_id();
        let get = |suffix: &str| {
            posted
                .get(&field_name(&dom, suffix))
                .map(String::as_str)
                .unwrap_or("")
        };
        let action = match Note::parse(get("action"), MAX_NOTE_CHARS) {
            Ok(Some(action)) => action,
            Ok(None) => continue,
            Err(e) => {
                errors.add(
                    field_name(&dom, "action"),
                    t_with(
                        lang,
                        "plan-error-action",
                        &[
                            ("factor", title.as_str().into()),
                            ("problem", note_error(lang, &e).into()),
                        ],
                    ),
                );
                continue;
            }
        };
        let owner = ActionOwner::from_id(get("owner"));
        if owner.is_none() {
            errors.add(
                field_name(&dom, "owner"),
                t_with(
                    lang,
                    "plan-error-owner",
                    &[("factor", title.as_str().into())],
                ),
            );
        }
        let target = Month::parse(get("target"));
        if target.is_err() {
            errors.add(
                field_name(&dom, "target"),
                t_with(
                    lang,
                    "plan-error-target",
                    &[("factor", title.as_str().into())],
                ),
            );
        }
        let status = ActionStatus::from_id(get("status")).unwrap_or(ActionStatus::Planned);
        if let (Some(owner), Ok(target)) = (owner, target) {
            actions.push(ActionItem {
                factor: id,
                action,
                owner,
                target,
                status,
            });
        }
    }
    if !errors.is_empty() {
        return None;
    }
    Some(ActionPlan(actions))
}
