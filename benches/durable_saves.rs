//! Durable saves per second: the store (one writer thread, group commit, fsync) saving a step of
//! an assessment draft as the page does (the transition, its record and its audit entry in one
//! transaction), beside SQLite in WAL mode with `synchronous=FULL` updating a row of the same
//! size and inserting an audit row in one transaction, each with 1 and 16 writers at once. In
//! both, a save counts only once it is acknowledged as on stable storage. Both write to a
//! directory under `target/`, on the same disk.
//! Run with `cargo bench --bench durable_saves`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use exit_factors::domain::UserId;
use exit_factors::domain::assessment::{Actor, Assessment, LevelAnswers, StepAnswers};
use exit_factors::instrument::{Instrument, LevelId};
use exit_factors::store::Store;

const WRITERS: [usize; 2] = [1, 16];

/// A realistic draft: the largest assessment of a few synthetic cases (every factor rated,
/// notes on some).
fn sample_assessment() -> Assessment {
    let instrument = Instrument::bundled().expect("instrument");
    let data = exit_factors::demo::generate(
        &instrument,
        20,
        7,
        time::OffsetDateTime::now_utc(),
        &[UserId::new(1)],
        None,
    )
    .expect("demo data");
    data.into_iter()
        .flat_map(|(_, a)| a)
        .max_by_key(|a| serde_json::to_vec(a).map(|v| v.len()).unwrap_or(0))
        .expect("an assessment")
}

fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("scratch dir")
}

const OPERATOR: Actor = Actor::operator(UserId::new(1));

/// The individual step of `sample`, as its form would post it.
fn individual_step(instrument: &Instrument, sample: &Assessment) -> LevelAnswers {
    let answers = instrument
        .levels
        .iter()
        .filter(|l| l.id == LevelId::Individual)
        .flat_map(|l| &l.factors)
        .map(|f| (f.id.clone(), sample.answer(&f.id)))
        .collect();
    LevelAnswers::new(LevelId::Individual, answers)
}

/// `iters` saves in all, shared among `writers` concurrent writers, each on its own draft.
fn store_saves(
    rt: &tokio::runtime::Runtime,
    store: &Store,
    drafts: &[Assessment],
    step: &LevelAnswers,
    writers: usize,
    iters: u64,
) -> Duration {
    let started = Instant::now();
    rt.block_on(async {
        let each = iters.div_ceil(writers as u64);
        let tasks = drafts[..writers].iter().map(|draft| {
            let store = store.clone();
            let id = draft.id();
            let step = step.clone();
            tokio::spawn(async move {
                for _ in 0..each {
                    let draft = store.assessment(id).expect("read").expect("draft");
                    let now = time::OffsetDateTime::now_utc();
                    let save = draft
                        .apply(StepAnswers::Level(step.clone()), false, OPERATOR, now)
                        .expect("a draft takes a step");
                    store.apply(save).await.expect("durable save");
                }
            })
        });
        for task in futures_util::future::join_all(tasks).await {
            task.expect("writer");
        }
    });
    per_iteration(
        started.elapsed(),
        iters,
        iters.div_ceil(writers as u64) * writers as u64,
    )
}

/// Scales the time of `done` saves to the `iters` criterion asked for.
fn per_iteration(elapsed: Duration, iters: u64, done: u64) -> Duration {
    elapsed.mul_f64(iters as f64 / done as f64)
}

