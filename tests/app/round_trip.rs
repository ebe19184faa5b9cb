//! Every field of every form that stores something comes back as it was entered. Each form is read
//! from the rendered page, every field a person fills gets a distinct value the form offers or
//! accepts, the form is submitted as a browser would, and the page is opened again. A field the
//! handler ignores, or reads under another name than the page gives it, fails here.

use exit_factors::domain::Role;
use reqwest::{Client, StatusCode};

use crate::form::Form;
use crate::helpers::{TestApp, location, spawn_app};

/// A distinct, harmless text for the `i`-th field: letters only, so that the identifying-details
/// check has nothing to object to.
fn words(i: usize) -> String {
    let mut n = i;
    let mut tag = String::new();
    loop {
        tag.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("remark {tag} about progress")
}

/// Fills every field of `form` that a person fills: each list and radio group gets an answer
/// other than the first (varied from field to field), each checkbox is ticked, each typed field
/// gets `typed(name, input type, i)` (`None` leaves it). Returns what was entered.
fn fill_every_field(
    form: &mut Form,
    typed: impl Fn(&str, &str, usize) -> Option<String>,
) -> Vec<(String, String)> {
    let mut entered = Vec::new();
    for (i, name) in form.names().into_iter().enumerate() {
        let value = match form.text_type(&name) {
            Some("hidden") => None,
            Some(kind) => typed(&name, kind, i),
            None if form.is_checkbox(&name) => form.options(&name).first().cloned(),
            None => {
                let options = form.options(&name);
                (options.len() > 1).then(|| options[1 + i % (options.len() - 1)].clone())
            }
        };
        if let Some(value) = value {
            form.set(&name, &value);
            entered.push((name, value));
        }
    }
    entered
}

/// Asserts that `form`, loaded again, holds everything `entered`.
fn assert_holds(form: &Form, entered: &[(String, String)], what: &str) {
    assert!(!entered.is_empty(), "{what}: nothing was entered");
    for (name, value) in entered {
        assert_eq!(
            form.value(name).as_deref(),
            Some(value.as_str()),
            "{what}: field {name:?} did not come back"
        );
    }
}

async fn operator(app: &TestApp) -> Client {
    app.signed_in("olga", Role::Operator).await.0
}

#[actix_web::test]
async fn every_field_of_the_case_form_comes_back_on_create_and_on_edit() {
    let app = spawn_app().await;
    let client = operator(&app).await;
    let mut form = app.form(&client, "/cases/new", "/cases").await;
    let entered = fill_every_field(&mut form, |_, kind, _| match kind {
        "month" => Some("2024-03".into()),
        other => panic!("the case form has no free-text field of type {other}"),
    });
    let res = form.submit(&client, &app.address, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let edit = format!("{}/edit", location(&res));
    assert_holds(&app.form(&client, &edit, &edit).await, &entered, "new case");

    let mut form = app.form(&client, &edit, &edit).await;
    // Other answers this time: each list's last.
    let mut changed = Vec::new();
    for name in form.names() {
        if form.text_type(&name) == Some("month") {
            form.set(&name, "2023-11");
            changed.push((name, "2023-11".to_owned()));
        } else if form.text_type(&name).is_none() {
            let last = form.options(&name).last().cloned().unwrap();
            form.set(&name, &last);
            changed.push((name, last));
        }
    }
    let res = form.submit(&client, &app.address, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_holds(
        &app.form(&client, &edit, &edit).await,
        &changed,
        "edited case",
    );
}

#[actix_web::test]
async fn every_field_of_every_assessment_step_comes_back_including_the_whole_action_plan() {
    let app = spawn_app().await;
    let client = operator(&app).await;
    let case = app.new_case(&client).await;
    let id = app.start_assessment(&client, &case).await;

    for step in [
        "context",
        "individual",
        "relational",
        "structural",
        "review",
    ] {
        let path = format!("/assessments/{id}/{step}");
        let mut form = app.form(&client, &path, &path).await;
        let entered = fill_every_field(&mut form, |_, kind, i| match kind {
            "date" => Some("2025-02-03".into()),
            "month" => Some(format!("2030-{:02}", 1 + i % 12)),
            "textarea" | "text" => Some(words(i)),
            other => panic!("{step}: no value for a field of type {other}"),
        });
        let res = form
            .submit(&client, &app.address, Some(("action", "draft")))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{step} saved");
        assert_holds(&app.form(&client, &path, &path).await, &entered, step);
        if step == "structural" {
            // Every factor was ticked as a priority: the plan has a line for each.
            let review = format!("/assessments/{id}/review");
            let plan = app.form(&client, &review, &review).await;
            let actions = plan
                .names()
                .into_iter()
                .filter(|n| n.ends_with("-action"))
                .count();
            assert_eq!(actions, 31, "one action line per priority factor");
        }
    }

    // Submitted, the plan's statuses are updated from the results page.
    assert_eq!(
        app.submit(&client, &id).await.status(),
        StatusCode::SEE_OTHER
    );
    let results = format!("/assessments/{id}");
    let actions = format!("{results}/actions");
    let mut form = app.form(&client, &results, &actions).await;
    let entered = fill_every_field(&mut form, |_, kind, _| {
        panic!("the status form has no free-text field ({kind})")
    });
    assert_eq!(entered.len(), 31, "a status for every action: {entered:?}");
    let res = form.submit(&client, &app.address, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_holds(
        &app.form(&client, &results, &actions).await,
        &entered,
        "action statuses",
    );
}

#[actix_web::test]
async fn every_field_of_the_settings_form_comes_back() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let page = "/admin/settings";
    let mut form = app.form(&admin, page, page).await;
    let entered = fill_every_field(&mut form, |name, kind, _| match (name, kind) {
        ("audit_months", "number") => Some("24".into()),
        (_, "number") => Some("7".into()),
        (_, "text") => Some("Casa Esempio".into()),
        other => panic!("no value for {other:?}"),
    });
    let res = form.submit(&admin, &app.address, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_holds(&app.form(&admin, page, page).await, &entered, "settings");
}
