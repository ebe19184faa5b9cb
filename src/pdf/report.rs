//! The dashboard as a PDF report for funders and boards: the filters, the period, k and what is
//! counted on the first page, then the same protected figures as the page, drawn with the case
//! summary's canvas.

use time::OffsetDateTime;

use super::canvas::{
    Canvas, Cell, Column, Paper, PdfError, Weight, colour, generated_line, new_document,
};
use crate::domain::Choice;
use crate::domain::aggregate::Dashboard;
use crate::domain::disclosure::Figure;
use crate::instrument::Instrument;

/// What the report is about, in words (filters already described by the caller).
pub struct ReportInput<'a> {
    pub organisation: &'a str,
    pub instrument: &'a Instrument,
    pub dashboard: &'a Dashboard,
    /// Each filter as "label: value".
    pub filters: Vec<String>,
    pub generated_at: OffsetDateTime,
}

fn text(f: &Figure, k: usize, suffix: &str, sign: bool) -> String {
    match f.shown() {
        Some(v) if sign => format!("{v:+.0}{suffix}"),
        Some(v) => format!("{v:.0}{suffix}"),
        None => format!("fewer than {k}"),
    }
}

/// Renders the report.
pub fn render_report(input: &ReportInput<'_>, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let d = input.dashboard;
    let k = d.k;
    let mut doc = new_document("Aggregate results", input.generated_at);
    let mut c = Canvas::new(&mut doc, paper)?;

    c.title("Aggregate results", input.organisation);
    c.space(6.0);
    let filters = if input.filters.is_empty() {
        "none".to_owned()
    } else {
        input.filters.join("; ")
    };
    for line in [
        format!("Filters: {filters}"),
        format!(
            "Counted: {}",
            if d.reviewed_only { "reviewed assessments only" } else { "every submitted assessment" }
        ),
        format!("Minimum group size k = {k}: figures from fewer than {k} cases are hidden."),
        "Each case counts once: its latest counted assessment in the period (its first for change).".to_owned(),
    ] {
        c.paragraph(&line, Weight::Regular, 9.5, colour::INK);
    }
    if !d.enough {
        c.space(8.0);
        c.paragraph(
            &format!("Fewer than {k} cases match these filters, so no figures are shown."),
            Weight::Bold,
            11.0,
            colour::LIMIT,
        );
    } else {
        let w = c.content_width();
        c.heading("In scope", 13.0, 60.0);
        let two = [
            Column {
                title: "Figure".into(),
                width: w * 0.7,
            },
            Column {
                title: "Value".into(),
                width: w * 0.3,
            },
        ];
        let headline = vec![
            vec![Cell::plain("Cases"), Cell::plain(d.cases.to_string())],
            vec![
                Cell::plain("Assessments counted"),
                Cell::plain(text(&d.assessments, k, "", false)),
            ],
            vec![
                Cell::plain("Cases followed over two or more assessments"),
                Cell::plain(text(&d.followed, k, "", false)),
            ],
            vec![
                Cell::plain("Of those, improved overall"),
                Cell::plain(text(&d.improved, k, "%", false)),
            ],
            vec![
                Cell::plain("Of those, worsened overall"),
                Cell::plain(text(&d.worsened, k, "%", false)),
            ],
            vec![
                Cell::plain("Cases with a re-entry in the period"),
                Cell::plain(text(&d.reentries, k, "", false)),
            ],
            vec![
                Cell::plain("Cases left out: no consent"),
                Cell::plain(text(&d.without_consent, k, "", false)),
            ],
        ];
        c.table(&two, &headline, 9.0);

        c.heading("Stage of change at the latest assessment", 13.0, 60.0);
        let stages: Vec<Vec<Cell>> = d
            .stages
            .iter()
            .map(|(s, f)| vec![Cell::plain(s.label()), Cell::plain(text(f, k, "", false))])
            .collect();
        c.table(
            &[
                Column {
                    title: "Stage".into(),
                    width: w * 0.7,
                },
                Column {
                    title: "Cases".into(),
                    width: w * 0.3,
                },
            ],
            &stages,
            9.0,
        );

        c.heading("Scores by level (0–100)", 13.0, 60.0);
        let levels: Vec<Vec<Cell>> = d
            .levels
            .iter()
            .map(|l| {
                let title = input
                    .instrument
                    .levels
                    .iter()
                    .find(|x| x.id == l.level)
                    .map_or("", |x| x.title.as_str());
                vec![
                    Cell::bold(title),
                    Cell::plain(text(&l.resource, k, "", false)),
                    Cell::plain(text(&l.resource_change, k, "", true)),
                    Cell::plain(text(&l.barrier, k, "", false)),
                    Cell::plain(text(&l.barrier_change, k, "", true)),
                ]
            })
            .collect();
        let cols = [
            Column {
                title: "Level".into(),
                width: w * 0.28,
            },
            Column {
                title: "Resources".into(),
                width: w * 0.18,
            },
            Column {
                title: "Change".into(),
                width: w * 0.18,
            },
            Column {
                title: "Barriers".into(),
                width: w * 0.18,
            },
            Column {
                title: "Change".into(),
                width: w * 0.18,
            },
        ];
        c.table(&cols, &levels, 9.0);

        c.heading("Where support is missing", 13.0, 40.0);
        if d.missing_support.is_empty() {
            c.paragraph(
                "Not enough cases to rank them.",
                Weight::Regular,
                9.5,
                colour::MUTED,
            );
        }
        for (i, (title, f)) in d.missing_support.iter().enumerate() {
            c.paragraph(
                &format!("{}. {title}: {}", i + 1, text(f, k, "%", false)),
                Weight::Regular,
                9.5,
                colour::INK,
            );
        }

        let cols = [
            Column {
                title: "Factor".into(),
                width: w * 0.40,
            },
            Column {
                title: "Present".into(),
                width: w * 0.12,
            },
            Column {
                title: "Helps".into(),
                width: w * 0.12,
            },
            Column {
                title: "Hinders".into(),
                width: w * 0.12,
            },
            Column {
                title: "Both".into(),
                width: w * 0.12,
            },
            Column {
                title: "Unclear".into(),
                width: w * 0.12,
            },
        ];
        let rows: Vec<Vec<Cell>> = d
            .factors
            .iter()
            .map(|f| {
                let mut row = vec![
                    Cell::plain(format!("{} ({})", f.title, f.role.action_label())),
                    Cell::plain(text(&f.present, k, "%", false)),
                ];
                row.extend(
                    f.directions
                        .iter()
                        .map(|(_, fig)| Cell::plain(text(fig, k, "%", false))),
                );
                while row.len() < cols.len() {
                    row.push(Cell::plain(""));
                }
                row
            })
            .collect();
        c.titled_table("Factors", 13.0, &cols, &rows, 8.0);

        let mut cols = vec![Column {
            title: "Factor".into(),
            width: w * 0.22,
        }];
        cols.extend(d.by_stage.iter().map(|(s, _)| Column {
            title: s.label().into(),
            width: w * 0.13,
        }));
        let rows: Vec<Vec<Cell>> = d
            .factors
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut row = vec![Cell::plain(f.title.clone())];
                row.extend(
                    d.by_stage
                        .iter()
                        .map(|(_, cells)| Cell::plain(text(&cells[i], k, "%", false))),
                );
                row
            })
            .collect();
        c.titled_table(
            "Factor presence by stage of change",
            13.0,
            &cols,
            &rows,
            7.5,
        );
    }
    c.space(10.0);
    c.paragraph(
        &format!("Based on: {}", input.instrument.source),
        Weight::Regular,
        8.5,
        colour::MUTED,
    );
    let generated = generated_line(input.generated_at);
    Ok(c.finish(&mut doc, "Confidential", &generated).0)
}
