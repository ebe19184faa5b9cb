//! `spawn_app` and friends: a real application on port 0 over a fresh temp data dir, a manual clock,
//! cookie-keeping clients that do not follow redirects, and users per role.

use std::sync::Arc;

use exit_factors::clock::ManualClock;
use exit_factors::configuration::Settings;
use exit_factors::domain::two_step::TotpSecret;
use exit_factors::domain::{Password, Role, Username};
use exit_factors::startup::Application;
use exit_factors::store::Store;
use reqwest::{Client, Response, StatusCode};
use scraper::{Html, Selector};
use tempfile::TempDir;

use crate::form::Form;

/// How long a test client keeps an idle connection: well under the server's keep-alive (5 s), so
/// that a request never goes out on a connection the server is closing.
const IDLE: std::time::Duration = std::time::Duration::from_secs(2);

/// The password every test user gets unless a test says otherwise.
pub const PASSWORD: &str = "a long enough test password";

/// A running application.
pub struct TestApp {
    pub address: String,
    pub state: actix_web::web::Data<exit_factors::state::AppState>,
    pub clock: Arc<ManualClock>,
    pub store: Store,
    pub setup_url: Option<String>,
    pub _data_dir: TestDir,
    /// The authenticator apps test users set up, by username.
    pub authenticators: std::sync::Mutex<std::collections::HashMap<String, Authenticator>>,
}

/// An authenticator app as a test user set it up: the secret read from the page, the last step
/// a code was used for, and the recovery codes shown once.
#[derive(Debug, Clone)]
pub struct Authenticator {
    pub secret: TotpSecret,
    pub last_step: i64,
    pub recovery: Vec<String>,
}

/// A user created for a test.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub username: String,
    pub password: String,
}

/// Starts the application with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application after `configure` has adjusted its settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        exit_factors::telemetry::init();
    }
    let data_dir = TestDir::new();
    let clock = Arc::new(ManualClock::default());
    let mut settings = Settings::new("127.0.0.1:0", data_dir.path());
    settings.clock = clock.clone();
    configure(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let store = app.store().clone();
    let state = app.state();
    let setup_url = app.setup_url();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        address,
        state,
        clock,
        store,
        setup_url,
        _data_dir: data_dir,
        authenticators: Default::default(),
    }
}

