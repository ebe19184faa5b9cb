//! The guided assessment: drafts that resume, conflicting saves, validation with the input kept,
//! submit and lock, amendments, hand-checked scores, and the case history.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::form::Form;
use crate::helpers::{TestApp, location, select_attr, select_text, spawn_app};

async fn operator_with_case(app: &TestApp) -> (reqwest::Client, String) {
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;
    (client, case)
}

fn checked(html: &str, id: &str) -> bool {
    select_attr(html, &format!("#{id}"), "checked").is_some()
}

#[actix_web::test]
async fn a_draft_saved_on_a_level_step_resumes_exactly_there_with_its_answers() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let id = app.start_assessment(&client, &case).await;
    let res = app
        .save_step(
            &client,
            &id,
            "context",
            &[
                ("date", "2025-01-15"),
                ("stage", "contemplation"),
                ("reentry", "no"),
                ("setting", "shelter"),
            ],
            "continue",
        )
        .await;
    assert_eq!(location(&res), format!("/assessments/{id}/individual"));

    let res = app
        .save_step(
            &client,
            &id,
            "individual",
            &[
                ("ind.spirituality.rating", "2"),
                ("ind.shame.rating", "3"),
                ("ind.shame.priority", "yes"),
                ("ind.substance_use.rating", "1"),
                ("ind.substance_use.direction", "both"),
                ("ind.autonomy.note", "wants to choose her own course"),
            ],
            "draft",
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/cases/{case}?notice=draft"));

    let resume = app.get(&client, &format!("/assessments/{id}")).await;
    assert_eq!(
        location(&resume),
        format!("/assessments/{id}/individual"),
        "resumes where it was left"
    );
    let html = app
        .get(&client, &location(&resume))
        .await
        .text()
        .await
        .unwrap();
    assert!(checked(&html, "ind-spirituality-rating-2"));
    assert!(checked(&html, "ind-shame-rating-3"));
    assert!(checked(&html, "ind-shame-priority"));
    assert!(checked(&html, "ind-substance_use-direction-both"));
    assert!(
        checked(&html, "ind-life_plans-rating-na"),
        "unrated factors stay not assessed"
    );
    assert_eq!(
        select_text(&html, "#ind-autonomy-note"),
        ["wants to choose her own course"]
    );
    assert_eq!(
        select_text(&html, "#progress"),
        ["Individual level: 3 of 9 answered"]
    );
    let ctx = app
        .get(&client, &format!("/assessments/{id}/context"))
        .await
        .text()
        .await
        .unwrap();
    assert!(checked(&ctx, "stage-contemplation"));
    assert_eq!(
        select_attr(&ctx, "#date", "value").as_deref(),
        Some("2025-01-15")
    );
}

