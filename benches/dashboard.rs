//! The full dashboard computation (one pass, all figures, disclosure control) over synthetic demo
//! data of about 10k and 100k assessments, from the compact rows the store keeps in memory; and,
//! separately, building those rows from decoded records (what the server does once at start).
//! Run with `cargo bench --bench dashboard`.

use criterion::{Criterion, criterion_group, criterion_main};
use exit_factors::domain::UserId;
use exit_factors::domain::aggregate::{Counting, Filters, Rows, compute};
use exit_factors::instrument::Instrument;

fn dashboard(c: &mut Criterion) {
    let instrument = Instrument::bundled().expect("instrument");
    let now = time::OffsetDateTime::now_utc();
    let owners = [UserId::new(3), UserId::new(4), UserId::new(5)];
    for (label, cases) in [("10k", 3_400usize), ("100k", 34_000)] {
        let data = exit_factors::demo::generate(
            &instrument,
            cases,
            42,
            now,
            &owners,
            Some(UserId::new(2)),
        )
        .expect("demo data");
        let case_list: Vec<_> = data.iter().map(|(c, _)| c.clone()).collect();
        let assessments: Vec<_> = data.into_iter().flat_map(|(_, a)| a).collect();
        eprintln!(
            "{label}: {} cases, {} assessments",
            case_list.len(),
            assessments.len()
        );
        let rows = Rows::build(&instrument, &case_list, &assessments);
        let counting = Counting {
            reviewed_only: true,
            k: 5,
        };
        c.bench_function(&format!("dashboard, {label} assessments"), |b| {
            b.iter(|| compute(&instrument, &rows, &Filters::default(), counting))
        });
        let filtered = Filters {
            from: exit_factors::domain::Month::parse("2025-01").ok(),
            stage: Some(exit_factors::domain::assessment::Stage::Action),
            ..Filters::default()
        };
        c.bench_function(&format!("dashboard filtered, {label} assessments"), |b| {
            b.iter(|| compute(&instrument, &rows, &filtered, counting))
        });
        c.bench_function(&format!("building rows, {label} assessments"), |b| {
            b.iter(|| Rows::build(&instrument, &case_list, &assessments))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = dashboard
}
criterion_main!(benches);
