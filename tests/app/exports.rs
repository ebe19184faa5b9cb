//! The admin research export: no free text, months only, keys that differ between exports,
//! consenting cases only, admins only, audited.

use exit_factors::domain::{AuditAction, Role};
use reqwest::StatusCode;

use crate::helpers::spawn_app;

fn rows(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[actix_web::test]
async fn the_research_export_has_no_free_text_only_months_and_fresh_keys_each_time() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&olga).await;
    let id = app.start_assessment(&olga, &case).await;
    app.save_step(
        &olga,
        &id,
        "context",
        &[("date", "2025-04-17"), ("stage", "action")],
        "continue",
    )
    .await;
    app.save_step(
        &olga,
        &id,
        "individual",
        &[
            ("ind.autonomy.rating", "2"),
            ("ind.autonomy.note", "chooses her own course now"),
        ],
        "continue",
    )
    .await;
    app.save_step(&olga, &id, "relational", &[], "continue")
        .await;
    app.save_step(&olga, &id, "structural", &[], "continue")
        .await;
    app.save_step(&olga, &id, "review", &[], "continue").await;
    assert_eq!(app.submit(&olga, &id).await.status(), StatusCode::SEE_OTHER);
    // A case without consent is never exported.
    let fields = [
        ("age_band", "18_24"),
        ("gender", "woman"),
        ("region", "west_africa"),
        ("site", "street"),
        ("route", "transnational"),
        ("programme_start", ""),
        ("consent", "no"),
    ];
    let res = app.post_form(&olga, "/cases/new", "/cases", &fields).await;
    let other = crate::helpers::location(&res)
        .trim_start_matches("/cases/")
        .to_owned();
    app.complete_assessment(
        &olga,
        &other,
        "2025-04-18",
        "action",
        "no",
        &[("ind.autonomy", "3")],
    )
    .await;

    let first = app.get(&admin, "/admin/export/research.csv").await;
    assert_eq!(first.status(), StatusCode::OK);
    let body = first.text().await.unwrap();
    assert!(!body.contains("chooses her own course"), "no free text");
    assert!(!body.contains("2025-04-17"), "no full dates");
    assert!(
        !body.contains(&case) && !body.contains(&other),
        "no case codes"
    );
    let (header, data) = rows(&body);
    assert_eq!(header[0], "case_key");
    assert_eq!(
        data.len(),
        31,
        "one consenting assessment, one row per factor"
    );
    let month = header.iter().position(|h| h == "assessment_month").unwrap();
    assert!(data.iter().all(|r| r[month] == "2025-04"));
    let autonomy = data
        .iter()
        .find(|r| r.contains(&"ind.autonomy".to_owned()))
        .unwrap();
    let rating = header.iter().position(|h| h == "rating").unwrap();
    assert_eq!(autonomy[rating], "2");

    let (_, again) = rows(
        &app.get(&admin, "/admin/export/research.csv")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_ne!(
        data[0][0], again[0][0],
        "case keys are drawn afresh for every export"
    );
    assert_ne!(data[0][1], again[0][1], "assessment keys too");

    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    assert_eq!(
        app.get(&sue, "/admin/export/research.csv").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&olga, "/admin/export/research.csv").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.audit()
            .await
            .iter()
            .filter(|e| e.action == AuditAction::ResearchExported)
            .count(),
        2
    );
}

#[actix_web::test]
async fn the_research_export_is_streamed_in_chunks_and_holds_every_consenting_submission() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    app.create_user("olga", Role::Operator).await;
    let stored = app.insert_synthetic_cases(300, 11, "olga", None).await;
    let expected: usize = stored
        .iter()
        .filter(|(case, _)| case.attributes.consent == exit_factors::domain::case::Consent::Yes)
        .map(|(_, assessments)| {
            assessments
                .iter()
                .filter(|a| a.is_current_submission())
                .count()
        })
        .sum();
    assert!(expected > 300, "{expected} assessments to export");

    let mut res = app.get(&admin, "/admin/export/research.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "a streamed body has no length announced before it is written"
    );
    let mut chunks = 0;
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.unwrap() {
        if chunks == 0 {
            assert!(chunk.starts_with(b"case_key,"), "the header comes first");
        }
        chunks += 1;
        body.extend_from_slice(&chunk);
    }
    let (_, data) = rows(std::str::from_utf8(&body).unwrap());
    assert_eq!(
        data.len(),
        expected * 31,
        "one row per factor of each assessment"
    );
    assert!(chunks >= 10, "{} bytes came in {chunks} chunks", body.len());

    // The wide format: a row per assessment, a column per factor, the same ratings.
    let wide = app
        .get(&admin, "/admin/export/research-wide.csv")
        .await
        .text()
        .await
        .unwrap();
    let (header, wide_rows) = rows(&wide);
    assert_eq!(wide_rows.len(), expected, "one row per assessment");
    assert_eq!(header.len(), 15 + 31 * 2 + 3, "{header:?}");
    assert!(header.contains(&"rel_family_direction".to_owned()));
    assert!(
        header.iter().all(|h| !h.contains('.')),
        "names R and Stata take as they are"
    );
    let (long_header, long_rows) = rows(std::str::from_utf8(&body).unwrap());
    let (factor, rating) = (
        long_header.iter().position(|h| h == "factor_id").unwrap(),
        long_header.iter().position(|h| h == "rating").unwrap(),
    );
    let mut from_long = std::collections::BTreeMap::new();
    for row in &long_rows {
        let column = row[factor].replace('.', "_");
        *from_long.entry((column, row[rating].clone())).or_insert(0) += 1;
    }
    let mut from_wide = std::collections::BTreeMap::new();
    for row in &wide_rows {
        for (name, value) in header.iter().zip(row) {
            if from_long.keys().any(|(f, _)| f == name) {
                *from_wide.entry((name.clone(), value.clone())).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(
        from_wide, from_long,
        "every rating, counted per factor, is the same"
    );
    let audit = app.audit().await;
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::ResearchExported
                && e.target.as_deref() == Some("research-wide.csv")),
        "the wide download is audited"
    );
}
