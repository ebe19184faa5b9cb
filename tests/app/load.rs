//! Many people at once, and crashes in the middle: dozens of clients, signed in or not, mixing
//! anonymous floods with draft saves; every request must be answered in time, and every save the
//! server acknowledged must still be there after `kill -9` and a restart.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};

use crate::form::{self, Form};
use crate::helpers::{
    CASE_FIELDS, PASSWORD, ServerProcess, remote_client, remote_sign_in, server_with_operator,
};

/// Longest a request may wait for its answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// An operator with a draft assessment of her own, saving its individual step over and over.
pub struct Writer {
    client: Client,
    /// `/assessments/{id}/individual`
    step: String,
    /// Writer number, written into every note.
    n: usize,
    /// Number of the next save: it keeps counting across restarts.
    next_save: u64,
}

impl Writer {
    fn note(&self, save: u64) -> String {
        format!("writer {} save {save}", self.n)
    }

    /// Which save of this writer a note records.
    fn save_in(&self, note: &str) -> Option<u64> {
        note.strip_prefix(&format!("writer {} save ", self.n))?
            .trim()
            .parse()
            .ok()
    }
}

/// What one client saw: requests answered late or not at all, server errors, and the last save
/// acknowledged.
#[derive(Debug, Default)]
pub struct Seen {
    pub problems: Vec<String>,
    requests: usize,
    pub last_acknowledged: Option<u64>,
}

/// Sends one request, recording a problem when it is not answered within `ANSWER_WITHIN` or
/// answers a server error.
async fn timed(
    seen: &mut Seen,
    what: &str,
    request: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
) -> Option<reqwest::Response> {
    seen.requests += 1;
    let started = Instant::now();
    match tokio::time::timeout(ANSWER_WITHIN, request).await {
        Err(_) => {
            seen.problems
                .push(format!("{what}: no answer within {ANSWER_WITHIN:?}"));
            None
        }
        Ok(Err(e)) => {
            seen.problems.push(format!("{what}: {e}"));
            None
        }
        Ok(Ok(res)) if res.status().is_server_error() => {
            seen.problems.push(format!(
                "{what}: {} after {:?}",
                res.status(),
                started.elapsed()
            ));
            None
        }
        Ok(Ok(res)) => Some(res),
    }
}

/// Signs an operator in, creates a case and starts an assessment through the forms as rendered.
pub async fn prepare_writer(base: &str, username: &str, password: &str, n: usize) -> Writer {
    let client = remote_client();
    assert_eq!(
        remote_sign_in(&client, base, username, password).await,
        StatusCode::SEE_OTHER
    );
    let mut case_form = form::load(&client, base, "/cases/new", "main form").await;
    for (name, value) in CASE_FIELDS {
        case_form.set(name, value);
    }
    let res = case_form.submit(&client, base, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "case created");
    let case = res.headers()["location"].to_str().unwrap().to_owned();
    let start = form::load(&client, base, &case, "form[action$='/assessments']").await;
    let res = start.submit(&client, base, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "assessment started");
    let context = res.headers()["location"].to_str().unwrap().to_owned();
    Writer {
        client,
        step: context.replace("/context", "/individual"),
        n,
        next_save: 1,
    }
}

/// One draft save through the step form as rendered: note and rating changed, "Save draft".
async fn save_once(base: &str, writer: &Writer, save: u64, seen: &mut Seen) {
    let url = format!("{base}{}", writer.step);
    let Some(res) = timed(seen, "GET step", writer.client.get(&url).send()).await else {
        return;
    };
    let Ok(html) = res.text().await else {
        seen.problems.push("GET step: body cut short".into());
        return;
    };
    let page = writer.step.clone();
    let mut form =
        tokio::task::spawn_blocking(move || Form::from_html(&html, "form#factors", &page))
            .await
            .unwrap();
    form.set("ind.self_esteem.note", &writer.note(save)).set(
        "ind.self_esteem.rating",
        ["0", "1", "2", "3"][save as usize % 4],
    );
    let Some(res) = timed(
        seen,
        "POST step",
        form.request(&writer.client, base, Some(("action", "draft")))
            .send(),
    )
    .await
    else {
        return;
    };
    if res.status() == StatusCode::SEE_OTHER {
        seen.last_acknowledged = Some(save);
    } else {
        seen.problems
            .push(format!("POST step answered {}", res.status()));
    }
}

