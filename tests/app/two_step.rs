//! Two-step sign-in with an authenticator app: codes computed from the secret the enrolment page
//! shows, as an app would; replays, recovery codes, the lock, the policy, an admin's reset; and the
//! user's own sessions and password rules.

use exit_factors::domain::{AuditAction, Outcome, Role};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, location, select_text, spawn_app};

/// An operator with an authenticator app set up, signed out again.
async fn enrolled_operator(app: &TestApp, name: &str) {
    let (client, _) = app.signed_in(name, Role::Operator).await;
    app.enrol(&client, name).await;
}

/// The password step; returns where it leads (the code page, with `next`).
async fn password_step(app: &TestApp, client: &reqwest::Client, name: &str) -> String {
    let res = app.sign_in_password(client, name, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/sign-in/code"), "{to}");
    to
}

async fn submit_code(
    app: &TestApp,
    client: &reqwest::Client,
    code_page: &str,
    code: &str,
) -> reqwest::Response {
    app.post_form(client, code_page, "/sign-in/code", &[("code", code)])
        .await
}

#[actix_web::test]
async fn the_right_code_after_the_password_signs_in_and_nothing_opens_before_it() {
    let app = spawn_app().await;
    enrolled_operator(&app, "olga").await;
    let client = app.client();
    let res = app.sign_in_password(&client, "olga", PASSWORD).await;
    let code_page = location(&res);
    assert_eq!(code_page, "/sign-in/code?next=%2F");

    // Half signed in: every page leads back to the code page, forms included.
    let cases = app.get(&client, "/cases").await;
    assert_eq!(cases.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&cases), "/sign-in/code");
    let page = app.get(&client, &code_page).await.text().await.unwrap();
    assert!(select_text(&page, "nav").is_empty(), "no navigation yet");

    let code = app.fresh_code("olga");
    let res = submit_code(&app, &client, &code_page, &code).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    assert_eq!(app.get(&client, "/cases").await.status(), StatusCode::OK);

    let audit = app.audit().await;
    let id = app.user_id("olga");
    let of = |action| {
        audit
            .iter()
            .find(|e| e.action == action && e.actor == Some(id))
            .unwrap_or_else(|| panic!("{action:?} audited"))
    };
    assert_eq!(of(AuditAction::PasswordAccepted).outcome, Outcome::Success);
    let second = of(AuditAction::SecondStep);
    assert_eq!(second.outcome, Outcome::Success);
    assert_eq!(second.address.as_deref(), Some("127.0.0.0/24"));
    assert_eq!(of(AuditAction::TwoStepEnrolled).outcome, Outcome::Success);
}

#[actix_web::test]
async fn a_wrong_code_is_refused_next_to_the_field_and_the_sign_in_waits() {
    let app = spawn_app().await;
    enrolled_operator(&app, "olga").await;
    let client = app.client();
    let code_page = password_step(&app, &client, "olga").await;
    let right = app.fresh_code("olga");
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let res = submit_code(&app, &client, &code_page, &wrong).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    let message = select_text(&html, "#code-error").join(" ");
    assert!(message.contains("not right"), "{message}");
    assert_eq!(
        app.get(&client, "/cases").await.status(),
        StatusCode::SEE_OTHER
    );
    // The right code still works after a wrong one.
    let res = submit_code(&app, &client, &code_page, &right).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&client, "/cases").await.status(), StatusCode::OK);
    let failures = app
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::SecondStep && e.outcome == Outcome::Failure)
        .count();
    assert_eq!(failures, 1);
}

#[actix_web::test]
async fn a_code_used_once_is_refused_in_its_window_even_on_another_browser() {
    let app = spawn_app().await;
    enrolled_operator(&app, "olga").await;
    let first = app.client();
    let code_page = password_step(&app, &first, "olga").await;
    let code = app.fresh_code("olga");
    let res = submit_code(&app, &first, &code_page, &code).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Someone who saw the code over her shoulder, and has the password, tries it at once.
    let second = app.client();
    let code_page = password_step(&app, &second, "olga").await;
    let res = submit_code(&app, &second, &code_page, &code).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(
        select_text(&html, "#code-error")
            .join(" ")
            .contains("used already"),
        "{html}"
    );
    assert_eq!(
        app.get(&second, "/cases").await.status(),
        StatusCode::SEE_OTHER
    );
    let replay = app
        .audit()
        .await
        .into_iter()
        .find(|e| e.action == AuditAction::SecondStep && e.outcome == Outcome::Failure)
        .expect("the replay audited");
    assert_eq!(replay.detail.as_deref(), Some("code already used"));
}

