//! Settings an administrator chooses for the whole installation.

use serde::{Deserialize, Serialize};

/// Paper sizes offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.276, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }

    /// The id used in forms.
    pub fn id(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// The label people see.
    /// The id of its label among the translated messages.
    pub fn message_id(self) -> &'static str {
        match self {
            Paper::A4 => "paper-a4",
            Paper::Letter => "paper-letter",
        }
    }

    /// Parses a form id.
    pub fn from_id(id: &str) -> Option<Self> {
        [Paper::A4, Paper::Letter]
            .into_iter()
            .find(|p| p.id() == id)
    }
}

/// Installation-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The organisation's name, printed on summaries ("" for none).
    #[serde(default)]
    pub organisation: String,
    /// Paper size a summary gets unless the download asks for another.
    #[serde(default)]
    pub default_paper: Paper,
    /// Whether aggregates count only reviewed assessments (otherwise every submitted one).
    #[serde(default = "yes")]
    pub aggregates_reviewed_only: bool,
    /// Minimum group size for aggregate figures.
    #[serde(default = "default_k")]
    pub k: usize,
    /// What is removed, and when.
    #[serde(default)]
    pub retention: super::retention::Retention,
    /// Who must sign in with a second step (administrators unless an admin widens it).
    #[serde(default)]
    pub two_step: super::two_step::TwoStepPolicy,
    /// Whether the audit log keeps whole client addresses (otherwise IPv4 /24, IPv6 /48).
    #[serde(default)]
    pub audit_full_addresses: bool,
    /// The language of the pages for users who chose none, and before sign-in for browsers that
    /// ask for none of the service's languages.
    #[serde(default)]
    pub language: super::lang::Lang,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            organisation: String::new(),
            default_paper: Paper::default(),
            aggregates_reviewed_only: true,
            k: super::disclosure::DEFAULT_K,
            retention: Default::default(),
            two_step: Default::default(),
            audit_full_addresses: false,
            language: Default::default(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_k() -> usize {
    super::disclosure::DEFAULT_K
}

/// Most characters an organisation name may have.
pub const MAX_ORGANISATION_CHARS: usize = 100;
