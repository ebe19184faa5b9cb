//! A store that cannot write, or hangs: saves answer 503 and give back what was typed, pages still
//! read with a banner, the health check says what is wrong, and writing resumes by itself once the
//! fault is gone. Faults are switched on in the running store (`Store::inject_fault`); the writer,
//! the recovery probe and the reopening of the database are the real ones.

use std::time::{Duration, Instant};

use exit_factors::domain::Role;
use exit_factors::store::Fault;
use reqwest::StatusCode;

use crate::form::Form;
use crate::helpers::{TestApp, select_text, spawn_app};

async fn health(app: &TestApp) -> (StatusCode, String) {
    let res = app.get(&app.client(), "/healthz").await;
    (res.status(), res.text().await.unwrap())
}

/// Waits (up to 10 s) until the health check says `ok`.
async fn wait_until_healthy(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = health(app).await;
        if status == StatusCode::OK {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still unhealthy after the fault cleared: {body}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn a_store_that_cannot_write_refuses_saves_keeping_the_input_serves_pages_and_recovers() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;
    let id = app.start_assessment(&client, &case).await;
    let step = format!("/assessments/{id}/individual");
    let mut form = app.form(&client, &step, &step).await;
    form.set("ind.self_esteem.rating", "3")
        .set("ind.self_esteem.note", "speaks up in the group now");

    app.store.inject_fault(Fault::FailWrites);
    let refused = form
        .submit(&client, &app.address, Some(("action", "draft")))
        .await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = refused.text().await.unwrap();
    assert_eq!(select_text(&html, "h1"), ["Not saved"]);
    assert!(
        select_text(&html, ".kept-input dd").contains(&"speaks up in the group now".to_owned()),
        "what was typed is on the page"
    );
    assert!(!html.contains("injected"), "no internal cause on the page");
    let retry = Form::from_html(&html, "form.kept-form", &step);
    assert_eq!(
        retry.value("ind.self_esteem.note").as_deref(),
        Some("speaks up in the group now")
    );
    assert_eq!(retry.action, step);

    // Pages still read, with a banner, and the read audit does not fail them.
    let page = app.get(&client, &format!("/cases/{case}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert_eq!(select_text(&page, ".read-only-banner").len(), 1);
    // A session that is due a `last seen` update is not failed by it either.
    app.clock.advance(time::Duration::minutes(2));
    assert_eq!(app.get(&client, &step).await.status(), StatusCode::OK);
    // Another save is refused at once, with the same page.
    let again = app
        .fill_and_submit(
            &client,
            &format!("/cases/{case}"),
            &format!("/cases/{case}/close"),
            &[("reason", "moved_away")],
            None,
        )
        .await;
    assert_eq!(again.status(), StatusCode::SERVICE_UNAVAILABLE);
    let (status, body) = health(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.starts_with("store cannot write"), "{body}");

    // The disk has room again: writing resumes without a restart.
    app.store.inject_fault(Fault::None);
    wait_until_healthy(&app).await;
    let mut res = retry.submit(&client, &app.address, None).await;
    if res.status() == StatusCode::CONFLICT {
        // The refused save may have reached the disk after all (it was never acknowledged, so
        // either is allowed); the conflict page shows both and saving again is the user's choice.
        let html = res.text().await.unwrap();
        res = Form::from_html(&html, "form#factors", &step)
            .submit(&client, &app.address, Some(("action", "draft")))
            .await;
    }
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let saved = app.form(&client, &step, &step).await;
    assert_eq!(
        saved.value("ind.self_esteem.note").as_deref(),
        Some("speaks up in the group now")
    );
    let page = app
        .get(&client, &format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(select_text(&page, ".read-only-banner").is_empty());
    // The page views during the fault were kept and written once the store recovered.
    let viewed = app
        .audit()
        .await
        .iter()
        .filter(|e| e.action == exit_factors::domain::AuditAction::CaseViewed)
        .count();
    assert!(viewed >= 2, "{viewed} case views audited");
}

#[actix_web::test]
async fn a_stuck_store_turns_saves_into_503_within_seconds_and_the_health_check_says_so() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;

    app.store.inject_fault(Fault::Stall);
    let started = Instant::now();
    let res = app
        .fill_and_submit(
            &client,
            &format!("/cases/{case}/edit"),
            &format!("/cases/{case}/edit"),
            &[("site", "indoor_apartment")],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered in {:?}",
        started.elapsed()
    );
    assert_eq!(
        app.get(&client, &format!("/cases/{case}")).await.status(),
        StatusCode::OK,
        "pages still read"
    );
    let (status, body) = health(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.starts_with("store stuck"), "{body}");

    app.store.inject_fault(Fault::None);
    wait_until_healthy(&app).await;
    let res = app
        .fill_and_submit(
            &client,
            &format!("/cases/{case}/edit"),
            &format!("/cases/{case}/edit"),
            &[("site", "street")],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn when_the_audit_entry_cannot_be_written_the_change_is_not_stored_either() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;
    let id = app.start_assessment(&client, &case).await;
    let step = format!("/assessments/{id}/individual");
    let assessment_id = exit_factors::domain::assessment::AssessmentId::new(id.parse().unwrap());
    let before = app.store.assessment(assessment_id).unwrap().unwrap();
    let changes = async || {
        app.audit()
            .await
            .iter()
            .filter(|e| {
                matches!(
                    e.action,
                    exit_factors::domain::AuditAction::AssessmentSaved
                        | exit_factors::domain::AuditAction::CaseClosed
                )
            })
            .count()
    };
    let changes_before = changes().await;

    app.store.inject_fault(Fault::FailAudit);
    let mut form = app.form(&client, &step, &step).await;
    form.set("ind.self_esteem.note", "speaks up in the group now");
    let refused = form
        .submit(&client, &app.address, Some(("action", "draft")))
        .await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    let closing = app
        .fill_and_submit(
            &client,
            &format!("/cases/{case}"),
            &format!("/cases/{case}/close"),
            &[("reason", "moved_away")],
            None,
        )
        .await;
    assert_eq!(closing.status(), StatusCode::SERVICE_UNAVAILABLE);
    app.store.inject_fault(Fault::None);

    assert_eq!(
        app.store.assessment(assessment_id).unwrap().unwrap(),
        before,
        "the step was not saved without its audit entry"
    );
    let code = exit_factors::domain::CaseCode::parse(&case).unwrap();
    assert_eq!(
        app.store.case(&code).unwrap().unwrap().status,
        exit_factors::domain::CaseStatus::Open,
        "the case was not closed without its audit entry"
    );
    assert_eq!(
        changes().await,
        changes_before,
        "and no entry says they were"
    );

    // With the audit back, the same save goes through, with its entry.
    let res = form
        .submit(&client, &app.address, Some(("action", "draft")))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.audit().await.iter().any(|e| {
        e.action == exit_factors::domain::AuditAction::AssessmentSaved
            && e.target.as_deref() == Some(&format!("{id} individual"))
    }));
}