#[actix_web::test]
async fn a_save_from_an_out_of_date_page_is_refused_showing_both_versions() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let id = app.start_assessment(&client, &case).await;
    let path = format!("/assessments/{id}/relational");
    // Two tabs open the same step.
    let mut tab_a = app.form(&client, &path, &path).await;
    let mut tab_b = app.form(&client, &path, &path).await;
    tab_b
        .set("rel.peer_help.rating", "3")
        .set("rel.peer_help.note", "goes to a women's group");
    let saved_b = tab_b
        .submit(&client, &app.address, Some(("action", "draft")))
        .await;
    assert_eq!(saved_b.status(), StatusCode::SEE_OTHER);

    tab_a
        .set("rel.peer_help.rating", "0")
        .set("rel.stigma.rating", "2");
    let tab_a = tab_a
        .submit(&client, &app.address, Some(("action", "continue")))
        .await;
    assert_eq!(tab_a.status(), StatusCode::CONFLICT);
    let html = tab_a.text().await.unwrap();
    assert!(select_text(&html, ".conflict h2")[0].contains("changed elsewhere"));
    assert!(
        checked(&html, "rel-peer_help-rating-0"),
        "this tab's answer is kept in the form"
    );
    assert!(checked(&html, "rel-stigma-rating-2"));
    let saved = select_text(&html, "#rel-peer_help .saved-version");
    assert!(
        saved[0].contains("rated 3") && saved[0].contains("women's group"),
        "{saved:?}"
    );

    let stored = app
        .store
        .assessment(exit_factors::domain::assessment::AssessmentId::new(
            id.parse().unwrap(),
        ))
        .unwrap()
        .unwrap();
    let peer = stored
        .answers()
        .get(&exit_factors::instrument::FactorId::from("rel.peer_help"))
        .unwrap();
    assert_eq!(
        peer.rating.map(|r| r.get()),
        Some(3),
        "the other save was not overwritten"
    );

    // Saving again from the conflict page (which carries the new version) is a deliberate choice.
    let again = Form::from_html(&html, "form#factors", &path)
        .submit(&client, &app.address, Some(("action", "continue")))
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn a_bad_field_refuses_the_whole_step_with_a_message_beside_it_and_keeps_everything_typed() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let id = app.start_assessment(&client, &case).await;
    let long = "a".repeat(501);
    let path = format!("/assessments/{id}/structural");
    let mut form = app.form(&client, &path, &path).await;
    form.set("str.employment.rating", "1")
        .set("str.employment.note", &long)
        .force("str.low_income.rating", "7");
    let res = form
        .submit(&client, &app.address, Some(("action", "continue")))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(select_text(&html, "#str-employment-note-error")[0].contains("at most 500 characters"));
    assert_eq!(select_text(&html, "#str-low_income-rating-error").len(), 1);
    assert!(checked(&html, "str-employment-rating-1"));
    assert_eq!(select_text(&html, "#str-employment-note")[0].len(), 501);
    let summary = select_attr(&html, ".error-summary a", "href").unwrap();
    assert_eq!(summary, "#str-employment-note");
    let stored = app
        .store
        .assessment(exit_factors::domain::assessment::AssessmentId::new(
            id.parse().unwrap(),
        ))
        .unwrap()
        .unwrap();
    assert!(
        stored.answers().is_empty() && stored.saved_steps().is_empty(),
        "nothing stored half-way"
    );
}

#[actix_web::test]
async fn a_note_with_a_phone_number_is_refused_naming_the_fragment() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let id = app.start_assessment(&client, &case).await;
    let res = app
        .save_step(
            &client,
            &id,
            "individual",
            &[
                ("ind.life_plans.rating", "2"),
                (
                    "ind.life_plans.note",
                    "wants to train as a cook, call her on +39 333 123 4567",
                ),
            ],
            "continue",
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let error = &select_text(&html, "#ind-life_plans-note-error")[0];
    assert!(error.contains("+39 333 123 4567"), "{error}");
    assert!(checked(&html, "ind-life_plans-rating-2"));
    assert!(select_text(&html, "#ind-life_plans-note")[0].contains("train as a cook"));
}

