//! Retention, with the clock moved forward: under a 12-month rule a case closed 13 months ago is
//! erased and one closed 11 months ago is kept; an untouched draft goes; the Settings page says
//! beforehand what a run would remove, and the run is audited with its counts.

use exit_factors::domain::{AuditAction, Role};
use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, location, select_text, spawn_app};

const DAY: time::Duration = time::Duration::DAY;

async fn close(app: &TestApp, client: &Client, code: &str) {
    let page = format!("/cases/{code}");
    let res = app
        .post_form(
            client,
            &page,
            &format!("{page}/close"),
            &[("reason", "reentered")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "closed");
}

/// A client signed in again (the clock moved past every session).
async fn again(app: &TestApp, username: &str, password: &str) -> Client {
    let client = app.client();
    let res = app.sign_in_as(&client, username, password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    client
}

#[actix_web::test]
async fn a_case_closed_13_months_ago_is_erased_under_a_12_month_rule_and_one_closed_11_months_ago_is_not()
 {
    let app = spawn_app().await;
    let (olga, olga_user) = app.signed_in("olga", Role::Operator).await;
    let (ada, ada_user) = app.signed_in("ada", Role::Admin).await;
    let old = app.new_case(&olga).await;
    let recent = app.new_case(&olga).await;
    let open = app.new_case(&olga).await;
    let draft = app.start_assessment(&olga, &open).await;
    close(&app, &olga, &old).await;

    // Off by default: nothing would go.
    let html = app.get(&ada, "/admin/settings").await.text().await.unwrap();
    assert_eq!(
        select_text(&html, ".retention-preview"),
        ["Under the saved settings, a run now would erase 0 closed cases and delete 0 drafts."]
    );
    // A value out of range is refused next to its field, and what was typed stays.
    let res = app
        .fill_and_submit(
            &ada,
            "/admin/settings",
            "/admin/settings",
            &[("erase_closed_months", "3")],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(select_text(&html, "#erase_closed_months-error")[0].contains("6 to 120"));
    assert_eq!(
        crate::helpers::select_attr(&html, "#erase_closed_months", "value").as_deref(),
        Some("3")
    );
    let res = app
        .fill_and_submit(
            &ada,
            "/admin/settings",
            "/admin/settings",
            &[("erase_closed_months", "12"), ("draft_days", "30")],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "settings saved");

    app.clock.advance(61 * DAY);
    let olga = again(&app, "olga", &olga_user.password).await;
    close(&app, &olga, &recent).await;
    // 13 months after the first closing, 11 after the second.
    app.clock.advance(335 * DAY);
    let ada = again(&app, "ada", &ada_user.password).await;
    let olga = again(&app, "olga", &olga_user.password).await;

    let html = app.get(&ada, "/admin/settings").await.text().await.unwrap();
    assert_eq!(
        select_text(&html, ".retention-preview"),
        ["Under the saved settings, a run now would erase 1 closed case and delete 1 draft."]
    );
    let old_code = exit_factors::domain::CaseCode::parse(&old)
        .unwrap()
        .to_string();
    let recent_code = exit_factors::domain::CaseCode::parse(&recent)
        .unwrap()
        .to_string();
    assert!(html.contains(&old_code) && !html.contains(&recent_code));

    let res = app
        .fill_and_submit(&ada, "/admin/settings", "/admin/retention", &[], None)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.get(&ada, &location(&res)).await.text().await.unwrap();
    let notice = select_text(&html, ".notice").join(" ");
    assert!(
        notice.contains("Retention applied: 1 closed case erased, 1 untouched draft deleted"),
        "{notice}"
    );

    let status = |path: String| {
        let (app, olga) = (&app, &olga);
        async move { app.get(olga, &path).await.status() }
    };
    assert_eq!(status(format!("/cases/{old}")).await, StatusCode::NOT_FOUND);
    assert_eq!(status(format!("/cases/{recent}")).await, StatusCode::OK);
    assert_eq!(status(format!("/cases/{open}")).await, StatusCode::OK);
    assert_eq!(
        status(format!("/assessments/{draft}/context")).await,
        StatusCode::NOT_FOUND
    );

    let audit = app.audit().await;
    let run: Vec<_> = audit
        .iter()
        .filter(|e| e.action == AuditAction::RetentionRun)
        .collect();
    assert_eq!(run.len(), 1);
    assert!(
        run[0]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("1 closed case(s) erased, 1 untouched draft(s) deleted")
    );
    let erased: Vec<_> = audit
        .iter()
        .filter(|e| e.action == AuditAction::CaseErased)
        .collect();
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0].target.as_deref(), Some(old.as_str()));
    assert_eq!(
        erased[0].detail.as_deref(),
        Some("Retention period over (automatic)")
    );
}
