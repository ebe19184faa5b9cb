//! Steps 2–4: the factors of one level. Each factor has a rating ("not assessed" by default, 0–3),
//! for controversial factors the direction it acts in, an optional note (checked for identifying
//! details) and a priority tick.

use std::sync::Arc;

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
use crate::i18n::{Lang, Wording, format_date, t, t_with};
use crate::instrument::{Factor, FactorId, FactorRole, Instrument, Level, LevelId};
use crate::state::{Rendered, RenderedKey};
use crate::web::forms::FieldErrors;
use crate::web::forms::note_error;
use crate::web::{PageContext, render as render_page};

/// A factor as the step form shows it: its kept parts and this draft's answers.
pub struct FactorView<'a> {
    /// The parts that depend only on the checklist and the language.
    pub parts: &'a CardParts,
    /// The factor id, used as the field name prefix.
    pub id: &'a str,
    /// The id with dots replaced, for element ids.
    pub dom: String,
    pub role: FactorRole,
    /// The rating buttons, with this answer ticked.
    pub ratings: &'a str,
    /// The direction buttons, with this answer ticked.
    pub directions: &'a str,
    /// The priority box, ticked or not.
    pub priority_box: &'a str,
    /// "na" or "0".."3".
    pub rating: String,
    pub note: String,
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
    level_title: String,
    factors: Vec<FactorView<'a>>,
    answered: usize,
    errors: FieldErrors,
    max_note: usize,
}

/// The parts of one factor's card that depend only on the checklist version and the language
/// (`templates/assessments/_factor_parts.html`). A step page is mostly these, so they are rendered
/// once per process (`state::Rendered`) rather than escaped again for every request.
pub struct CardParts {
    /// Title, badge, evidence line and guidance.
    head: String,
    rating_legend: String,
    /// The rating buttons with nothing ticked (`[0]`), "not assessed" (`[1]`) or scale point
    /// `i` (`[i + 2]`) ticked.
    ratings: Vec<String>,
    direction_legend: String,
    /// The direction buttons with nothing ticked (`[0]`) or direction `i` (`[i + 1]`) ticked.
    directions: Vec<String>,
    note_label: String,
    /// The priority box, unticked and ticked.
    priority: [String; 2],
}

impl CardParts {
    pub fn head(&self) -> &str {
        &self.head
    }

    pub fn rating_legend(&self) -> &str {
        &self.rating_legend
    }

    pub fn direction_legend(&self) -> &str {
        &self.direction_legend
    }

    pub fn note_label(&self) -> &str {
        &self.note_label
    }

    fn priority(&self, ticked: bool) -> &str {
        &self.priority[usize::from(ticked)]
    }
}

/// One part of a card, as `_factor_parts.html` renders it.
enum Part {
    Head,
    RatingLegend,
    /// 0 for "not assessed", `i` for the `i`-th scale point (from 1).
    Ratings(Option<usize>),
    DirectionLegend,
    /// The index of the ticked direction.
    Directions(Option<usize>),
    NoteLabel,
    Priority(bool),
}

#[derive(Template)]
#[template(path = "assessments/_factor_parts.html")]
struct PartPage<'a> {
    ctx: &'a PageContext,
    part: Part,
    f: &'a Factor,
    dom: &'a str,
    evidence: &'a [(String, Option<String>)],
    scale: &'a [(String, String)],
    directions: &'a [(&'static str, String)],
    max_note: usize,
}

