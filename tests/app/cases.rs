//! Cases: anonymous by construction, visible only to the people working on them.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::{CASE_FIELDS, location, select_attr, select_text, spawn_app};

fn is_case_code(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let crockford = |s: &str| {
        s.chars()
            .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c))
    };
    parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 4
        && parts[2].len() == 1
        && parts.iter().all(|p| crockford(p))
}

#[actix_web::test]
async fn a_new_case_gets_a_random_grouped_code_and_the_form_asks_for_nothing_identifying() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let form = app.get(&client, "/cases/new").await.text().await.unwrap();
    let doc = scraper::Html::parse_document(&form);
    let sel =
        scraper::Selector::parse("main form input, main form select, main form textarea").unwrap();
    let mut names: Vec<&str> = doc
        .select(&sel)
        .filter_map(|e| e.value().attr("name"))
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names,
        [
            "age_band",
            "consent",
            "csrf",
            "gender",
            "programme_start",
            "region",
            "route",
            "site"
        ],
        "only coarse attributes"
    );
    assert!(
        select_attr(&form, "input[name=consent][checked]", "value").is_none(),
        "consent has no default"
    );

    let first = app.new_case(&client).await;
    let second = app.new_case(&client).await;
    assert_ne!(first, second);
    let page = app
        .get(&client, &format!("/cases/{first}"))
        .await
        .text()
        .await
        .unwrap();
    let shown = select_text(&page, "h1 .case-code");
    assert!(is_case_code(&shown[0]), "{shown:?}");
    assert_eq!(shown[0].replace('-', ""), first);
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::CaseCreated)
    );
}

#[actix_web::test]
async fn consent_must_be_answered_and_a_refused_form_keeps_the_input_and_stores_nothing() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let mut fields: Vec<(&str, &str)> = CASE_FIELDS
        .iter()
        .copied()
        .filter(|(k, _)| *k != "consent")
        .collect();
    fields.retain(|(k, _)| *k != "programme_start");
    fields.push(("programme_start", "March 2024"));
    let res = app
        .post_form(&client, "/cases/new", "/cases", &fields)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert_eq!(select_text(&html, "#consent-error").len(), 1);
    assert_eq!(select_text(&html, "#programme_start-error").len(), 1);
    assert_eq!(
        select_attr(&html, "#region option[selected]", "value").as_deref(),
        Some("west_africa")
    );
    assert_eq!(
        select_attr(&html, "#programme_start", "value").as_deref(),
        Some("March 2024")
    );
    assert!(app.store.cases().unwrap().is_empty());
}

