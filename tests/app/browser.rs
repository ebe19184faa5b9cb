//! End to end in real headless Chromium: an operator signs in, opens a case, goes through every
//! step and submits; a supervisor filters the dashboard and reviews an assessment from the queue.
//! axe-core checks each page for accessibility problems.
//!
//! Needs `chromium` and `chromedriver` on the PATH (or CHROMIUM / CHROMEDRIVER) and axe-core from
//! npm in `tests/browser/node_modules` (`npm install --prefix tests/browser`). Outside CI the test
//! skips when they are missing; with `CI=true` a missing browser is a failure.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use exit_factors::domain::Role;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::spawn_app;

fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn axe_source() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path).ok()
}

/// The browser tools, or None outside CI when they are missing. Under CI a missing tool fails.
fn tools() -> Option<(PathBuf, PathBuf, String)> {
    let chromium = find(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find("CHROMEDRIVER", &["chromedriver"]);
    let axe = axe_source();
    match (chromium, driver, axe) {
        (Some(c), Some(d), Some(a)) => Some((c, d, a)),
        missing => {
            let what = format!(
                "chromium: {}, chromedriver: {}, axe-core: {}",
                missing.0.is_some(),
                missing.1.is_some(),
                missing.2.is_some()
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("browser test tools missing under CI ({what})");
            }
            eprintln!("skipping the browser test: tools missing ({what})");
            None
        }
    }
}

struct Driver {
    process: Child,
    _profile: tempfile::TempDir,
    client: Client,
}

impl Driver {
    async fn start(chromium: &PathBuf, chromedriver: &PathBuf) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1200,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..50 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Self {
                        process,
                        _profile: profile,
                        client,
                    };
                }
                Err(e) => last_error = Some(e),
            }
            tokio_sleep(Duration::from_millis(100)).await;
        }
        panic!("could not reach chromedriver: {last_error:?}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn tokio_sleep(d: Duration) {
    actix_web::rt::time::sleep(d).await;
}

/// Runs axe-core on the current page and returns the serious and critical violations.
async fn axe(client: &Client, source: &str) -> Vec<String> {
    client
        .execute(source, vec![])
        .await
        .expect("axe-core injected");
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')) }))))
                .catch(e => done([{ id: 'axe-error', impact: 'critical', nodes: [String(e)] }]));",
            vec![],
        )
        .await
        .expect("axe-core ran");
    result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")))
        .map(|v: Value| format!("{} {}", v["id"], v["nodes"]))
        .collect()
}

/// Clicks an element (a radio label, an option) that does not load a page.
async fn click(c: &Client, locator: Locator<'_>) {
    c.find(locator).await.unwrap().click().await.unwrap();
}

/// Types into a field.
async fn type_into(c: &Client, locator: Locator<'_>, text: &str) {
    c.find(locator)
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// The text of an element.
/// The text of an element, without the marks that isolate values inserted into a message.
async fn text_of(c: &Client, locator: Locator<'_>) -> String {
    let text = c.find(locator).await.unwrap().text().await.unwrap();
    text.replace(['\u{2068}', '\u{2069}'], "")
}

/// Clicks a button that submits a form, and waits until the next page has replaced this one.
async fn click_button(client: &Client, text: &str) {
    let old_page = client.find(Locator::Css("html")).await.unwrap();
    let xpath = format!("//main//button[normalize-space(.)='{text}']");
    client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("button {text}: {e}"))
        .click()
        .await
        .unwrap();
    wait_for_new_page(old_page).await;
}

/// Waits (up to 10 s) until `old_page` is gone from the browser.
async fn wait_for_new_page(old_page: fantoccini::elements::Element) {
    for _ in 0..500 {
        if old_page.tag_name().await.is_err() {
            return;
        }
        tokio_sleep(Duration::from_millis(20)).await;
    }
    panic!("the page did not change");
}

/// Follows a link and waits for the next page.
async fn follow(client: &Client, locator: Locator<'_>) {
    let old_page = client.find(Locator::Css("html")).await.unwrap();
    client.find(locator).await.unwrap().click().await.unwrap();
    wait_for_new_page(old_page).await;
}

