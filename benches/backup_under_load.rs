//! A backup of the 34,000-case demo store taken while 16 writers save drafts: how long writes
//! waited, how long the backup and a restore took, and that every save acknowledged before each
//! backup began is in it. Run with `cargo bench --bench backup_under_load` (the first run fills
//! the demo store under `target/`, about 15 s). Prints its figures; not a criterion benchmark.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use exit_factors::backup::{self, OpenKey, SealKey};
use exit_factors::domain::UserId;
use exit_factors::domain::assessment::{
    Actor, Assessment, AssessmentId, ContextAnswers, LevelAnswers, Note, StepAnswers,
};
use exit_factors::instrument::{Instrument, LevelId};
use exit_factors::store::Store;

const CASES: usize = 34_000;
const WRITERS: usize = 16;
const PASSPHRASE: &str = "a long backup passphrase";
const OPERATOR: Actor = Actor::operator(UserId::new(1));

/// What one writer saw: the latest version acknowledged, and every save's wait.
#[derive(Default)]
struct Saves {
    acknowledged: u64,
    waits: Vec<(Instant, Duration)>,
}

fn drafts(rt: &tokio::runtime::Runtime, store: &Store, instrument: &Instrument) -> Vec<Assessment> {
    let sample = exit_factors::pdf::sample::history(instrument, 160, false)
        .pop()
        .expect("sample");
    (0..WRITERS)
        .map(|_| {
            let now = time::OffsetDateTime::now_utc();
            let id = store.new_assessment_id().expect("id");
            let context = ContextAnswers {
                date: sample.context().date,
                stage: sample.context().stage,
                reentry: sample.context().reentry,
                setting: sample.context().setting,
            };
            let full = Assessment::filled_in(
                id,
                sample.case().clone(),
                instrument,
                OPERATOR,
                now,
                context,
                sample.answers().clone(),
                sample.actions().to_vec(),
            )
            .expect("complete");
            let reason = Note::parse("bench", 500).expect("note").expect("note");
            let draft = full
                .amend(
                    AssessmentId::new(u64::MAX / 2 + id.get()),
                    reason,
                    OPERATOR,
                    now,
                )
                .expect("amend")
                .into_assessment();
            rt.block_on(store.insert_assessment(&draft))
                .expect("insert");
            draft
        })
        .collect()
}

fn step(instrument: &Instrument, sample: &Assessment) -> LevelAnswers {
    let answers = instrument
        .levels
        .iter()
        .filter(|l| l.id == LevelId::Individual)
        .flat_map(|l| &l.factors)
        .map(|f| (f.id.clone(), sample.answer(&f.id)))
        .collect();
    LevelAnswers::new(LevelId::Individual, answers)
}

/// Saves `id` until `stop`, recording each acknowledged version and wait.
async fn keep_saving(
    store: Store,
    id: AssessmentId,
    step: LevelAnswers,
    stop: Arc<AtomicBool>,
) -> Saves {
    let mut saves = Saves::default();
    while !stop.load(Ordering::SeqCst) {
        let draft = store.assessment(id).expect("read").expect("draft");
        let started = Instant::now();
        let save = draft
            .apply(
                StepAnswers::Level(step.clone()),
                false,
                OPERATOR,
                time::OffsetDateTime::now_utc(),
            )
            .expect("a step");
        let saved = store.apply(save).await.expect("durable save");
        saves.acknowledged = saved.version();
        saves.waits.push((started, started.elapsed()));
    }
    saves
}

