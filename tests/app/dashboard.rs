//! The dashboard and its CSV: who may see them, disclosure control on the page, the CSV matching
//! the page, and exports in the audit log.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::{TestApp, select_text, spawn_app};

/// `n` cases for `client`, each with one submitted assessment; reviewed by `reviewer`.
async fn cases_with_assessments(
    app: &TestApp,
    client: &reqwest::Client,
    reviewer: &reqwest::Client,
    n: usize,
    site: &str,
) {
    for i in 0..n {
        let fields = [
            ("age_band", "25_34"),
            ("gender", "woman"),
            ("region", "not_recorded"),
            ("site", site),
            ("route", "national"),
            ("programme_start", ""),
            ("consent", "yes"),
        ];
        let res = app.post_form(client, "/cases/new", "/cases", &fields).await;
        let case = crate::helpers::location(&res)
            .trim_start_matches("/cases/")
            .to_owned();
        let rating = if i % 2 == 0 { "3" } else { "1" };
        let id = app
            .complete_assessment(
                client,
                &case,
                "2025-05-05",
                "action",
                "no",
                &[("ind.spirituality", rating), ("str.employment", "0")],
            )
            .await;
        app.mark_reviewed(reviewer, &id).await;
    }
}

#[actix_web::test]
async fn operators_get_403_on_the_dashboard_and_its_export() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    assert_eq!(
        app.get(&olga, "/dashboard").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&olga, "/dashboard.csv").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[actix_web::test]
async fn the_dashboard_shows_figures_hides_small_groups_and_its_csv_matches() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    cases_with_assessments(&app, &olga, &sue, 10, "street").await;
    cases_with_assessments(&app, &olga, &sue, 2, "online").await;

    let html = app.get(&sue, "/dashboard").await.text().await.unwrap();
    let facts = select_text(&html, "dl.headline dd");
    assert_eq!(facts[0], "12", "cases in scope");
    // All 12 are at the action stage; every other stage is hidden (fewer than 5).
    let stages = select_text(&html, "table.stages td");
    assert_eq!(stages.iter().filter(|t| t.as_str() == "12").count(), 1);
    assert_eq!(
        stages
            .iter()
            .filter(|t| t.as_str() == "fewer than 5")
            .count(),
        5
    );
    // Spirituality present (3) in 6 of 12 cases: 50%. Employment is absent everywhere: 0%.
    let factors = select_text(&html, "table.factors tbody tr");
    let spirituality = factors
        .iter()
        .find(|r| r.starts_with("Spirituality"))
        .unwrap();
    assert!(spirituality.contains("50%"), "{spirituality}");

    // Online: 2 cases, fewer than k: no figures at all.
    let online = app
        .get(&sue, "/dashboard?site=online")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(select_text(&online, ".no-figures").len(), 1);
    assert!(select_text(&online, "table.factors").is_empty());

    let csv = app.get(&sue, "/dashboard.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = csv.text().await.unwrap();
    let mut reader = csv_reader(&body);
    let header = csv_header(&mut reader);
    assert_eq!(
        header,
        [
            "table",
            "group",
            "item",
            "measure",
            "value",
            "suppressed",
            "n",
            "vic_TypeOfExploitation",
            "period_from",
            "period_to",
            "operator",
            "age_band",
            "site",
            "route",
            "region_of_origin",
            "stage_of_change",
            "k",
            "counted"
        ]
    );
    let rows: Vec<csv_row::Row> = reader
        .records()
        .map(|r| csv_row::Row::from(r.unwrap()))
        .collect();
    let find = |table: &str, group: &str, item: &str, measure: &str| {
        rows.iter()
            .find(|r| {
                r.table == table && r.group == group && r.item == item && r.measure == measure
            })
            .unwrap()
    };
    assert_eq!(find("scope", "all", "", "cases").value, "12");
    let sp = find(
        "factors",
        "level=individual",
        "factor=ind.spirituality",
        "present_share",
    );
    assert_eq!(
        (sp.value.as_str(), sp.n.as_str(), sp.suppressed.as_str()),
        ("50.0", "12", "false")
    );
    let maintenance = find("stages", "stage=maintenance", "", "cases");
    assert_eq!(
        (
            maintenance.value.as_str(),
            maintenance.n.as_str(),
            maintenance.suppressed.as_str()
        ),
        ("", "", "true")
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::AggregateCsvExported)
    );
}

