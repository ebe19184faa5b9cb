//! Rendering a realistic case summary: 31 factors rated, notes on a third of them, three earlier
//! assessments for the chart and the changes. Run with `cargo bench --bench pdf_summary`.

use criterion::{Criterion, criterion_group, criterion_main};
use exit_factors::instrument::Instrument;
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
}

criterion_group!(benches, summary);
criterion_main!(benches);
