//! The dashboard as every output shows it. The page, the PDF report and the CSV read the same
//! sections, in the same order, with the same labels, cell texts and "fewer than k" wording from
//! here, so they cannot disagree. Each row also carries its CSV keys (table, group, item) and each
//! cell its measure, so the CSV is the same figures in long form.

use super::Dashboard;
use crate::domain::Choice;
use crate::domain::assessment::Direction;
use crate::domain::disclosure::Figure;
use crate::instrument::{Instrument, LevelId};

/// How a figure is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A number of cases or assessments: "12".
    Count,
    /// A share of cases, 0–100: "45%".
    Percent,
    /// A mean score, 0–100: "62".
    Score,
    /// A mean change of a score: "+3", "-5".
    Change,
}

/// One figure, ready to show.
#[derive(Debug, Clone)]
pub struct Cell {
    pub figure: Figure,
    pub format: Format,
    /// Its measure in the CSV: `cases`, `present_share`, `resource_mean`…
    pub measure: String,
    /// Its CSV group when it differs from its row's (a cross-table's column, e.g. `stage=action`).
    pub group: Option<String>,
    /// Length of its bar on the page, 0–100.
    pub bar: f64,
    k: usize,
}

impl Cell {
    fn new(figure: &Figure, format: Format, measure: impl Into<String>, k: usize) -> Self {
        let bar = match (format, figure.shown()) {
            (Format::Percent | Format::Score, Some(v)) => v.clamp(0.0, 100.0),
            _ => 0.0,
        };
        Self {
            figure: figure.clone(),
            format,
            measure: measure.into(),
            group: None,
            bar,
            k,
        }
    }

    /// Whether the figure is hidden (it rests on fewer than k cases).
    pub fn hidden(&self) -> bool {
        self.figure.shown().is_none()
    }

    /// The figure as the page and the PDF write it.
    pub fn text(&self) -> String {
        match (self.figure.shown(), self.format) {
            (None, _) => fewer_than(self.k),
            (Some(v), Format::Percent) => format!("{v:.0}%"),
            (Some(v), Format::Change) => format!("{v:+.0}"),
            (Some(v), Format::Count | Format::Score) => format!("{v:.0}"),
        }
    }

    /// The figure as the CSV writes it (empty when hidden): counts whole, the rest to one decimal.
    pub fn csv_value(&self) -> String {
        match (self.figure.shown(), self.format) {
            (None, _) => String::new(),
            (Some(v), Format::Count) => format!("{v:.0}"),
            (Some(v), _) => format!("{v:.1}"),
        }
    }
}

/// What a hidden figure says.
pub fn fewer_than(k: usize) -> String {
    format!("fewer than {k}")
}

/// One line of a section.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    /// The CSV `table`, `group` and `item` of its figures.
    pub table: &'static str,
    pub group: String,
    pub item: String,
    pub cells: Vec<Cell>,
}

/// A titled table of the dashboard.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: &'static str,
    /// Column headings, the row heading's first.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// Everything the outputs show, in order.
#[derive(Debug, Clone)]
pub struct DashboardView {
    pub k: usize,
    /// Whether enough cases match for any figure to be shown.
    pub enough: bool,
    pub cases: usize,
    /// Whether only reviewed assessments count.
    pub reviewed_only: bool,
    /// What counts, in words: "reviewed assessments only" or "every submitted assessment".
    pub counted: &'static str,
    /// The rule for hidden figures, in a sentence.
    pub hiding_rule: String,
    /// What is said instead of the figures when too few cases match.
    pub too_few: String,
    /// How a case is counted, in a sentence.
    pub counting_rule: &'static str,
    /// The headline figures: cases, assessments, change over time, re-entries, consent.
    pub scope: Section,
    pub stages: Section,
    pub levels: Section,
    pub missing: Section,
    pub factors: Section,
    pub by_stage: Section,
}

impl DashboardView {
    /// The sections in the order every output shows them (the scope first).
    pub fn sections(&self) -> [&Section; 6] {
        [
            &self.scope,
            &self.stages,
            &self.levels,
            &self.missing,
            &self.factors,
            &self.by_stage,
        ]
    }
}