/// The scope columns of every row of a dashboard CSV, by header name.
async fn csv_scopes(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
) -> Vec<std::collections::HashMap<String, String>> {
    let body = app
        .get(client, &format!("/dashboard.csv{query}"))
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv_reader(&body);
    let header = csv_header(&mut reader);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), header.len(), "every row is complete");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[actix_web::test]
async fn every_csv_row_says_the_scope_it_was_computed_in_with_htcds_names_where_they_match() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    cases_with_assessments(&app, &olga, &sue, 5, "street").await;

    let all = csv_scopes(&app, &sue, "").await;
    assert!(all.len() > 100, "figures are shown for 5 cases at k = 5");
    for row in &all {
        assert_eq!(row["vic_TypeOfExploitation"], "Sexual exploitation");
        for column in [
            "period_from",
            "period_to",
            "operator",
            "site",
            "stage_of_change",
        ] {
            assert_eq!(row[column], "all", "{column}");
        }
        assert_eq!(
            (row["k"].as_str(), row["counted"].as_str()),
            ("5", "reviewed")
        );
    }

    let filtered = csv_scopes(
        &app,
        &sue,
        "?from=2025-01&to=2025-12&operator=OLGA&site=street&stage=action&age_band=25_34",
    )
    .await;
    let cases = filtered
        .iter()
        .find(|r| r["table"] == "scope" && r["measure"] == "cases")
        .unwrap();
    assert_eq!(cases["value"], "5");
    for row in &filtered {
        assert_eq!(
            [
                &row["period_from"],
                &row["period_to"],
                &row["operator"],
                &row["site"],
                &row["stage_of_change"],
                &row["age_band"],
                &row["route"],
            ],
            [
                "2025-01", "2025-12", "olga", "street", "action", "25_34", "all"
            ]
        );
    }
}

fn csv_reader(body: &str) -> csv::Reader<&[u8]> {
    csv::Reader::from_reader(body.as_bytes())
}

fn csv_header(reader: &mut csv::Reader<&[u8]>) -> Vec<String> {
    reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}

mod csv_row {
    pub struct Row {
        pub table: String,
        pub group: String,
        pub item: String,
        pub measure: String,
        pub value: String,
        pub suppressed: String,
        pub n: String,
    }

    impl From<csv::StringRecord> for Row {
        fn from(r: csv::StringRecord) -> Self {
            let f = |i: usize| r.get(i).unwrap_or("").to_owned();
            Self {
                table: f(0),
                group: f(1),
                item: f(2),
                measure: f(3),
                value: f(4),
                suppressed: f(5),
                n: f(6),
            }
        }
    }
}

#[actix_web::test]
async fn the_page_the_pdf_report_and_the_csv_show_the_same_labels_and_hide_the_same_figures() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    cases_with_assessments(&app, &olga, &sue, 6, "street").await;

    let html = app.get(&sue, "/dashboard").await.text().await.unwrap();
    let labels = select_text(&html, "dl.headline dt");
    assert!(labels.len() >= 6, "{labels:?}");
    let pdf = app.get(&sue, "/dashboard.pdf").await.bytes().await.unwrap();
    let pdf = crate::summaries::text_of(&lopdf::Document::load_mem(&pdf).unwrap());
    for label in &labels {
        assert!(pdf.contains(label.as_str()), "the PDF says {label:?} too");
    }
    for title in select_text(&html, "main h2") {
        if title != "Filters" {
            assert!(pdf.contains(title.as_str()), "section {title:?} in the PDF");
        }
    }

    let hidden_on_page = select_text(&html, ".suppressed").len()
        + select_text(&html, "ol.missing li")
            .iter()
            .filter(|li| li.ends_with("fewer than 5"))
            .count();
    let body = app.get(&sue, "/dashboard.csv").await.text().await.unwrap();
    let mut reader = csv_reader(&body);
    csv_header(&mut reader);
    let hidden_in_csv = reader
        .records()
        .filter(|r| r.as_ref().unwrap().get(5) == Some("true"))
        .count();
    assert!(hidden_on_page > 0, "6 cases: some figures are hidden");
    assert_eq!(hidden_on_page, hidden_in_csv);
}
