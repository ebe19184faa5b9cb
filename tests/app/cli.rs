//! The command line: clear one-line errors with a non-zero exit, `user add`, and the data dir lock.

use std::process::Output;

use crate::helpers::{PASSWORD, ServerProcess, TestDir, binary, cli_add_user};

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_one_line_error(out: &Output, code: i32, expected: &str) {
    let err = stderr_of(out);
    assert_eq!(out.status.code(), Some(code), "exit code; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    assert!(
        err.contains(expected),
        "{err:?} should mention {expected:?}"
    );
}

#[test]
fn an_unknown_flag_is_a_one_line_usage_error() {
    let out = binary().args(["serve", "--port", "9"]).output().unwrap();
    assert_one_line_error(&out, 2, "unexpected argument '--port'");
}

#[test]
fn an_unknown_role_is_a_one_line_usage_error() {
    let dir = TestDir::new();
    let out = cli_add_user(dir.path(), "anna", "boss", PASSWORD);
    assert_one_line_error(&out, 2, "operator, supervisor or admin");
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_a_duplicate() {
    let dir = TestDir::new();
    let out = cli_add_user(dir.path(), "anna", "supervisor", PASSWORD);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        stdout.trim().lines().last(),
        Some("created supervisor anna")
    );
    // The first command on a new directory made its master key, beside it, and said where.
    assert!(
        stdout.contains(&format!(
            "new master key was written to {}",
            dir.key_file().display()
        )) && stdout.contains("Keep a copy apart from the data directory"),
        "{stdout}"
    );
    assert!(dir.key_file().exists() && !dir.path().join("data.key").exists());
    let again = cli_add_user(dir.path(), "Anna", "operator", PASSWORD);
    assert_one_line_error(&again, 1, "already taken");
    assert!(
        !String::from_utf8_lossy(&again.stdout).contains("master key"),
        "a key is made once"
    );
}

#[test]
fn user_add_refuses_a_short_password_and_stores_nothing() {
    let dir = TestDir::new();
    let out = cli_add_user(dir.path(), "anna", "admin", "short");
    assert_one_line_error(&out, 1, "at least 12 characters");
    let ok = cli_add_user(dir.path(), "anna", "admin", PASSWORD);
    assert!(
        ok.status.success(),
        "the name is still free: {}",
        stderr_of(&ok)
    );
}

#[test]
fn a_data_dir_that_is_a_file_is_reported_clearly() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = cli_add_user(file.path(), "anna", "admin", PASSWORD);
    assert_one_line_error(&out, 1, "the data directory cannot be opened");
    let serve = binary()
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(file.path())
        .output()
        .unwrap();
    assert_one_line_error(&serve, 1, "the data directory cannot be opened");
}

#[test]
fn a_data_dir_held_by_a_running_server_is_reported_clearly() {
    let dir = TestDir::new();
    let server = ServerProcess::start(dir.path());
    let out = cli_add_user(dir.path(), "anna", "admin", PASSWORD);
    assert_one_line_error(&out, 1, "the data directory is in use by a running server");
    let second = binary()
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_one_line_error(
        &second,
        1,
        "the data directory is in use by a running server",
    );
    drop(server);
}

