//! Erasure on request: from the admin page, a case goes from every page, list, count and export;
//! its records cannot be read even with the master key; the audit keeps one entry; a restore of a
//! backup made before it erases it again.

use std::time::Duration;

use exit_factors::backup::{OpenKey, register};
use exit_factors::domain::{AuditAction, Role};
use exit_factors::instrument::Instrument;
use exit_factors::store::StoreError;
use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, backups_into, location, select_attr, select_text, spawn_app_with};

use crate::helpers::BACKUP_PASSPHRASE as PASSPHRASE;

/// A case made through the pages with a note, submitted and reviewed; returns (code, assessment).
async fn reviewed_case_with_a_note(app: &TestApp, olga: &Client, sue: &Client) -> (String, String) {
    let case = app.new_case(olga).await;
    let id = app.start_assessment(olga, &case).await;
    app.save_step(
        olga,
        &id,
        "context",
        &[("date", "2025-04-17"), ("stage", "action")],
        "continue",
    )
    .await;
    app.save_step(
        olga,
        &id,
        "individual",
        &[
            ("ind.autonomy.rating", "2"),
            ("ind.autonomy.note", "wombatnote about her plans"),
        ],
        "continue",
    )
    .await;
    for step in ["relational", "structural", "review"] {
        app.save_step(olga, &id, step, &[], "continue").await;
    }
    assert_eq!(app.submit(olga, &id).await.status(), StatusCode::SEE_OTHER);
    let res = app.mark_reviewed(sue, &id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "reviewed");
    (case, id)
}

async fn text(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let res = app.get(client, path).await;
    (res.status(), res.text().await.unwrap())
}

/// The "cases in scope" figure of the dashboard CSV.
fn csv_cases_in_scope(body: &str) -> usize {
    body.lines()
        .find_map(|l| l.strip_prefix("scope,all,,cases,"))
        .and_then(|rest| rest.split(',').next())
        .and_then(|v| v.parse().ok())
        .expect("a cases-in-scope row")
}

fn csv_rows(body: &str) -> usize {
    body.lines().filter(|l| !l.trim().is_empty()).count()
}

/// Submits the erase form as the page renders it.
async fn erase(
    app: &TestApp,
    admin: &Client,
    code: &str,
    confirm: &str,
    reason: bool,
) -> reqwest::Response {
    let mut form = app.form(admin, "/admin/erase", "/admin/erase").await;
    form.set("code", code);
    form.set("confirm", confirm);
    if reason {
        let first = form
            .options("reason")
            .into_iter()
            .find(|o| !o.is_empty())
            .expect("a reason to choose");
        form.set("reason", &first);
    }
    form.submit(admin, &app.address, None).await
}