#[actix_web::test]
async fn an_operator_cannot_open_another_operators_case_and_the_attempt_is_audited() {
    let app = spawn_app().await;
    let (anna, _) = app.signed_in("anna", Role::Operator).await;
    let (bea, _) = app.signed_in("bea", Role::Operator).await;
    let code = app.new_case(&anna).await;

    assert_eq!(
        app.get(&bea, &format!("/cases/{code}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&bea, &format!("/cases/{code}/edit")).await.status(),
        StatusCode::NOT_FOUND
    );
    let token = app.csrf_token(&bea, "/cases").await;
    let res = app
        .post_raw(
            &bea,
            &format!("/cases/{code}/assessments"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let list = app.get(&bea, "/cases").await.text().await.unwrap();
    assert!(select_text(&list, "table.cases tbody tr").is_empty());
    let search = app
        .get(&bea, &format!("/cases?q={code}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(select_text(&search, ".no-results").len(), 1);

    let bea_id = app.user_id("bea");
    let denied = app
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::CaseAccessDenied && e.actor == Some(bea_id))
        .count();
    assert_eq!(denied, 3);
    assert!(
        app.store
            .assessments_of(&exit_factors::domain::CaseCode::parse(&code).unwrap())
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn a_supervisor_reads_every_case_and_can_share_one_with_an_operator() {
    let app = spawn_app().await;
    let (anna, _) = app.signed_in("anna", Role::Operator).await;
    let (bea, _) = app.signed_in("bea", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let code = app.new_case(&anna).await;
    assert_eq!(
        app.get(&sue, &format!("/cases/{code}")).await.status(),
        StatusCode::OK
    );

    let res = app
        .post_form(
            &sue,
            &format!("/cases/{code}"),
            &format!("/cases/{code}/share"),
            &[("username", "bea")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&bea, &format!("/cases/{code}")).await.status(),
        StatusCode::OK
    );
    let id = app.start_assessment(&bea, &code).await;
    assert!(!id.is_empty());
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::CaseShared)
    );

    // An operator cannot share.
    let token = app.csrf_token(&anna, &format!("/cases/{code}")).await;
    let res = app
        .post_raw(
            &anna,
            &format!("/cases/{code}/share"),
            &[("csrf", &token), ("username", "sue")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn the_cases_page_lists_my_cases_and_finds_one_by_its_code_however_typed() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let a = app.new_case(&client).await;
    let b = app.new_case(&client).await;
    let html = app.get(&client, "/cases").await.text().await.unwrap();
    assert_eq!(select_text(&html, "table.cases tbody tr").len(), 2);

    let typed = format!("{}-{} {}", &a[..4], &a[4..8], &a[8..]).to_lowercase();
    let found = app
        .get(&client, &format!("/cases?q={}", typed.replace(' ', "+")))
        .await
        .text()
        .await
        .unwrap();
    let codes: Vec<String> = select_text(&found, "table.cases tbody .case-code");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].replace('-', ""), a);
    assert_ne!(codes[0].replace('-', ""), b);

    let bad = app
        .get(&client, "/cases?q=K7QM")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(select_text(&bad, "#q-error").len(), 1);
    assert_eq!(select_attr(&bad, "#q", "value").as_deref(), Some("K7QM"));
}

#[actix_web::test]
async fn a_long_case_list_is_paged_newest_first_and_shows_only_my_cases() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    app.create_user("bea", Role::Operator).await;
    let mine = app.insert_synthetic_cases(60, 21, "olga", None).await;
    app.insert_synthetic_cases(5, 22, "bea", None).await;
    let mut expected: Vec<_> = mine
        .iter()
        .map(|(c, _)| (std::cmp::Reverse(c.created_at), c.code.as_str().to_owned()))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, code)| code).collect();

    let first = app.get(&olga, "/cases").await.text().await.unwrap();
    let caption = select_text(&first, "table.cases caption").join(" ");
    assert_eq!(caption, "60 cases, newest first: 1 to 50 shown");
    // Next carries where page 2 starts in the index; the same page typed by number is the same.
    let next = select_attr(&first, "nav.pager a[rel=next]", "href").unwrap();
    assert!(next.starts_with("/cases?page=2&after="), "{next}");
    let second = app.get(&olga, &next).await.text().await.unwrap();
    let codes = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("table.cases tbody tr").unwrap();
        doc.select(&sel)
            .map(|tr| tr.value().attr("data-code").unwrap().to_owned())
            .collect()
    };
    let mut seen = codes(&first);
    seen.extend(codes(&second));
    assert_eq!(
        seen, expected,
        "each of my cases once, newest first, none of bea's"
    );
    let typed = app.get(&olga, "/cases?page=2").await.text().await.unwrap();
    assert_eq!(codes(&typed), codes(&second));
    let caption = select_text(&second, "table.cases caption").join(" ");
    assert_eq!(caption, "60 cases, newest first: 51 to 60 shown");
    // Previous goes back to the first page the same way; a cursor that is not one is ignored.
    let previous = select_attr(&second, "nav.pager a[rel=prev]", "href").unwrap();
    assert!(previous.starts_with("/cases?page=1&before="), "{previous}");
    let back = app.get(&olga, &previous).await.text().await.unwrap();
    assert_eq!(codes(&back), codes(&first));
    let forged = app.get(&olga, "/cases?page=2&after=zz%3Cscript").await;
    assert_eq!(forged.status(), reqwest::StatusCode::OK);
    assert_eq!(codes(&forged.text().await.unwrap()), codes(&second));
}

#[actix_web::test]
async fn a_case_can_be_closed_with_a_reason_and_reopened() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let code = app.new_case(&client).await;
    let page = format!("/cases/{code}");
    let res = app
        .post_form(
            &client,
            &page,
            &format!("{page}/close"),
            &[("reason", "reentered")],
        )
        .await;
    assert_eq!(location(&res), format!("{page}?notice=closed"));
    let html = app.get(&client, &page).await.text().await.unwrap();
    assert_eq!(
        select_text(&html, ".case-status"),
        ["Closed (Re-entered exploitation)"]
    );
    assert!(
        select_text(&html, "main button")
            .iter()
            .all(|b| b != "Start assessment"),
        "no new assessment on a closed case"
    );
    app.post_form(&client, &page, &format!("{page}/reopen"), &[])
        .await;
    let html = app.get(&client, &page).await.text().await.unwrap();
    assert_eq!(select_text(&html, ".case-status"), ["Open"]);
}

#[actix_web::test]
async fn supervisors_and_admins_see_who_opened_a_case_operators_do_not() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let (ada, _) = app.signed_in("ada", Role::Admin).await;
    let code = app.new_case(&olga).await;
    let id = app
        .complete_assessment(
            &olga,
            &code,
            "2025-04-18",
            "action",
            "no",
            &[("ind.autonomy", "3")],
        )
        .await;
    let page = format!("/cases/{code}");
    assert_eq!(app.get(&olga, &page).await.status(), StatusCode::OK);
    // The supervisor opens the assessment, not the case page.
    assert_eq!(
        app.get(&sue, &format!("/assessments/{id}")).await.status(),
        StatusCode::OK
    );

    let html = app.get(&ada, &page).await.text().await.unwrap();
    let seen = select_text(&html, ".seen-by li");
    let names: Vec<&str> = seen.iter().map(|s| s.split(',').next().unwrap()).collect();
    assert_eq!(names.len(), 3, "{seen:?}");
    for who in ["olga", "sue", "ada"] {
        assert!(names.contains(&who), "{who} in {seen:?}");
    }
    // Written to the store with the deferred records, and still listed after that.
    app.store.write_pending().await.unwrap();
    let html = app.get(&sue, &page).await.text().await.unwrap();
    assert_eq!(select_text(&html, ".seen-by li").len(), 3);
    let html = app.get(&olga, &page).await.text().await.unwrap();
    assert!(
        select_text(&html, ".seen-by li").is_empty(),
        "operators do not see the list"
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::AssessmentViewed
                && e.actor == Some(app.user_id("sue")))
    );
}
