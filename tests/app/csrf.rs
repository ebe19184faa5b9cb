//! Every state-changing form is refused without the right CSRF token, and changes nothing.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// Posts with no token and with a wrong one; both must be 403.
async fn assert_refused(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) {
    let missing = app.post_raw(client, path, fields).await;
    assert_eq!(
        missing.status(),
        StatusCode::FORBIDDEN,
        "POST {path} without a token"
    );
    let mut forged = fields.to_vec();
    forged.push((
        "csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    let wrong = app.post_raw(client, path, &forged).await;
    assert_eq!(
        wrong.status(),
        StatusCode::FORBIDDEN,
        "POST {path} with a wrong token"
    );
}

#[actix_web::test]
async fn every_signed_in_post_without_a_valid_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let victim = app.create_user("olga", Role::Operator).await;
    let id = app.user_id("olga");
    let audit_before = app.audit().await.len();

    let new_pw = "a password set by forgery";
    let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/sign-out".into(), vec![]),
        (
            "/account/password".into(),
            vec![
                ("current_password", PASSWORD),
                ("new_password", new_pw),
                ("confirm_password", new_pw),
            ],
        ),
        (
            "/admin/users".into(),
            vec![
                ("username", "mallory"),
                ("role", "admin"),
                ("password", new_pw),
                ("confirm_password", new_pw),
            ],
        ),
        (format!("/admin/users/{id}/disable"), vec![]),
        (format!("/admin/users/{id}/enable"), vec![]),
        (
            format!("/admin/users/{id}/password"),
            vec![("password", new_pw), ("confirm_password", new_pw)],
        ),
    ];
    for (path, fields) in &cases {
        assert_refused(&app, &admin, path, fields).await;
    }

    // Nothing changed: still signed in, no new account, olga untouched, admin's password unchanged.
    assert_eq!(
        app.get(&admin, "/account").await.status(),
        StatusCode::OK,
        "still signed in"
    );
    let names: Vec<String> = app
        .store
        .users()
        .unwrap()
        .iter()
        .map(|u| u.username.to_string())
        .collect();
    assert_eq!(names, ["ada", "olga"]);
    assert!(!app.store.user(id).unwrap().unwrap().disabled);
    let fresh = app.client();
    assert_eq!(
        app.sign_in_as(&fresh, "olga", &victim.password)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.sign_in_as(&app.client(), "ada", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let refusals = app.audit().await[..app.audit().await.len() - audit_before]
        .iter()
        .filter(|e| e.action == AuditAction::CsrfRejected)
        .count();
    assert_eq!(refusals, cases.len() * 2, "each refusal is audited");
}

#[actix_web::test]
async fn the_anonymous_forms_need_their_token_too() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let client = app.client();
    assert_refused(
        &app,
        &client,
        "/sign-in",
        &[("username", "olga"), ("password", &user.password)],
    )
    .await;
    assert_eq!(
        app.get(&client, "/account").await.status(),
        StatusCode::SEE_OTHER,
        "not signed in"
    );

    // A token from one browser does not work in another (it is bound to the pre-session cookie).
    let token = app.csrf_token(&client, "/sign-in").await;
    let other = app.client();
    let res = app
        .post_raw(
            &other,
            "/sign-in",
            &[
                ("username", "olga"),
                ("password", &user.password),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn the_setup_form_needs_its_token() {
    let app = spawn_app().await;
    let setup = app
        .setup_url
        .clone()
        .expect("a setup link on an empty store");
    let path = setup.trim_start_matches(&app.address).to_owned();
    let client = app.client();
    assert_refused(
        &app,
        &client,
        &path,
        &[
            ("username", "ada"),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ],
    )
    .await;
    assert!(app.store.users().unwrap().is_empty());
}

#[actix_web::test]
async fn a_token_from_another_session_is_refused() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    let operator_token = app.csrf_token(&operator, "/account").await;
    let res = app
        .post_raw(
            &admin,
            "/admin/users",
            &[
                ("username", "mallory"),
                ("role", "admin"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
                ("csrf", &operator_token),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store.users().unwrap().len(), 2);
}