#[actix_web::test]
async fn an_erased_case_is_gone_everywhere_unreadable_with_the_master_key_and_erased_again_on_restore()
 {
    let backups = tempfile::tempdir().unwrap();
    let backup_dir = backups.path().to_owned();
    let app = spawn_app_with(move |s| s.backup = Some(backups_into(backup_dir, 5))).await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let (ada, _) = app.signed_in("ada", Role::Admin).await;
    app.insert_synthetic_cases(12, 3, "olga", Some("sue")).await;
    let (code, assessment) = reviewed_case_with_a_note(&app, &olga, &sue).await;
    let parsed = exit_factors::domain::CaseCode::parse(&code).unwrap();
    let instrument = Instrument::bundled().unwrap();
    let rows = || {
        app.store
            .with_aggregate_rows(&instrument, |r| r.assessment_count())
            .unwrap()
    };

    // Before: everywhere.
    let (_, list) = text(&app, &olga, "/cases").await;
    assert!(list.contains(&code));
    assert_eq!(
        text(&app, &olga, &format!("/cases/{code}")).await.0,
        StatusCode::OK
    );
    let summary = format!("/assessments/{assessment}/summary");
    assert_eq!(text(&app, &olga, &summary).await.0, StatusCode::OK);
    let (_, research) = text(&app, &ada, "/admin/export/research.csv").await;
    let (_, dashboard) = text(&app, &sue, "/dashboard").await;
    let in_scope = select_text(&dashboard, "dl.headline dd")[0].clone();
    let (_, csv) = text(&app, &sue, "/dashboard.csv").await;
    assert_eq!(csv_cases_in_scope(&csv).to_string(), in_scope);
    let rows_before = rows();
    let sealed_case = app
        .store
        .raw_record("cases", code.as_bytes())
        .unwrap()
        .unwrap();
    let wrapped = app.store.wrapped_case_key(&parsed).unwrap().unwrap();

    // A backup before the erasure.
    let made = app
        .fill_and_submit(&ada, "/admin/backups", "/admin/backups", &[], None)
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let old_backup = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("exit-factors-")
        })
        .unwrap();

    // Refusals keep what was typed and erase nothing.
    let res = erase(&app, &ada, &code, "K7QM-3XDA-5", true).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert_eq!(
        select_text(&html, "#confirm-error"),
        ["Error: Type the same case code again to confirm"]
    );
    assert_eq!(
        select_attr(&html, "#code", "value").as_deref(),
        Some(code.as_str())
    );
    let res = erase(&app, &ada, &code, &code, false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.store.case(&parsed).unwrap().is_some(),
        "nothing erased yet"
    );
    // Only admins may erase.
    assert_eq!(
        text(&app, &sue, "/admin/erase").await.0,
        StatusCode::FORBIDDEN
    );

    let res = erase(&app, &ada, &code, &code.to_lowercase(), true).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, done) = text(&app, &ada, &location(&res)).await;
    let notice = select_text(&done, ".notice");
    assert!(
        notice[0].contains(&format!("Case {parsed} was erased")),
        "{notice:?} {code}"
    );

    // After: nowhere.
    let (_, list) = text(&app, &olga, "/cases").await;
    assert!(!list.contains(&code));
    assert_eq!(
        text(&app, &olga, &format!("/cases/{code}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        text(
            &app,
            &olga,
            &format!("/cases/{}", exit_factors::domain::CaseCode::generate())
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "like any unknown code"
    );
    assert_eq!(text(&app, &olga, &summary).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        text(&app, &olga, &format!("/assessments/{assessment}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, research_after) = text(&app, &ada, "/admin/export/research.csv").await;
    assert!(
        csv_rows(&research_after) < csv_rows(&research) && csv_rows(&research_after) > 1,
        "its rows left the research export"
    );
    assert!(!research_after.contains("wombatnote"));
    let (status, dashboard) = text(&app, &sue, "/dashboard").await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    let after: usize = select_text(&dashboard, "dl.headline dd")[0]
        .parse()
        .unwrap();
    assert_eq!(
        after,
        in_scope.parse::<usize>().unwrap() - 1,
        "the dashboard counts it no more"
    );
    assert_eq!(rows(), rows_before - 1);

    // With the master key and a copy of its record recovered from the files: unreadable.
    assert!(matches!(
        app.store
            .open_raw_record("cases", code.as_bytes(), &sealed_case),
        Err(StoreError::KeyGone(_))
    ));
    let keyring = std::fs::read(app._data_dir.path().join("keyring")).unwrap();
    assert!(
        !keyring
            .windows(wrapped.len())
            .any(|w| w == wrapped.as_slice())
    );
    assert!(!keyring.windows(code.len()).any(|w| w == code.as_bytes()));

    // The audit keeps one entry about it: who, when, the reason category.
    let erased: Vec<_> = app
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::CaseErased)
        .collect();
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0].target.as_deref(), Some(code.as_str()));
    assert_eq!(erased[0].detail.as_deref(), Some("At the person's request"));
    assert!(erased[0].actor.is_some());

    // The register beside the backups lists it (written in the background).
    let register_file = backups.path().join(register::REGISTER_FILE);
    let key = OpenKey::Passphrase(PASSPHRASE.to_owned().into());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if register::read(&register_file, &key).is_ok_and(|r| r.len() == 1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the register lists the erasure"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }

    // Restoring the older backup erases the case again.
    let restored = app._data_dir.root().join("restored");
    let pass = app._data_dir.root().join("pass.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    let out = crate::helpers::binary()
        .arg("restore")
        .arg(&old_backup)
        .arg("--data-dir")
        .arg(&restored)
        .arg("--passphrase-file")
        .arg(&pass)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 erasures listed, 1 of them erased again"),
        "{stdout}"
    );
    let key = exit_factors::store::vault::MasterKey::read(
        &exit_factors::store::vault::default_key_file(&restored),
    )
    .unwrap();
    let store = exit_factors::store::Store::open(&restored, &key).unwrap();
    assert!(store.case(&parsed).unwrap().is_none());
    assert_eq!(
        store.cases().unwrap().len(),
        12,
        "the other cases are there"
    );
    assert_eq!(store.erasures().unwrap().len(), 1);
}
