//! The research export for administrators: one row per assessment and factor, with no free text,
//! dates cut to the month, and case and assessment identifiers replaced by keys drawn at random for
//! each export, so that two exports cannot be joined to follow a person across them. Only cases
//! whose consent to anonymous reporting is "yes" are included, and only current, submitted
//! revisions.

use std::collections::HashMap;

use rand::RngCore;

use super::assessment::Assessment;
use super::case::Consent;
use super::{Case, CaseCode, Choice, Month};
use crate::instrument::{Instrument, LevelId};

/// The header row.
pub const COLUMNS: [&str; 21] = [
    "case_key",
    "assessment_key",
    "revision",
    "assessment_month",
    "stage",
    "reentry_since_last",
    "setting",
    "instrument_id",
    "instrument_version",
    "age_band",
    "gender",
    "region",
    "site",
    "route",
    "programme_start_month",
    "factor_id",
    "level",
    "role",
    "rating",
    "direction",
    "priority",
];

fn level_id(level: LevelId) -> &'static str {
    match level {
        LevelId::Individual => "individual",
        LevelId::Relational => "relational",
        LevelId::Structural => "structural",
    }
}

fn random_key(rng: &mut impl RngCore) -> String {
    let mut bytes = [0u8; 8];
    rng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Writes the export. `rng` draws this export's keys.
pub fn to_csv(
    instrument: &Instrument,
    cases: &[Case],
    assessments: &[Assessment],
    rng: &mut impl RngCore,
) -> String {
    let by_code: HashMap<&CaseCode, &Case> = cases.iter().map(|c| (&c.code, c)).collect();
    let mut case_keys: HashMap<&CaseCode, String> = HashMap::new();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    let mut selected: Vec<&Assessment> = assessments
        .iter()
        .filter(|a| a.is_current_submission())
        .filter(|a| {
            by_code
                .get(&a.case())
                .is_some_and(|c| c.attributes.consent == Consent::Yes)
        })
        .collect();
    // Rows are ordered by the random keys, so that the order reveals nothing about the cases either.
    let mut keyed: Vec<(String, String, &Assessment)> = Vec::with_capacity(selected.len());
    for a in selected.drain(..) {
        let case_key = case_keys
            .entry(a.case())
            .or_insert_with(|| random_key(rng))
            .clone();
        keyed.push((case_key, random_key(rng), a));
    }
    keyed.sort_by(|x, y| (&x.0, x.2.context().date, &x.1).cmp(&(&y.0, y.2.context().date, &y.1)));
    for (case_key, assessment_key, a) in keyed {
        let Some(case) = by_code.get(&a.case()) else {
            continue;
        };
        let at = case.attributes.clone();
        let month = Month::of(a.context().date.midnight().assume_utc()).to_string();
        for (level, factor) in instrument.factors() {
            let answer = a.answer(&factor.id);
            let revision = a.revision().to_string();
            let rating = answer
                .rating
                .map(|r| r.get().to_string())
                .unwrap_or_default();
            let _ = w.write_record([
                case_key.as_str(),
                assessment_key.as_str(),
                revision.as_str(),
                month.as_str(),
                a.context().stage.map_or("", |s| s.id()),
                a.context().reentry.map_or("", |r| r.id()),
                a.context().setting.map_or("", |s| s.id()),
                a.instrument_id(),
                a.instrument_version(),
                at.age_band.id(),
                at.gender.id(),
                at.region.id(),
                at.site.id(),
                at.route.id(),
                &at.programme_start
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                factor.id.as_str(),
                level_id(level),
                factor.role.as_str(),
                rating.as_str(),
                answer.direction.map_or("", |d| d.id()),
                if answer.priority { "yes" } else { "no" },
            ]);
        }
    }
    String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
}