async fn heading(client: &Client) -> String {
    text_of(client, Locator::Css("h1")).await
}

/// On the results step: an action for the priority factor "employment", by the employment service,
/// by June 2030.
async fn plan_employment_action(c: &Client, action: &str) {
    type_into(c, Locator::Id("str-employment-action"), action).await;
    click(
        c,
        Locator::Css("#str-employment-owner option[value='employment_service']"),
    )
    .await;
    // Chromium draws a month field as month and year parts: type one, Tab, the other.
    type_into(
        c,
        Locator::Id("str-employment-target"),
        &format!("06{}2030", char::from(fantoccini::key::Key::Tab)),
    )
    .await;
}

/// Fills in the sign-in form on the current page and submits it.
async fn submit_password(c: &Client, username: &str, password: &str) {
    for (id, value) in [("username", username), ("password", password)] {
        type_into(c, Locator::Id(id), value).await;
    }
    click_button(c, "Sign in").await;
}

/// Fills in the sign-in form on the current page and lands on the home page.
async fn sign_in(c: &Client, username: &str, password: &str) {
    submit_password(c, username, password).await;
    assert_eq!(heading(c).await, "Exit factors");
}

/// A Chromium driven through chromedriver, with axe-core ready to check its pages; None outside CI
/// when the tools are missing (`tools`).
async fn browser_with_axe() -> Option<(Driver, Axe)> {
    let (chromium, chromedriver, axe_js) = tools()?;
    Some((
        Driver::start(&chromium, &chromedriver).await,
        Axe::new(axe_js),
    ))
}

/// The serious and critical accessibility problems axe-core finds on each page checked.
struct Axe {
    source: String,
    violations: Vec<String>,
}

impl Axe {
    fn new(source: String) -> Self {
        Self {
            source,
            violations: Vec::new(),
        }
    }

    /// Runs axe-core on the current page, named `page` in the report.
    async fn check(&mut self, page: &str, c: &Client) {
        for v in axe(c, &self.source).await {
            self.violations.push(format!("{page}: {v}"));
        }
    }

    fn assert_clean(&self) {
        assert!(
            self.violations.is_empty(),
            "serious or critical accessibility problems:\n{}",
            self.violations.join("\n")
        );
    }
}

