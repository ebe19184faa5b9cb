//! What encryption at rest costs where the store is read: a PDF summary made from the store (the
//! case and its assessments read, then drawn), and the dashboard's rows built from every record of
//! the 34,000-case demo store (~100k assessments; the server does this at start and after a
//! reopen, then keeps them up to date). Run the same measurement on the build before encryption to
//! compare (README, "Encryption at rest").
//!
//! `AT_REST_STORE=DIR cargo bench --bench at_rest` (DIR: a demo store, e.g. made with
//! `exit-factors demo --cases 34000`; the key beside it, `DIR.key`, is made if the store is new or
//! from before encryption, which then is sealed on the first open).

use std::time::{Duration, Instant};

use exit_factors::domain::aggregate::{Counting, Filters, Rows, compute};
use exit_factors::instrument::Instrument;
use exit_factors::pdf::{Paper, SummaryInput, Variant, render_summary};
use exit_factors::store::Store;

fn open_store(dir: &std::path::Path) -> Store {
    let started = Instant::now();
    let (store, _) =
        Store::open_with_key_file(dir, None, true, exit_factors::store::CacheSize::default())
            .expect("store");
    eprintln!("opened in {:.1} s", started.elapsed().as_secs_f64());
    store
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let Some(dir) = std::env::var_os("AT_REST_STORE") else {
        eprintln!("set AT_REST_STORE to a demo store directory");
        return;
    };
    let instrument = Instrument::bundled().expect("instrument");
    let store = open_store(std::path::Path::new(&dir));

    // The dashboard: every record read and opened, then the rows built; and one computation.
    let mut reads = Vec::new();
    let mut rows = None;
    for _ in 0..5 {
        let started = Instant::now();
        let cases = store.cases().expect("cases");
        let assessments = store.all_assessments().expect("assessments");
        let built = Rows::build(&instrument, &cases, &assessments);
        reads.push(started.elapsed());
        rows = Some((built, cases.len(), assessments.len()));
    }
    let (rows, cases, assessments) = rows.expect("rows");
    let counting = Counting {
        reviewed_only: true,
        k: 5,
    };
    let computes: Vec<Duration> = (0..20)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(compute(&instrument, &rows, &Filters::default(), counting));
            started.elapsed()
        })
        .collect();

    // A PDF summary from the store, for 300 cases with a submitted assessment.
    let codes: Vec<_> = store
        .cases()
        .expect("cases")
        .into_iter()
        .map(|c| c.code)
        .step_by(97)
        .take(300)
        .collect();
    let mut summaries = Vec::new();
    for code in &codes {
        let started = Instant::now();
        let case = store.case(code).expect("read").expect("case");
        let mut history: Vec<_> = store
            .assessments_of(&case.code)
            .expect("assessments")
            .into_iter()
            .filter(|a| !a.is_draft() && !a.is_superseded())
            .collect();
        history.sort_by_key(|a| (a.context().date, a.id()));
        let Some(assessment) = history.last() else {
            continue;
        };
        let input = SummaryInput {
            organisation: "Associazione Città Aperta",
            case_code: &case.code,
            instrument: &instrument,
            assessment,
            history: &history,
            generated_at: time::OffsetDateTime::now_utc(),
            review: None,
            lang: exit_factors::i18n::Lang::En,
        };
        std::hint::black_box(render_summary(&input, Variant::Full, Paper::A4).expect("pdf"));
        summaries.push(started.elapsed());
    }
    println!("{cases} cases, {assessments} assessments");
    println!(
        "dashboard rows from the store (read, open, build): median {:.0} ms of 5",
        median(reads).as_secs_f64() * 1e3
    );
    println!(
        "dashboard computation from the rows: median {:.1} ms of 20",
        median(computes).as_secs_f64() * 1e3
    );
    println!(
        "PDF summary from the store (read, open, draw): median {:.2} ms of {}",
        median(summaries.clone()).as_secs_f64() * 1e3,
        summaries.len()
    );
}
