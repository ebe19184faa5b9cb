//! The checklist itself: levels, factors, rating scale and stages of change, read from a versioned
//! TOML file compiled into the binary and validated at start-up. Factor ids are stable across versions
//! so that assessments stay comparable; stored assessments pin the instrument's id and version.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The TOML source of the active instrument.
const BUNDLED_V1: &str = include_str!("instrument/exit-factors-v1.toml");

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
    /// The badge an operator sees.
    pub fn action_label(self) -> &'static str {
        match self {
            FactorRole::Facilitating => "Strengthen",
            FactorRole::Hindering => "Limit",
            FactorRole::Controversial => "Assess with care",
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
    /// The instrument compiled into this binary, validated.
    pub fn bundled() -> Result<Self, InstrumentError> {
        Self::from_toml(BUNDLED_V1)
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
        let directions: Vec<&str> = self.directions.iter().map(|d| d.id.as_str()).collect();
        if directions != DIRECTION_IDS {
            return Err(format!(
                "directions must be {DIRECTION_IDS:?}; found {directions:?}"
            ));
        }
        Ok(())
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
        Instrument::from_toml(&edit(BUNDLED_V1))
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