fn level_key(level: LevelId) -> &'static str {
    match level {
        LevelId::Individual => "individual",
        LevelId::Relational => "relational",
        LevelId::Structural => "structural",
    }
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// Lays out `d` for showing. With too few cases, only the scope's case counts are there.
pub fn view(instrument: &Instrument, d: &Dashboard) -> DashboardView {
    let k = d.k;
    let cell = |f: &Figure, format, measure: &str| Cell::new(f, format, measure, k);
    let line = |label: &str, table, f: &Figure, format, measure: &str| Row {
        label: label.to_owned(),
        table,
        group: "all".into(),
        item: String::new(),
        cells: vec![cell(f, format, measure)],
    };
    let cases = Figure::new(d.cases as f64, d.cases);
    let mut scope = vec![line("Cases", "scope", &cases, Format::Count, "cases")];
    if d.enough {
        scope.extend([
            line(
                "Assessments counted",
                "scope",
                &d.assessments,
                Format::Count,
                "assessments",
            ),
            line(
                "Cases followed over two or more assessments",
                "change",
                &d.followed,
                Format::Count,
                "cases_followed",
            ),
            line(
                "Of those, improved overall (resources up)",
                "change",
                &d.improved,
                Format::Percent,
                "improved_share",
            ),
            line(
                "Of those, worsened overall (resources down)",
                "change",
                &d.worsened,
                Format::Percent,
                "worsened_share",
            ),
            line(
                "Cases with a re-entry in the period",
                "reentries",
                &d.reentries,
                Format::Count,
                "cases",
            ),
        ]);
    }
    scope.push(line(
        "Cases left out: no consent to anonymous reports",
        "scope",
        &d.without_consent,
        Format::Count,
        "cases_without_consent",
    ));

    let stages = d
        .stages
        .iter()
        .map(|(stage, f)| {
            let mut c = cell(f, Format::Count, "cases");
            c.bar = f.shown().map_or(0.0, |v| v * 100.0 / d.cases.max(1) as f64);
            Row {
                label: stage.label().to_owned(),
                table: "stages",
                group: format!("stage={}", stage.id()),
                item: String::new(),
                cells: vec![c],
            }
        })
        .collect();

    let levels = d
        .levels
        .iter()
        .map(|l| Row {
            label: instrument
                .levels
                .iter()
                .find(|x| x.id == l.level)
                .map_or_else(String::new, |x| x.title.clone()),
            table: "levels",
            group: format!("level={}", level_key(l.level)),
            item: String::new(),
            cells: vec![
                cell(&l.resource, Format::Score, "resource_mean"),
                cell(&l.resource_change, Format::Change, "resource_change_mean"),
                cell(&l.barrier, Format::Score, "barrier_mean"),
                cell(&l.barrier_change, Format::Change, "barrier_change_mean"),
            ],
        })
        .collect();

    let missing = d
        .missing_support
        .iter()
        .enumerate()
        .map(|(rank, (title, f))| {
            let factor = instrument
                .factors()
                .find(|(_, x)| &x.title == title)
                .map(|(_, x)| x.id.to_string())
                .unwrap_or_default();
            Row {
                label: title.clone(),
                table: "missing_support",
                group: format!("rank={}", rank + 1),
                item: format!("factor={factor}"),
                cells: vec![cell(f, Format::Percent, "absent_share")],
            }
        })
        .collect();

    let factors = d
        .factors
        .iter()
        .map(|f| {
            let mut cells = vec![cell(&f.present, Format::Percent, "present_share")];
            cells.extend(f.directions.iter().map(|(direction, fig)| {
                cell(fig, Format::Percent, &format!("{}_share", direction.id()))
            }));
            Row {
                label: format!(
                    "{} ({})",
                    f.title,
                    if f.context {
                        "Context"
                    } else {
                        f.role.action_label()
                    }
                ),
                table: "factors",
                group: format!("level={}", level_key(f.level)),
                item: format!("factor={}", f.factor),
                cells,
            }
        })
        .collect();
    let mut factor_columns = vec!["Factor".to_owned(), "Present".to_owned()];
    factor_columns.extend(Direction::ALL.iter().map(|d| d.label().to_owned()));

    // Presence by stage: a factor per row, a stage per column; in the CSV a row per figure,
    // grouped by stage.
    let by_stage = d
        .factors
        .iter()
        .enumerate()
        .map(|(i, f)| Row {
            label: f.title.clone(),
            table: "presence_by_stage",
            group: String::new(),
            item: format!("factor={}", f.factor),
            cells: d
                .by_stage
                .iter()
                .map(|(stage, figures)| Cell {
                    group: Some(format!("stage={}", stage.id())),
                    ..cell(&figures[i], Format::Percent, "present_share")
                })
                .collect(),
        })
        .collect();
    let mut stage_columns = vec!["Factor".to_owned()];
    stage_columns.extend(d.by_stage.iter().map(|(s, _)| s.label().to_owned()));

    DashboardView {
        k,
        enough: d.enough,
        cases: d.cases,
        reviewed_only: d.reviewed_only,
        counted: if d.reviewed_only {
            "reviewed assessments only"
        } else {
            "every submitted assessment"
        },
        hiding_rule: format!(
            "Figures from fewer than {k} cases are shown as “{}”, and a second figure is hidden \
             where the first could be worked out.",
            fewer_than(k)
        ),
        too_few: format!("Fewer than {k} cases match these filters, so no figures are shown."),
        counting_rule: "Each case counts once: its latest counted assessment in the period (its \
                        first for change).",
        scope: Section {
            title: "In scope",
            columns: columns(&["Figure", "Value"]),
            rows: scope,
        },
        stages: Section {
            title: "Stage of change at the latest assessment",
            columns: columns(&["Stage", "Cases"]),
            rows: stages,
        },
        levels: Section {
            title: "Scores by level (0–100)",
            columns: columns(&["Level", "Resources", "Change", "Barriers", "Change"]),
            rows: levels,
        },
        missing: Section {
            title: "Where support is missing",
            columns: columns(&["Factor", "Absent or weak"]),
            rows: missing,
        },
        factors: Section {
            title: "Factors",
            columns: factor_columns,
            rows: factors,
        },
        by_stage: Section {
            title: "Factor presence by stage of change",
            columns: stage_columns,
            rows: by_stage,
        },
    }
}
