//! What every response carries: security headers, cookie flags, error pages with a request id and no
//! internal detail, the body cap, the health check and the embedded assets.

use exit_factors::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{select_text, spawn_app, spawn_app_with};

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let csp = header(res, "content-security-policy");
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{what}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(header(res, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(res, "referrer-policy"), "no-referrer", "{what}");
}

#[actix_web::test]
async fn html_pages_carry_the_security_headers_and_signed_in_pages_are_not_cached() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("ada", Role::Admin).await;
    for page in [
        "/",
        "/instrument",
        "/account",
        "/admin/users",
        "/admin/audit",
    ] {
        let res = app.get(&client, page).await;
        assert_eq!(res.status(), StatusCode::OK, "{page}");
        assert!(
            header(&res, "content-type").starts_with("text/html"),
            "{page}"
        );
        assert_security_headers(&res, page);
        assert_eq!(header(&res, "cache-control"), "no-store", "{page}");
    }
    let anonymous = app.get(&app.client(), "/sign-in").await;
    assert_security_headers(&anonymous, "/sign-in");
    let missing = app.get(&client, "/nothing-here").await;
    assert_security_headers(&missing, "404 page");
}

#[actix_web::test]
async fn the_session_cookie_is_http_only_strict_and_not_secure_on_plain_http_by_default() {
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let res = app.sign_in_as(&app.client(), "olga", &user.password).await;
    let cookie = res
        .cookies()
        .find(|c| c.name() == "ef_session")
        .expect("session cookie");
    assert!(cookie.http_only());
    assert!(cookie.same_site_strict());
    assert_eq!(cookie.path(), Some("/"));
    assert!(!cookie.secure(), "plain HTTP without --secure-cookies");
    assert!(
        cookie.max_age().is_none() && cookie.expires().is_none(),
        "a browser-session cookie"
    );
    let pre = app.get(&app.client(), "/sign-in").await;
    let pre_cookie = pre
        .cookies()
        .find(|c| c.name() == "ef_pre")
        .expect("pre-session cookie");
    assert!(pre_cookie.http_only() && pre_cookie.same_site_strict());
}

