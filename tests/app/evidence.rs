//! Evidence fidelity (checklist version 2): the corrected factor texts as `instrument export` prints
//! them, the context factors, the references page, the evidence line on each step, sources in the
//! full PDF summary only, the statement on what the scores are, and an assessment pinned to
//! version 1 keeping its scores.

use std::process::Command;

use exit_factors::domain::Role;
use exit_factors::domain::scoring::results;
use exit_factors::instrument::Instruments;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{select_attr, select_text, spawn_app};

fn export() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_exit-factors"))
        .args(["instrument", "export"])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn factor<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["factors"].as_array().unwrap())
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{id} exported"))
}

fn evidence(f: &Value) -> Vec<&str> {
    f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect()
}

/// The guidance up to the first "Practice guidance, not from the review" (what is given as evidence).
fn evidence_part(f: &Value) -> String {
    let text = format!(
        "{} {}",
        f["title"].as_str().unwrap(),
        f["guidance"].as_str().unwrap()
    );
    text.split("Practice guidance, not from the review")
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn the_export_is_version_2_with_each_correction_and_the_context_factors_marked() {
    let doc = export();
    assert_eq!(doc["version"], "2");
    assert_eq!(
        doc["source_link"],
        "https://vc.bridgew.edu/jiws/vol22/iss5/13"
    );

    let stigma = factor(&doc, "rel.stigma");
    assert_eq!(
        stigma["role"], "hindering",
        "stigma stays a factor to limit"
    );
    assert!(evidence(stigma).contains(&"Wilson & Nochajski 2016"));
    assert!(evidence(stigma).contains(&"Dahal, Joshi & Swahnberg 2015"));
    let g = stigma["guidance"].as_str().unwrap();
    assert!(
        g.contains("Indian sample") && g.contains("Wilson & Nochajski 2016"),
        "{g}"
    );
    assert!(
        g.contains("Moving away to escape stigma can lead back"),
        "{g}"
    );

    let religious = factor(&doc, "rel.religious_community");
    let g = religious["guidance"].as_str().unwrap();
    assert!(g.contains("more harm than good"), "{g}");
    assert!(g.contains("Ikeora 2016; Van der Watt & Kruger 2017"), "{g}");
    assert!(
        g.contains("drawn into trafficking"),
        "cited as how women are drawn in: {g}"
    );
    for gone in ["spiritual threats", "oaths", "judgement from believers"] {
        assert!(!g.contains(gone), "{gone}: {g}");
    }

    let police = factor(&doc, "str.law_enforcement");
    assert!(evidence(police).contains(&"Dahal, Joshi & Swahnberg 2015"));
    assert!(evidence(police).contains(&"Dalla & Kreimer 2017"));
    let shown = evidence_part(police);
    assert!(
        shown.contains("sometimes let women escape") && shown.contains("rarely"),
        "{shown}"
    );
    assert!(
        !shown.contains("immigration"),
        "the fear of police is practice guidance: {shown}"
    );
    assert!(
        !police["guidance"]
            .as_str()
            .unwrap()
            .contains("Many women fear police because of immigration status")
    );

    let welfare = factor(&doc, "str.welfare_services");
    let shown = evidence_part(welfare);
    assert!(shown.contains("open the way to work"), "{shown}");
    assert!(shown.contains("do not stop at emergency help"), "{shown}");
    assert!(
        !shown.contains("transport"),
        "reach is practice guidance: {shown}"
    );

    let clients = factor(&doc, "rel.client_help");
    let text = format!("{} {}", clients["title"], clients["guidance"]);
    assert!(text.contains("client"), "{text}");
    for wider in ["neighbour", "driver", "shop", "outsider", "warn"] {
        assert!(!text.contains(wider), "{wider}: {text}");
    }

    let substances = factor(&doc, "ind.substance_use");
    let g = substances["guidance"].as_str().unwrap();
    assert!(!g.contains("push"), "{g}");
    assert!(!g.contains("medication"), "{g}");

    for (id, why) in [
        ("ind.exploitation_setting", "US sample only"),
        ("str.cultural_orientation", "no great differences"),
    ] {
        let f = factor(&doc, id);
        assert_eq!(f["context"], true, "{id} is context");
        let g = f["guidance"].as_str().unwrap();
        assert!(
            g.contains("Why it still matters") && g.contains(why),
            "{id}: {g}"
        );
    }
    let context: Vec<&str> = doc["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["factors"].as_array().unwrap())
        .filter(|f| f["context"] == true)
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        context,
        ["ind.exploitation_setting", "str.cultural_orientation"]
    );
}

#[actix_web::test]
async fn the_references_page_lists_13_studies_that_the_factors_link_to() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let refs = app.get(&client, "/references").await;
    assert_eq!(refs.status(), StatusCode::OK);
    let refs = refs.text().await.unwrap();
    let doc = scraper::Html::parse_document(&refs);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let studies: Vec<_> = doc.select(&sel("li.study")).collect();
    assert_eq!(studies.len(), 13);
    let text = select_text(&refs, "main").join(" ");
    assert!(text.contains("https://vc.bridgew.edu/jiws/vol22/iss5/13"));
    for variant in [
        "Bincy & Nochajski",
        "Rochelle & DallaLee",
        "Sukach, Gonzalez & Cravens Pickens",
        "Sukach, Castañeda & Pickens",
    ] {
        assert!(text.contains(variant), "{variant}");
    }
    assert!(
        text.contains("4 ambivalent factors"),
        "the abstract's count is explained"
    );
    assert_eq!(
        select_text(&refs, ".minors").len(),
        2,
        "minors or teens said"
    );

    // Every study is cited by a factor, but for the one the review reports no factor from,
    // which says why.
    let mut anchors = Vec::new();
    for study in &studies {
        let id = study.value().attr("id").unwrap().to_owned();
        let citing = study.select(&sel("ul.citing a")).count();
        let uncited = study.select(&sel(".uncited")).count();
        if id == "study-vindhyadev2011" {
            assert_eq!((citing, uncited), (0, 1), "{id}");
        } else {
            assert!(citing >= 1 && uncited == 0, "{id} cited by {citing}");
        }
        anchors.push(id);
    }

    // Every factor on the guide links to at least one study, and every link lands on one.
    let guide = app.get(&client, "/instrument").await.text().await.unwrap();
    let gdoc = scraper::Html::parse_document(&guide);
    let factors: Vec<_> = gdoc.select(&sel("li.factor")).collect();
    assert_eq!(factors.len(), 31);
    for f in factors {
        let links: Vec<String> = f
            .select(&sel("p.evidence a"))
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect();
        assert!(!links.is_empty(), "{:?}", f.value().attr("id"));
        for link in links {
            let anchor = link.trim_start_matches("/references#");
            assert!(anchors.iter().any(|a| a == anchor), "{link}");
        }
    }
}