#[actix_web::test]
async fn an_operator_completes_an_assessment_in_a_real_browser_and_every_page_passes_axe() {
    let Some((driver, mut axe)) = browser_with_axe().await else {
        return;
    };
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let c = &driver.client;

    c.goto(&app.url("/sign-in")).await.unwrap();
    axe.check("sign-in", c).await;
    sign_in(c, "olga", &user.password).await;

    follow(c, Locator::LinkText("Cases")).await;
    axe.check("cases", c).await;
    // The checklist guide and the references its evidence lines link to.
    follow(c, Locator::LinkText("Checklist guide")).await;
    axe.check("checklist guide", c).await;
    follow(c, Locator::LinkText("references")).await;
    assert_eq!(heading(c).await, "References");
    axe.check("references", c).await;
    follow(c, Locator::LinkText("Cases")).await;
    follow(
        c,
        Locator::XPath("//main//a[normalize-space(.)='New case']"),
    )
    .await;
    axe.check("new case", c).await;
    click(c, Locator::Id("consent-yes")).await;
    click_button(c, "Create case").await;
    assert!(heading(c).await.starts_with("Case "));
    click_button(c, "Start assessment").await;

    // Step 1: context.
    assert!(heading(c).await.ends_with("Context"));
    axe.check("context step", c).await;
    click(c, Locator::Id("stage-preparation")).await;
    click(c, Locator::Id("reentry-no")).await;
    click_button(c, "Save and continue").await;

    // Steps 2-4: a few ratings per level, by clicking the labels as a person would.
    for (level, clicks) in [
        (
            "Individual",
            vec![
                "ind-spirituality-rating-3",
                "ind-shame-rating-2",
                "ind-shame-priority",
            ],
        ),
        (
            "Relational",
            vec![
                "rel-peer_help-rating-1",
                "rel-family-rating-2",
                "rel-family-direction-helps",
            ],
        ),
        (
            "Structural",
            vec!["str-employment-rating-0", "str-employment-priority"],
        ),
    ] {
        assert!(
            heading(c).await.ends_with(&format!("{level} level")),
            "on the {level} step"
        );
        axe.check(&format!("{level} step"), c).await;
        for id in clicks {
            click(c, Locator::Css(&format!("label[for='{id}']"))).await;
        }
        click_button(c, "Save and continue").await;
    }

    // Step 5: results and action plan.
    assert!(heading(c).await.ends_with("Results and action plan"));
    axe.check("review step", c).await;
    let limit = text_of(c, Locator::Css(".list-limit li")).await;
    assert!(limit.contains("Shame"), "{limit}");
    plan_employment_action(c, "look for a work placement").await;
    click_button(c, "Save draft").await;

    // The draft keeps the plan: back on the step, every part of the line is there.
    follow(
        c,
        Locator::XPath("//main//a[normalize-space(.)='Continue draft assessment']"),
    )
    .await;
    assert!(heading(c).await.ends_with("Results and action plan"));
    let value = async |id: &str| {
        c.find(Locator::Id(id))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    assert_eq!(
        value("str-employment-action").await,
        "look for a work placement"
    );
    assert_eq!(value("str-employment-owner").await, "employment_service");
    assert_eq!(value("str-employment-target").await, "2030-06");
    click_button(c, "Save and continue").await;

    // Step 6: submit.
    assert!(heading(c).await.ends_with("Submit"));
    axe.check("submit step", c).await;
    click_button(c, "Submit assessment").await;
    assert!(heading(c).await.starts_with("Assessment of"));
    axe.check("results", c).await;
    let status = text_of(c, Locator::Css(".assessment-status")).await;
    assert!(status.starts_with("Submitted"));
    let plan = text_of(c, Locator::Css(".actions-table tbody tr")).await;
    assert!(
        plan.contains("look for a work placement") && plan.contains("June 2030"),
        "the submitted plan: {plan}"
    );

    follow(c, Locator::Css(".case-link a")).await;
    axe.check("case page", c).await;
    let polylines = c
        .find_all(Locator::Css("svg.score-chart polyline"))
        .await
        .unwrap();
    assert_eq!(polylines.len(), 6, "the case chart is drawn");

    axe.assert_clean();
}

#[actix_web::test]
async fn a_supervisor_uses_the_dashboard_and_reviews_in_a_real_browser_and_every_page_passes_axe() {
    let Some((driver, mut axe)) = browser_with_axe().await else {
        return;
    };
    let app = spawn_app().await;
    app.create_user("olga", Role::Operator).await;
    let sue = app.create_user("sue", Role::Supervisor).await;
    app.insert_synthetic_cases(30, 3, "olga", Some("sue")).await;
    app.insert_synthetic_cases(3, 4, "olga", None).await;
    let c = &driver.client;

    c.goto(&app.url("/sign-in")).await.unwrap();
    sign_in(c, "sue", &sue.password).await;

    follow(c, Locator::LinkText("Dashboard")).await;
    assert_eq!(heading(c).await, "Dashboard");
    axe.check("dashboard", c).await;
    let charts = c.find_all(Locator::Css("svg.bar-chart")).await.unwrap();
    assert!(charts.len() >= 2, "the charts are drawn");
    let cases = text_of(c, Locator::Css("dl.headline dd")).await;
    assert!(cases.parse::<usize>().unwrap() >= 5, "{cases}");

    // A filter that leaves too few cases: the page says so instead of showing figures.
    click(c, Locator::Css("#stage option[value='maintenance']")).await;
    click(c, Locator::Css("#site option[value='online']")).await;
    click_button(c, "Show figures").await;
    axe.check("dashboard, filtered", c).await;
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("site=online"), "{url}");
    let shown = c
        .find_all(Locator::Css(".no-figures, dl.headline"))
        .await
        .unwrap();
    assert_eq!(shown.len(), 1, "either figures or the no-figures message");

    follow(c, Locator::LinkText("To review")).await;
    assert_eq!(heading(c).await, "To review");
    axe.check("review queue", c).await;
    let waiting = c
        .find_all(Locator::Css("table.queue tbody tr"))
        .await
        .unwrap();
    assert!(
        !waiting.is_empty(),
        "the unreviewed synthetic assessments wait here"
    );
    follow(c, Locator::Css("table.queue tbody tr a")).await;
    assert!(heading(c).await.starts_with("Assessment of"));
    axe.check("assessment under review", c).await;
    type_into(c, Locator::Id("comment"), "Checked with the team").await;
    click_button(c, "Mark as reviewed").await;
    assert_eq!(heading(c).await, "To review");
    let notice = text_of(c, Locator::Css(".notice")).await;
    assert!(notice.contains("marked as reviewed"), "{notice}");
    let left = c
        .find_all(Locator::Css("table.queue tbody tr"))
        .await
        .unwrap();
    assert_eq!(left.len(), waiting.len() - 1);
    axe.check("review queue after a decision", c).await;

    axe.assert_clean();
}

