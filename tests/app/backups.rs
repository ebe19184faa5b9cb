//! Backups and restores: the admin page and its downloads, the command line, refusals of a bad key
//! or a damaged file, and a restore drill with writers running during the backup.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use exit_factors::backup::{self, OpenKey};
use exit_factors::domain::{AuditAction, Role};
use exit_factors::store::Store;
use reqwest::StatusCode;

use crate::helpers::{
    ServerProcess, binary, remote_client, remote_sign_in, select_text, spawn_app, spawn_app_with,
};

use crate::helpers::BACKUP_PASSPHRASE as PASSPHRASE;

fn passphrase_file(dir: &Path) -> PathBuf {
    let path = dir.join("passphrase.txt");
    std::fs::write(&path, format!("{PASSPHRASE}\n")).unwrap();
    path
}

fn key() -> OpenKey {
    OpenKey::Passphrase(PASSPHRASE.to_owned().into())
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&OsStr]) -> (Option<i32>, String, String) {
    let out = binary().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os(s: &(impl AsRef<OsStr> + ?Sized)) -> &OsStr {
    s.as_ref()
}

fn args(v: &[std::ffi::OsString]) -> Vec<&OsStr> {
    v.iter().map(|a| a.as_os_str()).collect()
}

/// Asserts a refusal: exit 1, one line on stderr saying `says`, and `target` not created.
fn assert_refused(args: &[&OsStr], says: &str, target: &Path) {
    let (code, _, stderr) = run(args);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(says), "{stderr}");
    assert!(!target.exists(), "nothing written: {stderr}");
}

#[actix_web::test]
async fn the_backups_page_makes_lists_and_serves_encrypted_backups_for_admins_only() {
    let backups = tempfile::tempdir().unwrap();
    let dir = backups.path().to_owned();
    let app = spawn_app_with(move |s| s.backup = Some(crate::helpers::backups_into(dir, 3))).await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    app.new_case(&operator).await;

    let html = app
        .get(&admin, "/admin/backups")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&html, ".backup-outcome"),
        ["No backup was attempted since the server started."]
    );
    let made = app
        .fill_and_submit(&admin, "/admin/backups", "/admin/backups", &[], None)
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let html = app
        .get(&admin, &crate::helpers::location(&made))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(select_text(&html, ".notice"), ["The backup was made."]);
    assert!(select_text(&html, ".backup-ok")[0].starts_with("Made "));
    let link = crate::helpers::select_attr(&html, "table.backups a", "href").unwrap();

    let download = app.get(&admin, &link).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let bytes = download.bytes().await.unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "encrypted");
    let copy = backups.path().join("downloaded.age");
    std::fs::write(&copy, &bytes).unwrap();
    let header = backup::verify(&copy, &key()).unwrap();
    let cases = header.trees.iter().find(|t| t.name == "cases").unwrap();
    assert_eq!(cases.records, 1);

    assert_eq!(
        app.get(&operator, "/admin/backups").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&operator, &link).await.status(),
        StatusCode::FORBIDDEN
    );
    for probe in [
        "/admin/backups/notes.txt",
        "/admin/backups/..%2Fpassphrase.txt",
    ] {
        assert_eq!(
            app.get(&admin, probe).await.status(),
            StatusCode::NOT_FOUND,
            "{probe}"
        );
    }
    let audit = app.audit().await;
    let admin_id = app.user_id("ada");
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::BackupMade && e.actor == Some(admin_id))
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::BackupDownloaded)
    );
}