/// The version of each draft in the backup at `path`, by restoring it.
fn versions_in(path: &Path, ids: &[AssessmentId], scratch: &Path) -> (Vec<u64>, Duration) {
    let target = scratch.join(format!(
        "restored-{}",
        path.file_name().unwrap().to_string_lossy()
    ));
    let started = Instant::now();
    backup::restore(
        path,
        &OpenKey::Passphrase(PASSPHRASE.to_owned().into()),
        &target,
        &exit_factors::store::vault::MasterKey::from_bytes([9; 32]),
    )
    .expect("restores");
    let took = started.elapsed();
    let store = Store::open(
        &target,
        &exit_factors::store::vault::MasterKey::from_bytes([9; 32]),
    )
    .expect("opens");
    let versions = ids
        .iter()
        .map(|id| {
            store
                .assessment(*id)
                .expect("read")
                .map_or(0, |a| a.version())
        })
        .collect();
    drop(store);
    std::fs::remove_dir_all(&target).ok();
    (versions, took)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let instrument = Instrument::bundled().expect("instrument");
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("backup-under-load");
    let data = base.join(format!("demo-{CASES}"));
    let _ = std::fs::remove_dir_all(base.join("work"));
    let scratch = base.join("work");
    std::fs::create_dir_all(&scratch).expect("scratch");
    if !data.exists() {
        eprintln!("filling the demo store ({CASES} cases)…");
        let store = Store::open(
            &data,
            &exit_factors::store::vault::MasterKey::from_bytes([9; 32]),
        )
        .expect("store");
        rt.block_on(exit_factors::demo::fill(
            &store,
            &instrument,
            CASES,
            1,
            time::OffsetDateTime::now_utc(),
        ))
        .expect("demo data");
    }
    let store = Store::open(
        &data,
        &exit_factors::store::vault::MasterKey::from_bytes([9; 32]),
    )
    .expect("store");
    let drafts = drafts(&rt, &store, &instrument);
    let ids: Vec<AssessmentId> = drafts.iter().map(|d| d.id()).collect();
    let step = step(&instrument, &drafts[0]);
    let key = SealKey::Passphrase(PASSPHRASE.to_owned().into());

    rt.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = ids
            .iter()
            .map(|id| tokio::spawn(keep_saving(store.clone(), *id, step.clone(), stop.clone())))
            .collect();
        tokio::time::sleep(Duration::from_secs(2)).await;

        let first_started = Instant::now();
        let first = backup::create(&store, &scratch.join("first.age"), key.clone())
            .await
            .expect("backup under load");
        let first_ended = Instant::now();
        tokio::time::sleep(Duration::from_secs(2)).await;
        stop.store(true, Ordering::SeqCst);
        let mut results = Vec::new();
        for w in writers {
            results.push(w.await.expect("writer"));
        }
        let second = backup::create(&store, &scratch.join("second.age"), key.clone())
            .await
            .expect("backup after");

        let during: Vec<Duration> = results
            .iter()
            .flat_map(|r| &r.waits)
            .filter(|(at, wait)| *at + *wait >= first_started && *at <= first_ended)
            .map(|(_, wait)| *wait)
            .collect();
        let outside: Vec<Duration> = results
            .iter()
            .flat_map(|r| &r.waits)
            .filter(|(at, wait)| *at + *wait < first_started || *at > first_ended)
            .map(|(_, wait)| *wait)
            .collect();
        let saves: usize = results.iter().map(|r| r.waits.len()).sum();
        let max = |v: &[Duration]| v.iter().max().copied().unwrap_or_default();
        let median = |v: &[Duration]| {
            let mut v = v.to_vec();
            v.sort();
            v.get(v.len() / 2).copied().unwrap_or_default()
        };

        // Every save acknowledged before a backup began is in it: check the last one per draft.
        let acked_before_first: Vec<u64> = results
            .iter()
            .map(|r| {
                r.waits
                    .iter()
                    .filter(|(at, wait)| *at + *wait < first_started)
                    .count() as u64
            })
            .collect();
        let base_version = drafts[0].version();
        let (in_first, _) = versions_in(&first.path, &ids, &scratch);
        let (in_second, restore_took) = versions_in(&second.path, &ids, &scratch);
        for (i, r) in results.iter().enumerate() {
            assert!(
                in_first[i] >= base_version + acked_before_first[i],
                "draft {i}: acknowledged before the first backup began, missing from it"
            );
            assert_eq!(
                in_second[i], r.acknowledged,
                "draft {i}: every acknowledged save is in the next backup"
            );
        }

        println!("store: {CASES} demo cases, {} records", first.header.records());
        println!(
            "backup under load: writes waited {} ms (snapshot), backup took {} ms, {:.1} MB",
            first.held_writes_for.as_millis(),
            first.took.as_millis(),
            first.bytes as f64 / 1e6
        );
        println!(
            "saves: {saves} by {WRITERS} writers; while the backup ran: {} saves, longest wait {} ms; \
             otherwise median {} ms, longest {} ms",
            during.len(),
            max(&during).as_millis(),
            median(&outside).as_millis(),
            max(&outside).as_millis()
        );
        println!(
            "next backup: every acknowledged save present ({} drafts checked); restore took {} ms",
            WRITERS,
            restore_took.as_millis()
        );
    });
}