#[actix_web::test]
async fn an_admin_sets_up_two_step_sign_in_and_signs_in_with_a_code_in_a_real_browser() {
    let Some((driver, mut axe)) = browser_with_axe().await else {
        return;
    };
    let app = spawn_app().await;
    let ada = app.create_user("ada", Role::Admin).await;
    let c = &driver.client;

    // The password alone leads to setting up an app: the default policy covers admins.
    c.goto(&app.url("/sign-in")).await.unwrap();
    submit_password(c, "ada", &ada.password).await;
    assert_eq!(heading(c).await, "Two-step sign-in");
    axe.check("two-step, required", c).await;
    assert!(
        c.find_all(Locator::Css("nav")).await.unwrap().is_empty(),
        "nothing else to go to"
    );
    click_button(c, "Set up an authenticator app").await;
    let qr = c
        .find_all(Locator::Css(".qr-code svg[role='img']"))
        .await
        .unwrap();
    assert_eq!(qr.len(), 1, "the QR code is an SVG in the page");
    axe.check("two-step, QR code", c).await;
    let text = text_of(c, Locator::Css(".secret-text code")).await;
    let secret = exit_factors::domain::two_step::TotpSecret::from_base32(&text).unwrap();
    type_into(c, Locator::Id("code"), "000000").await;
    click_button(c, "Turn on two-step sign-in").await;
    assert!(!text_of(c, Locator::Id("code-error")).await.is_empty());
    axe.check("two-step, wrong first code", c).await;
    let code = secret.code_at(app.clock_now()).unwrap();
    type_into(c, Locator::Id("code"), &code).await;
    click_button(c, "Turn on two-step sign-in").await;
    assert_eq!(heading(c).await, "Two-step sign-in is on");
    let codes = c
        .find_all(Locator::Css(".recovery-codes code"))
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    axe.check("recovery codes", c).await;
    follow(c, Locator::LinkText("Continue")).await;
    assert_eq!(heading(c).await, "Exit factors");

    for (link, title) in [
        ("Account", "Your account"),
        ("Users", "Users"),
        ("Settings", "Settings"),
    ] {
        follow(c, Locator::LinkText(link)).await;
        assert_eq!(heading(c).await, title);
        axe.check(title, c).await;
    }

    // Signing in again asks for the code after the password.
    click_button_anywhere(c, "Sign out").await;
    submit_password(c, "ada", &ada.password).await;
    assert_eq!(heading(c).await, "Type the code from your app");
    axe.check("sign-in code", c).await;
    type_into(c, Locator::Id("code"), &code).await;
    click_button(c, "Sign in").await;
    let error = text_of(c, Locator::Id("code-error")).await;
    assert!(error.contains("used already"), "{error}");
    axe.check("sign-in code, refused", c).await;
    app.clock.advance(time::Duration::seconds(30));
    let next = secret.code_at(app.clock_now()).unwrap();
    type_into(c, Locator::Id("code"), &next).await;
    click_button(c, "Sign in").await;
    assert_eq!(heading(c).await, "Exit factors");

    axe.assert_clean();
}

/// Clicks a button anywhere on the page (the header's sign-out) and waits for the next page.
async fn click_button_anywhere(client: &Client, text: &str) {
    let old_page = client.find(Locator::Css("html")).await.unwrap();
    let xpath = format!("//button[normalize-space(.)='{text}']");
    client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_new_page(old_page).await;
}

