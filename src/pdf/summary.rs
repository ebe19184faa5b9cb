//! The case summary: one assessment with its scores, the change since the previous one, a chart of
//! the case so far, the three lists, every factor, the action plan and the review. Two variants:
//! **Full** for the case file, and **Client copy** in plain language, without notes, without the
//! direction of controversial factors and without supervisor comments.

use time::OffsetDateTime;

use super::canvas::{
    Canvas, Cell, Column, Paper, PdfError, TextRun, Weight, colour, generated_line, new_document,
};
use crate::domain::assessment::Assessment;
use crate::domain::scoring::{ListItem, Results, results};
use crate::domain::{CaseCode, Choice};
use crate::i18n::{Lang, format_date, t, t_with};
use crate::instrument::{FactorRole, Instrument};

/// Which summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Everything, for the case file or a team meeting.
    Full,
    /// Plain language, for the woman herself: no notes, directions or comments.
    Client,
}

impl Variant {
    /// The id used in links.
    pub fn id(self) -> &'static str {
        match self {
            Variant::Full => "full",
            Variant::Client => "client",
        }
    }

    /// Parses a link id.
    pub fn from_id(id: &str) -> Option<Self> {
        [Variant::Full, Variant::Client]
            .into_iter()
            .find(|v| v.id() == id)
    }
}

/// The review of an assessment, when there is one.
pub struct ReviewInfo<'a> {
    pub status: &'a str,
    pub comment: Option<&'a str>,
}

/// Everything a summary shows.
pub struct SummaryInput<'a> {
    /// The organisation's name for the title block ("" for none).
    pub organisation: &'a str,
    pub case_code: &'a CaseCode,
    pub instrument: &'a Instrument,
    pub assessment: &'a Assessment,
    /// The case's submitted assessments (current revisions), oldest first; includes `assessment`.
    pub history: &'a [Assessment],
    pub generated_at: OffsetDateTime,
    pub review: Option<ReviewInfo<'a>>,
    /// The language of the summary; `instrument` is in the same language.
    pub lang: Lang,
}

const BODY: f32 = 9.5;
const SMALL: f32 = 8.5;

fn role_colour(role: FactorRole) -> (f32, f32, f32) {
    match role {
        FactorRole::Facilitating => colour::STRENGTHEN,
        FactorRole::Hindering => colour::LIMIT,
        FactorRole::Controversial => colour::CARE,
    }
}

fn score(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |v| format!("{v:.0}"))
}

fn change(now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(n), Some(b)) => format!("{:+.0}", n - b),
        _ => "–".to_owned(),
    }
}

fn factors(n: usize, lang: Lang) -> String {
    t_with(lang, "pdf-factors", &[("count", n.into())])
}

/// Renders a summary; returns the PDF bytes and every text run placed (for layout checks).
pub fn render_summary(
    input: &SummaryInput<'_>,
    variant: Variant,
    paper: Paper,
) -> Result<(Vec<u8>, Vec<TextRun>), PdfError> {
    let lang = input.lang;
    let title = format!("{} {}", t(lang, "pdf-case-summary"), input.case_code);
    let mut doc = new_document(&title, input.generated_at);
    doc.metadata.info.subject = t(
        lang,
        match variant {
            Variant::Full => "pdf-subject-full",
            Variant::Client => "pdf-subject-client",
        },
    );
    // Readers and screen readers pick the language of the text from the document.
    doc.metadata.info.identifier = lang.tag().to_owned();

    let mut c = Canvas::new(&mut doc, paper, lang)?;
    let here = results(input.instrument, input.assessment.answers());
    let previous = input
        .history
        .iter()
        .rfind(|a| {
            (a.context().date, a.id()) < (input.assessment.context().date, input.assessment.id())
        })
        .map(|a| results(input.instrument, a.answers()));

    title_block(&mut c, input, variant);
    scores(&mut c, &here, previous.as_ref(), variant, input);
    chart(&mut c, input);
    lists(&mut c, &here, variant, lang);
    factor_tables(&mut c, input, variant);
    action_plan(&mut c, input);
    if variant == Variant::Full {
        review(&mut c, input);
        sources(&mut c, input.instrument, lang);
    }
    c.space(10.0);
    c.paragraph(
        &t_with(
            lang,
            "pdf-based-on",
            &[
                ("id", input.instrument.id.as_str().into()),
                ("version", input.instrument.version.as_str().into()),
                ("source", input.instrument.source.as_str().into()),
            ],
        ),
        Weight::Regular,
        SMALL,
        colour::MUTED,
    );

    let (bytes, runs) = c.finish(
        &mut doc,
        &t(lang, "pdf-confidential"),
        &generated_line(input.generated_at, lang),
    );
    Ok((bytes, runs))
}

