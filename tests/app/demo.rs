//! `exit-factors demo`: synthetic data to try the product with, never mixed with real data.

use reqwest::StatusCode;

use crate::helpers::{
    PASSWORD, ServerProcess, TestDir, binary, cli_add_user, remote_client, remote_sign_in,
    select_text,
};

fn demo(dir: &std::path::Path, cases: &str) -> std::process::Output {
    binary()
        .args(["demo", "--cases", cases, "--seed", "7", "--data-dir"])
        .arg(dir)
        .output()
        .unwrap()
}

/// The password printed for `name`.
fn password_of(stdout: &str, name: &str) -> String {
    stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(name))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap_or_else(|| panic!("no password for {name} in {stdout}"))
        .to_owned()
}

async fn signed_in(base: &str, name: &str, password: &str) -> reqwest::Client {
    let client = remote_client();
    assert_eq!(
        remote_sign_in(&client, base, name, password).await,
        StatusCode::SEE_OTHER,
        "{name} signs in"
    );
    client
}

#[actix_web::test]
async fn demo_data_for_200_cases_is_created_and_shown_with_a_banner() {
    let dir = TestDir::new();
    let out = demo(dir.path(), "200");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let server = ServerProcess::start(dir.path());
    assert!(server.setup_line.is_none(), "demo data includes an admin");

    let supervisor = signed_in(
        &server.url,
        "demo-supervisor",
        &password_of(&stdout, "demo-supervisor"),
    )
    .await;
    let html = crate::helpers::remote_html(&supervisor, &format!("{}/cases", server.url)).await;
    assert_eq!(
        select_text(&html, "table.cases caption"),
        ["200 cases, newest first: 1 to 50 shown"]
    );
    assert_eq!(select_text(&html, "table.cases tbody tr").len(), 50);
    assert!(select_text(&html, ".demo-banner")[0].starts_with("Demo data"));
    let with_assessment = select_text(&html, "table.cases tbody td:nth-child(3)")
        .iter()
        .filter(|d| d.starts_with("20"))
        .count();
    assert_eq!(
        with_assessment, 50,
        "every case on the page has at least one assessment"
    );

    let operator = signed_in(
        &server.url,
        "demo-operator1",
        &password_of(&stdout, "demo-operator1"),
    )
    .await;
    let html = crate::helpers::remote_html(&operator, &format!("{}/cases", server.url)).await;
    let caption = select_text(&html, "table.cases caption").join(" ");
    let own: usize = caption
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count in {caption:?}"));
    assert!(
        own > 50 && own < 150,
        "an operator sees only their own cases: {own}"
    );

    let sign_in_page = reqwest::get(format!("{}/sign-in", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&sign_in_page, ".demo-banner").len(),
        1,
        "the banner is on every page"
    );
}

#[actix_web::test]
async fn demo_data_is_refused_for_a_directory_that_holds_data() {
    let dir = TestDir::new();
    assert!(
        cli_add_user(dir.path(), "ada", "admin", PASSWORD)
            .status
            .success()
    );
    let out = demo(dir.path(), "5");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds data"));
    let server = ServerProcess::start(dir.path());
    let html = reqwest::get(format!("{}/sign-in", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        select_text(&html, ".demo-banner").is_empty(),
        "a real store shows no demo banner"
    );
}