#[test]
fn an_address_in_use_is_reported_clearly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let dir = TestDir::new();
    let out = binary()
        .args(["serve", "--addr", &addr, "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_one_line_error(&out, 1, &format!("cannot listen on {addr}"));
}

#[test]
fn environment_variables_configure_serve_and_flags_win() {
    let dir = TestDir::new();
    let file = tempfile::NamedTempFile::new().unwrap();
    // The env points at an unusable dir; the flag points at a good one and must win.
    let mut child = binary()
        .env("EXIT_FACTORS_DATA_DIR", file.path())
        .env("EXIT_FACTORS_ADDR", "127.0.0.1:0")
        .args(["--data-dir"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        line.starts_with("exit-factors is running: open http://127.0.0.1:"),
        "{line:?}"
    );

    let env_only = binary()
        .env("EXIT_FACTORS_DATA_DIR", file.path())
        .args(["serve"])
        .output()
        .unwrap();
    assert_one_line_error(&env_only, 1, "the data directory cannot be opened");
}

#[test]
fn user_add_refuses_a_guessable_password_or_one_holding_the_username() {
    let dir = TestDir::new();
    let out = cli_add_user(dir.path(), "anna", "admin", "password1234");
    assert_one_line_error(&out, 1, "too easy to guess");
    let out = cli_add_user(dir.path(), "anna", "admin", "anna from the office 7");
    assert_one_line_error(&out, 1, "username");
}

#[test]
fn a_trusted_proxy_that_is_not_an_address_is_a_usage_error() {
    let out = binary()
        .args(["serve", "--trusted-proxy", "10.0.0.1,proxy.example"])
        .output()
        .unwrap();
    assert_one_line_error(&out, 2, "neither an IP address nor a CIDR range");
    let out = binary()
        .args(["serve"])
        .env("EXIT_FACTORS_TRUSTED_PROXY", "10.0.0.0/33")
        .output()
        .unwrap();
    assert_one_line_error(&out, 2, "neither an IP address nor a CIDR range");
}

#[actix_web::test]
async fn a_page_cache_out_of_range_is_a_usage_error_and_one_in_range_serves() {
    let out = binary()
        .args(["serve", "--cache-mb", "2"])
        .output()
        .unwrap();
    assert_one_line_error(&out, 2, "not in 8..=65536");
    let out = binary()
        .args(["serve"])
        .env("EXIT_FACTORS_CACHE_MB", "a lot")
        .output()
        .unwrap();
    assert_one_line_error(&out, 2, "invalid digit");
    // The smallest cache still opens the store and serves it.
    let dir = TestDir::new();
    let server = ServerProcess::start_with(dir.path(), &["--cache-mb".as_ref(), "8".as_ref()]);
    let health = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
}

#[actix_web::test]
async fn the_command_line_resets_the_two_step_sign_in_of_an_admin_who_lost_the_phone() {
    use crate::helpers::{remote_client, remote_enrol, remote_sign_in};
    let dir = TestDir::new();
    assert!(
        cli_add_user(dir.path(), "ada", "admin", PASSWORD)
            .status
            .success()
    );
    let server = ServerProcess::start(dir.path());
    let admin = remote_client();
    remote_sign_in(&admin, &server.url, "ada", PASSWORD).await;
    remote_enrol(&admin, &server.url).await;
    drop(server);

    let out = binary()
        .args(["user", "reset-two-step", "--username", "ada", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("reset two-step sign-in of ada"));

    // The next sign-in takes the password alone to setting up a new app.
    let server = ServerProcess::start(dir.path());
    let client = remote_client();
    let token = crate::helpers::remote_csrf(&client, &format!("{}/sign-in", server.url)).await;
    let res = client
        .post(format!("{}/sign-in", server.url))
        .form(&[
            ("username", "ada"),
            ("password", PASSWORD),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("location").unwrap(), "/account/two-step");
    drop(server);
    let store = exit_factors::store::Store::open(dir.path(), &dir.key()).unwrap();
    assert!(
        store
            .audit_page(None, 100)
            .unwrap()
            .entries
            .iter()
            .any(|(_, e)| e.action == exit_factors::domain::AuditAction::TwoStepReset)
    );
}

/// `compact` rewrites the data directory into a compact copy: never under a running server, and
/// afterwards the server starts on it with everything there (sessions excepted).
#[actix_web::test]
async fn compact_waits_for_the_server_to_stop_then_the_store_serves_as_before() {
    let dir = TestDir::new();
    assert!(
        cli_add_user(dir.path(), "anna", "admin", PASSWORD)
            .status
            .success()
    );
    let compact = || {
        binary()
            .args(["compact", "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let sibling = |suffix: &str| {
        let mut name = dir.path().file_name().unwrap().to_os_string();
        name.push(suffix);
        dir.path().with_file_name(name)
    };

    let server = ServerProcess::start(dir.path());
    assert_one_line_error(
        &compact(),
        1,
        "the data directory is in use by a running server",
    );
    assert!(!sibling(".compacting").exists() && !sibling(".before-compact").exists());
    drop(server);

    let out = compact();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("compacted "));
    assert!(!sibling(".compacting").exists() && !sibling(".before-compact").exists());
    let server = ServerProcess::start(dir.path());
    let client = crate::helpers::remote_client();
    assert_eq!(
        crate::helpers::remote_sign_in(&client, &server.url, "anna", PASSWORD).await,
        reqwest::StatusCode::SEE_OTHER
    );
}