fn title_block(c: &mut Canvas, input: &SummaryInput<'_>, variant: Variant) {
    let lang = input.lang;
    c.title(&t(lang, "pdf-case-summary"), input.organisation);
    if variant == Variant::Client {
        c.paragraph(
            &t(lang, "pdf-your-copy"),
            Weight::Regular,
            11.0,
            colour::MUTED,
        );
    }
    c.space(8.0);
    let a = input.assessment;
    // The stage in the checklist's own words (translated with it).
    let stage = a.context().stage.and_then(|s| {
        input
            .instrument
            .stages
            .iter()
            .find(|st| st.id == s.id())
            .map(|st| st.title.clone())
    });
    let mut facts = vec![
        (t(lang, "pdf-case"), input.case_code.to_string()),
        (
            t(lang, "pdf-assessment-date"),
            format_date(lang, a.context().date),
        ),
        (
            t(lang, "pdf-stage"),
            stage.unwrap_or_else(|| t(lang, "answer-not-given")),
        ),
        (
            t(lang, "pdf-reentry"),
            t(
                lang,
                a.context()
                    .reentry
                    .map_or("answer-not-given", |r| r.message_id()),
            ),
        ),
    ];
    if variant == Variant::Full {
        facts.push((
            t(lang, "pdf-checklist"),
            t_with(
                lang,
                "pdf-checklist-version",
                &[
                    ("id", a.instrument_id().into()),
                    ("version", a.instrument_version().into()),
                ],
            ),
        ));
        if a.revision() > 1 {
            facts.push((t(lang, "pdf-revision"), a.revision().to_string()));
        }
    }
    let label_w = facts
        .iter()
        .map(|(label, _)| c.measure(label, Weight::Bold, BODY))
        .fold(0.0, f32::max)
        + 14.0;
    for (label, value) in facts {
        c.ensure(BODY * 1.5);
        c.space(BODY * 1.5);
        let (x, y) = (c.left(), c.cursor());
        c.text_at(x, y, &label, Weight::Bold, BODY, colour::INK);
        c.text_at(x + label_w, y, &value, Weight::Regular, BODY, colour::INK);
    }
    c.space(6.0);
}

fn scores(
    c: &mut Canvas,
    here: &Results,
    previous: Option<&Results>,
    variant: Variant,
    input: &SummaryInput<'_>,
) {
    let lang = input.lang;
    let (title, resources, barriers) = match variant {
        Variant::Full => (
            t(lang, "pdf-scores"),
            t(lang, "pdf-resources"),
            t(lang, "pdf-barriers"),
        ),
        Variant::Client => (
            t(lang, "pdf-client-scores"),
            t(lang, "pdf-client-resources"),
            t(lang, "pdf-client-barriers"),
        ),
    };
    c.heading(&title, 13.0, 60.0);
    if variant == Variant::Client {
        c.paragraph(
            &t(lang, "pdf-client-scores-hint"),
            Weight::Regular,
            SMALL,
            colour::MUTED,
        );
        c.space(4.0);
    }
    let w = c.content_width();
    let columns = [
        Column {
            title: t(lang, "pdf-level"),
            width: w * 0.22,
        },
        Column {
            title: resources,
            width: w * 0.17,
        },
        Column {
            title: t(lang, "pdf-change"),
            width: w * 0.11,
        },
        Column {
            title: t(lang, "pdf-based-on-count"),
            width: w * 0.11,
        },
        Column {
            title: barriers,
            width: w * 0.17,
        },
        Column {
            title: t(lang, "pdf-change"),
            width: w * 0.11,
        },
        Column {
            title: t(lang, "pdf-based-on-count"),
            width: w * 0.11,
        },
    ];
    let rows: Vec<Vec<Cell>> = here
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let before = previous.and_then(|p| p.levels.get(i));
            vec![
                Cell::bold(l.title.clone()),
                Cell::plain(score(l.resource)),
                Cell::plain(change(l.resource, before.and_then(|b| b.resource))),
                Cell::plain(factors(l.resource_n, lang)),
                Cell::plain(score(l.barrier)),
                Cell::plain(change(l.barrier, before.and_then(|b| b.barrier))),
                Cell::plain(factors(l.barrier_n, lang)),
            ]
        })
        .collect();
    c.table(&columns, &rows, BODY);
    c.space(3.0);
    let caveat = match variant {
        Variant::Full => t(lang, "scores-caveat"),
        Variant::Client => t(lang, "pdf-client-caveat"),
    };
    c.paragraph(&caveat, Weight::Regular, SMALL, colour::MUTED);
}

