//! The dashboard's figures as CSV in a tidy long format: one row per figure, with the table it
//! belongs to, the group and item it describes, the measure, the value and the number of cases it
//! rests on. A hidden figure has `suppressed` set and neither value nor n.
//!
//! Every row also carries the scope it was computed in (the filters, k and what counts), so that
//! files from several exports can be stacked and still read correctly. Where IOM's Human
//! Trafficking Case Data Standard (HTCDS, github.com/UNMigration/HTCDS, "HTCDS Field Reference")
//! has a field with the same meaning, the column takes its name and value: `vic_TypeOfExploitation`.
//! The other scope columns have no HTCDS counterpart with the same meaning, so they keep plain
//! names rather than borrow one that would mislead: HTCDS records citizenship as an ISO country
//! (`prs_Citizenship`), not a coarse region of origin; its location of exploitation is a place, not
//! a kind of venue; it has no age band (CTDC's `ageBroad` uses other bands), no cross-border flag
//! and no assessment date or stage of change.

use super::Choice;
use super::aggregate::{Dashboard, Filters};
use super::disclosure::Figure;
use crate::instrument::Instrument;

/// The header row: the figure, then its scope.
pub const COLUMNS: [&str; 18] = [
    "table",
    "group",
    "item",
    "measure",
    "value",
    "suppressed",
    "n",
    "vic_TypeOfExploitation",
    "period_from",
    "period_to",
    "operator",
    "age_band",
    "site",
    "route",
    "region_of_origin",
    "stage_of_change",
    "k",
    "counted",
];

/// HTCDS `vic_TypeOfExploitation` value: every case this service holds is one of exit from sex
/// trafficking.
pub const TYPE_OF_EXPLOITATION: &str = "Sexual exploitation";

/// Written in scope columns whose filter is not set.
pub const ALL: &str = "all";

/// The scope columns of every row, from the filters the figures were computed with.
/// `operator` is the username behind `filters.operator`.
fn scope(d: &Dashboard, filters: &Filters, operator: Option<&str>) -> [String; 11] {
    fn or_all(value: Option<impl ToString>) -> String {
        value.map_or_else(|| ALL.to_owned(), |v| v.to_string())
    }
    [
        TYPE_OF_EXPLOITATION.to_owned(),
        or_all(filters.from),
        or_all(filters.to),
        or_all(operator),
        or_all(filters.age_band.map(|v| v.id())),
        or_all(filters.site.map(|v| v.id())),
        or_all(filters.route.map(|v| v.id())),
        or_all(filters.region.map(|v| v.id())),
        or_all(filters.stage.map(|v| v.id())),
        d.k.to_string(),
        if d.reviewed_only {
            "reviewed".to_owned()
        } else {
            "submitted".to_owned()
        },
    ]
}

fn level_id(level: crate::instrument::LevelId) -> &'static str {
    match level {
        crate::instrument::LevelId::Individual => "individual",
        crate::instrument::LevelId::Relational => "relational",
        crate::instrument::LevelId::Structural => "structural",
    }
}

/// Writes the figures; suppressed figures carry no value and no n.
pub fn to_csv(
    instrument: &Instrument,
    d: &Dashboard,
    filters: &Filters,
    operator: Option<&str>,
) -> String {
    let scope = scope(d, filters, operator);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row =
        |table: &str, group: &str, item: &str, measure: &str, f: &Figure, decimals: usize| {
            let (value, n) = match f.shown() {
                Some(v) => (format!("{v:.decimals$}"), f.n.to_string()),
                None => (String::new(), String::new()),
            };
            let suppressed = if f.suppressed { "true" } else { "false" };
            // Writing to a Vec cannot fail; a failure would only drop a row, never panic.
            let figure = [table, group, item, measure, &value, suppressed, &n];
            let _ = w.write_record(figure.into_iter().chain(scope.iter().map(String::as_str)));
        };
    row(
        "scope",
        "all",
        "",
        "cases",
        &Figure::new(d.cases as f64, d.cases),
        0,
    );
    row(
        "scope",
        "all",
        "",
        "cases_without_consent",
        &d.without_consent,
        0,
    );
    if d.enough {
        row("scope", "all", "", "assessments", &d.assessments, 0);
        for (stage, f) in &d.stages {
            row(
                "stages",
                &format!("stage={}", stage.id()),
                "",
                "cases",
                f,
                0,
            );
        }
        for l in &d.levels {
            let group = format!("level={}", level_id(l.level));
            row("levels", &group, "", "resource_mean", &l.resource, 1);
            row("levels", &group, "", "barrier_mean", &l.barrier, 1);
            row(
                "levels",
                &group,
                "",
                "resource_change_mean",
                &l.resource_change,
                1,
            );
            row(
                "levels",
                &group,
                "",
                "barrier_change_mean",
                &l.barrier_change,
                1,
            );
        }
        row("change", "all", "", "cases_followed", &d.followed, 0);
        row("change", "all", "", "improved_share", &d.improved, 1);
        row("change", "all", "", "worsened_share", &d.worsened, 1);
        row("reentries", "all", "", "cases", &d.reentries, 0);
        for f in &d.factors {
            let group = format!("level={}", level_id(f.level));
            let item = format!("factor={}", f.factor);
            row("factors", &group, &item, "present_share", &f.present, 1);
            for (direction, fig) in &f.directions {
                row(
                    "factors",
                    &group,
                    &item,
                    &format!("{}_share", direction.id()),
                    fig,
                    1,
                );
            }
        }
        for (rank, (title, f)) in d.missing_support.iter().enumerate() {
            let factor = instrument
                .factors()
                .find(|(_, x)| &x.title == title)
                .map(|(_, x)| x.id.to_string());
            row(
                "missing_support",
                &format!("rank={}", rank + 1),
                &format!("factor={}", factor.unwrap_or_default()),
                "absent_share",
                f,
                1,
            );
        }
        for (stage, cells) in &d.by_stage {
            for ((_, factor), f) in instrument.factors().zip(cells) {
                row(
                    "presence_by_stage",
                    &format!("stage={}", stage.id()),
                    &format!("factor={}", factor.id),
                    "present_share",
                    f,
                    1,
                );
            }
        }
    }
    let mut out = COLUMNS.join(",");
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(
        &w.into_inner().unwrap_or_default(),
    ));
    out
}