/// The same with SQLite: one connection per writer, `UPDATE` of a row holding a record of the
/// same size, WAL with `synchronous=FULL` (every commit fsyncs the log).
fn sqlite_saves(
    path: &std::path::Path,
    record: &Arc<Vec<u8>>,
    writers: usize,
    iters: u64,
) -> Duration {
    let each = iters.div_ceil(writers as u64);
    let started = Instant::now();
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let path = path.to_owned();
            let record = record.clone();
            std::thread::spawn(move || {
                let mut conn = rusqlite::Connection::open(&path).expect("open");
                conn.busy_timeout(Duration::from_secs(30)).expect("timeout");
                conn.pragma_update(None, "synchronous", "FULL")
                    .expect("pragma");
                for _ in 0..each {
                    let tx = conn.transaction().expect("begin");
                    tx.execute(
                        "UPDATE drafts SET body = ?1, version = version + 1 WHERE id = ?2",
                        rusqlite::params![record.as_slice(), w as i64],
                    )
                    .expect("update");
                    tx.execute(
                        "INSERT INTO audit (at, actor, action, target) \
                         VALUES (?1, 1, 'assessment_saved', ?2)",
                        rusqlite::params![
                            time::OffsetDateTime::now_utc().unix_timestamp(),
                            format!("{w} individual")
                        ],
                    )
                    .expect("audit");
                    tx.commit().expect("commit");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer");
    }
    per_iteration(started.elapsed(), iters, each * writers as u64)
}

fn durable_saves(c: &mut Criterion) {
    let sample = sample_assessment();
    let instrument = Instrument::bundled().expect("instrument");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let store_dir = scratch_dir();
    let store = Store::open(
        store_dir.path(),
        &exit_factors::store::vault::MasterKey::from_bytes([9; 32]),
    )
    .expect("store");
    // Sixteen drafts with every step saved from the sample's answers, stored as a page would.
    let step = individual_step(&instrument, &sample);
    let drafts: Vec<Assessment> = (0..16)
        .map(|_| {
            let id = store.new_assessment_id().expect("id");
            let now = time::OffsetDateTime::now_utc();
            let full = Assessment::filled_in(
                id,
                sample.case().clone(),
                &instrument,
                OPERATOR,
                now,
                exit_factors::domain::assessment::ContextAnswers {
                    date: sample.context().date,
                    stage: sample.context().stage,
                    reentry: sample.context().reentry,
                    setting: sample.context().setting,
                },
                sample.answers().clone(),
                sample.actions().to_vec(),
            )
            .expect("a complete sample");
            // Amending gives a draft with every answer, as an operator correcting one would.
            let reason = exit_factors::domain::assessment::Note::parse("a rating was wrong", 500)
                .expect("reason")
                .expect("reason");
            let new_id = store.new_assessment_id().expect("id");
            let draft = full
                .amend(new_id, reason, OPERATOR, now)
                .expect("amend")
                .into_assessment();
            rt.block_on(store.insert_assessment(&draft))
                .expect("insert");
            draft
        })
        .collect();
    let record = Arc::new(serde_json::to_vec(&drafts[0]).expect("encode"));
    eprintln!("draft record size: {} bytes", record.len());

    let sqlite_dir = scratch_dir();
    let sqlite_path = sqlite_dir.path().join("bench.sqlite");
    {
        let conn = rusqlite::Connection::open(&sqlite_path).expect("open");
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .expect("wal");
        assert_eq!(mode, "wal");
        conn.execute_batch(
            "CREATE TABLE drafts (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, body BLOB NOT NULL);
             CREATE TABLE audit (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor INTEGER, action TEXT NOT NULL, target TEXT);",
        )
        .expect("schema");
        for w in 0..16i64 {
            conn.execute(
                "INSERT INTO drafts (id, version, body) VALUES (?1, 0, ?2)",
                rusqlite::params![w, record.as_slice()],
            )
            .expect("row");
        }
    }

    let mut group = c.benchmark_group("durable saves");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(1));
    for writers in WRITERS {
        group.bench_function(BenchmarkId::new("exit-factors store", writers), |b| {
            b.iter_custom(|iters| store_saves(&rt, &store, &drafts, &step, writers, iters))
        });
        group.bench_function(
            BenchmarkId::new("SQLite WAL synchronous=FULL", writers),
            |b| b.iter_custom(|iters| sqlite_saves(&sqlite_path, &record, writers, iters)),
        );
    }
    group.finish();
}

criterion_group!(benches, durable_saves);
criterion_main!(benches);
