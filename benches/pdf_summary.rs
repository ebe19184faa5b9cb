//! Rendering a realistic case summary: 31 factors rated, notes on a third of them, three earlier
//! assessments for the chart and the changes. Run with `cargo bench --bench pdf_summary`.

use criterion::{Criterion, criterion_group, criterion_main};
use exit_factors::i18n::Lang;
use exit_factors::instrument::{Instrument, Instruments};
use exit_factors::pdf::{Paper, SummaryInput, Variant, render_summary, sample};

fn summary(c: &mut Criterion) {
    let instrument = Instrument::bundled().expect("instrument");
    let history = sample::history(&instrument, 160, false);
    let code = sample::code();
    let input = SummaryInput {
        organisation: "Associazione Città Aperta",
        case_code: &code,
        instrument: &instrument,
        assessment: history.last().expect("assessment"),
        history: &history,
        generated_at: time::OffsetDateTime::now_utc(),
        review: None,
        lang: exit_factors::i18n::Lang::En,
    };
    let (bytes, _) = render_summary(&input, Variant::Full, Paper::A4).expect("renders");
    eprintln!(
        "full summary: {} bytes ({:.1} KB)",
        bytes.len(),
        bytes.len() as f64 / 1024.0
    );
    c.bench_function("pdf summary, full, A4", |b| {
        b.iter(|| render_summary(&input, Variant::Full, Paper::A4).expect("renders"))
    });
    c.bench_function("pdf summary, client copy, A4", |b| {
        b.iter(|| render_summary(&input, Variant::Client, Paper::A4).expect("renders"))
    });
    // The same summaries in another language: the translated checklist and messages.
    let all = Instruments::bundled().expect("instruments");
    for (lang, variant, name) in [
        (Lang::It, Variant::Full, "pdf summary, full, A4, Italian"),
        (
            Lang::Ro,
            Variant::Client,
            "pdf summary, client copy, A4, Romanian",
        ),
    ] {
        let translated = SummaryInput {
            instrument: all.active_in(lang),
            lang,
            ..copy(&input)
        };
        c.bench_function(name, |b| {
            b.iter(|| render_summary(&translated, variant, Paper::A4).expect("renders"))
        });
    }
}

/// The same input again (the struct holds only references).
fn copy<'a>(input: &SummaryInput<'a>) -> SummaryInput<'a> {
    SummaryInput {
        organisation: input.organisation,
        case_code: input.case_code,
        instrument: input.instrument,
        assessment: input.assessment,
        history: input.history,
        generated_at: input.generated_at,
        review: None,
        lang: input.lang,
    }
}

criterion_group!(benches, summary);
criterion_main!(benches);
