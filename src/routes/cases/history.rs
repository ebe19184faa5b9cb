//! A case's history: its submitted assessments in date order with scores and the change since the
//! previous one, a chart of the level scores, and a factor-by-assessment grid. Built as plain data
//! here; the SVG is drawn by the template from these coordinates.

use crate::domain::Choice;
use crate::domain::assessment::{Assessment, ReEntry};
use crate::domain::scoring::{LevelScore, Results, results};
use crate::i18n::{Lang, format_date, t, t_with};
use crate::instrument::{FactorRole, Instrument, Instruments, LevelId};

/// One submitted assessment in the history.
pub struct HistoryRow {
    pub assessment: Assessment,
    pub date: String,
    pub stage: String,
    pub reentry: String,
    /// Whether she re-entered exploitation before this assessment.
    pub reentered: bool,
    pub results: Results,
    /// Per level: (resource change, barrier change) since the previous row.
    pub changes: Vec<(Option<f64>, Option<f64>)>,
}

/// A line of the chart.
pub struct Series {
    pub label: String,
    pub class: String,
    /// `x,y` pairs for an SVG polyline.
    pub points: String,
    pub markers: Vec<(f64, f64, String)>,
}

/// The level-score chart.
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub series: Vec<Series>,
    /// x position and text of each assessment's date label.
    pub x_labels: Vec<(f64, String)>,
    /// y position and text of the gridlines.
    pub y_ticks: Vec<(f64, u8)>,
    pub left: f64,
    pub right: f64,
}

/// One factor's ratings over time.
pub struct GridRow {
    pub title: String,
    pub level: String,
    pub role: FactorRole,
    /// The badge's CSS name and message id.
    pub badge: (&'static str, &'static str),
    /// Per assessment: the rating text, and whether it moved the wrong way since the previous one.
    pub cells: Vec<(String, bool)>,
}

/// Everything the case page shows about assessments.
pub struct CaseHistory {
    pub rows: Vec<HistoryRow>,
    pub drafts: Vec<Assessment>,
    pub chart: Option<Chart>,
    pub grid: Vec<GridRow>,
    /// The levels' CSS names and titles, for the chart's legend.
    pub levels: Vec<(&'static str, String)>,
}

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

fn y_of(score: f64) -> f64 {
    TOP + (100.0 - score) / 100.0 * (CHART_H - TOP - BOTTOM)
}

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        LEFT + (CHART_W - LEFT - RIGHT) / 2.0
    } else {
        LEFT + i as f64 * (CHART_W - LEFT - RIGHT) / (n - 1) as f64
    }
}

/// The level's CSS name.
fn level_class(level: LevelId) -> &'static str {
    match level {
        LevelId::Individual => "individual",
        LevelId::Relational => "relational",
        LevelId::Structural => "structural",
    }
}

/// The level's title in the checklist's language.
fn level_title(instrument: &Instrument, level: LevelId) -> String {
    instrument
        .levels
        .iter()
        .find(|l| l.id == level)
        .map(|l| l.title.clone())
        .unwrap_or_default()
}

fn diff(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(now? - before?)
}

