//! The research export for administrators: one row per assessment and factor, with no free text,
//! dates cut to the month, and case and assessment identifiers replaced by keys drawn at random for
//! each export, so that two exports cannot be joined to follow a person across them. Only cases
//! whose consent to anonymous reporting is "yes" are included, and only current, submitted
//! revisions.

use std::collections::{HashMap, HashSet};

use rand::RngCore;

use super::assessment::{Assessment, AssessmentId};
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

/// An assessment chosen for the export, with the keys this export gives it and its case.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub case_key: String,
    pub assessment_key: String,
    pub id: AssessmentId,
    pub case: CaseCode,
    date: time::Date,
}

/// Chooses what the export holds, from every assessment's id, case, date and whether it is a
/// current submission, and draws this export's keys: current submissions of the cases in
/// `consenting` only. They come ordered by the random keys, so that the order reveals nothing
/// about the cases either.
pub fn choose(
    consenting: &HashSet<CaseCode>,
    assessments: impl IntoIterator<Item = (AssessmentId, CaseCode, time::Date, bool)>,
    rng: &mut impl RngCore,
) -> Vec<Chosen> {
    let mut case_keys: HashMap<CaseCode, String> = HashMap::new();
    let mut chosen: Vec<Chosen> = assessments
        .into_iter()
        .filter(|(_, case, _, current)| *current && consenting.contains(case))
        .map(|(id, case, date, _)| {
            let case_key = case_keys
                .entry(case.clone())
                .or_insert_with(|| random_key(rng))
                .clone();
            Chosen {
                case_key,
                assessment_key: random_key(rng),
                id,
                case,
                date,
            }
        })
        .collect();
    chosen.sort_by(|x, y| {
        (&x.case_key, x.date, &x.assessment_key).cmp(&(&y.case_key, y.date, &y.assessment_key))
    });
    chosen
}

/// The header row, as CSV.
pub fn header() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    w.into_inner().unwrap_or_default()
}

/// Appends the rows of one chosen assessment (one per factor) to `out`.
pub fn write_rows(
    instrument: &Instrument,
    chosen: &Chosen,
    case: &Case,
    a: &Assessment,
    out: &mut Vec<u8>,
) {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(std::mem::take(out));
    let at = &case.attributes;
    let month = Month::of(a.context().date.midnight().assume_utc()).to_string();
    let revision = a.revision().to_string();
    let programme_start = at
        .programme_start
        .map(|m| m.to_string())
        .unwrap_or_default();
    for (level, factor) in instrument.factors() {
        let answer = a.answer(&factor.id);
        let rating = answer
            .rating
            .map(|r| r.get().to_string())
            .unwrap_or_default();
        let _ = w.write_record([
            chosen.case_key.as_str(),
            chosen.assessment_key.as_str(),
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
            programme_start.as_str(),
            factor.id.as_str(),
            level_id(level),
            factor.role.as_str(),
            rating.as_str(),
            answer.direction.map_or("", |d| d.id()),
            if answer.priority { "yes" } else { "no" },
        ]);
    }
    *out = w.into_inner().unwrap_or_default();
}

/// The columns of the wide format: the assessment's and case's columns of the long format, then
/// for every factor its rating, whether it is a priority and, for a factor assessed with care, the
/// direction. Names use `_` for the id's dot, so that R and Stata take them as they are.
pub fn wide_header(instrument: &Instrument) -> Vec<u8> {
    let mut names: Vec<String> = COLUMNS[..15].iter().map(|c| (*c).to_owned()).collect();
    for (_, factor) in instrument.factors() {
        let name = factor.id.as_str().replace('.', "_");
        names.push(name.clone());
        names.push(format!("{name}_priority"));
        if factor.role == crate::instrument::FactorRole::Controversial {
            names.push(format!("{name}_direction"));
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&names);
    w.into_inner().unwrap_or_default()
}

/// Appends one chosen assessment as one row of the wide format to `out`.
pub fn write_wide_row(
    instrument: &Instrument,
    chosen: &Chosen,
    case: &Case,
    a: &Assessment,
    out: &mut Vec<u8>,
) {
    let at = &case.attributes;
    let mut fields: Vec<String> = vec![
        chosen.case_key.clone(),
        chosen.assessment_key.clone(),
        a.revision().to_string(),
        Month::of(a.context().date.midnight().assume_utc()).to_string(),
        a.context().stage.map_or("", |s| s.id()).to_owned(),
        a.context().reentry.map_or("", |r| r.id()).to_owned(),
        a.context().setting.map_or("", |s| s.id()).to_owned(),
        a.instrument_id().to_owned(),
        a.instrument_version().to_owned(),
        at.age_band.id().to_owned(),
        at.gender.id().to_owned(),
        at.region.id().to_owned(),
        at.site.id().to_owned(),
        at.route.id().to_owned(),
        at.programme_start
            .map(|m| m.to_string())
            .unwrap_or_default(),
    ];
    for (_, factor) in instrument.factors() {
        let answer = a.answer(&factor.id);
        fields.push(
            answer
                .rating
                .map(|r| r.get().to_string())
                .unwrap_or_default(),
        );
        fields.push(if answer.priority { "yes" } else { "no" }.to_owned());
        if factor.role == crate::instrument::FactorRole::Controversial {
            fields.push(answer.direction.map_or("", |d| d.id()).to_owned());
        }
    }
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(std::mem::take(out));
    let _ = w.write_record(&fields);
    *out = w.into_inner().unwrap_or_default();
}

/// The whole export in memory, from records already read (tests and small stores; the server
/// streams it with `choose` and `write_rows`). `rng` draws this export's keys.
pub fn to_csv(
    instrument: &Instrument,
    cases: &[Case],
    assessments: &[Assessment],
    rng: &mut impl RngCore,
) -> String {
    let consenting: HashMap<&CaseCode, &Case> = cases
        .iter()
        .filter(|c| c.attributes.consent == Consent::Yes)
        .map(|c| (&c.code, c))
        .collect();
    let codes: HashSet<CaseCode> = consenting.keys().map(|c| (*c).clone()).collect();
    let by_id: HashMap<AssessmentId, &Assessment> =
        assessments.iter().map(|a| (a.id(), a)).collect();
    let chosen = choose(
        &codes,
        assessments.iter().map(|a| {
            (
                a.id(),
                a.case().clone(),
                a.context().date,
                a.is_current_submission(),
            )
        }),
        rng,
    );
    let mut out = header();
    for c in &chosen {
        if let (Some(case), Some(a)) = (consenting.get(&c.case), by_id.get(&c.id)) {
            write_rows(instrument, c, case, a, &mut out);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