impl CardParts {
    fn render(
        instrument: &Instrument,
        f: &Factor,
        lang: Lang,
        scale: &[(String, String)],
        directions: &[(&'static str, String)],
    ) -> Result<Self, askama::Error> {
        let ctx = PageContext {
            lang,
            ..PageContext::default()
        };
        let dom = f.id.dom_id();
        let evidence = instrument.evidence_links(f);
        let part = |part: Part| {
            PartPage {
                ctx: &ctx,
                part,
                f,
                dom: &dom,
                evidence: &evidence,
                scale,
                directions,
                max_note: MAX_NOTE_CHARS,
            }
            .render()
        };
        let mut ratings = vec![part(Part::Ratings(None))?];
        for i in 0..=scale.len() {
            ratings.push(part(Part::Ratings(Some(i)))?);
        }
        let mut direction_parts = vec![part(Part::Directions(None))?];
        for i in 0..directions.len() {
            direction_parts.push(part(Part::Directions(Some(i)))?);
        }
        Ok(Self {
            head: part(Part::Head)?,
            rating_legend: part(Part::RatingLegend)?,
            ratings,
            direction_legend: part(Part::DirectionLegend)?,
            directions: direction_parts,
            note_label: part(Part::NoteLabel)?,
            priority: [part(Part::Priority(false))?, part(Part::Priority(true))?],
        })
    }

    /// The rating buttons with `rating` ("na", "" or a scale value) ticked.
    fn ratings(&self, rating: &str, scale: &[(String, String)]) -> &str {
        let index = if rating == "na" || rating.is_empty() {
            1
        } else {
            scale
                .iter()
                .position(|(value, _)| value == rating)
                .map_or(0, |i| i + 2)
        };
        &self.ratings[index]
    }

    /// The direction buttons with `direction` (an id, or "") ticked.
    fn directions(&self, direction: &str) -> &str {
        let index = Direction::ALL
            .iter()
            .position(|d| d.id() == direction)
            .map_or(0, |i| i + 1);
        &self.directions[index]
    }
}

/// The kept card parts of every factor of one level, in checklist order.
fn level_cards(
    rendered: &Rendered,
    instrument: &Instrument,
    level: &Level,
    lang: Lang,
) -> Result<Arc<Vec<CardParts>>, AppError> {
    let key = RenderedKey {
        kind: "factor-cards",
        instrument: instrument.id.clone(),
        version: instrument.version.clone(),
        lang,
        index: level.id as u8,
    };
    rendered
        .get_or_render(key, || {
            let scale = scale_of(instrument);
            let directions: Vec<(&'static str, String)> = Direction::ALL
                .iter()
                .map(|d| (d.id(), t(lang, d.message_id())))
                .collect();
            level
                .factors
                .iter()
                .map(|f| CardParts::render(instrument, f, lang, &scale, &directions))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|e| AppError::internal(format!("rendering a factor card: {e}")))
}

/// The scale's points as (value, label).
fn scale_of(instrument: &Instrument) -> Vec<(String, String)> {
    instrument
        .scale
        .iter()
        .map(|p| (p.value.to_string(), p.label.clone()))
        .collect()
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

/// "Last time (date): rating" for each rating the previous assessment can hold ("not assessed",
/// then 0 to 3), worded once per checklist and language (`last_time_wordings`); only
/// the date is put in per factor.
struct LastTime<'a> {
    wordings: &'a [Wording],
    previous: &'a Assessment,
    date: String,
}

impl LastTime<'_> {
    /// The line for `factor`.
    fn of(&self, factor: &FactorId) -> String {
        let slot = self
            .previous
            .answer(factor)
            .rating
            .map_or(0, |r| 1 + usize::from(r.get()));
        self.wordings
            .get(slot)
            .map_or_else(String::new, |w| w.fill(&[&self.date]))
    }
}

/// The "last time" line for "not assessed", then for each rating (by value, from 0), with a
/// marker for the date.
fn last_time_wordings(
    rendered: &Rendered,
    instrument: &Instrument,
    lang: Lang,
) -> Result<Arc<Vec<Wording>>, AppError> {
    let key = RenderedKey {
        kind: "last-time",
        instrument: instrument.id.clone(),
        version: instrument.version.clone(),
        lang,
        index: 0,
    };
    rendered.get_or_render(key, || {
        let rating = |text: String| {
            // The rating's words are the checklist's; the date is the case's.
            Wording::new(
                lang,
                "factor-last-time",
                &[("rating", text.into())],
                &["date"],
            )
        };
        let mut wordings = vec![rating(t(lang, "rating-not-assessed"))];
        for value in Rating::ALL.map(Rating::get) {
            let text = instrument
                .scale
                .iter()
                .find(|s| s.value == value)
                .map_or_else(|| value.to_string(), |s| format!("{} {}", s.value, s.label));
            wordings.push(rating(text));
        }
        Ok::<_, AppError>(wordings)
    })
}

/// The kept checklist parts a level step is made from.
pub struct Kept<'a> {
    pub instrument: &'a Instrument,
    pub rendered: &'a Rendered,
}

/// Renders a level step.
pub fn render(
    current: &CurrentUser,
    kept: Kept<'_>,
    level_id: LevelId,
    frame: StepFrame,
    input: Input<'_>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let Kept {
        instrument,
        rendered,
    } = kept;
    let Input {
        assessment,
        previous,
        posted,
    } = input;
    let lang = current.lang;
    let level = level_of(instrument, level_id)?;
    let cards = level_cards(rendered, instrument, level, lang)?;
    let scale = scale_of(instrument);
    let wordings = previous
        .map(|_| last_time_wordings(rendered, instrument, lang))
        .transpose()?;
    let last_time = previous.zip(wordings.as_deref()).map(|(p, w)| LastTime {
        wordings: w,
        previous: p,
        date: format_date(lang, p.context().date),
    });
    let factors: Vec<FactorView<'_>> = level
        .factors
        .iter()
        .zip(cards.iter())
        .map(|(f, parts)| {
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
            let rating = posted_value("rating").unwrap_or_else(|| rating_text(&stored));
            let direction = posted_value("direction").unwrap_or_else(|| {
                stored
                    .direction
                    .map(|d| d.id().to_owned())
                    .unwrap_or_default()
            });
            let priority = posted_value("priority").map_or(stored.priority, |v| v == "yes");
            let (rating_error, direction_error, note_error) = if errors.is_empty() {
                (None, None, None)
            } else {
                (
                    errors.get(&format!("{dom}-rating")).map(str::to_owned),
                    errors.get(&format!("{dom}-direction")).map(str::to_owned),
                    errors.get(&format!("{dom}-note")).map(str::to_owned),
                )
            };
            FactorView {
                parts,
                id,
                role: f.role,
                ratings: parts.ratings(&rating, &scale),
                directions: parts.directions(&direction),
                rating,
                note: posted_value("note").unwrap_or_else(|| {
                    stored
                        .note
                        .as_ref()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                }),
                priority_box: parts.priority(priority),
                rating_error,
                direction_error,
                note_error,
                saved: frame.conflict.then(|| describe(&stored, lang)),
                last: last_time.as_ref().map(|l| l.of(&f.id)),
                dom,
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
        level_title: t_with(
            lang,
            "level-title",
            &[("level", level.title.as_str().into())],
        ),
        factors,
        answered,
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