impl TestApp {
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(IDLE)
            .build()
            .expect("client")
    }

    /// A client with no cookie jar, for replaying a cookie by hand.
    pub fn bare_client(&self) -> Client {
        Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(IDLE)
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Creates an account directly in the store.
    pub async fn create_user(&self, username: &str, role: Role) -> TestUser {
        let password = Password::parse(PASSWORD.to_owned()).unwrap();
        let hash = exit_factors::auth::password::hash_blocking(&password).unwrap();
        self.store
            .create_user(
                Username::parse(username).unwrap(),
                role,
                hash,
                self.clock_now(),
                |user| {
                    exit_factors::domain::AuditEvent::new(
                        time::OffsetDateTime::now_utc(),
                        None,
                        exit_factors::domain::AuditAction::UserCreated,
                        exit_factors::domain::Outcome::Success,
                    )
                    .on(user.id.to_string())
                },
            )
            .await
            .unwrap();
        TestUser {
            username: username.to_owned(),
            password: PASSWORD.to_owned(),
        }
    }

    /// The id of an account.
    pub fn user_id(&self, username: &str) -> exit_factors::domain::UserId {
        let name = Username::parse(username).unwrap();
        self.store
            .user_by_username(&name)
            .unwrap()
            .expect("user exists")
            .id
    }

    pub fn clock_now(&self) -> time::OffsetDateTime {
        use exit_factors::clock::Clock;
        self.clock.now()
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    /// Posts a form as it is, without adding a CSRF token.
    pub async fn post_raw(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Loads `form_page`, fills the form on it that posts to `path` with `fields` (each name must
    /// be a field of that form, each answer one it offers), and submits it as a browser would.
    pub async fn post_form(
        &self,
        client: &Client,
        form_page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        self.fill_and_submit(client, form_page, path, fields, None)
            .await
    }

    /// `post_form`, pressing the submit button `pressed` (name, value).
    pub async fn fill_and_submit(
        &self,
        client: &Client,
        form_page: &str,
        path: &str,
        fields: &[(&str, &str)],
        pressed: Option<(&str, &str)>,
    ) -> Response {
        let mut form = self.form(client, form_page, path).await;
        for (name, value) in fields {
            form.set(name, value);
        }
        form.submit(client, &self.address, pressed).await
    }

    /// A request no rendered form makes (an attacker's, or a stale page's): `fields` plus the
    /// session's CSRF token, taken from `token_page`, posted to `path`.
    pub async fn post_forged(
        &self,
        client: &Client,
        token_page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let token = self.csrf_token(client, token_page).await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_raw(client, path, &all).await
    }

    /// The form on `page` that posts to `action`, as rendered now.
    pub async fn form(&self, client: &Client, page: &str, action: &str) -> Form {
        let res = self.get(client, page).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {page} for its form");
        let html = res.text().await.unwrap();
        let page_path = page.split('?').next().unwrap_or(page);
        Form::posting_to(&html, page_path, action)
    }

    /// The CSRF token of the first form on a page.
    pub async fn csrf_token(&self, client: &Client, page: &str) -> String {
        let res = self.get(client, page).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {page} for its form");
        let html = res.text().await.unwrap();
        select_attr(&html, "input[name=csrf]", "value").expect("a csrf field")
    }

    /// Signs `user` in on `client` and returns the response to the form post. Where the account
    /// has an authenticator app this test set up, the code step is passed too and its response
    /// returned; where it must set one up, it is set up through the pages (and the password's
    /// response, pointing there, returned).
    pub async fn sign_in_as(&self, client: &Client, username: &str, password: &str) -> Response {
        let res = self.sign_in_password(client, username, password).await;
        let to = location(&res);
        if to.starts_with("/sign-in/code") && self.authenticator(username).is_some() {
            let code = self.fresh_code(username);
            return self
                .post_form(client, &to, "/sign-in/code", &[("code", &code)])
                .await;
        }
        if to == "/account/two-step" {
            self.enrol(client, username).await;
        }
        res
    }

    /// Only the password step of a sign-in.
    pub async fn sign_in_password(
        &self,
        client: &Client,
        username: &str,
        password: &str,
    ) -> Response {
        self.post_form(
            client,
            "/sign-in",
            "/sign-in",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// The authenticator `username` set up in this test, if any.
    pub fn authenticator(&self, username: &str) -> Option<Authenticator> {
        self.authenticators.lock().unwrap().get(username).cloned()
    }

    /// A code of `username`'s app for a step no code was used for yet: the clock moves on to
    /// the next 30-second window when this one's code was used, as a person would wait for it.
    pub fn fresh_code(&self, username: &str) -> String {
        let mut apps = self.authenticators.lock().unwrap();
        let app = apps.get_mut(username).expect("an authenticator set up");
        let step = self.clock_now().unix_timestamp() / 30;
        if step <= app.last_step {
            self.clock
                .advance(time::Duration::seconds((app.last_step + 1 - step) * 30));
        }
        let now = self.clock_now();
        app.last_step = now.unix_timestamp() / 30;
        app.secret.code_at(now).unwrap()
    }

    /// Sets up an authenticator app for the account signed in on `client`, through the Account
    /// pages as a person would (the secret read from the page's text), and keeps it.
    pub async fn enrol(&self, client: &Client, username: &str) -> Authenticator {
        let res = self
            .post_form(client, "/account/two-step", "/account/two-step/start", &[])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "start setting up");
        let html = self
            .get(client, "/account/two-step")
            .await
            .text()
            .await
            .unwrap();
        let text = select_text(&html, ".secret-text code")
            .pop()
            .expect("the secret as text");
        let secret = TotpSecret::from_base32(&text).expect("a base32 secret");
        let now = self.clock_now();
        let code = secret.code_at(now).unwrap();
        let res = self
            .post_form(
                client,
                "/account/two-step",
                "/account/two-step/confirm",
                &[("code", &code)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "confirm the app");
        let recovery = select_text(&res.text().await.unwrap(), ".recovery-codes code");
        assert_eq!(recovery.len(), 10, "ten recovery codes");
        let app = Authenticator {
            secret,
            last_step: now.unix_timestamp() / 30,
            recovery,
        };
        self.authenticators
            .lock()
            .unwrap()
            .insert(username.to_owned(), app.clone());
        app
    }

    /// A new user of `role` and a client signed in as them.
    pub async fn signed_in(&self, username: &str, role: Role) -> (Client, TestUser) {
        let user = self.create_user(username, role).await;
        let client = self.client();
        let res = self
            .sign_in_as(&client, &user.username, &user.password)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        (client, user)
    }

    /// The whole audit log, newest first, read from the store once everything deferred (page
    /// views, refusals by signed-in users) is written.
    pub async fn audit(&self) -> Vec<exit_factors::domain::AuditEvent> {
        self.store.write_pending().await.unwrap();
        self.store
            .audit_page(None, 10_000)
            .unwrap()
            .entries
            .into_iter()
            .map(|(_, e)| e)
            .collect()
    }

    /// Writes the summary of refused anonymous requests now, as the minute timer would.
    pub async fn summarise_refusals(&self) {
        for event in self.state.refusal_summaries() {
            self.store.audit_later(event);
        }
        self.store.write_pending().await.unwrap();
    }
}

/// A browser-like client (cookies kept, redirects not followed) whose every request carries
/// `header: value`.
pub fn client_sending(header: &str, value: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::HeaderName::from_bytes(header.as_bytes()).unwrap(),
        reqwest::header::HeaderValue::from_str(value).unwrap(),
    );
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(IDLE)
        .default_headers(headers)
        .build()
        .expect("client")
}

/// The value of a `Set-Cookie` for `name` in a response.
pub fn set_cookie_value(res: &Response, name: &str) -> Option<String> {
    res.cookies()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The text of every element matching `selector`.
pub fn select_text(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .map(|e| {
            // Values inserted into translated messages are wrapped in Unicode isolation marks,
            // invisible on screen: compare text as people read it.
            e.text()
                .collect::<String>()
                .replace(['\u{2068}', '\u{2069}'], "")
                .trim()
                .to_owned()
        })
        .collect()
}

/// An attribute of the first element matching `selector`.
pub fn select_attr(html: &str, selector: &str, attr: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(attr))
        .map(str::to_owned)
}

/// The attribute `attr` of every element matching `selector`, in page order.
pub fn select_attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr))
        .map(str::to_owned)
        .collect()
}

/// Where a redirect points.
pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The `exit-factors` binary as a child process.
pub fn binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_exit-factors"));
    cmd.env_remove("EXIT_FACTORS_ADDR")
        .env_remove("EXIT_FACTORS_DATA_DIR")
        .env("RUST_LOG", "warn");
    cmd
}

