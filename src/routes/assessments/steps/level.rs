//! Steps 2–4: the factors of one level. Each factor has a rating ("not assessed" by default, 0–3),
//! for controversial factors the direction it acts in, an optional note (checked for identifying
//! details) and a priority tick.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::{Fields, StepFrame};
use crate::auth::CurrentUser;
use crate::domain::Choice;
use crate::domain::assessment::{
    Assessment, Direction, FactorAnswer, LevelAnswers, MAX_NOTE_CHARS, Note, Rating,
};
use crate::error::AppError;
use crate::i18n::{Lang, format_date, t, t_with};
use crate::instrument::{FactorRole, Instrument, Level, LevelId};
use crate::web::forms::FieldErrors;
use crate::web::forms::note_error;
use crate::web::{PageContext, render as render_page};

/// A factor as the step form shows it.
pub struct FactorView {
    /// The factor id, used as the field name prefix.
    pub id: String,
    /// The id with dots replaced, for element ids.
    pub dom: String,
    pub title: String,
    pub role: FactorRole,
    /// The badge's CSS name.
    pub badge: &'static str,
    /// The badge's message id.
    pub badge_message: &'static str,
    pub guidance: String,
    /// The studies (short name, anchor on the references page) and how many.
    pub evidence: Vec<(String, Option<String>)>,
    /// "na" or "0".."3".
    pub rating: String,
    pub direction: String,
    pub note: String,
    pub priority: bool,
    pub rating_error: Option<String>,
    pub direction_error: Option<String>,
    pub note_error: Option<String>,
    /// On a conflict: the saved answer, as text.
    pub saved: Option<String>,
    /// The rating at the previous assessment, as text.
    pub last: Option<String>,
}

/// Where a level step's values come from.
pub struct Input<'a> {
    /// The stored draft.
    pub assessment: &'a Assessment,
    /// The case's previous submitted assessment, if any.
    pub previous: Option<&'a Assessment>,
    /// What the user posted, when the form is shown again.
    pub posted: Option<&'a Fields>,
}

#[derive(Template)]
#[template(path = "assessments/level.html")]
struct LevelPage<'a> {
    ctx: PageContext,
    frame: StepFrame,
    level: &'a Level,
    factors: Vec<FactorView>,
    answered: usize,
    scale: Vec<(String, String)>,
    directions: Vec<(&'static str, String)>,
    errors: FieldErrors,
    max_note: usize,
}

fn level_of(instrument: &Instrument, id: LevelId) -> Result<&Level, AppError> {
    instrument
        .levels
        .iter()
        .find(|l| l.id == id)
        .ok_or(AppError::NotFound)
}

fn rating_text(answer: &FactorAnswer) -> String {
    answer
        .rating
        .map_or("na".to_owned(), |r| r.get().to_string())
}

fn describe(answer: &FactorAnswer, lang: Lang) -> String {
    let mut parts = vec![match answer.rating {
        Some(r) => t_with(
            lang,
            "answer-rated",
            &[("rating", r.get().to_string().into())],
        ),
        None => t(lang, "rating-not-assessed"),
    }];
    if let Some(d) = answer.direction {
        parts.push(t_with(
            lang,
            "answer-direction",
            &[("direction", t(lang, d.message_id()).into())],
        ));
    }
    if answer.priority {
        parts.push(t(lang, "factor-priority"));
    }
    if let Some(note) = &answer.note {
        parts.push(t_with(
            lang,
            "answer-note",
            &[("note", note.as_str().into())],
        ));
    }
    parts.join("; ")
}

