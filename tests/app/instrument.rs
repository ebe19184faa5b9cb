//! `exit-factors instrument export` and the checklist guide page.

use std::process::Command;

use exit_factors::domain::Role;
use serde_json::Value;

use crate::helpers::{select_text, spawn_app};

/// The 31 factor ids of the domain brief, by level and role.
const FACILITATING: [&str; 21] = [
    "ind.spirituality",
    "ind.life_plans",
    "ind.autonomy",
    "ind.self_esteem",
    "ind.self_efficacy",
    "ind.helping_others",
    "ind.exploitation_setting",
    "rel.social_support",
    "rel.peer_help",
    "rel.client_help",
    "rel.recovery_relations",
    "rel.professional_bonds",
    "rel.connectedness",
    "rel.children",
    "str.awareness_programmes",
    "str.empowerment_programmes",
    "str.welfare_services",
    "str.employment",
    "str.vocational_training",
    "str.law_enforcement",
    "str.cultural_orientation",
];
const HINDERING: [&str; 7] = [
    "ind.shame",
    "rel.stigma",
    "rel.microaggressions",
    "rel.victim_framing",
    "str.poverty_at_start",
    "str.low_income",
    "str.low_cultural_capital",
];
const CONTROVERSIAL: [&str; 3] = ["ind.substance_use", "rel.family", "rel.religious_community"];

fn export() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_exit-factors"))
        .args(["instrument", "export", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn ids_with_role(doc: &Value, role: &str) -> Vec<String> {
    let mut ids: Vec<String> = doc["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["factors"].as_array().unwrap().iter())
        .filter(|f| f["role"] == role)
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn the_export_lists_the_31_factors_of_the_brief_with_their_roles() {
    let doc = export();
    assert_eq!(doc["id"], "exit-factors");
    assert!(doc["version"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(ids_with_role(&doc, "facilitating"), sorted(&FACILITATING));
    assert_eq!(ids_with_role(&doc, "hindering"), sorted(&HINDERING));
    assert_eq!(ids_with_role(&doc, "controversial"), sorted(&CONTROVERSIAL));
}

#[test]
fn every_exported_factor_sits_at_its_level_with_title_guidance_and_evidence() {
    let doc = export();
    let levels: Vec<&str> = doc["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["individual", "relational", "structural"]);
    for level in doc["levels"].as_array().unwrap() {
        let prefix = &level["id"].as_str().unwrap()[..3];
        for factor in level["factors"].as_array().unwrap() {
            let id = factor["id"].as_str().unwrap();
            assert!(id.starts_with(prefix), "{id} under {prefix}");
            assert!(
                factor["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{id} title"
            );
            assert!(
                factor["guidance"].as_str().is_some_and(|t| t.len() > 40),
                "{id} guidance"
            );
            assert!(
                factor["evidence"].as_array().is_some_and(|e| !e.is_empty()),
                "{id} evidence"
            );
        }
    }
    let stages: Vec<&str> = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "precontemplation",
            "contemplation",
            "preparation",
            "action",
            "maintenance",
            "reentry"
        ]
    );
}

#[actix_web::test]
async fn the_guide_page_shows_every_factor_with_its_badge() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let html = app.get(&client, "/instrument").await.text().await.unwrap();
    assert_eq!(select_text(&html, "li.factor").len(), 31);
    // 21 factors help the exit; two of them describe her situation and are marked as context.
    assert_eq!(
        select_text(&html, "li.factor .badge-facilitating"),
        vec!["Strengthen"; 19]
    );
    assert_eq!(
        select_text(&html, "li.factor .badge-context"),
        vec!["Context"; 2]
    );
    assert_eq!(
        select_text(&html, "li.factor .badge-hindering"),
        vec!["Limit"; 7]
    );
    assert_eq!(
        select_text(&html, "li.factor .badge-controversial"),
        vec!["Assess with care"; 3]
    );
    assert_eq!(select_text(&html, "li.factor details summary").len(), 31);
}
