//! Sessions: renewed at sign-in, revoked at once by sign-out, password change and account disable,
//! expired by the idle and absolute timeouts.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;
use time::Duration;

use crate::helpers::{TestApp, location, set_cookie_value, spawn_app};

const COOKIE: &str = "ef_session";

/// Signs in on a fresh client and returns it with the raw session cookie value.
async fn session_of(app: &TestApp, username: &str, password: &str) -> (reqwest::Client, String) {
    let client = app.client();
    let res = app.sign_in_as(&client, username, password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie_value(&res, COOKIE).expect("session cookie set at sign-in");
    (client, cookie)
}

/// Requests `/account` with only this session cookie, as an attacker replaying it would.
async fn replay(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.bare_client()
        .get(app.url("/account"))
        .header("cookie", format!("{COOKIE}={cookie}"))
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn the_session_id_is_new_at_every_sign_in_and_128_bits_long() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (_, first) = session_of(&app, "olga", &user.password).await;
    let (_, second) = session_of(&app, "olga", &user.password).await;
    assert_ne!(first, second);
    assert_eq!(first.len(), 32, "16 random bytes in hex");
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
}

#[actix_web::test]
async fn a_session_cookie_replayed_after_sign_out_is_rejected() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (client, cookie) = session_of(&app, "olga", &user.password).await;
    assert_eq!(
        replay(&app, &cookie).await.status(),
        StatusCode::OK,
        "valid before sign-out"
    );

    let res = app.post_form(&client, "/", "/sign-out", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/sign-in");

    let replayed = replay(&app, &cookie).await;
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert!(location(&replayed).starts_with("/sign-in"));
    // An unknown token is counted with the other anonymous refusals, then summarised.
    app.summarise_refusals().await;
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::SignOut)
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::SessionRejected)
    );
}

#[actix_web::test]
async fn a_password_change_revokes_every_other_session_and_keeps_this_browser_signed_in() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (client, old_cookie) = session_of(&app, "olga", &user.password).await;
    let (_, other_device) = session_of(&app, "olga", &user.password).await;

    let res = app
        .post_form(
            &client,
            "/account",
            "/account/password",
            &[
                ("current_password", &user.password),
                ("new_password", "an entirely new passphrase"),
                ("confirm_password", "an entirely new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let new_cookie = set_cookie_value(&res, COOKIE).expect("a new session for this browser");

    assert_eq!(
        replay(&app, &old_cookie).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        replay(&app, &other_device).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(replay(&app, &new_cookie).await.status(), StatusCode::OK);

    let fresh = app.client();
    assert_eq!(
        app.sign_in_as(&fresh, "olga", &user.password)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.sign_in_as(&fresh, "olga", "an entirely new passphrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn a_wrong_current_password_changes_nothing_and_says_so_next_to_the_field() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (client, cookie) = session_of(&app, "olga", &user.password).await;
    let res = app
        .post_form(
            &client,
            "/account",
            "/account/password",
            &[
                ("current_password", "this is not it at all"),
                ("new_password", "short"),
                ("confirm_password", "different"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let errors = crate::helpers::select_text(&html, ".error-message");
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(
        crate::helpers::select_text(&html, ".error-summary a").len(),
        3
    );
    assert_eq!(
        replay(&app, &cookie).await.status(),
        StatusCode::OK,
        "session kept"
    );
    assert_eq!(
        app.sign_in_as(&app.client(), "olga", &user.password)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn wrong_passwords_on_the_account_page_lock_the_account_like_sign_in_failures_and_end_its_sessions()
 {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (thief, cookie) = session_of(&app, "olga", &user.password).await;
    let (owner, _) = session_of(&app, "olga", &user.password).await;
    let guess = async |n: usize| {
        let new = "a new password for the thief";
        app.post_form(
            &thief,
            "/account",
            "/account/password",
            &[
                ("current_password", &format!("guess number {n} is wrong")),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await
    };
    for n in 1..6 {
        assert_eq!(
            guess(n).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "guess {n}"
        );
    }
    // The sixth failure, as at sign-in, locks the account: every session of it ends.
    let locked = guess(6).await;
    assert_eq!(locked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&locked), "/sign-in");
    assert_eq!(replay(&app, &cookie).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&owner, "/account").await.status(),
        StatusCode::SEE_OTHER,
        "the owner's session ended too"
    );
    assert_eq!(
        app.sign_in_as(&app.client(), "olga", &user.password)
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "locked: even the right password is refused for now"
    );
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == AuditAction::AccountLocked));
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == AuditAction::PasswordChanged
                && e.outcome == exit_factors::domain::Outcome::Failure)
            .count(),
        6
    );
    app.clock.advance(Duration::minutes(31));
    assert_eq!(
        app.sign_in_as(&app.client(), "olga", &user.password)
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "the lock ends like a sign-in lock"
    );
}

#[actix_web::test]
async fn disabling_an_account_revokes_its_sessions_at_once() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let user = app.create_user("olga", Role::Operator).await;
    let (_, cookie) = session_of(&app, "olga", &user.password).await;
    let id = app.user_id("olga");

    let res = app
        .post_form(
            &admin,
            "/admin/users",
            &format!("/admin/users/{id}/disable"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(replay(&app, &cookie).await.status(), StatusCode::SEE_OTHER);
    assert!(app.store.user(id).unwrap().unwrap().disabled);
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::UserDisabled)
    );
}

#[actix_web::test]
async fn a_session_idle_for_more_than_30_minutes_is_over() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (_, cookie) = session_of(&app, "olga", &user.password).await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        replay(&app, &cookie).await.status(),
        StatusCode::OK,
        "29 minutes idle is fine"
    );
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        replay(&app, &cookie).await.status(),
        StatusCode::OK,
        "activity reset the idle timer"
    );
    app.clock.advance(Duration::minutes(31));
    assert_eq!(
        replay(&app, &cookie).await.status(),
        StatusCode::SEE_OTHER,
        "31 minutes idle is too long"
    );
}

#[actix_web::test]
async fn a_session_older_than_12_hours_is_over_however_active() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let (_, cookie) = session_of(&app, "olga", &user.password).await;
    for _ in 0..24 {
        app.clock.advance(Duration::minutes(29));
        assert_eq!(replay(&app, &cookie).await.status(), StatusCode::OK);
    }
    app.clock.advance(Duration::minutes(29)); // 12 h 5 min since sign-in
    assert_eq!(replay(&app, &cookie).await.status(), StatusCode::SEE_OTHER);
}
