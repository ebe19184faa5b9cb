//! Who may see what: anonymous visitors go to sign-in, operators are refused admin pages, and every
//! refusal is in the audit log.

use exit_factors::domain::{AuditAction, Outcome, Role};
use reqwest::StatusCode;

use crate::helpers::{location, select_text, spawn_app, spawn_app_with};

/// Every page behind sign-in (ids in paths are for a user that exists).
fn protected_pages(id: u64) -> Vec<String> {
    vec![
        "/".into(),
        "/instrument".into(),
        "/account".into(),
        "/admin/users".into(),
        "/admin/users/new".into(),
        format!("/admin/users/{id}/password"),
        "/admin/audit".into(),
        "/no-such-page".into(),
    ]
}

const ADMIN_PAGES: [&str; 3] = ["/admin/users", "/admin/users/new", "/admin/audit"];

#[actix_web::test]
async fn anonymous_requests_for_any_page_but_the_public_ones_go_to_sign_in_and_are_audited() {
    let app = spawn_app().await;
    app.create_user("ada", Role::Admin).await;
    let id = app.user_id("ada").get();
    let client = app.client();
    for page in protected_pages(id) {
        let res = app.get(&client, &page).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "GET {page}");
        assert!(
            location(&res).starts_with("/sign-in"),
            "GET {page} goes to sign-in"
        );
    }
    // Refusals are counted in memory, then summarised: one entry per address and minute.
    let before = app.audit().await;
    assert!(
        !before
            .iter()
            .any(|e| e.action == AuditAction::UnauthenticatedAccess),
        "no entry per request"
    );
    app.summarise_refusals().await;
    let summaries: Vec<String> = app
        .audit()
        .await
        .iter()
        .filter(|e| e.action == AuditAction::UnauthenticatedAccess && e.outcome == Outcome::Denied)
        .map(|e| e.target.clone().unwrap_or_default())
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert!(
        summaries[0].starts_with(&format!(
            "127.0.0.0/24: {} requests in ",
            protected_pages(id).len() - 1
        )),
        "all but the plain entry page are counted: {summaries:?}"
    );

    for public in [
        "/sign-in",
        "/healthz",
        "/static/style.css",
        "/static/favicon.svg",
    ] {
        assert_eq!(
            app.get(&client, public).await.status(),
            StatusCode::OK,
            "GET {public}"
        );
    }
}

#[actix_web::test]
async fn the_sign_in_redirect_remembers_the_page_asked_for() {
    let app = spawn_app().await;
    let res = app.get(&app.client(), "/admin/audit").await;
    assert_eq!(location(&res), "/sign-in?next=%2Fadmin%2Faudit");
}

#[actix_web::test]
async fn an_operator_gets_403_on_admin_pages_and_each_refusal_is_audited() {
    let app = spawn_app().await;
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    let olga = app.user_id("olga");
    let mut pages: Vec<String> = ADMIN_PAGES.iter().map(|p| p.to_string()).collect();
    pages.push(format!("/admin/users/{}/password", olga.get()));
    for page in &pages {
        let res = app.get(&operator, page).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "GET {page}");
        let html = res.text().await.unwrap();
        assert_eq!(select_text(&html, "h1"), ["Not allowed"]);
    }
    let token = app.csrf_token(&operator, "/account").await;
    let res = app
        .post_raw(
            &operator,
            &format!("/admin/users/{}/disable", olga.get()),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "POST to an admin action"
    );
    assert!(!app.store.user(olga).unwrap().unwrap().disabled);

    let refusals: Vec<_> = app
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::ForbiddenAccess)
        .collect();
    assert_eq!(refusals.len(), pages.len() + 1);
    assert!(
        refusals
            .iter()
            .all(|e| e.actor == Some(olga) && e.outcome == Outcome::Denied)
    );
    assert!(
        refusals
            .iter()
            .any(|e| e.target.as_deref() == Some("/admin/audit"))
    );
}

#[actix_web::test]
async fn a_supervisor_is_refused_admin_pages_but_an_admin_is_not() {
    let app = spawn_app().await;
    let (supervisor, _) = app.signed_in("sue", Role::Supervisor).await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    for page in ADMIN_PAGES {
        assert_eq!(
            app.get(&supervisor, page).await.status(),
            StatusCode::FORBIDDEN,
            "supervisor GET {page}"
        );
        assert_eq!(
            app.get(&admin, page).await.status(),
            StatusCode::OK,
            "admin GET {page}"
        );
    }
}

#[actix_web::test]
async fn the_home_page_shows_links_for_the_role() {
    let app = spawn_app().await;
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let nav = |html: &str| select_text(html, "nav a");
    let op_nav = nav(&app.get(&operator, "/").await.text().await.unwrap());
    let admin_nav = nav(&app.get(&admin, "/").await.text().await.unwrap());
    assert!(
        !op_nav.iter().any(|l| l == "Users" || l == "Audit log"),
        "{op_nav:?}"
    );
    assert!(admin_nav.iter().any(|l| l == "Users") && admin_nav.iter().any(|l| l == "Audit log"));
}

#[actix_web::test]
async fn an_address_that_keeps_asking_without_a_session_is_throttled_but_signed_in_users_are_not() {
    let app = spawn_app_with(|s| s.policy.refusals_per_window = 5).await;
    let (signed_in, _) = app.signed_in("olga", Role::Operator).await;
    let anonymous = app.client();
    for n in 0..5 {
        assert_eq!(
            app.get(&anonymous, "/cases").await.status(),
            StatusCode::SEE_OTHER,
            "request {n}"
        );
    }
    let throttled = app.get(&anonymous, "/cases").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        select_text(&throttled.text().await.unwrap(), "h1"),
        ["Too many attempts"]
    );
    // The same address may not sign in for the rest of the minute...
    let blocked = app
        .sign_in_as(&app.client(), "olga", crate::helpers::PASSWORD)
        .await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    // ...but a session already open carries on.
    assert_eq!(app.get(&signed_in, "/cases").await.status(), StatusCode::OK);
    app.clock.advance(time::Duration::minutes(1));
    assert_eq!(
        app.get(&anonymous, "/cases").await.status(),
        StatusCode::SEE_OTHER,
        "a new minute, a new count"
    );
    app.summarise_refusals().await;
    let summary: Vec<String> = app
        .audit()
        .await
        .iter()
        .filter(|e| e.action == AuditAction::UnauthenticatedAccess)
        .filter_map(|e| e.target.clone())
        .collect();
    assert_eq!(summary.len(), 1);
    assert!(
        summary[0].starts_with("127.0.0.0/24: 7 requests in 60 s"),
        "{summary:?}"
    );
}
