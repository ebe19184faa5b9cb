//! The checklist itself: levels, factors, rating scale and stages of change, read from a versioned
//! TOML file compiled into the binary and validated at start-up. Factor ids are stable across versions
//! so that assessments stay comparable; stored assessments pin the instrument's id and version.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

mod translation;

/// The TOML sources of every version this build carries, oldest first; the last is the active one
/// (new assessments use it). Older versions stay so that an assessment pinned to one keeps its
/// texts and scores.
const BUNDLED: [&str; 2] = [
    include_str!("instrument/exit-factors-v1.toml"),
    include_str!("instrument/exit-factors-v2.toml"),
];

/// Every bundled version of the checklist, the active one last.
#[derive(Debug, Clone)]
pub struct Instruments {
    all: Vec<std::sync::Arc<Instrument>>,
    /// The versions that have translations, by (version, language).
    translated: Vec<(String, Lang, std::sync::Arc<Instrument>)>,
}

impl Instruments {
    /// The versions compiled into this binary, each validated.
    pub fn bundled() -> Result<Self, InstrumentError> {
        let all = BUNDLED
            .iter()
            .map(|source| Instrument::from_toml(source).map(std::sync::Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let mut translated = Vec::new();
        for (version, lang, source) in translation::BUNDLED {
            let english = all
                .iter()
                .find(|i| i.version == version)
                .ok_or_else(|| InstrumentError::Invalid(format!("no version {version}")))?;
            let text = translation::translate(english, lang, source)?;
            translated.push((version.to_owned(), lang, std::sync::Arc::new(text)));
        }
        for english in &all {
            let text = translation::pseudo(english);
            translated.push((
                english.version.clone(),
                Lang::Pseudo,
                std::sync::Arc::new(text),
            ));
        }
        let instruments = Self { all, translated };
        // The active version is complete in every language a page or a client copy can be in.
        for lang in Lang::CLIENT_COPY.into_iter().filter(|l| *l != Lang::En) {
            if instruments
                .translation(&instruments.active().version, lang)
                .is_none()
            {
                return Err(InstrumentError::Invalid(format!(
                    "the active checklist has no {} translation",
                    lang.tag()
                )));
            }
        }
        Ok(instruments)
    }

    fn translation(&self, version: &str, lang: Lang) -> Option<&std::sync::Arc<Instrument>> {
        self.translated
            .iter()
            .find(|(v, l, _)| v == version && *l == lang)
            .map(|(_, _, i)| i)
    }

    /// The version new assessments use, in `lang`.
    pub fn active_in(&self, lang: Lang) -> &std::sync::Arc<Instrument> {
        let active = self.active();
        self.translation(&active.version, lang).unwrap_or(active)
    }

    /// A version in `lang`; in English where that version has no translation (older versions,
    /// kept only for the assessments made with them, are not translated).
    pub fn find_in(
        &self,
        id: &str,
        version: &str,
        lang: Lang,
    ) -> Option<&std::sync::Arc<Instrument>> {
        let english = self.find(id, version)?;
        Some(self.translation(version, lang).unwrap_or(english))
    }

    /// The version new assessments use.
    pub fn active(&self) -> &std::sync::Arc<Instrument> {
        // `bundled` refuses an empty list: BUNDLED is a non-empty array.
        &self.all[self.all.len() - 1]
    }

    /// The version with this id and version, if this build carries it.
    pub fn find(&self, id: &str, version: &str) -> Option<&std::sync::Arc<Instrument>> {
        self.all.iter().find(|i| i.id == id && i.version == version)
    }

    /// Every version, oldest first.
    pub fn all(&self) -> &[std::sync::Arc<Instrument>] {
        &self.all
    }
}

/// A complete checklist version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Stable identifier of the instrument family.
    pub id: String,
    /// Version within the family.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The review the content is based on.
    pub source: String,
    /// Ratings 0..=3; "not assessed" is the absence of a rating.
    pub scale: Vec<ScalePoint>,
    /// How a controversial factor acts for her now.
    pub directions: Vec<Direction>,
    /// The three levels, in order, with their factors.
    pub levels: Vec<Level>,
    /// Stages of change, including re-entry.
    pub stages: Vec<Stage>,
    /// A stable link to the review (DOI or the journal's page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_link: Option<String>,
    /// Whose ideas the stage descriptions borrow, shown with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages_credit: Option<String>,
    /// Decisions about reading the review that a user of the checklist should know (shown on the
    /// references page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_notes: Vec<String>,
    /// The studies the review includes, which factors cite by `key` (empty in version 1, whose
    /// evidence was free text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub studies: Vec<Study>,
}

/// One study the review includes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// How factors cite it, e.g. "Dahal, Joshi & Swahnberg 2015".
    pub key: String,
    /// The short form on checklist steps, e.g. "Dahal 2015".
    pub short: String,
    /// Authors as published.
    pub authors: String,
    pub year: u16,
    pub title: String,
    /// Where the people studied lived.
    pub country: String,
    /// Who was studied (says so when they were minors or teenagers).
    pub population: String,
    /// Whether the people studied were minors or teenagers, in whole or in part.
    #[serde(default)]
    pub minors: bool,
    /// Other spellings of the authors a reader of the review will meet.
    #[serde(default)]
    pub also_cited_as: Vec<String>,
    /// Why no factor cites it, for a study the review includes but reports no factor from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncited: Option<String>,
}