#[actix_web::test]
async fn without_a_backup_directory_the_page_says_how_to_set_backups_up() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let html = app
        .get(&admin, "/admin/backups")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Backups are not set up on this server"));
    let res = app
        .post_forged(&admin, "/admin/backups", "/admin/backups", &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The master key a first start (or a restore) made beside `data`.
fn key_of(data: &std::path::Path) -> exit_factors::store::vault::MasterKey {
    use exit_factors::store::vault::{MasterKey, default_key_file};
    MasterKey::read(&default_key_file(data)).unwrap()
}

#[test]
fn the_command_line_backs_up_verifies_and_restores_and_refuses_what_it_cannot_trust() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let pass = passphrase_file(dir.path());
    let (code, _, stderr) = run(&[
        os("demo"),
        os("--cases"),
        os("6"),
        os("--data-dir"),
        os(&data),
    ]);
    assert_eq!(code, Some(0), "{stderr}");

    let file = dir.path().join("b.age");
    let (code, out, stderr) = run(&[
        os("backup"),
        os("--data-dir"),
        os(&data),
        os("--out"),
        os(&file),
        os("--passphrase-file"),
        os(&pass),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.starts_with("backup written: "), "{out}");

    let (code, out, stderr) = run(&[
        os("backup"),
        os("verify"),
        os(&file),
        os("--passphrase-file"),
        os(&pass),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("complete and intact"), "{out}");
    assert!(out.contains("assessments"), "{out}");

    let restored = dir.path().join("restored");
    let (code, out, stderr) = run(&[
        os("restore"),
        os(&file),
        os("--data-dir"),
        os(&restored),
        os("--passphrase-file"),
        os(&pass),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("restored into"), "{out}");
    let original = Store::open(&data, &key_of(&data)).unwrap();
    let copy = Store::open(&restored, &key_of(&restored)).unwrap();
    assert_eq!(copy.manifest().unwrap(), original.manifest().unwrap());
    assert_eq!(
        copy.all_assessments().unwrap(),
        original.all_assessments().unwrap()
    );
    drop((original, copy));

    // Each refusal: one line, exit 1, no directory created.
    let target = dir.path().join("never");
    let restore = |file: &Path, pass: &Path| {
        vec![
            os("restore").to_owned(),
            file.as_os_str().to_owned(),
            os("--data-dir").to_owned(),
            target.as_os_str().to_owned(),
            os("--passphrase-file").to_owned(),
            pass.as_os_str().to_owned(),
        ]
    };
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, "not the right passphrase\n").unwrap();
    assert_refused(
        &args(&restore(&file, &wrong)),
        "does not open this backup",
        &target,
    );
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.age");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    assert_refused(
        &args(&restore(&cut, &pass)),
        "damaged or incomplete",
        &target,
    );
    let flipped = dir.path().join("flipped.age");
    let mut altered = bytes.clone();
    let at = altered.len() * 3 / 4;
    altered[at] ^= 0x20;
    std::fs::write(&flipped, &altered).unwrap();
    assert_refused(
        &args(&restore(&flipped, &pass)),
        "damaged or incomplete",
        &target,
    );
    let future = dir.path().join("future.age");
    rewrite_schema(&file, &future, 99);
    assert_refused(
        &args(&restore(&future, &pass)),
        "holds schema version 99, newer than this program reads",
        &target,
    );
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("something"), b"x").unwrap();
    let (code, _, stderr) = run(&args(&restore(&file, &pass)));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&target).unwrap().count(),
        1,
        "left as it was"
    );

    // Backups are always encrypted; a running server's directory is backed up by the server.
    let (code, _, stderr) = run(&[
        os("backup"),
        os("--data-dir"),
        os(&data),
        os("--out"),
        os(&dir.path().join("plain.age")),
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("always encrypted"), "{stderr}");
    let server = ServerProcess::start(&data);
    let (code, _, stderr) = run(&[
        os("backup"),
        os("--data-dir"),
        os(&data),
        os("--out"),
        os(&dir.path().join("live.age")),
        os("--passphrase-file"),
        os(&pass),
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("in use by a running server"), "{stderr}");
    drop(server);
}

/// Writes `to`: `from` with its header claiming schema `schema` (a backup from a newer build).
fn rewrite_schema(from: &Path, to: &Path, schema: u32) {
    let passphrase: age::secrecy::SecretString = PASSPHRASE.to_owned().into();
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let decryptor = age::Decryptor::new(std::fs::File::open(from).unwrap()).unwrap();
    let reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap();
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(reader)
        .read_to_end(&mut plain)
        .unwrap();
    let header_start = plain.iter().position(|b| *b == b'\n').unwrap() + 1;
    let header_end = header_start
        + plain[header_start..]
            .iter()
            .position(|b| *b == b'\n')
            .unwrap();
    let mut header: serde_json::Value =
        serde_json::from_slice(&plain[header_start..header_end]).unwrap();
    header["schema"] = schema.into();
    let mut changed = plain[..header_start].to_vec();
    changed.extend(serde_json::to_vec(&header).unwrap());
    changed.extend(&plain[header_end..]);
    let writer = age::Encryptor::with_user_passphrase(passphrase)
        .wrap_output(std::fs::File::create(to).unwrap())
        .unwrap();
    let mut gz = flate2::write::GzEncoder::new(writer, flate2::Compression::fast());
    gz.write_all(&changed).unwrap();
    gz.finish().unwrap().finish().unwrap();
}

/// A page as it reads, without the per-session form tokens and the time of the latest view in
/// "Seen by" (reading the page moves it).
fn readable(html: &str) -> String {
    let token = regex::Regex::new(r#"name="csrf" value="[0-9a-f]+""#).unwrap();
    // The time is an inserted value: isolation marks around it.
    let seen =
        regex::Regex::new(r#", last \x{2068}?\d{4}-\d\d-\d\d \d\d:\d\d UTC\x{2069}?"#).unwrap();
    let html = token.replace_all(html, r#"name="csrf" value="""#);
    seen.replace_all(&html, ", last (time)").into_owned()
}

#[test]
fn pages_compare_without_the_time_of_the_latest_view() {
    let at =
        |t: &str| format!("<li>\u{2068}sam\u{2069}, last \u{2068}2026-11-30 {t} UTC\u{2069}</li>");
    assert_eq!(readable(&at("12:57")), readable(&at("12:58")));
    assert_ne!(readable(&at("12:57")), readable("<li>sam</li>"));
}

/// The case page and every assessment page of `case`, as `client` reads them at `base`.
async fn pages_of(client: &reqwest::Client, base: &str, case: &str) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let case_page = crate::helpers::remote_html(client, &format!("{base}/cases/{case}")).await;
    let doc = scraper::Html::parse_document(&case_page);
    let links = scraper::Selector::parse("main a[href^='/assessments/']").unwrap();
    let mut paths: Vec<String> = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.contains("/summary"))
        .map(str::to_owned)
        .collect();
    paths.sort();
    paths.dedup();
    assert!(!paths.is_empty(), "the sampled case has assessments");
    pages.push((format!("/cases/{case}"), readable(&case_page)));
    for path in paths {
        let res = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        pages.push((path, readable(&res.text().await.unwrap())));
    }
    pages
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restore_drill_a_backup_taken_while_writers_save_restores_to_its_manifest_and_reads_the_same()
 {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = dir.path().join("backups");
    let pass = passphrase_file(dir.path());
    let (code, demo_out, stderr) = run(&[
        os("demo"),
        os("--cases"),
        os("40"),
        os("--seed"),
        os("5"),
        os("--data-dir"),
        os(&data),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let password_of = |name: &str| {
        demo_out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .and_then(|l| l.split_whitespace().nth(2))
            .unwrap()
            .to_owned()
    };
    let server = ServerProcess::start_with(
        &data,
        &[
            os("--backup-dir"),
            os(&backups),
            os("--passphrase-file"),
            os(&pass),
        ],
    );
    let base = server.url.clone();
    let supervisor = remote_client();
    let supervisor_password = password_of("demo-supervisor");
    assert_eq!(
        remote_sign_in(&supervisor, &base, "demo-supervisor", &supervisor_password).await,
        StatusCode::SEE_OTHER
    );
    let list = crate::helpers::remote_html(&supervisor, &format!("{base}/cases")).await;
    let sampled = crate::helpers::select_attr(&list, "main table a[href^='/cases/']", "href")
        .unwrap()
        .trim_start_matches("/cases/")
        .to_owned();
    let before = pages_of(&supervisor, &base, &sampled).await;

    // Writers save drafts of new cases while an admin presses "Back up now".
    let operator_password = password_of("demo-operator1");
    let mut writers = Vec::new();
    for n in 0..4 {
        writers.push(
            crate::load::prepare_writer(&base, "demo-operator1", &operator_password, n).await,
        );
    }
    let until = Instant::now() + Duration::from_secs(3);
    let saving: Vec<_> = writers
        .into_iter()
        .map(|w| tokio::spawn(crate::load::keep_saving(base.clone(), w, until)))
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let admin = remote_client();
    assert_eq!(
        remote_sign_in(&admin, &base, "demo-admin", &password_of("demo-admin")).await,
        StatusCode::SEE_OTHER
    );
    crate::helpers::remote_enrol(&admin, &base).await;
    let form = crate::form::load(
        &admin,
        &base,
        "/admin/backups",
        "form[action='/admin/backups']",
    )
    .await;
    let made = form.submit(&admin, &base, None).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    for task in saving {
        let (_, seen) = task.await.unwrap();
        assert!(seen.problems.is_empty(), "{:?}", seen.problems);
        assert!(seen.last_acknowledged.is_some());
    }
    drop(server);

    let files: Vec<PathBuf> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| backup::service::is_backup_name(&p.file_name().unwrap().to_string_lossy()))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let header = backup::verify(&files[0], &key()).unwrap();
    let restored = dir.path().join("restored");
    let (code, _, stderr) = run(&[
        os("restore"),
        os(&files[0]),
        os("--data-dir"),
        os(&restored),
        os("--passphrase-file"),
        os(&pass),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let store = Store::open(&restored, &key_of(&restored)).unwrap();
    assert_eq!(
        store.manifest().unwrap(),
        header.trees,
        "exactly the manifest"
    );
    drop(store);

    let server = ServerProcess::start(&restored);
    let base = server.url.clone();
    let supervisor = remote_client();
    assert_eq!(
        remote_sign_in(&supervisor, &base, "demo-supervisor", &supervisor_password).await,
        StatusCode::SEE_OTHER,
        "accounts are restored; sessions are not"
    );
    let after = pages_of(&supervisor, &base, &sampled).await;
    assert_eq!(before.len(), after.len());
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{path} reads the same after the restore");
    }
}

#[actix_web::test]
async fn a_failed_backup_shows_on_the_page_and_in_the_audit() {
    let place = tempfile::tempdir().unwrap();
    // The backup directory cannot be created: a file stands in its way.
    let blocked = place.path().join("not-a-directory");
    std::fs::write(&blocked, b"x").unwrap();
    let dir = blocked.join("backups");
    let app = spawn_app_with(move |s| s.backup = Some(crate::helpers::backups_into(dir, 3))).await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let res = app
        .fill_and_submit(&admin, "/admin/backups", "/admin/backups", &[], None)
        .await;
    assert_eq!(
        crate::helpers::location(&res),
        "/admin/backups?notice=failed"
    );
    let html = app
        .get(&admin, "/admin/backups?notice=failed")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&html, ".backup-failed h2"),
        ["The last backup failed"]
    );
    assert!(select_text(&html, ".backup-failed p")[0].contains("UTC: "));
    assert!(app.audit().await.iter().any(|e| {
        e.action == AuditAction::BackupMade && e.outcome == exit_factors::domain::Outcome::Failure
    }));
}

#[test]
fn a_backup_from_schema_1_restores_sealed_chained_and_usable() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-1-backup.age");
    let dir = crate::helpers::TestDir::new();
    let pass = dir.root().join("pass.txt");
    std::fs::write(&pass, "schema one fixture passphrase\n").unwrap();
    let (code, out, stderr) = run(&[
        os("restore"),
        os(&fixture),
        os("--data-dir"),
        os(dir.path()),
        os("--passphrase-file"),
        os(&pass),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("(schema 1)"), "{out}");

    // Sealed: no account name, password hash or JSON field name is left in plain.
    for (path, bytes) in std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
    {
        for needle in [&b"demo-admin"[..], b"argon2id", b"\"attributes\""] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{needle:?} in plain in {path:?}"
            );
        }
    }
    {
        let store = Store::open(dir.path(), &dir.key()).unwrap();
        assert_eq!(store.cases().unwrap().len(), 3);
        let check = store.verify_audit().unwrap();
        assert!(check.broken.is_none() && check.checked > 0, "{check:?}");
    }

    // Usable: the demo accounts sign in (the username index was rebuilt) and see the cases.
    let server = ServerProcess::start(dir.path());
    let client = remote_client();
    actix_web::rt::System::new().block_on(async {
        let signed = remote_sign_in(
            &client,
            &server.url,
            "demo-operator1",
            "b075baa3b893e730ac816134",
        )
        .await;
        assert_eq!(signed, StatusCode::SEE_OTHER);
        let list = crate::helpers::remote_html(&client, &format!("{}/cases", server.url)).await;
        let case = crate::helpers::select_attr(&list, "a[href^='/cases/']", "href")
            .expect("a case in the list");
        let page = client
            .get(format!("{}{case}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
    });
}
