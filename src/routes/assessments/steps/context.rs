//! Step 1: the context of this assessment.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use time::{Date, OffsetDateTime};

use super::{Fields, StepFrame};
use crate::auth::CurrentUser;
use crate::domain::Choice;
use crate::domain::assessment::{Assessment, ContextAnswers, ReEntry, Setting, Stage};
use crate::error::AppError;
use crate::instrument::Instrument;
use crate::web::forms::{ChoiceField, FieldErrors};
use crate::web::{PageContext, render as render_page};

#[derive(Template)]
#[template(path = "assessments/context.html")]
struct ContextPage {
    ctx: PageContext,
    frame: StepFrame,
    date: String,
    stage: ChoiceField,
    reentry: ChoiceField,
    setting: ChoiceField,
    errors: FieldErrors,
    /// On a conflict: the saved answers, as text.
    saved: Vec<(&'static str, String)>,
    /// What each stage means, in one line (the checklist version's own words).
    meanings: Vec<(String, String)>,
    /// Whose ideas the stage descriptions borrow.
    credit: Option<String>,
}

fn id_of<C: Choice>(c: Option<C>) -> &'static str {
    c.map_or("", |c| c.id())
}

fn label_of<C: Choice>(c: Option<C>) -> String {
    c.map_or("not given".to_owned(), |c| c.label().to_owned())
}

/// Renders the context step.
pub fn render(
    current: &CurrentUser,
    instrument: &Instrument,
    frame: StepFrame,
    assessment: &Assessment,
    posted: Option<&Fields>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let c = &assessment.context();
    let value = |name: &str, stored: &str| match posted {
        Some(p) => p.get(name).cloned().unwrap_or_default(),
        None => stored.to_owned(),
    };
    let saved = if frame.conflict {
        vec![
            ("Date", c.date.to_string()),
            ("Stage of change", label_of(c.stage)),
            ("Re-entry since the last assessment", label_of(c.reentry)),
            ("Where she lives now", label_of(c.setting)),
        ]
    } else {
        Vec::new()
    };
    let path = format!("/assessments/{}/context", frame.assessment_id);
    let page = ContextPage {
        ctx: PageContext::signed_in(current, &path),
        date: value("date", &c.date.to_string()),
        stage: ChoiceField::new::<Stage>(
            "stage",
            "Stage of change",
            &value("stage", id_of(c.stage)),
            &errors,
        ),
        reentry: ChoiceField::new::<ReEntry>(
            "reentry",
            "Has she re-entered exploitation since the last assessment?",
            &value("reentry", id_of(c.reentry)),
            &errors,
        ),
        setting: ChoiceField::new::<Setting>(
            "setting",
            "Where does she live now?",
            &value("setting", id_of(c.setting)),
            &errors,
        ),
        frame,
        errors,
        saved,
        meanings: instrument
            .stages
            .iter()
            .filter(|s| !s.summary.is_empty())
            .map(|s| (s.title.clone(), s.summary.clone()))
            .collect(),
        credit: instrument.stages_credit.clone(),
    };
    render_page(status, &page)
}

fn optional<C: Choice>(
    posted: &Fields,
    name: &'static str,
    errors: &mut FieldErrors,
) -> Option<Option<C>> {
    match posted.get(name).map(String::as_str).unwrap_or("") {
        "" => Some(None),
        id => match C::from_id(id) {
            Some(c) => Some(Some(c)),
            None => {
                errors.add(name, "Choose one of the answers");
                None
            }
        },
    }
}

/// Parses the context step. The stage may stay empty in a draft; submitting asks for it.
pub fn parse(
    posted: &Fields,
    now: OffsetDateTime,
    errors: &mut FieldErrors,
) -> Option<ContextAnswers> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let raw_date = posted.get("date").map(|d| d.trim()).unwrap_or("");
    let date = match Date::parse(raw_date, &format) {
        Ok(d) if d > now.date() => {
            errors.add("date", "The assessment date cannot be in the future");
            None
        }
        Ok(d) if d.year() < 2000 => {
            errors.add("date", "Enter the date of this assessment");
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.add("date", "Enter the date of this assessment as YYYY-MM-DD");
            None
        }
    };
    let stage = optional::<Stage>(posted, "stage", errors);
    let reentry = optional::<ReEntry>(posted, "reentry", errors);
    let setting = optional::<Setting>(posted, "setting", errors);
    Some(ContextAnswers {
        date: date?,
        stage: stage?,
        reentry: reentry?,
        setting: setting?,
    })
}