#[actix_web::test]
async fn with_secure_cookies_the_session_cookie_is_secure() {
    let app = spawn_app_with(|s| s.secure_cookies = true).await;
    let user = app.create_user("olga", Role::Operator).await;
    // A jar would not send Secure cookies back over plain http, so carry the cookie by hand.
    let client = app.bare_client();
    let page = app.get(&client, "/sign-in").await;
    let pre = page
        .cookies()
        .find(|c| c.name() == "ef_pre")
        .expect("pre-session cookie");
    assert!(pre.secure() && pre.http_only() && pre.same_site_strict());
    let pre_value = pre.value().to_owned();
    let token =
        crate::helpers::select_attr(&page.text().await.unwrap(), "input[name=csrf]", "value")
            .unwrap();
    let res = client
        .post(app.url("/sign-in"))
        .header("cookie", format!("ef_pre={pre_value}"))
        .form(&[
            ("username", "olga"),
            ("password", user.password.as_str()),
            ("csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .cookies()
        .find(|c| c.name() == "ef_session")
        .expect("session cookie");
    assert!(cookie.secure() && cookie.http_only() && cookie.same_site_strict());
}

#[actix_web::test]
async fn an_unknown_page_is_a_404_page_with_a_request_id() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let res = app.get(&client, "/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert_eq!(select_text(&html, "h1"), ["Page not found"]);
    let id = select_text(&html, ".request-id");
    assert_eq!(id.len(), 1);
    assert_eq!(id[0].len(), 16);
    assert_eq!(
        select_text(&html, ".sign-out button"),
        ["Sign out"],
        "the layout is kept"
    );
}

#[actix_web::test]
async fn a_malformed_id_is_a_plain_error_page_without_internal_text() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("ada", Role::Admin).await;
    let res = app.get(&client, "/admin/users/not-a-number/password").await;
    assert!(res.status().is_client_error());
    let html = res.text().await.unwrap();
    assert!(
        !html.contains("ParseIntError") && !html.contains("invalid digit"),
        "{html}"
    );
    assert_eq!(select_text(&html, ".request-id").len(), 1);
}

#[actix_web::test]
async fn a_body_over_the_cap_is_refused_with_413_and_changes_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let token = app.csrf_token(&admin, "/admin/users/new").await;
    let huge = "x".repeat(70 * 1024);
    let res = app
        .post_raw(
            &admin,
            "/admin/users",
            &[
                ("csrf", token.as_str()),
                ("username", "bigbody"),
                ("role", "operator"),
                ("password", huge.as_str()),
                ("confirm_password", huge.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = res.text().await.unwrap();
    assert_eq!(select_text(&html, "h1"), ["Too much data"]);
    assert_eq!(app.store.users().unwrap().len(), 1);
}

#[actix_web::test]
async fn the_health_check_answers_ok_and_assets_are_served_from_the_binary() {
    let app = spawn_app().await;
    let client = app.client();
    let res = app.get(&client, "/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
    let css = app.get(&client, "/static/style.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(header(&css, "content-type").starts_with("text/css"));
    assert!(css.text().await.unwrap().contains(".error-summary"));
    assert_eq!(
        app.get(&client, "/static/../Cargo.toml").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&client, "/static/secret.txt").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn head_answers_wherever_get_does_without_a_body_and_other_methods_get_405_with_allow() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let case = app.new_case(&admin).await;
    let assessment = app.start_assessment(&admin, &case).await;
    let pages = [
        "/healthz".to_owned(),
        "/static/style.css".into(),
        "/sign-in".into(),
        "/".into(),
        "/instrument".into(),
        "/account".into(),
        "/cases".into(),
        "/cases/new".into(),
        format!("/cases/{case}"),
        format!("/cases/{case}/edit"),
        format!("/assessments/{assessment}/context"),
        format!("/assessments/{assessment}/individual"),
        format!("/assessments/{assessment}/submit"),
        "/review".into(),
        "/dashboard".into(),
        "/dashboard.csv".into(),
        "/admin/users".into(),
        "/admin/users/new".into(),
        "/admin/audit".into(),
        "/admin/settings".into(),
    ];
    for page in &pages {
        let get = app.get(&admin, page).await;
        let head = admin.head(app.url(page)).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {page}");
        assert_eq!(
            header(&head, "content-type"),
            header(&get, "content-type"),
            "HEAD {page}"
        );
        assert_security_headers(&head, page);
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {page}: no body"
        );
    }

    for (method, path, allow) in [
        (reqwest::Method::PUT, "/cases".to_owned(), "GET, HEAD, POST"),
        (
            reqwest::Method::DELETE,
            "/sign-in".into(),
            "GET, HEAD, POST",
        ),
        (reqwest::Method::GET, "/sign-out".into(), "POST"),
        (
            reqwest::Method::PATCH,
            format!("/cases/{case}"),
            "GET, HEAD",
        ),
        (reqwest::Method::GET, format!("/cases/{case}/close"), "POST"),
        (
            reqwest::Method::OPTIONS,
            "/admin/settings".into(),
            "GET, HEAD, POST",
        ),
    ] {
        let res = admin
            .request(method.clone(), app.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(header(&res, "allow"), allow, "{method} {path}");
        let html = res.text().await.unwrap();
        assert_eq!(select_text(&html, "h1"), ["Not allowed"], "{method} {path}");
    }
    assert_eq!(
        app.get(&admin, "/no-such-page").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_form_that_is_not_utf8_is_refused_with_400_and_stores_nothing() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;
    let edit = format!("/cases/{case}/edit");
    let form = app.form(&client, &edit, &edit).await;
    let mut body = serde_urlencoded::to_string(form.pairs(None)).unwrap();
    // Latin-1 "é" where the form sends UTF-8: once stored as U+FFFD, now refused.
    body = body.replace("site=street", "site=caf%E9");
    assert!(body.contains("%E9"));
    let res = client
        .post(app.url(&edit))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert_eq!(select_text(&html, "h1"), ["Bad request"]);
    let after = app.form(&client, &edit, &edit).await;
    assert_eq!(after.value("site").as_deref(), Some("street"));
}
