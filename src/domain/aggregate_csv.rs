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
use super::aggregate::Filters;
use super::aggregate::view::DashboardView;

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
fn scope(d: &DashboardView, filters: &Filters, operator: Option<&str>) -> [String; 11] {
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

/// Writes the figures of `view` (computed with `filters`); suppressed figures carry no value and
/// no n.
pub fn to_csv(view: &DashboardView, filters: &Filters, operator: Option<&str>) -> String {
    let scope = scope(view, filters, operator);
    let mut w = csv::Writer::from_writer(Vec::new());
    for section in view.sections() {
        for row in &section.rows {
            for cell in &row.cells {
                let (value, n) = if cell.hidden() {
                    (String::new(), String::new())
                } else {
                    (cell.csv_value(), cell.figure.n.to_string())
                };
                let suppressed = if cell.figure.suppressed {
                    "true"
                } else {
                    "false"
                };
                let group = cell.group.as_deref().unwrap_or(&row.group);
                let figure = [
                    row.table,
                    group,
                    &row.item,
                    &cell.measure,
                    &value,
                    suppressed,
                    &n,
                ];
                // Writing to a Vec cannot fail; a failure would only drop a row, never panic.
                let _ = w.write_record(figure.into_iter().chain(scope.iter().map(String::as_str)));
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
