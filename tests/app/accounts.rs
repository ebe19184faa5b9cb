//! Account administration, the first-run setup, and the audit log pages.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, location, select_attr, select_text, spawn_app, spawn_app_with};

#[actix_web::test]
async fn an_admin_creates_a_user_who_can_then_sign_in() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let res = app
        .post_form(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "Sara.K"),
                ("role", "supervisor"),
                ("password", "supervisor passphrase 1"),
                ("confirm_password", "supervisor passphrase 1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/users?notice=created");

    let html = app.get(&admin, &location(&res)).await.text().await.unwrap();
    assert_eq!(select_text(&html, ".notice"), ["The account was created."]);
    assert_eq!(
        select_text(&html, "tr[data-username='sara.k'] td:nth-of-type(1)"),
        ["Supervisor"]
    );
    assert_eq!(
        app.sign_in_as(&app.client(), "sara.k", "supervisor passphrase 1")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::UserCreated)
    );
}

#[actix_web::test]
async fn a_bad_new_user_form_shows_each_problem_next_to_its_field_and_keeps_the_input() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let res = app
        .post_form(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "x y"),
                ("role", "supervisor"),
                ("password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert_eq!(
        select_attr(&html, "#username", "value").as_deref(),
        Some("x y")
    );
    assert_eq!(
        select_attr(&html, "#role-supervisor", "checked").as_deref(),
        Some("")
    );
    assert_eq!(select_text(&html, "#username-error").len(), 1);
    assert!(select_text(&html, "#password-error")[0].contains("12 characters"));
    assert_eq!(
        select_attr(&html, ".error-summary a", "href").as_deref(),
        Some("#username"),
        "summary links to the field"
    );
    assert_eq!(app.store.users().unwrap().len(), 1, "nothing stored");

    let taken = app
        .post_form(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "ADA"),
                ("role", "operator"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = taken.text().await.unwrap();
    assert_eq!(
        select_text(&html, "#username-error"),
        ["Error: That username is already taken"]
    );
}

#[actix_web::test]
async fn resetting_a_password_revokes_the_users_sessions() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    let id = app.user_id("olga");
    let form = format!("/admin/users/{id}/password");
    let res = app
        .post_form(
            &admin,
            &form,
            &form,
            &[
                ("password", "a reset passphrase"),
                ("confirm_password", "a reset passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&operator, "/account").await.status(),
        StatusCode::SEE_OTHER,
        "signed out"
    );
    assert_eq!(
        app.sign_in_as(&app.client(), "olga", "a reset passphrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::PasswordReset && e.target == Some(id.to_string()))
    );
}

#[actix_web::test]
async fn a_disabled_user_can_be_enabled_again_but_an_admin_cannot_disable_themselves() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    app.create_user("olga", Role::Operator).await;
    let olga = app.user_id("olga");
    let ada = app.user_id("ada");

    app.post_form(
        &admin,
        "/admin/users",
        &format!("/admin/users/{olga}/disable"),
        &[],
    )
    .await;
    let html = app.get(&admin, "/admin/users").await.text().await.unwrap();
    assert_eq!(
        select_text(&html, "tr[data-username='olga'] .status"),
        ["Disabled"]
    );
    app.post_form(
        &admin,
        "/admin/users",
        &format!("/admin/users/{olga}/enable"),
        &[],
    )
    .await;
    assert!(!app.store.user(olga).unwrap().unwrap().disabled);

    // The page offers no button for it; a forged request is refused too.
    let res = app
        .post_forged(
            &admin,
            "/admin/users",
            &format!("/admin/users/{ada}/disable"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!app.store.user(ada).unwrap().unwrap().disabled);
    assert_eq!(
        app.get(&admin, "/admin/users").await.status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn the_first_run_link_creates_the_first_admin_once() {
    let app = spawn_app().await;
    let setup = app
        .setup_url
        .clone()
        .expect("an empty store offers a setup link");
    let path = setup.trim_start_matches(&app.address).to_owned();
    let client = app.client();

    let bad = app
        .post_form(
            &client,
            &path,
            &path,
            &[
                ("username", "ad"),
                ("password", PASSWORD),
                ("confirm_password", "other"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(
        select_attr(&html, "#username", "value").as_deref(),
        Some("ad")
    );
    assert_eq!(select_text(&html, ".error-message").len(), 2);

    let res = app
        .post_form(
            &client,
            &path,
            &path,
            &[
                ("username", "ada"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Signed in, and under the default policy taken to set up two-step sign-in before anything.
    let users = app.get(&client, "/admin/users").await;
    assert_eq!(users.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&users), "/account/two-step");
    app.enrol(&client, "ada").await;
    assert_eq!(
        app.get(&client, "/admin/users").await.status(),
        StatusCode::OK,
        "signed in as the new admin"
    );
    assert_eq!(
        app.store.user(app.user_id("ada")).unwrap().unwrap().role,
        Role::Admin
    );

    assert_eq!(
        app.get(&app.client(), &path).await.status(),
        StatusCode::NOT_FOUND,
        "the link is used up"
    );
    assert_eq!(
        app.get(&app.client(), "/setup/0123456789").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::FirstAdminCreated)
    );
}

#[actix_web::test]
async fn the_audit_log_pages_through_older_entries_and_shows_no_secrets() {
    // Enough failures from one address to fill more than a page before the throttle stops them.
    let app = spawn_app_with(|s| s.policy.ip_failures_per_window = 100).await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    for i in 0..60 {
        app.sign_in_as(&app.client(), "ada", &format!("wrong guess number {i}"))
            .await;
    }
    let html = app.get(&admin, "/admin/audit").await.text().await.unwrap();
    assert_eq!(select_text(&html, "table.audit tbody tr").len(), 50);
    assert!(!html.contains("wrong guess"), "no passwords in the log");
    let older = select_attr(&html, "a[href^='/admin/audit?before=']", "href")
        .expect("a link to older entries");
    let html2 = app.get(&admin, &older).await.text().await.unwrap();
    let first_page: Vec<String> = select_text(&html, "table.audit tbody td:first-child");
    let second_page: Vec<String> = select_text(&html2, "table.audit tbody td:first-child");
    assert!(!second_page.is_empty());
    let last_on_first: u64 = first_page.last().unwrap().parse().unwrap();
    let first_on_second: u64 = second_page[0].parse().unwrap();
    assert!(
        first_on_second < last_on_first,
        "older entries continue where the page ended"
    );
}