/// Saves until `until` or the first failed request, also opening the case list now and then.
pub async fn keep_saving(base: String, mut writer: Writer, until: Instant) -> (Writer, Seen) {
    let mut seen = Seen::default();
    while Instant::now() < until && seen.problems.is_empty() {
        let save = writer.next_save;
        writer.next_save += 1;
        save_once(&base, &writer, save, &mut seen).await;
        if save.is_multiple_of(3) {
            timed(
                &mut seen,
                "GET /cases",
                writer.client.get(format!("{base}/cases")).send(),
            )
            .await;
        }
    }
    (writer, seen)
}

/// Anonymous traffic: protected pages, forms without a token, the public pages.
async fn keep_probing(base: String, n: usize, until: Instant) -> Seen {
    let client = remote_client();
    let mut seen = Seen::default();
    let mut i = n;
    while Instant::now() < until {
        i += 1;
        let url = |path: &str| format!("{base}{path}");
        let request = match i % 7 {
            0 => client.get(url("/cases")),
            1 => client.get(url("/cases/K7QM-3XDA-5")),
            2 => client.post(url("/cases")).form(&[("age_band", "18_24")]),
            3 => client.get(url("/sign-in")),
            4 => client
                .post(url("/sign-in"))
                .form(&[("username", "olga"), ("password", "guess")]),
            5 => client.get(url("/admin/audit")),
            _ => client.get(url("/healthz")),
        };
        timed(&mut seen, "anonymous request", request.send()).await;
    }
    seen
}

/// The note the individual step shows for `writer` now.
async fn stored_note(base: &str, writer: &Writer) -> String {
    let form = form::load(&writer.client, base, &writer.step, "form#factors").await;
    form.value("ind.self_esteem.note").unwrap_or_default()
}