/// Runs `exit-factors user add`, feeding `password` on stdin.
pub fn cli_add_user(
    data_dir: &std::path::Path,
    username: &str,
    role: &str,
    password: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = binary()
        .args([
            "user",
            "add",
            "--username",
            username,
            "--role",
            role,
            "--data-dir",
        ])
        .arg(data_dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The process may exit before reading (a usage error): a broken pipe here is fine.
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes());
    child.wait_with_output().unwrap()
}

/// The passphrase test backups are made with.
pub const BACKUP_PASSPHRASE: &str = "a long backup passphrase";

/// Daily backups into `dir` with `BACKUP_PASSPHRASE`, keeping `keep`.
pub fn backups_into(
    dir: std::path::PathBuf,
    keep: usize,
) -> exit_factors::backup::service::BackupConfig {
    exit_factors::backup::service::BackupConfig {
        dir,
        every: std::time::Duration::from_secs(86_400),
        keep,
        key: exit_factors::backup::SealKey::Passphrase(BACKUP_PASSPHRASE.to_owned().into()),
    }
}

/// A temporary place for a data directory (`path()`, not created yet) and, beside it, the master
/// key a first start creates there: both go when it is dropped.
pub struct TestDir {
    root: TempDir,
    data: std::path::PathBuf,
}

impl TestDir {
    pub fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        Self { root, data }
    }

    /// The data directory.
    pub fn path(&self) -> &std::path::Path {
        &self.data
    }

    /// The master key file a first start makes for it.
    pub fn key_file(&self) -> std::path::PathBuf {
        exit_factors::store::vault::default_key_file(&self.data)
    }

    /// The master key, read from its file.
    pub fn key(&self) -> exit_factors::store::vault::MasterKey {
        exit_factors::store::vault::MasterKey::read(&self.key_file()).unwrap()
    }

    /// The directory holding both.
    pub fn root(&self) -> &std::path::Path {
        self.root.path()
    }
}

/// A fresh data directory holding one operator, `olga` (password `PASSWORD`), and a server
/// started over it as a child process.
pub fn server_with_operator() -> (TestDir, ServerProcess) {
    let dir = TestDir::new();
    let added = cli_add_user(dir.path(), "olga", "operator", PASSWORD);
    assert!(added.status.success(), "user add: {added:?}");
    let server = ServerProcess::start(dir.path());
    (dir, server)
}

/// A server started as a child process; killed with SIGKILL when dropped.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub url: String,
    pub setup_line: Option<String>,
}

