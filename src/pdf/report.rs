//! The dashboard as a PDF report for funders and boards: the filters, the period, k and what is
//! counted on the first page, then the same protected figures as the page, drawn with the case
//! summary's canvas.

use time::OffsetDateTime;

use super::canvas::{
    Canvas, Cell, Column, Paper, PdfError, Weight, colour, generated_line, new_document,
};
use crate::domain::aggregate::view::{DashboardView, Section};
use crate::i18n::{Lang, t, t_with};

/// What the report is about, in words (filters already described by the caller).
pub struct ReportInput<'a> {
    pub organisation: &'a str,
    /// The checklist's source, printed at the end.
    pub source: &'a str,
    pub view: &'a DashboardView,
    /// Each filter as "label: value".
    pub filters: Vec<String>,
    pub generated_at: OffsetDateTime,
    /// The language of the report; `view` is in the same language.
    pub lang: Lang,
}

/// A section as a table: the first column takes `first` of the width, the others share the rest.
fn section_table(c: &mut Canvas, section: &Section, first: f32, size: f32) {
    let w = c.content_width();
    let others = section.columns.len().saturating_sub(1).max(1) as f32;
    let columns: Vec<Column> = section
        .columns
        .iter()
        .enumerate()
        .map(|(i, title)| Column {
            title: title.clone(),
            width: if i == 0 {
                w * first
            } else {
                w * (1.0 - first) / others
            },
        })
        .collect();
    let rows: Vec<Vec<Cell>> = section
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![Cell::plain(r.label.clone())];
            row.extend(r.cells.iter().map(|cell| Cell::plain(cell.text())));
            row.resize_with(columns.len(), || Cell::plain(""));
            row
        })
        .collect();
    c.titled_table(&section.title, 13.0, &columns, &rows, size);
}

/// Renders the report.
pub fn render_report(input: &ReportInput<'_>, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let v = input.view;
    let lang = input.lang;
    let title = t(lang, "report-title");
    let mut doc = new_document(&title, input.generated_at);
    doc.metadata.info.identifier = lang.tag().to_owned();
    let mut c = Canvas::new(&mut doc, paper, lang)?;

    c.title(&title, input.organisation);
    c.space(6.0);
    let filters = if input.filters.is_empty() {
        t(lang, "report-no-filters")
    } else {
        input.filters.join("; ")
    };
    for line in [
        t_with(lang, "report-filters", &[("filters", filters.into())]),
        t_with(
            lang,
            "report-counted",
            &[("what", v.counted.as_str().into())],
        ),
        t_with(
            lang,
            "report-k",
            &[("k", v.k.into()), ("rule", v.hiding_rule.as_str().into())],
        ),
        v.counting_rule.clone(),
        t(lang, "scores-caveat"),
    ] {
        c.paragraph(&line, Weight::Regular, 9.5, colour::INK);
    }
    if !v.enough {
        c.space(8.0);
        c.paragraph(&v.too_few, Weight::Bold, 11.0, colour::LIMIT);
    } else {
        section_table(&mut c, &v.scope, 0.7, 9.0);
        section_table(&mut c, &v.stages, 0.7, 9.0);
        section_table(&mut c, &v.levels, 0.28, 9.0);
        c.heading(&v.missing.title, 13.0, 40.0);
        if v.missing.rows.is_empty() {
            c.paragraph(
                &t(lang, "dash-missing-none"),
                Weight::Regular,
                9.5,
                colour::MUTED,
            );
        }
        for (i, r) in v.missing.rows.iter().enumerate() {
            let share = r.cells.first().map(|cell| cell.text()).unwrap_or_default();
            c.paragraph(
                &format!("{}. {}: {share}", i + 1, r.label),
                Weight::Regular,
                9.5,
                colour::INK,
            );
        }
        section_table(&mut c, &v.factors, 0.40, 8.0);
        section_table(&mut c, &v.by_stage, 0.22, 7.5);
    }
    c.space(10.0);
    c.paragraph(
        &t_with(lang, "report-based-on", &[("source", input.source.into())]),
        Weight::Regular,
        8.5,
        colour::MUTED,
    );
    let generated = generated_line(input.generated_at, lang);
    Ok(c.finish(&mut doc, &t(lang, "pdf-confidential"), &generated)
        .0)
}