/// Checks that every writer's last acknowledged save is what the step shows (or a later save that
/// was cut off before its answer arrived).
async fn assert_nothing_acknowledged_was_lost(base: &str, results: &[(Writer, Seen)]) {
    for (writer, seen) in results {
        let Some(acknowledged) = seen.last_acknowledged else {
            continue;
        };
        let note = stored_note(base, writer).await;
        let stored = writer.save_in(&note);
        assert!(
            stored.is_some_and(|s| s >= acknowledged),
            "writer {}: save {acknowledged} was acknowledged, the step shows {note:?}",
            writer.n
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_clients_flooding_and_saving_are_all_answered_and_no_save_is_lost() {
    let (dir, server) = server_with_operator();
    let base = server.url.clone();

    const WRITERS: usize = 24;
    const PROBERS: usize = 40;
    let mut writers = Vec::new();
    for n in 0..WRITERS {
        writers.push(prepare_writer(&base, "olga", PASSWORD, n).await);
    }

    let until = Instant::now() + Duration::from_secs(4);
    let saving: Vec<_> = writers
        .into_iter()
        .map(|w| tokio::spawn(keep_saving(base.clone(), w, until)))
        .collect();
    let probing: Vec<_> = (0..PROBERS)
        .map(|n| tokio::spawn(keep_probing(base.clone(), n, until)))
        .collect();
    let mut results = Vec::new();
    for task in saving {
        results.push(task.await.unwrap());
    }
    let mut problems: Vec<String> = Vec::new();
    let mut anonymous = 0;
    for task in probing {
        let seen = task.await.unwrap();
        anonymous += seen.requests;
        problems.extend(seen.problems);
    }
    for (_, seen) in &results {
        problems.extend(seen.problems.iter().cloned());
    }
    let saves: u64 = results
        .iter()
        .map(|(_, s)| s.last_acknowledged.unwrap_or(0))
        .sum();
    assert!(
        problems.is_empty(),
        "{} of the requests failed or went unanswered, e.g. {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
    assert!(anonymous > PROBERS * 10, "the flood ran: {anonymous}");
    assert!(
        results.iter().all(|(_, s)| s.last_acknowledged >= Some(3)),
        "every writer saved several times ({saves} saves)"
    );

    server.kill_hard();
    let restarted = ServerProcess::start(dir.path());
    assert_nothing_acknowledged_was_lost(&restarted.url, &results).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_kill_9_cycles_with_concurrent_writers_lose_no_acknowledged_save() {
    const WRITERS: usize = 6;
    let (dir, mut server) = server_with_operator();
    let mut writers = Vec::new();
    for n in 0..WRITERS {
        writers.push(prepare_writer(&server.url, "olga", PASSWORD, n).await);
    }
    let mut acknowledged = 0;
    for cycle in 0..20u64 {
        // Sessions live in the store, and cookies do not depend on the port: the same clients
        // stay signed in across restarts.
        let base = server.url.clone();
        let until = Instant::now() + Duration::from_secs(10);
        let tasks: Vec<_> = writers
            .into_iter()
            .map(|w| tokio::spawn(keep_saving(base.clone(), w, until)))
            .collect();
        // Kill while the writers are mid-request; each stops at its first failed request.
        tokio::time::sleep(Duration::from_millis(150 + (cycle * 37) % 300)).await;
        server.kill_hard();
        let mut results = Vec::new();
        for task in tasks {
            let (writer, mut seen) = task.await.unwrap();
            // Requests cut off by the kill are expected to fail; only acknowledgements count.
            seen.problems.clear();
            acknowledged += seen.last_acknowledged.unwrap_or(0);
            results.push((writer, seen));
        }
        server = ServerProcess::start(dir.path());
        assert_nothing_acknowledged_was_lost(&server.url, &results).await;
        writers = results.into_iter().map(|(w, _)| w).collect();
    }
    assert!(acknowledged > 20 * WRITERS as u64, "{acknowledged} saves");

    // Every save that reached the store has its audit entry, and no entry speaks of a save that
    // did not: the change and its entry are one transaction.
    server.kill_hard();
    let store = exit_factors::store::Store::open(dir.path(), &dir.key()).unwrap();
    let chain = store.verify_audit().unwrap();
    assert!(
        chain.broken.is_none(),
        "the audit chain holds across kill -9: {chain:?}"
    );
    let audit = store.audit_page(None, usize::MAX).unwrap().entries;
    for writer in &writers {
        let id: u64 = writer.step.split('/').nth(2).unwrap().parse().unwrap();
        let stored = store
            .assessment(exit_factors::domain::assessment::AssessmentId::new(id))
            .unwrap()
            .unwrap();
        let saves = audit
            .iter()
            .filter(|(_, e)| {
                e.action == exit_factors::domain::AuditAction::AssessmentSaved
                    && e.target
                        .as_deref()
                        .is_some_and(|t| t.starts_with(&format!("{id} ")))
            })
            .count() as u64;
        assert_eq!(
            saves,
            stored.version(),
            "assessment {id}: one audit entry per stored save"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_stops_the_server_within_10_seconds_keeping_every_acknowledged_save() {
    let (dir, mut server) = server_with_operator();
    let base = server.url.clone();
    let mut writers = Vec::new();
    for n in 0..8 {
        writers.push(prepare_writer(&base, "olga", PASSWORD, n).await);
    }
    let until = Instant::now() + Duration::from_secs(20);
    let saving: Vec<_> = writers
        .into_iter()
        .map(|w| tokio::spawn(keep_saving(base.clone(), w, until)))
        .collect();
    let probing: Vec<_> = (0..16)
        .map(|n| {
            tokio::spawn(keep_probing(
                base.clone(),
                n,
                Instant::now() + Duration::from_secs(1),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;

    let stopping = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exited = loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            break code;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(exited.success(), "a clean stop: {exited:?}");
    let mut results = Vec::new();
    for task in saving {
        results.push(task.await.unwrap());
    }
    for task in probing {
        task.await.unwrap();
    }
    assert!(results.iter().all(|(_, s)| s.last_acknowledged.is_some()));
    server = ServerProcess::start(dir.path());
    assert_nothing_acknowledged_was_lost(&server.url, &results).await;
}