fn chart(c: &mut Canvas, input: &SummaryInput<'_>) {
    let lang = input.lang;
    let points: Vec<(String, Results)> = input
        .history
        .iter()
        .map(|a| {
            (
                format_date(lang, a.context().date),
                results(input.instrument, a.answers()),
            )
        })
        .collect();
    c.heading(&t(lang, "pdf-chart"), 13.0, 170.0);
    let height = 130.0;
    c.ensure(height + 40.0);
    let (left, top) = (c.left() + 28.0, c.cursor() + 6.0);
    let width = c.content_width() - 28.0 - 24.0;
    let y_of = |v: f64| top + height - (v as f32 / 100.0) * height;
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let y = y_of(tick);
        c.line((left, y), (left + width, y), 0.4, colour::RULE, false);
        let label = format!("{tick:.0}");
        let lw = c.measure(&label, Weight::Regular, 7.0);
        c.text_at(
            left - 5.0 - lw,
            y + 2.5,
            &label,
            Weight::Regular,
            7.0,
            colour::MUTED,
        );
    }
    let n = points.len();
    let x_of = |i: usize| {
        if n <= 1 {
            left + width / 2.0
        } else {
            left + width * i as f32 / (n - 1) as f32
        }
    };
    for (i, (date, _)) in points.iter().enumerate() {
        let lw = c.measure(date, Weight::Regular, 7.0);
        let x = (x_of(i) - lw / 2.0).clamp(c.left(), c.left() + c.content_width() - lw);
        c.text_at(
            x,
            top + height + 12.0,
            date,
            Weight::Regular,
            7.0,
            colour::MUTED,
        );
    }
    let line_colours = [colour::ACCENT, colour::LIMIT, colour::CARE];
    for li in 0..input.instrument.levels.len() {
        for barrier in [false, true] {
            let pts: Vec<(f32, f32)> = points
                .iter()
                .enumerate()
                .filter_map(|(i, (_, r))| {
                    let l = r.levels.get(li)?;
                    let v = if barrier { l.barrier } else { l.resource }?;
                    Some((x_of(i), y_of(v)))
                })
                .collect();
            let rgb = line_colours[li % line_colours.len()];
            if pts.len() == 1 {
                let (x, y) = pts[0];
                c.line((x - 3.0, y), (x + 3.0, y), 2.0, rgb, false);
            }
            c.polyline(&pts, 1.6, rgb, barrier);
        }
    }
    c.space(height + 34.0);
    // Legend.
    let mut x = c.left();
    let y = c.cursor();
    for (li, level) in input.instrument.levels.iter().enumerate() {
        let rgb = line_colours[li % line_colours.len()];
        c.line((x, y - 3.0), (x + 16.0, y - 3.0), 2.0, rgb, false);
        let name = &level.title;
        c.text_at(x + 20.0, y, name, Weight::Regular, SMALL, colour::INK);
        x += 20.0 + c.measure(name, Weight::Regular, SMALL) + 16.0;
    }
    c.text_at(
        x,
        y,
        &t(lang, "pdf-chart-legend"),
        Weight::Regular,
        SMALL,
        colour::MUTED,
    );
    c.space(14.0);
}

fn list(
    c: &mut Canvas,
    title: &str,
    items: &[ListItem],
    rgb: (f32, f32, f32),
    show_direction: bool,
    lang: Lang,
) {
    c.heading(title, 11.5, 20.0);
    if items.is_empty() {
        c.paragraph(&t(lang, "pdf-none"), Weight::Regular, BODY, colour::MUTED);
        return;
    }
    for item in items {
        let mut text = format!(
            "• {} ({})",
            item.title,
            t_with(
                lang,
                "pdf-item",
                &[
                    ("level", item.level_title.as_str().into()),
                    ("rating", item.rating.get().to_string().into()),
                ],
            )
        );
        if show_direction && let Some(d) = item.direction {
            text.push_str(&format!(", {}", t(lang, d.message_id()).to_lowercase()));
        }
        if item.priority {
            text.push_str(&format!(" – {}", t(lang, "pdf-priority")));
        }
        c.paragraph(
            &text,
            if item.priority {
                Weight::Bold
            } else {
                Weight::Regular
            },
            BODY,
            rgb,
        );
    }
}

