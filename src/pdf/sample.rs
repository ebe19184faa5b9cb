//! A realistic sample case for benchmarks, layout tests and previews: four assessments of one case
//! with every factor rated, notes on a third of the factors, priorities and an action plan. The
//! notes are invented and identify no one.

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime};

use crate::domain::assessment::{
    ActionItem, ActionOwner, ActionStatus, Actor, Assessment, AssessmentId, ContextAnswers,
    Direction, FactorAnswer, Note, Rating, ReEntry, Setting, Stage,
};
use crate::domain::{CaseCode, Month, UserId};
use crate::instrument::{FactorRole, Instrument};

const NOTE: &str = "Città di arrivo lontana; parla di Łódź e di Núñez, la sua mentore. Meets her counsellor twice a week and wants to start a cooking course once her documents are renewed.";

/// The case code of the sample.
pub fn code() -> CaseCode {
    // A fixed, valid code: generated once and kept so that file names stay stable.
    CaseCode::parse("K7QM3XDA0").unwrap_or_else(|_| CaseCode::generate())
}

/// Four assessments of one case, oldest first; `note_len` caps each note's length (use
/// `MAX_NOTE_CHARS` for the longest notes allowed, on every factor when `notes_everywhere`).
pub fn history(
    instrument: &Instrument,
    note_len: usize,
    notes_everywhere: bool,
) -> Vec<Assessment> {
    let start = Date::from_calendar_date(2025, time::Month::January, 14).unwrap_or(Date::MIN);
    let code = code();
    let mut out = Vec::new();
    for n in 0..4u64 {
        let progress: f64 = [0.2, 0.45, 0.3, 0.6][n as usize];
        let date = start + Duration::days(90 * n as i64);
        let mut answers = BTreeMap::new();
        for (i, (level, f)) in instrument.factors().enumerate() {
            // Levels move differently, so the chart's lines can be told apart.
            let shift: f64 = match level {
                crate::instrument::LevelId::Individual => 0.15,
                crate::instrument::LevelId::Relational => 0.0,
                crate::instrument::LevelId::Structural => -0.15,
            };
            let base = match f.role {
                FactorRole::Facilitating => (progress + shift).clamp(0.0, 1.0),
                FactorRole::Hindering => (1.0 - progress - shift).clamp(0.0, 1.0),
                FactorRole::Controversial => 0.5,
            };
            let value = ((base * 3.0) + ((i % 3) as f64 - 1.0) * 0.4)
                .round()
                .clamp(0.0, 3.0) as u8;
            let note = (notes_everywhere || i % 3 == 0).then(|| {
                let text: String = NOTE.repeat(4).chars().take(note_len).collect();
                Note::parse(&text.replace("  ", " "), usize::MAX)
                    .ok()
                    .flatten()
            });
            answers.insert(
                f.id.clone(),
                FactorAnswer {
                    rating: Rating::try_from(value).ok(),
                    direction: (f.role == FactorRole::Controversial).then_some(Direction::Both),
                    note: note.flatten(),
                    priority: i % 7 == 1,
                },
            );
        }
        let actions = instrument
            .factors()
            .filter(|(_, f)| answers.get(&f.id).is_some_and(|a| a.priority))
            .filter_map(|(_, f)| {
                Some(ActionItem {
                    factor: f.id.clone(),
                    action: Note::parse(
                        "Agree the first steps with her and book the appointments",
                        500,
                    )
                    .ok()??,
                    owner: ActionOwner::CaseWorker,
                    target: Month::parse("2026-03").ok()?,
                    status: ActionStatus::InProgress,
                })
            })
            .collect();
        let id = AssessmentId::new(100 + n);
        let at: OffsetDateTime = date.midnight().assume_utc();
        let context = ContextAnswers {
            date,
            stage: Some(
                [
                    Stage::Contemplation,
                    Stage::Preparation,
                    Stage::Reentry,
                    Stage::Action,
                ][n as usize],
            ),
            reentry: Some(if n == 2 { ReEntry::Yes } else { ReEntry::No }),
            setting: Some(Setting::Shelter),
        };
        let operator = Actor::operator(UserId::new(1));
        // The sample follows every rule; a record that did not would be left out.
        if let Ok(a) = Assessment::filled_in(
            id,
            code.clone(),
            instrument,
            operator,
            at,
            context,
            answers,
            actions,
        ) {
            out.push(a);
        }
    }
    out
}