/// A message of the Italian catalogue, as the page shows it.
fn it(id: &str) -> String {
    exit_factors::i18n::t(exit_factors::i18n::Lang::It, id)
}

#[actix_web::test]
async fn an_operator_works_in_italian_in_a_real_browser_and_every_page_passes_axe() {
    let Some((driver, mut axe)) = browser_with_axe().await else {
        return;
    };
    let app = spawn_app().await;
    let user = app.create_user("olga", Role::Operator).await;
    let c = &driver.client;
    let lang_is_italian = async || {
        let html = c.find(Locator::Css("html")).await.unwrap();
        assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some("it"));
    };

    c.goto(&app.url("/sign-in")).await.unwrap();
    sign_in(c, "olga", &user.password).await;
    // She chooses Italian on her Account page; every page after is in Italian.
    c.goto(&app.url("/account")).await.unwrap();
    click(c, Locator::Css("label[for='language-it']")).await;
    click_button(c, "Save language").await;
    lang_is_italian().await;
    axe.check("account (it)", c).await;

    follow(c, Locator::LinkText(&it("nav-cases"))).await;
    lang_is_italian().await;
    axe.check("cases (it)", c).await;
    follow(c, Locator::LinkText(&it("nav-guide"))).await;
    axe.check("checklist guide (it)", c).await;
    follow(c, Locator::LinkText(&it("nav-cases"))).await;
    follow(
        c,
        Locator::XPath(&format!(
            "//main//a[normalize-space(.)='{}']",
            it("home-new-case")
        )),
    )
    .await;
    axe.check("new case (it)", c).await;
    click(c, Locator::Id("consent-yes")).await;
    click_button(c, &it("case-create")).await;
    assert!(heading(c).await.starts_with(&it("step-case")));
    axe.check("case page (it)", c).await;
    click_button(c, &it("case-start-assessment")).await;

    assert!(heading(c).await.ends_with(&it("step-context")));
    axe.check("context step (it)", c).await;
    click(c, Locator::Id("stage-preparation")).await;
    click(c, Locator::Id("reentry-no")).await;
    click_button(c, &it("step-save-continue")).await;

    let instrument = exit_factors::instrument::Instruments::bundled().unwrap();
    let italian = instrument.active_in(exit_factors::i18n::Lang::It);
    for (level, clicks) in [
        (0, vec!["ind-spirituality-rating-3", "ind-shame-rating-2"]),
        (1, vec!["rel-family-rating-2", "rel-family-direction-helps"]),
        (
            2,
            vec!["str-employment-rating-0", "str-employment-priority"],
        ),
    ] {
        let title = &italian.levels[level].title;
        assert!(
            heading(c).await.contains(title.as_str()),
            "on the {title} step"
        );
        axe.check(&format!("{title} step (it)"), c).await;
        // The factors are the Italian checklist's.
        let first = text_of(c, Locator::Css(".factor-card h2")).await;
        assert!(
            first.starts_with(italian.levels[level].factors[0].title.as_str()),
            "{first}"
        );
        for id in clicks {
            click(c, Locator::Css(&format!("label[for='{id}']"))).await;
        }
        click_button(c, &it("step-save-continue")).await;
    }

    assert!(heading(c).await.ends_with(&it("step-review")));
    axe.check("review step (it)", c).await;
    plan_employment_action(c, "cercare un tirocinio").await;
    click_button(c, &it("step-save-continue")).await;

    assert!(heading(c).await.ends_with(&it("step-submit")));
    axe.check("submit step (it)", c).await;
    click_button(c, &it("submit-button")).await;
    lang_is_italian().await;
    axe.check("results (it)", c).await;
    let plan = text_of(c, Locator::Css(".actions-table tbody tr")).await;
    assert!(
        plan.contains("cercare un tirocinio") && plan.contains("giugno 2030"),
        "the plan, with the month in Italian: {plan}"
    );
    follow(c, Locator::Css(".case-link a")).await;
    axe.check("case page with history (it)", c).await;

    axe.assert_clean();
}