fn lists(c: &mut Canvas, here: &Results, variant: Variant, lang: Lang) {
    let full = variant == Variant::Full;
    let ids = if full {
        ["pdf-strengthen", "pdf-limit", "pdf-care", "pdf-context"]
    } else {
        [
            "pdf-client-strengthen",
            "pdf-client-limit",
            "pdf-client-care",
            "pdf-client-context",
        ]
    };
    let titles = ids.map(|id| t(lang, id));
    list(
        c,
        &titles[0],
        &here.strengthen,
        colour::STRENGTHEN,
        full,
        lang,
    );
    list(c, &titles[1], &here.limit, colour::LIMIT, full, lang);
    list(c, &titles[2], &here.care, colour::CARE, full, lang);
    if !here.context.is_empty() {
        list(c, &titles[3], &here.context, colour::MUTED, false, lang);
    }
}

/// The full summary's appendix: the studies each factor rests on, as the checklist cites them.
fn sources(c: &mut Canvas, instrument: &Instrument, lang: Lang) {
    let w = c.content_width();
    let columns = [
        Column {
            title: t(lang, "pdf-factor"),
            width: w * 0.40,
        },
        Column {
            title: t(lang, "pdf-sources"),
            width: w * 0.60,
        },
    ];
    let rows: Vec<Vec<Cell>> = instrument
        .factors()
        .map(|(_, f)| {
            vec![
                Cell::plain(f.title.clone()),
                Cell::plain(f.evidence.join("; ")),
            ]
        })
        .collect();
    c.titled_table(&t(lang, "pdf-sources-title"), 11.5, &columns, &rows, SMALL);
}

fn rating_words(instrument: &Instrument, rating: Option<u8>, lang: Lang) -> String {
    match rating {
        None => t(lang, "rating-not-assessed"),
        Some(v) => instrument.scale.iter().find(|p| p.value == v).map_or_else(
            || v.to_string(),
            |p| format!("{v} {}", p.label.to_lowercase()),
        ),
    }
}

fn factor_tables(c: &mut Canvas, input: &SummaryInput<'_>, variant: Variant) {
    let lang = input.lang;
    let w = c.content_width();
    let columns: Vec<Column> = match variant {
        Variant::Full => vec![
            Column {
                title: t(lang, "pdf-factor"),
                width: w * 0.27,
            },
            Column {
                title: t(lang, "pdf-what-to-do"),
                width: w * 0.13,
            },
            Column {
                title: t(lang, "pdf-rating"),
                width: w * 0.14,
            },
            Column {
                title: t(lang, "pdf-direction"),
                width: w * 0.10,
            },
            Column {
                title: t(lang, "pdf-note"),
                width: w * 0.36,
            },
        ],
        Variant::Client => vec![
            Column {
                title: t(lang, "pdf-factor"),
                width: w * 0.50,
            },
            Column {
                title: t(lang, "pdf-what-to-do"),
                width: w * 0.22,
            },
            Column {
                title: t(lang, "pdf-how-present"),
                width: w * 0.28,
            },
        ],
    };
    for level in &input.instrument.levels {
        let title = t_with(
            lang,
            "pdf-level-all",
            &[("level", level.title.as_str().into())],
        );
        let rows: Vec<Vec<Cell>> = level
            .factors
            .iter()
            .map(|f| {
                let answer = input.assessment.answer(&f.id);
                let mut row = vec![
                    Cell::plain(if answer.priority {
                        format!("{} ({})", f.title, t(lang, "pdf-priority"))
                    } else {
                        f.title.clone()
                    }),
                    if f.context {
                        Cell::coloured(t(lang, f.badge_message()), colour::MUTED)
                    } else {
                        Cell::coloured(t(lang, f.role.message_id()), role_colour(f.role))
                    },
                    Cell::plain(rating_words(
                        input.instrument,
                        answer.rating.map(|r| r.get()),
                        lang,
                    )),
                ];
                if variant == Variant::Full {
                    row.push(Cell::plain(
                        answer
                            .direction
                            .map(|d| t(lang, d.message_id()))
                            .unwrap_or_default(),
                    ));
                    row.push(Cell::plain(
                        answer
                            .note
                            .as_ref()
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                    ));
                }
                row
            })
            .collect();
        c.titled_table(&title, 11.5, &columns, &rows, SMALL);
    }
}