#[actix_web::test]
async fn submitting_checks_everything_locks_the_assessment_and_amending_keeps_both_revisions() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let id = app.start_assessment(&client, &case).await;

    let refused = app.submit(&client, &id).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    let links: Vec<String> = {
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse(".error-summary a").unwrap();
        doc.select(&sel)
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect()
    };
    assert_eq!(links.len(), 4, "stage and three unsaved levels: {links:?}");
    assert_eq!(
        links[0],
        format!("/assessments/{id}/context?check=true#stage")
    );
    let inline = app
        .get(&client, &links[0].replace("#stage", ""))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&inline, "#stage-error").len(),
        1,
        "the problem is shown next to the field"
    );

    // Starting again returns the open draft, so this completes the same assessment.
    let submitted = app
        .complete_assessment(
            &client,
            &case,
            "2025-02-01",
            "preparation",
            "no",
            &[
                ("ind.spirituality", "2"),
                ("rel.family", "2"),
                ("rel.family", "dir:helps"),
            ],
        )
        .await;
    let results = app
        .get(&client, &format!("/assessments/{submitted}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(select_text(&results, ".assessment-status")[0].starts_with("Submitted"));
    let form = app
        .get(&client, &format!("/assessments/{submitted}/individual"))
        .await;
    assert_eq!(
        location(&form),
        format!("/assessments/{submitted}"),
        "a locked assessment shows its results, not a form"
    );
    // A tab still showing the step from before the submission saves it.
    let token = app.csrf_token(&client, &format!("/cases/{case}")).await;
    let path = format!("/assessments/{submitted}/individual");
    let late = app
        .post_raw(
            &client,
            &path,
            &[
                ("ind.spirituality.rating", "0"),
                ("csrf", &token),
                ("version", "99"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    let results_again = app
        .get(&client, &format!("/assessments/{submitted}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(results, results_again, "nothing changed");

    let no_reason = app
        .post_form(
            &client,
            &format!("/assessments/{submitted}"),
            &format!("/assessments/{submitted}/amend"),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let amended = app
        .post_form(
            &client,
            &format!("/assessments/{submitted}"),
            &format!("/assessments/{submitted}/amend"),
            &[("reason", "the family rating was entered wrongly")],
        )
        .await;
    assert_eq!(amended.status(), StatusCode::SEE_OTHER);
    let new_id = location(&amended)
        .trim_start_matches("/assessments/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(new_id, submitted);
    let old = app
        .get(&client, &format!("/assessments/{submitted}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(select_text(&old, ".assessment-status")[0].contains("replaced by a later revision"));
    // The replaced revision offers no amend form any more; a forged one is refused.
    let again = app
        .post_forged(
            &client,
            &format!("/assessments/{submitted}"),
            &format!("/assessments/{submitted}/amend"),
            &[("reason", "twice")],
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "only the latest revision can be amended"
    );

    let audit = app.audit().await;
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::AssessmentSubmitted)
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::AssessmentAmended)
    );
    assert_eq!(
        app.store
            .assessments_of(&exit_factors::domain::CaseCode::parse(&case).unwrap())
            .unwrap()
            .len(),
        2
    );
}

#[actix_web::test]
async fn scores_and_lists_match_a_hand_checked_fixture() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let ratings = [
        // Individual resources: 3, 0, 1 -> mean 4/3 -> 44 of 100; barrier shame 2 -> 67.
        ("ind.spirituality", "3"),
        ("ind.life_plans", "0"),
        ("ind.autonomy", "1"),
        ("ind.shame", "2"),
        // Relational resources: 2, 2 -> 67; barriers stigma 3, microaggressions 0 -> 50.
        ("rel.social_support", "2"),
        ("rel.peer_help", "2"),
        ("rel.stigma", "3"),
        ("rel.microaggressions", "0"),
        ("rel.family", "2"),
        ("rel.family", "dir:hinders"),
        // Structural: employment 0 -> resources 0; no barrier assessed.
        ("str.employment", "0"),
    ];
    let id = app
        .complete_assessment(&client, &case, "2025-03-10", "action", "no", &ratings)
        .await;
    let html = app
        .get(&client, &format!("/assessments/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let row =
        |level: &str| select_text(&html, &format!("table.scores tr[data-level='{level}'] td"));
    assert_eq!(row("Individual"), ["44", "3", "67", "1"]);
    assert_eq!(row("Relational"), ["67", "2", "50", "2"]);
    assert_eq!(row("Structural"), ["0", "1", "–", "0"]);
    let ids = |list: &str| {
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse(&format!(".{list} li")).unwrap();
        doc.select(&sel)
            .map(|li| li.value().attr("data-factor").unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids("list-strengthen"),
        ["ind.life_plans", "ind.autonomy", "str.employment"]
    );
    assert_eq!(ids("list-limit"), ["ind.shame", "rel.stigma"]);
    assert_eq!(ids("list-care"), ["rel.family"]);
    assert!(select_text(&html, ".list-care li")[0].contains("hinders"));
}

#[actix_web::test]
async fn the_case_page_charts_the_history_with_a_table_and_marks_backward_moves() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    app.complete_assessment(
        &client,
        &case,
        "2025-01-10",
        "contemplation",
        "unknown",
        &[("ind.spirituality", "3"), ("ind.shame", "1")],
    )
    .await;
    app.complete_assessment(
        &client,
        &case,
        "2025-04-10",
        "reentry",
        "yes",
        &[("ind.spirituality", "1"), ("ind.shame", "3")],
    )
    .await;
    let html = app
        .get(&client, &format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    let rows = select_text(&html, "table.history tbody tr");
    assert_eq!(rows.len(), 2);
    let second: Vec<String> = select_text(&html, "table.history tbody tr:nth-child(2) td");
    assert_eq!(second[0], "Re-entry");
    assert_eq!(second[1], "Yes");
    assert_eq!(
        second[2], "33 (-67)",
        "individual resources fell from 100 to 33"
    );
    assert_eq!(
        second[3], "100 (+67)",
        "individual barriers rose from 33 to 100"
    );
    assert_eq!(select_text(&html, "svg.score-chart polyline").len(), 6);
    assert_eq!(
        select_text(&html, "svg.score-chart title")[0],
        "Level scores across assessments"
    );
    let worse = select_text(&html, "table.factor-grid td.worse");
    assert_eq!(worse.len(), 2, "spirituality down and shame up: {worse:?}");
    assert_eq!(select_text(&html, "table.factor-grid th.reentry").len(), 1);
}

#[actix_web::test]
async fn the_action_plan_is_checked_for_identifying_details_and_its_statuses_change_after_submission()
 {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    let id = app.start_assessment(&client, &case).await;
    app.save_step(
        &client,
        &id,
        "context",
        &[("date", "2025-05-02"), ("stage", "action")],
        "continue",
    )
    .await;
    app.save_step(
        &client,
        &id,
        "individual",
        &[
            ("ind.life_plans.rating", "1"),
            ("ind.life_plans.priority", "yes"),
        ],
        "continue",
    )
    .await;
    app.save_step(&client, &id, "relational", &[], "continue")
        .await;
    app.save_step(&client, &id, "structural", &[], "continue")
        .await;

    let leaky = app
        .save_step(
            &client,
            &id,
            "review",
            &[
                ("ind-life_plans-action", "enrol her at Via Roma 12"),
                ("ind-life_plans-owner", "case_worker"),
                ("ind-life_plans-target", "2025-09"),
            ],
            "continue",
        )
        .await;
    assert_eq!(leaky.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = leaky.text().await.unwrap();
    assert!(select_text(&html, "#ind-life_plans-action-error")[0].contains("Via Roma 12"));
    assert_eq!(
        select_attr(&html, "#ind-life_plans-target", "value").as_deref(),
        Some("2025-09")
    );
    assert_eq!(
        select_attr(&html, "#ind-life_plans-owner option[selected]", "value").as_deref(),
        Some("case_worker")
    );

    let res = app
        .save_step(
            &client,
            &id,
            "review",
            &[
                ("ind-life_plans-action", "enrol her in the cooking course"),
                ("ind-life_plans-owner", "employment_service"),
                ("ind-life_plans-target", "2025-09"),
            ],
            "continue",
        )
        .await;
    assert_eq!(location(&res), format!("/assessments/{id}/submit"));
    assert_eq!(
        app.submit(&client, &id).await.status(),
        StatusCode::SEE_OTHER
    );

    let results = format!("/assessments/{id}");
    let html = app.get(&client, &results).await.text().await.unwrap();
    assert_eq!(
        select_attr(&html, "#status-0 option[selected]", "value").as_deref(),
        Some("planned")
    );
    let version = select_attr(
        &html,
        "form[action$='/actions'] input[name=version]",
        "value",
    )
    .unwrap();
    let res = app
        .post_form(
            &client,
            &results,
            &format!("{results}/actions"),
            &[("version", &version), ("status-0", "in_progress")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .get(&client, &location(&res))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_attr(&html, "#status-0 option[selected]", "value").as_deref(),
        Some("in_progress")
    );
    assert_eq!(
        select_text(&html, ".notice"),
        ["The action plan was updated."]
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::ActionPlanUpdated)
    );
}

#[actix_web::test]
async fn a_new_assessment_shows_each_factors_rating_from_the_last_one() {
    let app = spawn_app().await;
    let (client, case) = operator_with_case(&app).await;
    app.complete_assessment(
        &client,
        &case,
        "2025-01-10",
        "contemplation",
        "unknown",
        &[("ind.spirituality", "3")],
    )
    .await;
    let id = app.start_assessment(&client, &case).await;
    let html = app
        .get(&client, &format!("/assessments/{id}/individual"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&html, "#ind-spirituality .last-time"),
        ["At the assessment of 2025-01-10: 3 Strongly"]
    );
    assert_eq!(
        select_text(&html, "#ind-shame .last-time"),
        ["At the assessment of 2025-01-10: not assessed"]
    );
    assert!(
        checked(&html, "ind-spirituality-rating-na"),
        "the new assessment starts blank"
    );
}