/// Builds the history of a case from all its assessment records, each scored under the checklist
/// version it was made with.
pub fn history(instruments: &Instruments, mut all: Vec<Assessment>, lang: Lang) -> CaseHistory {
    let instrument = instruments.active_in(lang).as_ref();
    all.sort_by_key(|a| (a.context().date, a.id()));
    let drafts = all.iter().filter(|a| a.is_draft()).cloned().collect();
    let mut rows: Vec<HistoryRow> = Vec::new();
    for assessment in all.into_iter().filter(|a| a.is_current_submission()) {
        let own = instruments
            .find_in(
                assessment.instrument_id(),
                assessment.instrument_version(),
                lang,
            )
            .map_or(instrument, |i| i.as_ref());
        let results = results(own, assessment.answers());
        let changes = match rows.last() {
            Some(prev) => results
                .levels
                .iter()
                .zip(&prev.results.levels)
                .map(|(now, before): (&LevelScore, &LevelScore)| {
                    (
                        diff(now.resource, before.resource),
                        diff(now.barrier, before.barrier),
                    )
                })
                .collect(),
            None => vec![(None, None); results.levels.len()],
        };
        rows.push(HistoryRow {
            date: format_date(lang, assessment.context().date),
            stage: t(
                lang,
                assessment
                    .context()
                    .stage
                    .map_or("answer-not-given", |s| s.message_id()),
            ),
            reentry: t(
                lang,
                assessment
                    .context()
                    .reentry
                    .map_or("answer-not-given", |r| r.message_id()),
            ),
            reentered: assessment.context().reentry == Some(ReEntry::Yes),
            results,
            changes,
            assessment,
        });
    }
    let chart = (!rows.is_empty()).then(|| chart(instrument, &rows, lang));
    let grid = grid(instrument, &rows);
    CaseHistory {
        rows,
        drafts,
        chart,
        grid,
        levels: instrument
            .levels
            .iter()
            .map(|l| (level_class(l.id), l.title.clone()))
            .collect(),
    }
}

fn chart(instrument: &Instrument, rows: &[HistoryRow], lang: Lang) -> Chart {
    let n = rows.len();
    let mut series = Vec::new();
    for (li, level) in rows[0].results.levels.iter().enumerate() {
        for barrier in [false, true] {
            let kind = if barrier { "barrier" } else { "resources" };
            let kind_text = t(
                lang,
                if barrier {
                    "chart-barriers"
                } else {
                    "chart-resources"
                },
            );
            let title = level_title(instrument, level.level);
            let mut points = Vec::new();
            let mut markers = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let score = row
                    .results
                    .levels
                    .get(li)
                    .and_then(|l| if barrier { l.barrier } else { l.resource });
                if let Some(score) = score {
                    let (x, y) = (x_of(i, n), y_of(score));
                    points.push(format!("{x:.1},{y:.1}"));
                    markers.push((
                        x,
                        y,
                        t_with(
                            lang,
                            "chart-marker",
                            &[
                                ("level", title.as_str().into()),
                                ("kind", kind_text.as_str().into()),
                                ("date", row.date.as_str().into()),
                                ("score", format!("{score:.0}").into()),
                            ],
                        ),
                    ));
                }
            }
            series.push(Series {
                label: format!("{title} {kind_text}"),
                class: format!("line-{} {}", level_class(level.level), kind),
                points: points.join(" "),
                markers,
            });
        }
    }
    Chart {
        width: CHART_W,
        height: CHART_H,
        series,
        x_labels: rows
            .iter()
            .enumerate()
            .map(|(i, r)| (x_of(i, n), r.date.clone()))
            .collect(),
        y_ticks: [0u8, 25, 50, 75, 100]
            .into_iter()
            .map(|t| (y_of(f64::from(t)), t))
            .collect(),
        left: LEFT,
        right: CHART_W - RIGHT,
    }
}

fn grid(instrument: &Instrument, rows: &[HistoryRow]) -> Vec<GridRow> {
    instrument
        .factors()
        .map(|(level, factor)| {
            let mut previous: Option<u8> = None;
            let cells = rows
                .iter()
                .map(|row| {
                    let rating = row.assessment.answer(&factor.id).rating.map(|r| r.get());
                    let worse = match (previous, rating) {
                        (Some(_), Some(_)) if factor.context => false,
                        (Some(before), Some(now)) => match factor.role {
                            FactorRole::Facilitating => now < before,
                            FactorRole::Hindering => now > before,
                            FactorRole::Controversial => false,
                        },
                        _ => false,
                    };
                    if rating.is_some() {
                        previous = rating;
                    }
                    (rating.map_or("–".to_owned(), |r| r.to_string()), worse)
                })
                .collect();
            GridRow {
                title: factor.title.clone(),
                level: level_title(instrument, level),
                role: factor.role,
                badge: (factor.badge_class(), factor.badge_message()),
                cells,
            }
        })
        .collect()
}