#[actix_web::test]
async fn each_step_shows_the_evidence_line_without_opening_the_guidance() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;
    let id = app.start_assessment(&client, &case).await;
    let html = app
        .get(&client, &format!("/assessments/{id}/structural"))
        .await
        .text()
        .await
        .unwrap();
    let line = select_text(&html, "#str-law_enforcement > p.evidence").join("");
    assert_eq!(
        line,
        "Evidence: Dahal 2015; Dalla & Kreimer 2017 — 2 studies"
    );
    assert_eq!(
        select_attr(&html, "#str-law_enforcement > p.evidence a", "href").as_deref(),
        Some("/references#study-dahal2015")
    );
    assert_eq!(
        select_text(&html, "#str-cultural_orientation .badge").join(""),
        "Context"
    );
    assert_eq!(select_text(&html, ".factor-card > p.evidence").len(), 10);

    let context = app
        .get(&client, &format!("/assessments/{id}/context"))
        .await
        .text()
        .await
        .unwrap();
    let meanings = select_text(&context, ".stage-meanings dd");
    assert_eq!(meanings.len(), 6, "one line per stage");
    assert!(
        select_text(&context, ".stages-credit")
            .join("")
            .contains("Role Exit theory")
    );
}

#[actix_web::test]
async fn context_factors_rated_0_appear_as_context_not_to_strengthen_on_results_pdfs_and_dashboard()
{
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&client).await;
    let id = app
        .complete_assessment(
            &client,
            &case,
            "2025-01-10",
            "contemplation",
            "no",
            &[
                ("ind.spirituality", "3"),
                ("ind.exploitation_setting", "0"),
                ("str.cultural_orientation", "0"),
                ("str.employment", "1"),
            ],
        )
        .await;
    let html = app
        .get(&client, &format!("/assessments/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let strengthen = select_text(&html, ".list-strengthen li").join(" | ");
    assert!(strengthen.contains("Access to paid work"), "{strengthen}");
    assert!(!strengthen.contains("indoors"), "{strengthen}");
    assert!(!strengthen.contains("Cultural orientation"), "{strengthen}");
    assert_eq!(select_text(&html, ".list-context li").len(), 2);
    assert_eq!(
        select_text(&html, "tr[data-level='Individual'] td.resource").join(""),
        "100",
        "spirituality alone"
    );
    assert!(
        select_text(&html, ".scores-caveat")
            .join("")
            .contains("not a validated psychometric scale")
    );

    let pdf = |variant: &'static str| {
        let app = &app;
        let client = &client;
        let id = id.clone();
        async move {
            let res = app
                .get(
                    client,
                    &format!("/assessments/{id}/summary?variant={variant}&paper=a4"),
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{variant}");
            let bytes = res.bytes().await.unwrap();
            crate::summaries::text_of(&lopdf::Document::load_mem(&bytes).unwrap())
        }
    };
    let full = pdf("full").await;
    assert!(full.contains("Sources of each factor"), "{full}");
    assert!(full.contains("Dahal, Joshi & Swahnberg 2015"));
    assert!(full.contains("not a validated psychometric scale"));
    let to_strengthen = full
        .split("To strengthen")
        .nth(1)
        .unwrap()
        .split("To limit")
        .next()
        .unwrap();
    assert!(!to_strengthen.contains("indoors"), "{to_strengthen}");
    assert!(full.contains("Context (her situation, in no score)"));
    let client_copy = pdf("client").await;
    assert!(
        !client_copy.contains("Swahnberg"),
        "no sources on the client copy"
    );
    assert!(!client_copy.contains("Sources of each factor"));
    let build_up = client_copy
        .split("Things to build up")
        .nth(1)
        .unwrap()
        .split("Things to reduce")
        .next()
        .unwrap();
    assert!(
        !build_up.contains("indoors") && !build_up.contains("Cultural"),
        "{build_up}"
    );
    assert!(client_copy.contains("They are not a test"));

    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let dash = app.get(&sue, "/dashboard").await.text().await.unwrap();
    assert!(
        select_text(&dash, ".scores-caveat")
            .join("")
            .contains("not a validated psychometric scale")
    );
}

#[actix_web::test]
async fn an_assessment_pinned_to_version_1_shows_the_scores_it_had() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let all = Instruments::bundled().unwrap();
    let v1 = all.find("exit-factors", "1").unwrap().clone();
    let stored = app
        .insert_synthetic_cases_with(&v1, 8, 5, "olga", None)
        .await;
    // An assessment whose setting was rated: version 1 and 2 score it differently.
    let old = stored
        .iter()
        .flat_map(|(_, a)| a)
        .filter(|a| a.is_current_submission())
        .find(|a| {
            let (then, now) = (
                results(&v1, a.answers()),
                results(all.active(), a.answers()),
            );
            then.levels[0].resource.map(f64::round) != now.levels[0].resource.map(f64::round)
        })
        .expect("a seeded assessment with the setting rated");
    assert_eq!(old.instrument_version(), "1");
    let expected = results(&v1, old.answers()).levels[0].resource.unwrap();
    let html = app
        .get(&client, &format!("/assessments/{}", old.id()))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_text(&html, "tr[data-level='Individual'] td.resource").join(""),
        format!("{expected:.0}")
    );
    assert!(
        select_text(&html, ".list-context li").is_empty(),
        "no context in version 1"
    );
    let html = html.replace(['\u{2068}', '\u{2069}'], "");
    assert!(html.contains("exit-factors version 1"));
}
