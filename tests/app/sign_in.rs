//! Signing in: success, the generic failure, lockout and its expiry, per-address throttling.

use exit_factors::domain::{AuditAction, Outcome, Role};
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::{
    location, select_attr, select_text, set_cookie_value, spawn_app, spawn_app_with,
};

#[actix_web::test]
async fn a_user_signs_in_and_reaches_the_home_page() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let client = app.client();

    let res = app.sign_in_as(&client, "olga", &user.password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");

    let home = app.get(&client, "/").await;
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert_eq!(select_text(&html, "h1"), ["Exit factors"]);
    assert_eq!(select_text(&html, ".sign-out button"), ["Sign out"]);
    assert!(
        select_text(&html, ".who")
            .iter()
            .any(|t| t.contains("olga"))
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::SignIn && e.outcome == Outcome::Success)
    );
}

#[actix_web::test]
async fn a_wrong_password_fails_with_the_same_message_as_an_unknown_user() {
    let app = spawn_app().await;
    app.create_user("olga", Role::Operator).await;
    let client = app.client();

    let wrong_password = app
        .sign_in_as(&client, "olga", "not the password at all")
        .await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    let html = wrong_password.text().await.unwrap();
    let message = select_text(&html, ".sign-in-error");
    assert_eq!(
        select_attr(&html, "#username", "value").as_deref(),
        Some("olga"),
        "username kept"
    );
    assert_eq!(
        select_attr(&html, "#password", "value").as_deref(),
        Some(""),
        "password not echoed"
    );

    let unknown = app
        .sign_in_as(&client, "nobody", "not the password at all")
        .await;
    let unknown_message = select_text(&unknown.text().await.unwrap(), ".sign-in-error");
    assert_eq!(message.len(), 1);
    assert_eq!(
        message, unknown_message,
        "no hint whether the account exists"
    );
    assert!(!message[0].to_lowercase().contains("unknown user"));
}

#[actix_web::test]
async fn the_seventh_attempt_after_six_failures_is_refused_even_with_the_right_password_until_the_lock_expires()
 {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let client = app.client();

    let first_failure = app.sign_in_as(&client, "olga", "wrong password 0").await;
    let generic = select_text(&first_failure.text().await.unwrap(), ".sign-in-error");
    for i in 1..6 {
        let res = app
            .sign_in_as(&client, "olga", &format!("wrong password {i}"))
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = app.sign_in_as(&client, "olga", &user.password).await;
    assert_eq!(
        locked.status(),
        StatusCode::UNAUTHORIZED,
        "right password refused while locked"
    );
    assert_eq!(
        select_text(&locked.text().await.unwrap(), ".sign-in-error"),
        generic,
        "same generic message"
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::AccountLocked)
    );

    app.clock.advance(Duration::minutes(29));
    let still_locked = app.sign_in_as(&client, "olga", &user.password).await;
    assert_eq!(
        still_locked.status(),
        StatusCode::UNAUTHORIZED,
        "locked for 30 minutes"
    );

    app.clock.advance(Duration::minutes(2));
    let open_again = app.sign_in_as(&client, "olga", &user.password).await;
    assert_eq!(
        open_again.status(),
        StatusCode::SEE_OTHER,
        "lock expired after 30 minutes"
    );
}

#[actix_web::test]
async fn one_address_failing_across_many_accounts_is_throttled() {
    let app = spawn_app_with(|s| s.policy.ip_failures_per_window = 4).await;
    let user = app.create_user("olga", Role::Operator).await;
    let client = app.client();
    for name in ["anna", "bea", "carla", "dora"] {
        let res = app.sign_in_as(&client, name, "some wrong password").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = app.sign_in_as(&client, "olga", &user.password).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        set_cookie_value(&throttled, "ef_session").is_none(),
        "no session while throttled"
    );

    app.clock.advance(Duration::minutes(16));
    let later = app.sign_in_as(&client, "olga", &user.password).await;
    assert_eq!(later.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn a_disabled_account_cannot_sign_in() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let id = app.user_id("olga");
    let disabled = exit_factors::domain::AuditEvent::new(
        app.clock_now(),
        None,
        exit_factors::domain::AuditAction::UserDisabled,
        exit_factors::domain::Outcome::Success,
    );
    app.store.set_disabled(id, true, disabled).await.unwrap();
    let res = app.sign_in_as(&app.client(), "olga", &user.password).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn after_sign_in_only_local_next_paths_are_followed() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let client = app.client();
    let page = app.get(&client, "/sign-in?next=//evil.example/x").await;
    let html = page.text().await.unwrap();
    assert_eq!(
        select_attr(&html, "input[name=next]", "value").as_deref(),
        Some("/")
    );

    let res = app
        .post_form(
            &client,
            "/sign-in",
            "/sign-in",
            &[
                ("username", "olga"),
                ("password", &user.password),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/");

    let client = app.client();
    let res = app
        .post_form(
            &client,
            "/sign-in",
            "/sign-in",
            &[
                ("username", "olga"),
                ("password", &user.password),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/account");
}
