//! Data protection seen from outside: what is typed through the pages is in no file of the data
//! directory nor of a backup, while the pages show it; a missing or wrong key stops every command
//! with one line and changes nothing; the key can be rotated.

use std::path::Path;

use exit_factors::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{
    PASSWORD, ServerProcess, TestDir, backups_into, binary, cli_add_user, spawn_app_with,
};

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn find(files: &[(std::path::PathBuf, Vec<u8>)], needle: &str) -> Vec<std::path::PathBuf> {
    files
        .iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(path, _)| path.clone())
        .collect()
}

#[actix_web::test]
async fn a_note_and_an_action_typed_in_the_pages_are_in_no_file_of_the_data_nor_of_a_backup() {
    let backups = tempfile::tempdir().unwrap();
    let backup_dir = backups.path().to_owned();
    let app = spawn_app_with(move |s| s.backup = Some(backups_into(backup_dir, 3))).await;
    let (operator, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&operator).await;
    let id = app.start_assessment(&operator, &case).await;
    let note = "quokkanote lagoon progress";
    let action = "marzipanaction weekly meeting";

    // The individual step: every factor gets an answer and a priority tick, and the first note
    // field the page offers gets the note.
    let step = format!("/assessments/{id}/individual");
    let mut form = app.form(&operator, &step, &step).await;
    let mut noted = false;
    for name in form.names() {
        match form.text_type(&name) {
            Some("textarea") | Some("text") if !noted => {
                form.set(&name, note);
                noted = true;
            }
            Some(_) => {}
            None => {
                if let Some(last) = form.options(&name).last().cloned() {
                    form.set(&name, &last);
                }
            }
        }
    }
    assert!(noted, "the step has a note field");
    let res = form
        .submit(&operator, &app.address, Some(("action", "draft")))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "step saved");

    // The review step: the first action line of the plan gets the action.
    let review = format!("/assessments/{id}/review");
    let mut form = app.form(&operator, &review, &review).await;
    let line = form
        .names()
        .into_iter()
        .find(|n| n.ends_with("-action"))
        .expect("an action line for a priority factor");
    form.set(&line, action);
    let factor = line.trim_end_matches("-action");
    let owner = form
        .options(&format!("{factor}-owner"))
        .last()
        .cloned()
        .unwrap();
    form.set(&format!("{factor}-owner"), &owner);
    form.set(&format!("{factor}-target"), "2030-05");
    let res = form
        .submit(&operator, &app.address, Some(("action", "draft")))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "plan saved");

    // The pages show both.
    let shown = app.get(&operator, &review).await.text().await.unwrap();
    assert!(shown.contains(action), "the plan shows the action");
    let shown = app.get(&operator, &step).await.text().await.unwrap();
    assert!(shown.contains(note), "the step shows the note");

    // A backup, made from the admin page.
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let made = app
        .fill_and_submit(&admin, "/admin/backups", "/admin/backups", &[], None)
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);

    let data = files_under(app._data_dir.path());
    assert!(
        data.iter()
            .any(|(path, bytes)| path.ends_with("db") && bytes.len() > 4_000),
        "the data directory holds the store"
    );
    let kept = files_under(backups.path());
    assert_eq!(kept.len(), 2, "one backup file and the erasure register");
    for text in [note, action, "olga", "quokkanote", "marzipanaction"] {
        assert_eq!(
            find(&data, text),
            Vec::<std::path::PathBuf>::new(),
            "{text:?} in plain"
        );
        assert_eq!(
            find(&kept, text),
            Vec::<std::path::PathBuf>::new(),
            "{text:?} in a backup"
        );
    }
    // The key is beside the data directory, not in it.
    assert!(app._data_dir.key_file().exists());
    assert!(!app._data_dir.key_file().starts_with(app._data_dir.path()));
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = binary().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os(s: &(impl AsRef<std::ffi::OsStr> + ?Sized)) -> &std::ffi::OsStr {
    s.as_ref()
}

/// Asserts exit 1 with one line on stderr that says `says`, and no file of `dir` changed.
fn assert_refused_unchanged(args: &[&std::ffi::OsStr], says: &str, dir: &TestDir) {
    let before = files_under(dir.root());
    let (code, _, stderr) = run(args);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(says), "{stderr:?} should say {says:?}");
    assert!(
        files_under(dir.root()) == before,
        "nothing changed: {args:?}"
    );
}