impl Study {
    /// The id of its entry on the references page.
    pub fn anchor(&self) -> String {
        let mut id: String = self
            .short
            .chars()
            .filter_map(|c| {
                if c.is_ascii_alphanumeric() {
                    Some(c.to_ascii_lowercase())
                } else {
                    None
                }
            })
            .collect();
        id.insert_str(0, "study-");
        id
    }
}

/// One point of the rating scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    pub value: u8,
    pub label: String,
    pub description: String,
}

/// A possible direction for a controversial factor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Direction {
    pub id: String,
    pub label: String,
    pub description: String,
}

/// A stage of change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub title: String,
    pub description: String,
    /// What the stage means, in one line (shown on the context step).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

/// The three levels at which factors act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelId {
    Individual,
    Relational,
    Structural,
}

impl LevelId {
    /// Every level in checklist order.
    pub const ALL: [LevelId; 3] = [
        LevelId::Individual,
        LevelId::Relational,
        LevelId::Structural,
    ];

    /// The prefix every factor id of this level carries.
    pub fn factor_prefix(self) -> &'static str {
        match self {
            LevelId::Individual => "ind.",
            LevelId::Relational => "rel.",
            LevelId::Structural => "str.",
        }
    }
}

/// A level and its factors.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: LevelId,
    pub title: String,
    pub description: String,
    pub factors: Vec<Factor>,
}

/// A factor's stable id, such as `rel.peer_help`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactorId(String);

impl FactorId {
    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as an HTML element id (dots become dashes, so CSS selectors need no escaping).
    pub fn dom_id(&self) -> String {
        self.0.replace('.', "-")
    }
}

impl From<&str> for FactorId {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Display for FactorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a factor does to the exit, and so what the operator does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorRole {
    /// Helps the exit: strengthen it.
    Facilitating,
    /// Hinders the exit: limit or remove it.
    Hindering,
    /// Helps some, harms others: assess with care.
    Controversial,
}

impl FactorRole {
    /// The id of its badge among the translated messages.
    pub fn message_id(self) -> &'static str {
        match self {
            FactorRole::Facilitating => "badge-facilitating",
            FactorRole::Hindering => "badge-hindering",
            FactorRole::Controversial => "badge-controversial",
        }
    }

    /// A CSS-friendly name.
    pub fn as_str(self) -> &'static str {
        match self {
            FactorRole::Facilitating => "facilitating",
            FactorRole::Hindering => "hindering",
            FactorRole::Controversial => "controversial",
        }
    }
}

/// One factor of the checklist.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub id: FactorId,
    pub role: FactorRole,
    pub title: String,
    pub guidance: String,
    pub evidence: Vec<String>,
    /// Describes her situation rather than something to build up (version 2 on): counted in no
    /// resource score and never listed "to strengthen", shown as context instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub context: bool,
}

