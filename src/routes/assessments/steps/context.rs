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
use crate::i18n::{Lang, format_date, t};
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

fn label_of<C: Choice>(c: Option<C>, lang: Lang) -> String {
    t(lang, c.map_or("answer-not-given", |c| c.message_id()))
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
    let lang = current.lang;
    let c = &assessment.context();
    let value = |name: &str, stored: &str| match posted {
        Some(p) => p.get(name).cloned().unwrap_or_default(),
        None => stored.to_owned(),
    };
    let saved = if frame.conflict {
        vec![
            ("context-date", format_date(lang, c.date)),
            ("context-stage", label_of(c.stage, lang)),
            ("context-reentry-short", label_of(c.reentry, lang)),
            ("context-setting-short", label_of(c.setting, lang)),
        ]
    } else {
        Vec::new()
    };
    let path = format!("/assessments/{}/context", frame.assessment_id);
    let page = ContextPage {
        ctx: PageContext::signed_in(current, &path),
        date: value("date", &c.date.to_string()),
        stage: ChoiceField::new_in::<Stage>(
            lang,
            "stage",
            t(lang, "context-stage"),
            &value("stage", id_of(c.stage)),
            &errors,
        ),
        reentry: ChoiceField::new_in::<ReEntry>(
            lang,
            "reentry",
            t(lang, "context-reentry"),
            &value("reentry", id_of(c.reentry)),
            &errors,
        ),
        setting: ChoiceField::new_in::<Setting>(
            lang,
            "setting",
            t(lang, "context-setting"),
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
    lang: Lang,
) -> Option<Option<C>> {
    match posted.get(name).map(String::as_str).unwrap_or("") {
        "" => Some(None),
        id => match C::from_id(id) {
            Some(c) => Some(Some(c)),
            None => {
                errors.add(name, t(lang, "error-choose-answer"));
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
    lang: Lang,
) -> Option<ContextAnswers> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let raw_date = posted.get("date").map(|d| d.trim()).unwrap_or("");
    let date = match Date::parse(raw_date, &format) {
        Ok(d) if d > now.date() => {
            errors.add("date", t(lang, "context-error-future"));
            None
        }
        Ok(d) if d.year() < 2000 => {
            errors.add("date", t(lang, "context-error-date"));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.add("date", t(lang, "context-error-format"));
            None
        }
    };
    let stage = optional::<Stage>(posted, "stage", errors, lang);
    let reentry = optional::<ReEntry>(posted, "reentry", errors, lang);
    let setting = optional::<Setting>(posted, "setting", errors, lang);
    Some(ContextAnswers {
        date: date?,
        stage: stage?,
        reentry: reentry?,
        setting: setting?,
    })
}