#[test]
fn a_missing_or_wrong_key_stops_every_command_with_one_line_and_changes_nothing() {
    let dir = TestDir::new();
    assert!(
        cli_add_user(dir.path(), "ada", "admin", PASSWORD)
            .status
            .success()
    );
    let data = dir.path();
    let other = dir.root().join("other.key");
    let (code, _, stderr) = run(&[os("key"), os("init"), os("--key-file"), os(&other)]);
    assert_eq!(code, Some(0), "{stderr}");
    let pass = dir.root().join("pass.txt");
    std::fs::write(&pass, "a long backup passphrase\n").unwrap();
    let out = dir.root().join("b.age");

    let with_wrong_key: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![os("serve"), os("--addr"), os("127.0.0.1:0")],
        vec![
            os("backup"),
            os("--out"),
            os(&out),
            os("--passphrase-file"),
            os(&pass),
        ],
        vec![os("audit"), os("verify")],
        vec![os("key"), os("rotate")],
        vec![os("demo"), os("--cases"), os("2")],
    ];
    for command in &with_wrong_key {
        let mut args = command.clone();
        args.extend([os("--data-dir"), os(data), os("--key-file"), os(&other)]);
        assert_refused_unchanged(&args, "does not open this data directory", &dir);
    }
    let wrong_user = binary()
        .args([
            "user",
            "add",
            "--username",
            "bob",
            "--role",
            "operator",
            "--data-dir",
        ])
        .arg(data)
        .arg("--key-file")
        .arg(&other)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(wrong_user.status.code(), Some(1));

    // Without its key file, the directory is not opened, and no new key is made for it.
    std::fs::rename(dir.key_file(), dir.root().join("kept-aside.key")).unwrap();
    for command in &with_wrong_key {
        let mut args = command.clone();
        args.extend([os("--data-dir"), os(data)]);
        assert_refused_unchanged(
            &args,
            "is missing, and the data directory is encrypted",
            &dir,
        );
    }
    let named = dir.root().join("nowhere.key");
    assert_refused_unchanged(
        &[
            os("audit"),
            os("verify"),
            os("--data-dir"),
            os(data),
            os("--key-file"),
            os(&named),
        ],
        "is missing",
        &dir,
    );
    std::fs::rename(dir.root().join("kept-aside.key"), dir.key_file()).unwrap();
    let (code, out, stderr) = run(&[os("audit"), os("verify"), os("--data-dir"), os(data)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("the audit log is intact"), "{out}");
}

#[test]
fn rotating_the_key_keeps_the_data_and_retires_the_old_key() {
    let dir = TestDir::new();
    assert!(
        cli_add_user(dir.path(), "ada", "admin", PASSWORD)
            .status
            .success()
    );
    let old = std::fs::read(dir.key_file()).unwrap();
    let saved = dir.root().join("old.key");
    std::fs::write(&saved, &old).unwrap();

    let (code, out, stderr) = run(&[os("key"), os("rotate"), os("--data-dir"), os(dir.path())]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("re-wrapped"), "{out}");
    assert_ne!(std::fs::read(dir.key_file()).unwrap(), old, "a new key");

    // The old key no longer opens the directory; the new one does, and the account is there.
    assert_refused_unchanged(
        &[
            os("audit"),
            os("verify"),
            os("--data-dir"),
            os(dir.path()),
            os("--key-file"),
            os(&saved),
        ],
        "does not open this data directory",
        &dir,
    );
    let server = ServerProcess::start(dir.path());
    let client = crate::helpers::remote_client();
    let res = actix_web::rt::System::new().block_on(async {
        crate::helpers::remote_sign_in(&client, &server.url, "ada", PASSWORD).await
    });
    assert_eq!(res, StatusCode::SEE_OTHER, "signed in after the rotation");
}

#[actix_web::test]
async fn a_flipped_byte_in_a_stored_case_gives_a_clear_error_page_and_changes_nothing() {
    let app = crate::helpers::spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let hit = app.new_case(&olga).await;
    let other = app.new_case(&olga).await;
    let mut bytes = app
        .store
        .raw_record("cases", hit.as_bytes())
        .unwrap()
        .unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    app.store
        .overwrite_raw_record("cases", hit.as_bytes(), &bytes)
        .unwrap();

    let res = app.get(&olga, &format!("/cases/{hit}")).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("A record failed its integrity check"),
        "{html}"
    );
    assert!(
        !html.contains("Tampered") && !html.contains("(in cases)"),
        "no internal text"
    );
    assert_eq!(
        app.get(&olga, &format!("/cases/{other}")).await.status(),
        StatusCode::OK,
        "the other case reads"
    );
    // A change to the damaged case is refused and stores nothing.
    let page = format!("/cases/{hit}");
    let res = app
        .post_raw(&olga, &format!("{page}/close"), &[("reason", "reentered")])
        .await;
    assert!(res.status().is_client_error() || res.status().is_server_error());
    assert_eq!(
        app.store
            .raw_record("cases", hit.as_bytes())
            .unwrap()
            .unwrap(),
        bytes,
        "the stored bytes are as they were"
    );
}
