//! The client address behind a proxy: only a trusted proxy's `X-Forwarded-For` / `Forwarded`
//! counts, for the per-address throttle and for the audit log, which keeps it truncated unless an
//! admin asks for whole addresses.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, spawn_app_with};

/// A browser whose every request carries `header: value`.
fn sending(header: &str, value: &str) -> reqwest::Client {
    crate::helpers::client_sending(header, value)
}

async fn spawn(trusted: &[&str]) -> TestApp {
    let trusted: Vec<ipnet::IpNet> = trusted.iter().map(|t| t.parse().unwrap()).collect();
    spawn_app_with(move |s| {
        s.policy.ip_failures_per_window = 3;
        s.trusted_proxies = trusted;
    })
    .await
}

async fn fail(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    app.sign_in_password(client, "olga", "not her password at all")
        .await
        .status()
}

/// The addresses of the failed sign-ins in the audit log.
async fn failure_addresses(app: &TestApp) -> Vec<String> {
    app.audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::SignIn)
        .filter_map(|e| e.address)
        .collect()
}

#[actix_web::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_address_changes_neither_throttle_nor_audit() {
    let app = spawn(&[]).await;
    app.create_user("olga", Role::Operator).await;
    let spoofer = sending("x-forwarded-for", "203.0.113.9");
    for _ in 0..3 {
        assert_eq!(fail(&app, &spoofer).await, StatusCode::UNAUTHORIZED);
    }
    // The throttle counted the connection's address: another made-up address does not escape it,
    // nor does a request without the header.
    let other = sending("x-forwarded-for", "198.51.100.7");
    assert_eq!(fail(&app, &other).await, StatusCode::TOO_MANY_REQUESTS);
    let plain = sending("forwarded", "for=192.0.2.44");
    assert_eq!(
        app.sign_in_password(&plain, "olga", PASSWORD)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let addresses = failure_addresses(&app).await;
    assert_eq!(addresses.len(), 3, "{addresses:?}");
    assert!(
        addresses.iter().all(|a| a == "127.0.0.0/24"),
        "{addresses:?}"
    );
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled_and_audited() {
    let app = spawn(&["127.0.0.1/32"]).await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    app.create_user("olga", Role::Operator).await;
    // The proxy appends the real address to whatever the client sent.
    let attacker = sending("x-forwarded-for", "10.9.9.9, 203.0.113.9");
    for _ in 0..3 {
        assert_eq!(fail(&app, &attacker).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(fail(&app, &attacker).await, StatusCode::TOO_MANY_REQUESTS);
    // Someone else behind the same proxy is not blocked.
    let colleague = sending("forwarded", "for=\"198.51.100.7:51000\";proto=https");
    assert_eq!(
        app.sign_in_password(&colleague, "olga", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let addresses = failure_addresses(&app).await;
    assert!(
        addresses.iter().filter(|a| *a == "203.0.113.0/24").count() == 3,
        "{addresses:?}"
    );
    assert!(
        addresses.contains(&"198.51.100.0/24".to_owned()),
        "{addresses:?}"
    );
    assert!(
        !addresses.iter().any(|a| a.contains("203.0.113.9")),
        "truncated by default"
    );

    // An admin turns whole addresses on (while investigating): the next entries keep them.
    let res = app
        .post_form(
            &admin,
            "/admin/settings",
            "/admin/settings",
            &[("full_addresses", "yes")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let another = sending("x-forwarded-for", "192.0.2.200");
    assert_eq!(fail(&app, &another).await, StatusCode::UNAUTHORIZED);
    assert!(
        failure_addresses(&app)
            .await
            .contains(&"192.0.2.200".to_owned())
    );
    let audit_page = app.get(&admin, "/admin/audit").await.text().await.unwrap();
    assert!(
        crate::helpers::select_text(&audit_page, "td.address").contains(&"192.0.2.200".to_owned())
    );
}