fn action_plan(c: &mut Canvas, input: &SummaryInput<'_>) {
    let lang = input.lang;
    c.heading(&t(lang, "pdf-plan"), 13.0, 40.0);
    let actions = &input.assessment.actions();
    if actions.is_empty() {
        c.paragraph(
            &t(lang, "pdf-plan-none"),
            Weight::Regular,
            BODY,
            colour::MUTED,
        );
        return;
    }
    let w = c.content_width();
    let columns = [
        Column {
            title: t(lang, "pdf-factor"),
            width: w * 0.24,
        },
        Column {
            title: t(lang, "pdf-action"),
            width: w * 0.34,
        },
        Column {
            title: t(lang, "pdf-who"),
            width: w * 0.16,
        },
        Column {
            title: t(lang, "pdf-by"),
            width: w * 0.11,
        },
        Column {
            title: t(lang, "pdf-status"),
            width: w * 0.15,
        },
    ];
    let rows: Vec<Vec<Cell>> = actions
        .iter()
        .map(|a| {
            let title = input
                .instrument
                .factors()
                .find(|(_, f)| f.id == a.factor)
                .map_or_else(|| a.factor.to_string(), |(_, f)| f.title.clone());
            vec![
                Cell::plain(title),
                Cell::plain(a.action.to_string()),
                Cell::plain(t(lang, a.owner.message_id())),
                Cell::plain(crate::i18n::format_month(
                    lang,
                    a.target.year(),
                    a.target.month(),
                )),
                Cell::plain(t(lang, a.status.message_id())),
            ]
        })
        .collect();
    c.table(&columns, &rows, SMALL);
}

fn review(c: &mut Canvas, input: &SummaryInput<'_>) {
    let lang = input.lang;
    c.heading(&t(lang, "pdf-review"), 13.0, 20.0);
    match &input.review {
        Some(r) => {
            c.paragraph(
                &t_with(
                    lang,
                    "pdf-review-status",
                    &[("status", t(lang, r.status).into())],
                ),
                Weight::Regular,
                BODY,
                colour::INK,
            );
            if let Some(comment) = r.comment {
                c.paragraph(
                    &t_with(lang, "pdf-review-comment", &[("comment", comment.into())]),
                    Weight::Regular,
                    BODY,
                    colour::INK,
                );
            }
        }
        None => c.paragraph(
            &t(lang, "pdf-review-none"),
            Weight::Regular,
            BODY,
            colour::MUTED,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::sample;

    fn input<'a>(
        instrument: &'a Instrument,
        history: &'a [Assessment],
        code: &'a CaseCode,
    ) -> SummaryInput<'a> {
        SummaryInput {
            organisation: "Associazione Città Aperta",
            case_code: code,
            instrument,
            assessment: history.last().unwrap(),
            history,
            generated_at: OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
            review: None,
            lang: Lang::En,
        }
    }

    #[test]
    fn every_text_run_stays_inside_the_margins_even_with_the_longest_notes() {
        let instrument = Instrument::bundled().unwrap();
        let code = sample::code();
        for paper in [Paper::A4, Paper::Letter] {
            let history =
                sample::history(&instrument, crate::domain::assessment::MAX_NOTE_CHARS, true);
            let (_, runs) =
                render_summary(&input(&instrument, &history, &code), Variant::Full, paper).unwrap();
            let (w, h) = paper.size();
            let margin = 48.0;
            for run in &runs {
                assert!(run.x >= margin - 0.01, "{run:?}");
                assert!(
                    run.x + run.width <= w - margin + 0.01,
                    "{run:?} past the right margin"
                );
                assert!(
                    run.y - run.size >= margin - 0.01,
                    "{run:?} above the top margin"
                );
                assert!(
                    run.y <= h - margin + 0.01,
                    "{run:?} below the bottom margin"
                );
            }
        }
    }

    #[test]
    fn longer_notes_take_more_pages() {
        let instrument = Instrument::bundled().unwrap();
        let code = sample::code();
        let pages = |len, everywhere| {
            let history = sample::history(&instrument, len, everywhere);
            let (_, runs) = render_summary(
                &input(&instrument, &history, &code),
                Variant::Full,
                Paper::A4,
            )
            .unwrap();
            runs.iter().map(|r| r.page).max().unwrap() + 1
        };
        assert!(pages(500, true) > pages(40, false));
    }
}
