//! Supervisor review: the queue, reviewed and returned decisions, the operator's amendment and
//! resubmission, comments shown to the right people, and operators kept out.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::{TestApp, location, select_attr, select_text, spawn_app};

async fn queue_ids(app: &TestApp, client: &reqwest::Client) -> Vec<String> {
    let html = app.get(client, "/review").await.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("table.queue tbody tr").unwrap();
    doc.select(&sel)
        .map(|tr| tr.value().attr("data-assessment").unwrap().to_owned())
        .collect()
}

async fn decide(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    decision: &str,
    comment: &str,
) -> reqwest::Response {
    let page = format!("/assessments/{id}");
    let html = app.get(client, &page).await.text().await.unwrap();
    let version = select_attr(
        &html,
        "form[action$='/decision'] input[name=version]",
        "value",
    )
    .expect("a review form");
    app.post_form(
        client,
        &page,
        &format!("{page}/decision"),
        &[
            ("decision", decision),
            ("comment", comment),
            ("version", &version),
        ],
    )
    .await
}

#[actix_web::test]
async fn return_amend_resubmit_review_round_trip_with_comments_for_the_right_people() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let case = app.new_case(&olga).await;
    let first = app
        .complete_assessment(
            &olga,
            &case,
            "2025-06-01",
            "preparation",
            "no",
            &[("ind.autonomy", "1")],
        )
        .await;
    assert_eq!(queue_ids(&app, &sue).await, vec![first.clone()]);

    // Returning needs a comment; the typed text is kept when it is missing.
    let refused = decide(&app, &sue, &first, "return", "  ").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        select_text(&refused.text().await.unwrap(), "#comment-error").len(),
        1
    );

    let returned = decide(
        &app,
        &sue,
        &first,
        "return",
        "the stage looks too early, please check",
    )
    .await;
    assert_eq!(location(&returned), "/review?notice=returned");
    assert!(queue_ids(&app, &sue).await.is_empty());

    let seen = app
        .get(&olga, &format!("/assessments/{first}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&seen, ".review-status strong"),
        ["Returned to operator"]
    );
    assert_eq!(
        select_text(&seen, ".review-comment"),
        ["the stage looks too early, please check"]
    );
    assert!(
        select_attr(&seen, "form[action$='/decision']", "action").is_none(),
        "operators cannot review"
    );

    let amended = app
        .post_form(
            &olga,
            &format!("/assessments/{first}"),
            &format!("/assessments/{first}/amend"),
            &[("reason", "stage corrected after review")],
        )
        .await;
    let second = location(&amended)
        .trim_start_matches("/assessments/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    app.save_step(
        &olga,
        &second,
        "context",
        &[
            ("date", "2025-06-01"),
            ("stage", "action"),
            ("reentry", "no"),
        ],
        "continue",
    )
    .await;
    assert_eq!(
        app.submit(&olga, &second).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        queue_ids(&app, &sue).await,
        vec![second.clone()],
        "the new revision is back in the queue"
    );

    let reviewed = decide(&app, &sue, &second, "reviewed", "").await;
    assert_eq!(location(&reviewed), "/review?notice=reviewed");
    let html = app
        .get(&olga, &format!("/assessments/{second}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(select_text(&html, ".review-status strong"), ["Reviewed"]);
    assert!(select_text(&html, ".review-status")[0].contains("sue"));

    let audit = app.audit().await;
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::AssessmentReturned)
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::AssessmentReviewed)
    );
}

#[actix_web::test]
async fn the_review_comment_is_in_the_full_summary_but_not_in_the_client_copy() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let case = app.new_case(&olga).await;
    let id = app
        .complete_assessment(
            &olga,
            &case,
            "2025-06-01",
            "action",
            "no",
            &[("ind.autonomy", "2")],
        )
        .await;
    decide(&app, &sue, &id, "reviewed", "clear and complete, thank you").await;
    let text = |bytes: &[u8]| {
        let pdf = lopdf::Document::load_mem(bytes).unwrap();
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        pdf.extract_text(&pages)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let full = app
        .get(&olga, &format!("/assessments/{id}/summary?variant=full"))
        .await
        .bytes()
        .await
        .unwrap();
    let client = app
        .get(&olga, &format!("/assessments/{id}/summary?variant=client"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(text(&full).contains("clear and complete, thank you"));
    assert!(text(&full).contains("Status: Reviewed"));
    assert!(!text(&client).contains("clear and complete"));
}

#[actix_web::test]
async fn operators_cannot_see_the_queue_or_review() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&olga).await;
    let id = app
        .complete_assessment(&olga, &case, "2025-06-01", "action", "no", &[])
        .await;
    assert_eq!(
        app.get(&olga, "/review").await.status(),
        StatusCode::FORBIDDEN
    );
    let token = app.csrf_token(&olga, "/cases").await;
    let res = app
        .post_raw(
            &olga,
            &format!("/assessments/{id}/decision"),
            &[("csrf", &token), ("decision", "reviewed"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let olga_id = app.user_id("olga");
    assert_eq!(
        app.audit()
            .await
            .iter()
            .filter(|e| e.action == AuditAction::ForbiddenAccess && e.actor == Some(olga_id))
            .count(),
        2
    );
}

#[actix_web::test]
async fn a_long_queue_is_paged_oldest_first_and_every_waiting_assessment_is_on_one_page() {
    let app = spawn_app().await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    app.create_user("olga", Role::Operator).await;
    let mut waiting = Vec::new();
    for (_, assessments) in app.insert_synthetic_cases(30, 11, "olga", None).await {
        for a in assessments {
            if let Some((at, _)) = a.submitted() {
                waiting.push((at, a.id()));
            }
        }
    }
    waiting.sort();
    let expected: Vec<String> = waiting.into_iter().map(|(_, id)| id.to_string()).collect();
    assert!(expected.len() > 50, "the fixture needs two pages");

    let first = app.get(&sue, "/review").await.text().await.unwrap();
    let caption = select_text(&first, "table.queue caption").join(" ");
    assert!(
        caption.starts_with(&format!("{} assessments to review", expected.len())),
        "{caption}"
    );
    let next = select_attr(&first, "nav.pager a[rel=next]", "href").expect("a next link");
    assert_eq!(next, "/review?page=2");
    let mut seen = queue_ids(&app, &sue).await;
    assert_eq!(seen.len(), 50);
    let html = app.get(&sue, "/review?page=2").await.text().await.unwrap();
    assert!(select_attr(&html, "nav.pager a[rel=prev]", "href").is_some());
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("table.queue tbody tr").unwrap();
    seen.extend(
        doc.select(&sel)
            .map(|tr| tr.value().attr("data-assessment").unwrap().to_owned()),
    );
    assert_eq!(
        seen, expected,
        "every waiting assessment once, longest waiting first"
    );

    // A page past the end shows the last page, and nonsense the first.
    let past = app.get(&sue, "/review?page=99").await.text().await.unwrap();
    let past = past.replace(['\u{2068}', '\u{2069}'], "");
    assert!(past.contains(&format!("51 to {} shown", expected.len())));
    let nonsense = app.get(&sue, "/review?page=abc").await;
    assert_eq!(nonsense.status(), StatusCode::OK);
    let nonsense = nonsense
        .text()
        .await
        .unwrap()
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(nonsense.contains("1 to 50 shown"));
}