/// Renders a level step.
pub fn render(
    current: &CurrentUser,
    instrument: &Instrument,
    level_id: LevelId,
    frame: StepFrame,
    input: Input<'_>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let Input {
        assessment,
        previous,
        posted,
    } = input;
    let lang = current.lang;
    let level = level_of(instrument, level_id)?;
    let factors: Vec<FactorView> = level
        .factors
        .iter()
        .map(|f| {
            let id = f.id.as_str();
            let dom = f.id.dom_id();
            let stored = assessment.answer(&f.id);
            let posted_value = |suffix: &str| {
                posted.map(|p| {
                    p.get(&format!("{id}.{suffix}"))
                        .cloned()
                        .unwrap_or_default()
                })
            };
            FactorView {
                id: id.to_owned(),
                dom: dom.clone(),
                title: f.title.clone(),
                role: f.role,
                badge: f.badge_class(),
                badge_message: f.badge_message(),
                guidance: f.guidance.trim().to_owned(),
                evidence: instrument.evidence_links(f),
                rating: posted_value("rating").unwrap_or_else(|| rating_text(&stored)),
                direction: posted_value("direction").unwrap_or_else(|| {
                    stored
                        .direction
                        .map(|d| d.id().to_owned())
                        .unwrap_or_default()
                }),
                note: posted_value("note").unwrap_or_else(|| {
                    stored
                        .note
                        .as_ref()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                }),
                priority: posted_value("priority").map_or(stored.priority, |v| v == "yes"),
                rating_error: errors.get(&format!("{dom}-rating")).map(str::to_owned),
                direction_error: errors.get(&format!("{dom}-direction")).map(str::to_owned),
                note_error: errors.get(&format!("{dom}-note")).map(str::to_owned),
                saved: frame.conflict.then(|| describe(&stored, lang)),
                last: previous.map(|p| {
                    let text = match p.answer(&f.id).rating {
                        Some(r) => instrument
                            .scale
                            .iter()
                            .find(|s| s.value == r.get())
                            .map_or_else(
                                || r.get().to_string(),
                                |s| format!("{} {}", s.value, s.label),
                            ),
                        None => t(lang, "rating-not-assessed"),
                    };
                    t_with(
                        lang,
                        "factor-last-time",
                        &[
                            ("date", format_date(lang, p.context().date).into()),
                            ("rating", text.into()),
                        ],
                    )
                }),
            }
        })
        .collect();
    let answered = factors
        .iter()
        .filter(|f| f.rating != "na" && !f.rating.is_empty())
        .count();
    let path = format!("/assessments/{}/{}", frame.assessment_id, frame.step.slug());
    let page = LevelPage {
        ctx: PageContext::signed_in(current, &path),
        frame,
        level,
        factors,
        answered,
        scale: instrument
            .scale
            .iter()
            .map(|p| (p.value.to_string(), p.label.clone()))
            .collect(),
        directions: Direction::ALL
            .iter()
            .map(|d| (d.id(), t(lang, d.message_id())))
            .collect(),
        errors,
        max_note: MAX_NOTE_CHARS,
    };
    render_page(status, &page)
}

/// Parses a level step: every factor's rating, direction, note and priority.
pub fn parse(
    instrument: &Instrument,
    level_id: LevelId,
    posted: &Fields,
    errors: &mut FieldErrors,
    lang: Lang,
) -> Option<LevelAnswers> {
    let level = level_of(instrument, level_id).ok()?;
    let mut answers = Vec::new();
    for factor in &level.factors {
        let id = factor.id.as_str();
        let dom = factor.id.dom_id();
        let get = |suffix: &str| {
            posted
                .get(&format!("{id}.{suffix}"))
                .map(String::as_str)
                .unwrap_or("")
        };
        let rating = match get("rating") {
            "" | "na" => Some(None),
            raw => match raw
                .parse::<u8>()
                .ok()
                .and_then(|v| Rating::try_from(v).ok())
            {
                Some(r) => Some(Some(r)),
                None => {
                    errors.add(
                        format!("{dom}-rating"),
                        t_with(
                            lang,
                            "factor-error-rating",
                            &[("factor", factor.title.as_str().into())],
                        ),
                    );
                    None
                }
            },
        };
        let direction = match (factor.role, get("direction")) {
            (FactorRole::Controversial, "") | (_, "") => Some(None),
            (FactorRole::Controversial, raw) => match Direction::from_id(raw) {
                Some(d) => Some(Some(d)),
                None => {
                    errors.add(
                        format!("{dom}-direction"),
                        t_with(
                            lang,
                            "factor-error-direction",
                            &[("factor", factor.title.as_str().into())],
                        ),
                    );
                    None
                }
            },
            // Only controversial factors have a direction; ignore one sent for another factor.
            (_, _) => Some(None),
        };
        let note = match Note::parse(get("note"), MAX_NOTE_CHARS) {
            Ok(note) => Some(note),
            Err(e) => {
                errors.add(
                    format!("{dom}-note"),
                    t_with(
                        lang,
                        "factor-error-note",
                        &[
                            ("factor", factor.title.as_str().into()),
                            ("problem", note_error(lang, &e).into()),
                        ],
                    ),
                );
                None
            }
        };
        let priority = get("priority") == "yes";
        if let (Some(rating), Some(direction), Some(note)) = (rating, direction, note) {
            answers.push((
                factor.id.clone(),
                FactorAnswer {
                    rating,
                    direction,
                    note,
                    priority,
                },
            ));
        }
    }
    if answers.len() != level.factors.len() {
        return None;
    }
    Some(LevelAnswers::new(level_id, answers))
}
