//! A change the user saw acknowledged survives `kill -9` of the server right after the response.

use reqwest::StatusCode;

use exit_factors::domain::Username;
use exit_factors::store::Store;

use crate::helpers::{
    PASSWORD, ServerProcess, TestDir, cli_add_user, remote_client as client, remote_csrf as csrf,
    remote_enrol, remote_sign_in as sign_in, select_attr, server_with_operator,
};

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[actix_web::test]
async fn a_user_saved_on_the_admin_page_survives_kill_9_right_after_the_response() {
    let dir = TestDir::new();
    let out = cli_add_user(dir.path(), "ada", "admin", PASSWORD);
    assert!(out.status.success());

    let server = ServerProcess::start(dir.path());
    assert!(
        server.setup_line.is_none(),
        "an admin exists: no setup link"
    );
    let base = server.url.clone();
    let admin = client();
    assert_eq!(
        sign_in(&admin, &base, "ada", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    // Administrators set up two-step sign-in first (the default policy).
    remote_enrol(&admin, &base).await;
    let token = csrf(&admin, &format!("{base}/admin/users/new")).await;
    let res = admin
        .post(format!("{base}/admin/users"))
        .form(&[
            ("username", "kept"),
            ("role", "operator"),
            ("password", "survives a crash 1"),
            ("confirm_password", "survives a crash 1"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "acknowledged");
    // Freeze the server the moment the answer arrives, so that no background writer can save the
    // change later, and copy what is on disk: that is what a crash at this instant would leave.
    server.stop();
    let snapshot = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), snapshot.path());
    server.kill_hard();

    let frozen = Store::open(snapshot.path(), &dir.key()).unwrap();
    let kept = frozen
        .user_by_username(&Username::parse("kept").unwrap())
        .unwrap();
    assert!(
        kept.is_some(),
        "the acknowledged user was on disk when the response arrived"
    );
    drop(frozen);

    let restarted = ServerProcess::start(dir.path());
    let base = restarted.url.clone();
    assert_eq!(
        sign_in(&client(), &base, "kept", "survives a crash 1").await,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn an_empty_store_prints_a_one_time_setup_link() {
    let dir = TestDir::new();
    let server = ServerProcess::start(dir.path());
    let line = server.setup_line.clone().expect("a setup line");
    let link = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(
        link.starts_with(&format!("{}/setup/", server.url)),
        "{line}"
    );
    let res = client().get(&link).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let wrong = client()
        .get(format!("{}/setup/deadbeef", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_saved_assessment_step_survives_kill_9() {
    let (dir, server) = server_with_operator();
    let base = server.url.clone();
    let c = client();
    assert_eq!(
        sign_in(&c, &base, "olga", PASSWORD).await,
        StatusCode::SEE_OTHER
    );

    let token = csrf(&c, &format!("{base}/cases/new")).await;
    let mut fields: Vec<(&str, &str)> = crate::helpers::CASE_FIELDS.to_vec();
    fields.push(("csrf", &token));
    let res = c
        .post(format!("{base}/cases"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let case = res.headers()["location"].to_str().unwrap().to_owned();
    let token = csrf(&c, &format!("{base}{case}")).await;
    let res = c
        .post(format!("{base}{case}/assessments"))
        .form(&[("csrf", &token)])
        .send()
        .await
        .unwrap();
    let step = res.headers()["location"]
        .to_str()
        .unwrap()
        .replace("/context", "/individual");

    let html = crate::helpers::remote_html(&c, &format!("{base}{step}")).await;
    let token = select_attr(&html, "main input[name=csrf]", "value").unwrap();
    let version = select_attr(&html, "input[name=version]", "value").unwrap();
    let res = c
        .post(format!("{base}{step}"))
        .form(&[
            ("ind.self_esteem.rating", "3"),
            ("ind.self_esteem.note", "speaks up in the group"),
            ("csrf", &token),
            ("version", &version),
            ("action", "draft"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "acknowledged");
    server.kill_hard();

    let restarted = ServerProcess::start(dir.path());
    let base = restarted.url.clone();
    let c = client();
    assert_eq!(
        sign_in(&c, &base, "olga", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    let html = crate::helpers::remote_html(&c, &format!("{base}{step}")).await;
    assert!(
        select_attr(&html, "#ind-self_esteem-rating-3", "checked").is_some(),
        "the rating is there"
    );
    assert!(html.contains("speaks up in the group"), "the note is there");
}