#[actix_web::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    enrolled_operator(&app, "olga").await;
    let recovery = app.authenticator("olga").unwrap().recovery[2].clone();
    let client = app.client();
    let code_page = password_step(&app, &client, "olga").await;
    // Typed in capitals, as read off paper.
    let res = submit_code(&app, &client, &code_page, &recovery.to_uppercase()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&client, "/cases").await.status(), StatusCode::OK);
    let account = app.get(&client, "/account").await.text().await.unwrap();
    assert!(
        select_text(&account, ".two-step-status")
            .join(" ")
            .contains("9 recovery codes unused"),
        "{account}"
    );

    let again = app.client();
    let code_page = password_step(&app, &again, "olga").await;
    let res = submit_code(&app, &again, &code_page, &recovery).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "spent");
    let used: Vec<_> = app
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::RecoveryCodeUsed)
        .collect();
    assert_eq!(used.len(), 1);
    assert_eq!(used[0].detail.as_deref(), Some("9 left"));
}

#[actix_web::test]
async fn wrong_passwords_and_wrong_codes_add_up_to_the_lock() {
    let app = spawn_app().await;
    enrolled_operator(&app, "olga").await;
    for _ in 0..3 {
        let res = app
            .sign_in_password(&app.client(), "olga", "not the password at all")
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let client = app.client();
    let code_page = password_step(&app, &client, "olga").await;
    for attempt in 0..3 {
        let res = submit_code(&app, &client, &code_page, "000000").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // The sixth failure locked the account and ended the waiting sign-in.
    assert_eq!(
        app.get(&client, &code_page).await.status(),
        StatusCode::SEE_OTHER
    );
    let locked = app.store.user(app.user_id("olga")).unwrap().unwrap();
    assert!(locked.is_locked(app.clock_now()), "locked after 3 + 3");
    // Even the right password and code are refused now.
    let res = app.sign_in_password(&app.client(), "olga", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::AccountLocked
                && e.address.as_deref() == Some("127.0.0.0/24"))
    );
}

#[actix_web::test]
async fn a_required_policy_takes_an_account_to_set_up_before_anything_else() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    assert!(app.authenticator("ada").is_some(), "admins set up first");
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    assert_eq!(app.get(&operator, "/cases").await.status(), StatusCode::OK);

    let res = app
        .post_form(
            &admin,
            "/admin/settings",
            "/admin/settings",
            &[("two_step", "everyone")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The policy holds at once, even for a session opened before it.
    for path in ["/cases", "/", "/account", "/instrument"] {
        let res = app.get(&operator, path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), "/account/two-step", "{path}");
    }
    let page = app
        .get(&operator, "/account/two-step")
        .await
        .text()
        .await
        .unwrap();
    assert!(select_text(&page, "nav").is_empty(), "no way elsewhere");
    // A new sign-in goes straight there.
    let fresh = app.client();
    let res = app.sign_in_password(&fresh, "olga", PASSWORD).await;
    assert_eq!(location(&res), "/account/two-step");
    // A form elsewhere is not reached either.
    let res = app
        .post_forged(
            &fresh,
            "/account/two-step",
            "/cases",
            &[("age_band", "18-24")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account/two-step");
    assert!(app.store.cases().unwrap().is_empty(), "nothing saved");

    app.enrol(&fresh, "olga").await;
    assert_eq!(app.get(&fresh, "/cases").await.status(), StatusCode::OK);
    assert_eq!(app.get(&operator, "/cases").await.status(), StatusCode::OK);

    let changed = app
        .audit()
        .await
        .into_iter()
        .find(|e| e.action == AuditAction::TwoStepPolicyChanged)
        .expect("the policy change audited");
    assert_eq!(changed.detail.as_deref(), Some("admins -> everyone"));
}

#[actix_web::test]
async fn an_admin_reset_ends_the_users_sessions_and_removes_the_app() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    enrolled_operator(&app, "olga").await;
    let phone = app.client();
    let res = app.sign_in_as(&phone, "olga", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&phone, "/cases").await.status(), StatusCode::OK);

    let id = app.user_id("olga");
    let res = app
        .post_form(
            &admin,
            "/admin/users",
            &format!("/admin/users/{id}/two-step/reset"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&phone, "/cases").await.status(),
        StatusCode::SEE_OTHER,
        "signed out"
    );
    assert!(app.store.user(id).unwrap().unwrap().two_step.is_none());
    assert_eq!(app.store.session_count(id).unwrap(), 0);
    // Operators are not required to have one: the password alone signs in again.
    let res = app.sign_in_password(&app.client(), "olga", PASSWORD).await;
    assert_eq!(location(&res), "/");
    let reset = app
        .audit()
        .await
        .into_iter()
        .find(|e| e.action == AuditAction::TwoStepReset)
        .expect("audited");
    assert_eq!(reset.actor, Some(app.user_id("ada")));
    assert_eq!(reset.target.as_deref(), Some(id.to_string().as_str()));
}

#[actix_web::test]
async fn the_enrolment_page_shows_the_secret_as_an_svg_qr_code_and_refuses_a_wrong_first_code() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let res = app
        .post_form(&client, "/account/two-step", "/account/two-step/start", &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .get(&client, "/account/two-step")
        .await
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let svg = scraper::Selector::parse(".qr-code svg[role=img] path").unwrap();
    assert_eq!(doc.select(&svg).count(), 1, "an inline SVG QR code");
    assert!(!html.contains("<script"), "no script");
    let text = select_text(&html, ".secret-text code").pop().unwrap();
    let res = app
        .post_form(
            &client,
            "/account/two-step",
            "/account/two-step/confirm",
            &[("code", "123456")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(!select_text(&html, "#code-error").is_empty());
    assert_eq!(
        select_text(&html, ".secret-text code").pop().unwrap(),
        text,
        "the same secret is shown again"
    );
    assert!(
        app.store
            .user(app.user_id("olga"))
            .unwrap()
            .unwrap()
            .two_step
            .is_none()
    );
}

#[actix_web::test]
async fn the_code_page_expires_a_few_minutes_after_the_password() {
    let app = spawn_app().await;
    enrolled_operator(&app, "olga").await;
    let client = app.client();
    let code_page = password_step(&app, &client, "olga").await;
    app.clock.advance(time::Duration::minutes(6));
    let res = app.get(&client, &code_page).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&res).starts_with("/sign-in"),
        "back to the password"
    );
    assert_eq!(
        app.get(&client, "/cases").await.status(),
        StatusCode::SEE_OTHER
    );
}

fn browser(agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(agent)
        .build()
        .unwrap()
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

#[actix_web::test]
async fn the_account_page_lists_your_sessions_and_signs_out_the_others() {
    let app = spawn_app().await;
    app.create_user("olga", Role::Operator).await;
    let office = browser(FIREFOX);
    let shared = browser(CHROME_WINDOWS);
    for c in [&office, &shared] {
        assert_eq!(
            app.sign_in_as(c, "olga", PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let html = app.get(&office, "/account").await.text().await.unwrap();
    let rows = select_text(&html, "table.sessions tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("Firefox on Linux (this one)"),
        "{rows:?}"
    );
    assert!(rows[1].starts_with("Chrome on Windows 10"), "{rows:?}");
    assert!(
        !html.contains("Gecko/20100101"),
        "never the whole User-Agent"
    );

    let res = app
        .post_form(&office, "/account", "/account/sessions/end-others", &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&shared, "/cases").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.get(&office, "/cases").await.status(), StatusCode::OK);
    let notice = app
        .get(&office, &location(&res))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        select_text(&notice, ".notice")
            .join(" ")
            .contains("1 other session was signed out")
    );
    let ended = app
        .audit()
        .await
        .into_iter()
        .find(|e| e.action == AuditAction::OtherSessionsEnded)
        .expect("audited");
    assert_eq!(ended.detail.as_deref(), Some("1 ended"));
}

#[actix_web::test]
async fn a_password_change_signs_out_the_other_sessions_unless_the_box_is_cleared() {
    let app = spawn_app().await;
    app.create_user("olga", Role::Operator).await;
    let (here, there) = (app.client(), app.client());
    for c in [&here, &there] {
        app.sign_in_as(c, "olga", PASSWORD).await;
    }
    // Cleared: the other session stays.
    let mut form = app.form(&here, "/account", "/account/password").await;
    assert_eq!(
        form.value("end_other_sessions").as_deref(),
        Some("yes"),
        "ticked by default"
    );
    form.set("current_password", PASSWORD)
        .set("new_password", "violet kettle harbour 9")
        .set("confirm_password", "violet kettle harbour 9")
        .untick("end_other_sessions");
    let res = form.submit(&here, &app.address, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&there, "/cases").await.status(), StatusCode::OK);
    assert_eq!(app.get(&here, "/cases").await.status(), StatusCode::OK);

    // Left ticked: it goes, this one stays.
    let res = app
        .post_form(
            &here,
            "/account",
            "/account/password",
            &[
                ("current_password", "violet kettle harbour 9"),
                ("new_password", "orange bicycle meadow 4"),
                ("confirm_password", "orange bicycle meadow 4"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&there, "/cases").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.get(&here, "/cases").await.status(), StatusCode::OK);
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::OtherSessionsEnded
                && e.detail.as_deref() == Some("with a password change"))
    );
}

#[actix_web::test]
async fn guessable_passwords_and_ones_holding_the_username_are_refused_next_to_the_field() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga.rossi", Role::Operator).await;
    for (new, says) in [
        ("password1234", "too easy to guess"),
        ("qwertyuiop12", "too easy to guess"),
        ("my name is olga.rossi", "username"),
    ] {
        let res = app
            .post_form(
                &client,
                "/account",
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", new),
                    ("confirm_password", new),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{new}");
        let html = res.text().await.unwrap();
        let message = select_text(&html, "#new_password-error").join(" ");
        assert!(message.contains(says), "{new}: {message}");
    }
    // Still the old password.
    assert_eq!(
        app.sign_in_as(&app.client(), "olga.rossi", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}