impl Factor {
    /// The id of the badge among the translated messages.
    pub fn badge_message(&self) -> &'static str {
        if self.context {
            "badge-context"
        } else {
            self.role.message_id()
        }
    }

    /// A CSS-friendly name for the badge.
    pub fn badge_class(&self) -> &'static str {
        if self.context {
            "context"
        } else {
            self.role.as_str()
        }
    }
}

/// Why an instrument file was refused.
#[derive(Debug, thiserror::Error)]
pub enum InstrumentError {
    #[error("the instrument file does not parse: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("the instrument is invalid: {0}")]
    Invalid(String),
}

/// The stage ids every instrument must offer, in order.
pub const STAGE_IDS: [&str; 6] = [
    "precontemplation",
    "contemplation",
    "preparation",
    "action",
    "maintenance",
    "reentry",
];

/// The direction ids a controversial factor can take.
pub const DIRECTION_IDS: [&str; 4] = ["helps", "hinders", "both", "unclear"];

impl Instrument {
    /// The active instrument compiled into this binary, validated.
    pub fn bundled() -> Result<Self, InstrumentError> {
        Self::from_toml(BUNDLED[BUNDLED.len() - 1])
    }

    /// Parses and validates an instrument.
    pub fn from_toml(source: &str) -> Result<Self, InstrumentError> {
        let instrument: Instrument = toml::from_str(source)?;
        instrument.validate().map_err(InstrumentError::Invalid)?;
        Ok(instrument)
    }

    fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() || self.version.trim().is_empty() {
            return Err("id and version must be set".into());
        }
        let levels: Vec<LevelId> = self.levels.iter().map(|l| l.id).collect();
        if levels != LevelId::ALL {
            return Err(format!(
                "levels must be individual, relational, structural once each, in order; found {levels:?}"
            ));
        }
        let mut seen = HashSet::new();
        for level in &self.levels {
            if level.factors.is_empty() {
                return Err(format!("level {:?} has no factors", level.id));
            }
            for factor in &level.factors {
                let id = factor.id.as_str();
                if !seen.insert(id) {
                    return Err(format!("factor id {id} appears twice"));
                }
                let name = id
                    .strip_prefix(level.id.factor_prefix())
                    .unwrap_or_default();
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    return Err(format!(
                        "factor id {id} must be {}<lowercase_name> under level {:?}",
                        level.id.factor_prefix(),
                        level.id
                    ));
                }
                if factor.title.trim().is_empty()
                    || factor.guidance.trim().is_empty()
                    || factor.evidence.is_empty()
                {
                    return Err(format!("factor {id} needs a title, guidance and evidence"));
                }
            }
        }
        let stages: Vec<&str> = self.stages.iter().map(|s| s.id.as_str()).collect();
        if stages != STAGE_IDS {
            return Err(format!("stages must be {STAGE_IDS:?}; found {stages:?}"));
        }
        let values: Vec<u8> = self.scale.iter().map(|p| p.value).collect();
        if values != [0, 1, 2, 3] {
            return Err(format!(
                "the scale must have values 0, 1, 2, 3 in order; found {values:?}"
            ));
        }
        self.validate_studies()?;
        let directions: Vec<&str> = self.directions.iter().map(|d| d.id.as_str()).collect();
        if directions != DIRECTION_IDS {
            return Err(format!(
                "directions must be {DIRECTION_IDS:?}; found {directions:?}"
            ));
        }
        Ok(())
    }

    /// With studies listed: every factor cites only listed studies and every study is cited.
    fn validate_studies(&self) -> Result<(), String> {
        if self.studies.is_empty() {
            return Ok(());
        }
        let mut cited = HashSet::new();
        for (_, factor) in self.factors() {
            for key in &factor.evidence {
                if self.study(key).is_none() {
                    return Err(format!(
                        "factor {} cites {key:?}, which is not among the studies",
                        factor.id
                    ));
                }
                cited.insert(key.as_str());
            }
        }
        for study in &self.studies {
            match (cited.contains(study.key.as_str()), &study.uncited) {
                (false, None) => {
                    return Err(format!("study {:?} is cited by no factor", study.key));
                }
                (true, Some(_)) => {
                    return Err(format!(
                        "study {:?} is marked uncited but a factor cites it",
                        study.key
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The study a factor cites as `key`.
    pub fn study(&self, key: &str) -> Option<&Study> {
        self.studies.iter().find(|s| s.key == key)
    }

    /// The studies `factor` rests on, in its order.
    pub fn studies_of<'a>(&'a self, factor: &'a Factor) -> impl Iterator<Item = &'a Study> {
        factor.evidence.iter().filter_map(|key| self.study(key))
    }

    /// The factors citing `study`, in checklist order.
    pub fn factors_citing<'a>(&'a self, study: &'a Study) -> impl Iterator<Item = &'a Factor> {
        self.factors()
            .map(|(_, f)| f)
            .filter(move |f| f.evidence.contains(&study.key))
    }

    /// A factor's studies as (short name, anchor on the references page); version 1's free-text
    /// citations have no anchor.
    pub fn evidence_links(&self, factor: &Factor) -> Vec<(String, Option<String>)> {
        factor
            .evidence
            .iter()
            .map(|key| match self.study(key) {
                Some(study) => (study.short.clone(), Some(study.anchor())),
                None => (key.clone(), None),
            })
            .collect()
    }

    /// Every factor, in checklist order, with its level.
    pub fn factors(&self) -> impl Iterator<Item = (LevelId, &Factor)> {
        self.levels
            .iter()
            .flat_map(|l| l.factors.iter().map(move |f| (l.id, f)))
    }

    /// The instrument as JSON for `instrument export`.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_instrument_is_valid_and_complete() {
        let instrument = Instrument::bundled().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(instrument.factors().count(), 31);
        let count = |role| instrument.factors().filter(|(_, f)| f.role == role).count();
        assert_eq!(count(FactorRole::Facilitating), 21);
        assert_eq!(count(FactorRole::Hindering), 7);
        assert_eq!(count(FactorRole::Controversial), 3);
    }

    fn with_bundled(edit: impl Fn(&str) -> String) -> Result<Instrument, InstrumentError> {
        Instrument::from_toml(&edit(BUNDLED[1]))
    }

    #[test]
    fn every_bundled_version_is_valid_and_the_latest_is_active() {
        let all = Instruments::bundled().unwrap_or_else(|e| panic!("{e}"));
        let versions: Vec<&str> = all.all().iter().map(|i| i.version.as_str()).collect();
        assert_eq!(versions, ["1", "2"]);
        assert_eq!(all.active().version, "2");
        assert!(all.find("exit-factors", "1").is_some());
        assert!(all.find("exit-factors", "9").is_none());
        // Factor ids are stable across versions.
        let ids = |i: &Instrument| i.factors().map(|(_, f)| f.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&all.all()[0]), ids(all.active()));
    }

    #[test]
    fn a_citation_of_an_unlisted_study_and_an_uncited_study_are_refused() {
        let err = with_bundled(|s| s.replacen("\"O'Brien 2018\"]", "\"O'Brien 2019\"]", 1));
        assert!(
            matches!(&err, Err(InstrumentError::Invalid(m)) if m.contains("O'Brien 2019")),
            "{err:?}"
        );
    }

    #[test]
    fn a_duplicate_factor_id_is_refused() {
        let err =
            with_bundled(|s| s.replacen("id = \"ind.life_plans\"", "id = \"ind.spirituality\"", 1));
        assert!(matches!(err, Err(InstrumentError::Invalid(m)) if m.contains("appears twice")));
    }

    #[test]
    fn an_unknown_role_is_refused() {
        let err = with_bundled(|s| s.replacen("role = \"hindering\"", "role = \"neutral\"", 1));
        assert!(matches!(err, Err(InstrumentError::Parse(_))));
    }

    #[test]
    fn a_factor_under_the_wrong_level_is_refused() {
        let err = with_bundled(|s| s.replacen("id = \"ind.shame\"", "id = \"rel.shame\"", 1));
        assert!(matches!(err, Err(InstrumentError::Invalid(m)) if m.contains("rel.shame")));
    }

    #[test]
    fn a_missing_level_is_refused() {
        let err = with_bundled(|s| s.replacen("id = \"structural\"", "id = \"relational\"", 1));
        assert!(matches!(err, Err(InstrumentError::Invalid(m)) if m.contains("levels")));
    }
}
