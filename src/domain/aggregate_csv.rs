//! The dashboard's figures as CSV in a tidy long format: one row per figure, with the table it
//! belongs to, the group and item it describes, the measure, the value and the number of cases it
//! rests on. A hidden figure has `suppressed` set and neither value nor n.

use super::Choice;
use super::aggregate::Dashboard;
use super::disclosure::Figure;
use crate::instrument::Instrument;

/// The header row.
pub const COLUMNS: [&str; 7] = [
    "table",
    "group",
    "item",
    "measure",
    "value",
    "suppressed",
    "n",
];

fn level_id(level: crate::instrument::LevelId) -> &'static str {
    match level {
        crate::instrument::LevelId::Individual => "individual",
        crate::instrument::LevelId::Relational => "relational",
        crate::instrument::LevelId::Structural => "structural",
    }
}

/// Writes the figures; suppressed figures carry no value and no n.
pub fn to_csv(instrument: &Instrument, d: &Dashboard) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row =
        |table: &str, group: &str, item: &str, measure: &str, f: &Figure, decimals: usize| {
            let (value, n) = match f.shown() {
                Some(v) => (format!("{v:.decimals$}"), f.n.to_string()),
                None => (String::new(), String::new()),
            };
            let suppressed = if f.suppressed { "true" } else { "false" };
            // Writing to a Vec cannot fail; a failure would only drop a row, never panic.
            let _ = w.write_record([table, group, item, measure, &value, suppressed, &n]);
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