impl ServerProcess {
    /// Starts `exit-factors serve` on a free port over `data_dir` and waits until it listens.
    pub fn start(data_dir: &std::path::Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// `start`, with more arguments for `serve`.
    pub fn start_with(data_dir: &std::path::Path, more: &[&std::ffi::OsStr]) -> Self {
        use std::io::BufRead;
        let mut child = binary()
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(more)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        let url = first
            .trim()
            .rsplit(' ')
            .next()
            .filter(|u| u.starts_with("http://"))
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
            .trim_end_matches('/')
            .to_owned();
        let mut second = String::new();
        // Only an empty store prints a second line; the rest of stdout stays unread.
        let setup_line = if first.contains("running") {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = out.read_line(&mut second);
                let _ = tx.send(second);
            });
            rx.recv_timeout(std::time::Duration::from_millis(500))
                .ok()
                .filter(|l| !l.is_empty())
        } else {
            None
        };
        Self {
            child,
            url,
            setup_line,
        }
    }

    /// Freezes the process (SIGSTOP): nothing it has not written yet gets written.
    pub fn stop(&self) {
        let status = std::process::Command::new("kill")
            .args(["-STOP", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Kills the process with SIGKILL, as a crash would.
    pub fn kill_hard(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The attributes of a typical new case, as form fields.
pub const CASE_FIELDS: [(&str, &str); 7] = [
    ("age_band", "18_24"),
    ("gender", "woman"),
    ("region", "west_africa"),
    ("site", "street"),
    ("route", "transnational"),
    ("programme_start", "2024-03"),
    ("consent", "yes"),
];

/// Cases written straight to the store, each with its assessments.
pub type SyntheticCases = Vec<(
    exit_factors::domain::Case,
    Vec<exit_factors::domain::assessment::Assessment>,
)>;

impl TestApp {
    /// `n` synthetic cases (the demo generator, seeded) owned by `owner`, written straight to the
    /// store with fresh assessment ids; reviewed by `reviewer` when given, else waiting for review.
    pub async fn insert_synthetic_cases(
        &self,
        n: usize,
        seed: u64,
        owner: &str,
        reviewer: Option<&str>,
    ) -> SyntheticCases {
        let instrument = exit_factors::instrument::Instrument::bundled().unwrap();
        self.insert_synthetic_cases_with(&instrument, n, seed, owner, reviewer)
            .await
    }

    /// `insert_synthetic_cases` with assessments made on the checklist version `instrument`.
    pub async fn insert_synthetic_cases_with(
        &self,
        instrument: &exit_factors::instrument::Instrument,
        n: usize,
        seed: u64,
        owner: &str,
        reviewer: Option<&str>,
    ) -> SyntheticCases {
        let data = exit_factors::demo::generate(
            instrument,
            n,
            seed,
            time::OffsetDateTime::now_utc(),
            &[self.user_id(owner)],
            reviewer.map(|r| self.user_id(r)),
        )
        .unwrap();
        let mut stored = Vec::new();
        for (case, assessments) in data {
            let created = exit_factors::domain::AuditEvent::new(
                time::OffsetDateTime::now_utc(),
                Some(case.created_by),
                exit_factors::domain::AuditAction::CaseCreated,
                exit_factors::domain::Outcome::Success,
            );
            self.store.create_case(&case, created).await.unwrap();
            let mut kept = Vec::new();
            for a in assessments {
                let id = self.store.new_assessment_id().unwrap();
                let author = a.created_by();
                let a = a.imported(id, case.code.clone(), author);
                self.store.insert_assessment(&a).await.unwrap();
                kept.push(a);
            }
            stored.push((case, kept));
        }
        stored
    }

    /// Marks an assessment reviewed as `reviewer` (a supervisor), through its page's form.
    pub async fn mark_reviewed(&self, reviewer: &Client, assessment: &str) -> Response {
        let page = format!("/assessments/{assessment}");
        let html = self.get(reviewer, &page).await.text().await.unwrap();
        let version = select_attr(
            &html,
            "form[action$='/decision'] input[name=version]",
            "value",
        )
        .unwrap();
        self.post_form(
            reviewer,
            &page,
            &format!("{page}/decision"),
            &[
                ("decision", "reviewed"),
                ("comment", ""),
                ("version", &version),
            ],
        )
        .await
    }

    /// Creates a case through the form and returns its code (URL form).
    pub async fn new_case(&self, client: &Client) -> String {
        let res = self
            .post_form(client, "/cases/new", "/cases", &CASE_FIELDS)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "case created");
        location(&res).trim_start_matches("/cases/").to_owned()
    }

    /// Starts an assessment on a case, or opens its draft as the case page offers, and returns
    /// its id.
    pub async fn start_assessment(&self, client: &Client, case: &str) -> String {
        let path = format!("/cases/{case}");
        let html = self.get(client, &path).await.text().await.unwrap();
        let start = format!("{path}/assessments");
        let forms = Form::all_from_html(&html, &path);
        let loc = match forms.iter().find(|f| f.action == start) {
            Some(form) => {
                let res = form.submit(client, &self.address, None).await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "assessment started");
                location(&res)
            }
            None => select_attr(&html, "a[href^='/assessments/']", "href")
                .expect("a start button or a link to the draft"),
        };
        loc.trim_start_matches("/assessments/")
            .split('/')
            .next()
            .unwrap()
            .to_owned()
    }

    /// Loads a step page, fills its form with `fields` and presses "Save and continue"
    /// (`action` = `continue`) or "Save draft" (`draft`).
    pub async fn save_step(
        &self,
        client: &Client,
        assessment: &str,
        step: &str,
        fields: &[(&str, &str)],
        action: &str,
    ) -> Response {
        let path = format!("/assessments/{assessment}/{step}");
        self.fill_and_submit(client, &path, &path, fields, Some(("action", action)))
            .await
    }

    /// Loads the submit page and presses "Submit assessment".
    pub async fn submit(&self, client: &Client, assessment: &str) -> Response {
        let path = format!("/assessments/{assessment}/submit");
        self.post_form(client, &path, &path, &[]).await
    }

    /// Goes through every step with the given ratings (factor id, value) and submits.
    pub async fn complete_assessment(
        &self,
        client: &Client,
        case: &str,
        date: &str,
        stage: &str,
        reentry: &str,
        ratings: &[(&str, &str)],
    ) -> String {
        let id = self.start_assessment(client, case).await;
        let res = self
            .save_step(
                client,
                &id,
                "context",
                &[
                    ("date", date),
                    ("stage", stage),
                    ("reentry", reentry),
                    ("setting", "shelter"),
                ],
                "continue",
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "context saved");
        for level in ["individual", "relational", "structural"] {
            let prefix = &level[..3];
            let fields: Vec<(String, String)> = ratings
                .iter()
                .filter(|(f, _)| f.starts_with(prefix))
                .map(|(f, v)| {
                    (
                        format!(
                            "{f}.{}",
                            if v.starts_with("dir:") {
                                "direction"
                            } else {
                                "rating"
                            }
                        ),
                        v.trim_start_matches("dir:").to_owned(),
                    )
                })
                .collect();
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let res = self.save_step(client, &id, level, &refs, "continue").await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{level} saved");
        }
        let res = self.save_step(client, &id, "review", &[], "continue").await;
        assert_eq!(location(&res), format!("/assessments/{id}/submit"));
        let res = self.submit(client, &id).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "submitted");
        id
    }
}

/// A cookie-keeping client for a server started as a child process.
pub fn remote_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(IDLE)
        .build()
        .unwrap()
}

