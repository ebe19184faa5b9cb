//! The dashboard as every output shows it. The page, the PDF report and the CSV read the same
//! sections, in the same order, with the same labels, cell texts and "fewer than k" wording from
//! here, so they cannot disagree. Each row also carries its CSV keys (table, group, item) and each
//! cell its measure, so the CSV is the same figures in long form.

use super::Dashboard;
use crate::domain::Choice;
use crate::domain::assessment::Direction;
use crate::domain::disclosure::Figure;
use crate::i18n::{Lang, t, t_with};
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
    lang: Lang,
}

impl Cell {
    fn new(
        figure: &Figure,
        format: Format,
        measure: impl Into<String>,
        k: usize,
        lang: Lang,
    ) -> Self {
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
            lang,
        }
    }

    /// Whether the figure is hidden (it rests on fewer than k cases).
    pub fn hidden(&self) -> bool {
        self.figure.shown().is_none()
    }

    /// The figure as the page and the PDF write it.
    pub fn text(&self) -> String {
        match (self.figure.shown(), self.format) {
            (None, _) => fewer_than(self.k, self.lang),
            // French puts a (no-break) space before the sign.
            (Some(v), Format::Percent) if self.lang == Lang::Fr => format!("{v:.0}\u{a0}%"),
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
pub fn fewer_than(k: usize, lang: Lang) -> String {
    t_with(lang, "dash-fewer-than", &[("k", k.into())])
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
    pub title: String,
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
    pub counted: String,
    /// The rule for hidden figures, in a sentence.
    pub hiding_rule: String,
    /// What is said instead of the figures when too few cases match.
    pub too_few: String,
    /// How a case is counted, in a sentence.
    pub counting_rule: String,
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

fn columns(lang: Lang, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| t(lang, id)).collect()
}

/// Lays out `d` for showing, in `lang` with the checklist `instrument` in the same language (the
/// CSV reads only the keys, which are the same in every language). With too few cases, only the
/// scope's case counts are there.
pub fn view(instrument: &Instrument, d: &Dashboard, lang: Lang) -> DashboardView {
    let k = d.k;
    let cell = |f: &Figure, format, measure: &str| Cell::new(f, format, measure, k, lang);
    let title_of = |id: &str, fallback: &str| {
        instrument
            .factors()
            .find(|(_, f)| f.id.as_str() == id)
            .map_or_else(|| fallback.to_owned(), |(_, f)| f.title.clone())
    };
    let line = |label: &str, table, f: &Figure, format, measure: &str| Row {
        label: t(lang, label),
        table,
        group: "all".into(),
        item: String::new(),
        cells: vec![cell(f, format, measure)],
    };
    let cases = Figure::new(d.cases as f64, d.cases);
    let mut scope = vec![line("dash-cases", "scope", &cases, Format::Count, "cases")];
    if d.enough {
        scope.extend([
            line(
                "dash-assessments",
                "scope",
                &d.assessments,
                Format::Count,
                "assessments",
            ),
            line(
                "dash-followed",
                "change",
                &d.followed,
                Format::Count,
                "cases_followed",
            ),
            line(
                "dash-improved",
                "change",
                &d.improved,
                Format::Percent,
                "improved_share",
            ),
            line(
                "dash-worsened",
                "change",
                &d.worsened,
                Format::Percent,
                "worsened_share",
            ),
            line(
                "dash-reentries",
                "reentries",
                &d.reentries,
                Format::Count,
                "cases",
            ),
        ]);
    }
    scope.push(line(
        "dash-without-consent",
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
                label: t(lang, stage.message_id()),
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
        .map(|(rank, (factor, f))| {
            let factor = factor.to_string();
            Row {
                label: title_of(&factor, &factor),
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
                    title_of(f.factor.as_str(), &f.title),
                    t(
                        lang,
                        if f.context {
                            "badge-context"
                        } else {
                            f.role.message_id()
                        }
                    )
                ),
                table: "factors",
                group: format!("level={}", level_key(f.level)),
                item: format!("factor={}", f.factor),
                cells,
            }
        })
        .collect();
    let mut factor_columns = columns(lang, &["plan-factor", "dash-present"]);
    factor_columns.extend(Direction::ALL.iter().map(|d| t(lang, d.message_id())));

    // Presence by stage: a factor per row, a stage per column; in the CSV a row per figure,
    // grouped by stage.
    let by_stage = d
        .factors
        .iter()
        .enumerate()
        .map(|(i, f)| Row {
            label: title_of(f.factor.as_str(), &f.title),
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
    let mut stage_columns = columns(lang, &["plan-factor"]);
    stage_columns.extend(d.by_stage.iter().map(|(s, _)| t(lang, s.message_id())));

    DashboardView {
        k,
        enough: d.enough,
        cases: d.cases,
        reviewed_only: d.reviewed_only,
        counted: t(
            lang,
            if d.reviewed_only {
                "dash-counted-reviewed"
            } else {
                "dash-counted-all"
            },
        ),
        hiding_rule: t_with(
            lang,
            "dash-hiding-rule",
            &[("k", k.into()), ("hidden", fewer_than(k, lang).into())],
        ),
        too_few: t_with(lang, "dash-too-few", &[("k", k.into())]),
        counting_rule: t(lang, "dash-counting-rule"),
        scope: Section {
            title: t(lang, "dash-scope"),
            columns: columns(lang, &["dash-figure", "dash-value"]),
            rows: scope,
        },
        stages: Section {
            title: t(lang, "dash-stages"),
            columns: columns(lang, &["case-stage", "dash-cases"]),
            rows: stages,
        },
        levels: Section {
            title: t(lang, "dash-levels"),
            columns: columns(
                lang,
                &[
                    "results-level",
                    "results-resources",
                    "dash-change",
                    "results-barriers",
                    "dash-change",
                ],
            ),
            rows: levels,
        },
        missing: Section {
            title: t(lang, "dash-missing"),
            columns: columns(lang, &["plan-factor", "dash-absent"]),
            rows: missing,
        },
        factors: Section {
            title: t(lang, "dash-factors"),
            columns: factor_columns,
            rows: factors,
        },
        by_stage: Section {
            title: t(lang, "dash-by-stage"),
            columns: stage_columns,
            rows: by_stage,
        },
    }
}