/// The CSRF token of the form at `url`.
pub async fn remote_csrf(client: &Client, url: &str) -> String {
    let html = remote_html(client, url).await;
    select_attr(&html, "input[name=csrf]", "value").expect("csrf field")
}

/// The body of the page at `url` (a server started as a child process).
pub async fn remote_html(client: &Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// Signs in on a server at `base` and returns the status of the form post.
pub async fn remote_sign_in(
    client: &Client,
    base: &str,
    username: &str,
    password: &str,
) -> StatusCode {
    let token = remote_csrf(client, &format!("{base}/sign-in")).await;
    client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("username", username),
            ("password", password),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

/// Sets up an authenticator app for the account signed in on `client` at `base` (a server on
/// the real clock), through the pages; returns its secret.
pub async fn remote_enrol(client: &Client, base: &str) -> TotpSecret {
    let page = format!("{base}/account/two-step");
    let token = remote_csrf(client, &page).await;
    let res = client
        .post(format!("{base}/account/two-step/start"))
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "start setting up");
    let html = remote_html(client, &page).await;
    let text = select_text(&html, ".secret-text code")
        .pop()
        .expect("secret");
    let secret = TotpSecret::from_base32(&text).expect("base32");
    let code = secret.code_at(time::OffsetDateTime::now_utc()).unwrap();
    let token = select_attr(&html, "input[name=csrf]", "value").unwrap();
    let res = client
        .post(format!("{base}/account/two-step/confirm"))
        .form(&[("code", code.as_str()), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "confirm the app");
    secret
}
