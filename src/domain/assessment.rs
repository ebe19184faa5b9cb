//! An assessment of one case at one time: the context (date, stage of change, re-entry, where she
//! lives), a rating for each factor of the pinned instrument, and an action plan. Drafts are saved
//! step by step; a submitted assessment is locked and changes only as a new revision with a reason.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

mod answers;
mod lifecycle;

pub use answers::{ActionPlan, ContextAnswers, LevelAnswers, StepAnswers};
pub use lifecycle::{Actor, LifecycleError, ReviewDecision, Transition};

use super::UserId;
use super::case::{CaseCode, Month};
use super::pii::{self, PiiMatch};
use crate::choice;
use crate::instrument::{FactorId, LevelId};

/// An assessment's stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AssessmentId(u64);

impl AssessmentId {
    /// Wraps a raw id from the store.
    pub fn new(raw: u64) -> Self {
        Self(raw)
    }

    /// The raw number, for keys and URLs.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for AssessmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A rating from 0 (not present) to 3 (strongly present). "Not assessed" is the absence of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    /// Every rating, low to high.
    pub const ALL: [Rating; 4] = [Rating(0), Rating(1), Rating(2), Rating(3)];

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = &'static str;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if value <= 3 {
            Ok(Rating(value))
        } else {
            Err("a rating is 0 to 3")
        }
    }
}

impl From<Rating> for u8 {
    fn from(value: Rating) -> Self {
        value.0
    }
}

choice! {
    /// How a controversial factor acts for her now.
    pub enum Direction {
        Helps = ("helps", "Helps"),
        Hinders = ("hinders", "Hinders"),
        Both = ("both", "Both"),
        Unclear = ("unclear", "Unclear"),
    }
}

choice! {
    /// Stage of change (Prochaska, DiClemente & Norcross), with re-entry as part of the cycle.
    pub enum Stage {
        Precontemplation = ("precontemplation", "Precontemplation"),
        Contemplation = ("contemplation", "Contemplation"),
        Preparation = ("preparation", "Preparation"),
        Action = ("action", "Action"),
        Maintenance = ("maintenance", "Maintenance"),
        Reentry = ("reentry", "Re-entry"),
    }
}

choice! {
    /// Whether she re-entered exploitation since the last assessment.
    pub enum ReEntry {
        Yes = ("yes", "Yes"),
        No = ("no", "No"),
        Unknown = ("unknown", "Unknown"),
    }
}

choice! {
    /// Where she lives now.
    pub enum Setting {
        Shelter = ("shelter", "Shelter"),
        OwnHome = ("own_home", "Own home"),
        Other = ("other", "Other"),
    }
}

choice! {
    /// Who carries out an action: a role, never a name.
    pub enum ActionOwner {
        CaseWorker = ("case_worker", "Case worker"),
        Psychologist = ("psychologist", "Psychologist"),
        CulturalMediator = ("cultural_mediator", "Cultural mediator"),
        LegalAdviser = ("legal_adviser", "Legal adviser"),
        HealthService = ("health_service", "Health service"),
        EmploymentService = ("employment_service", "Employment or training service"),
        Herself = ("herself", "She herself"),
        OtherService = ("other_service", "Another service"),
    }
}

choice! {
    /// Progress of an action.
    pub enum ActionStatus {
        Planned = ("planned", "Planned"),
        InProgress = ("in_progress", "In progress"),
        Done = ("done", "Done"),
        Dropped = ("dropped", "Dropped"),
    }
}

/// Most characters a note may have.
pub const MAX_NOTE_CHARS: usize = 500;

/// Free text that passed the length limit and the identifying-details check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Note(String);

/// Why free text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("use at most {max} characters (this has {len})")]
    TooLong { max: usize, len: usize },
    #[error("{}", .0.message())]
    Identifying(PiiMatch),
    /// The identifying-details check cannot run: nothing is accepted (it fails closed).
    #[error("this text cannot be checked for identifying details right now, so it cannot be saved")]
    Unchecked(#[from] pii::PatternError),
}

impl Note {
    /// Checks free text: at most `max` characters, no identifying details. Empty means no note.
    pub fn parse(raw: &str, max: usize) -> Result<Option<Self>, NoteError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let len = text.chars().count();
        if len > max {
            return Err(NoteError::TooLong { max, len });
        }
        if let Some(found) = pii::find_identifying(text)? {
            return Err(NoteError::Identifying(found));
        }
        Ok(Some(Self(text.to_owned())))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The answer for one factor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorAnswer {
    /// None: not assessed.
    pub rating: Option<Rating>,
    /// For controversial factors only.
    pub direction: Option<Direction>,
    pub note: Option<Note>,
    pub priority: bool,
}

/// The first step's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentContext {
    pub date: Date,
    pub stage: Option<Stage>,
    pub reentry: Option<ReEntry>,
    pub setting: Option<Setting>,
}

/// One line of the action plan, for a priority factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub factor: FactorId,
    pub action: Note,
    pub owner: ActionOwner,
    pub target: Month,
    pub status: ActionStatus,
}

/// The steps of the guided checklist, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Context,
    Individual,
    Relational,
    Structural,
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 5] = [
        Step::Context,
        Step::Individual,
        Step::Relational,
        Step::Structural,
        Step::Review,
    ];

    /// The URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            Step::Context => "context",
            Step::Individual => "individual",
            Step::Relational => "relational",
            Step::Structural => "structural",
            Step::Review => "review",
        }
    }

    /// The heading.
    /// The id of its title among the translated messages.
    pub fn message_id(self) -> &'static str {
        match self {
            Step::Context => "step-context",
            Step::Individual => "step-individual",
            Step::Relational => "step-relational",
            Step::Structural => "step-structural",
            Step::Review => "step-review",
        }
    }

    /// Parses a URL segment.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The level a factor step covers.
    pub fn level(self) -> Option<LevelId> {
        match self {
            Step::Individual => Some(LevelId::Individual),
            Step::Relational => Some(LevelId::Relational),
            Step::Structural => Some(LevelId::Structural),
            Step::Context | Step::Review => None,
        }
    }

    /// The step for a level.
    pub fn for_level(level: LevelId) -> Self {
        match level {
            LevelId::Individual => Step::Individual,
            LevelId::Relational => Step::Relational,
            LevelId::Structural => Step::Structural,
        }
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        Self::ALL.into_iter().skip_while(|s| *s != self).nth(1)
    }

    /// 1-based position.
    pub fn number(self) -> usize {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }
}

/// Draft or submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AssessmentState {
    Draft,
    Submitted {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        by: UserId,
    },
}

/// Where a submitted assessment stands with its supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "review", rename_all = "snake_case")]
pub enum ReviewState {
    /// Not looked at yet (drafts, and submitted assessments in the queue).
    #[default]
    Pending,
    /// Checked by a supervisor, with an optional comment.
    Reviewed {
        by: UserId,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        comment: Option<Note>,
    },
    /// Sent back to the operator with a comment saying what to change.
    Returned {
        by: UserId,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        comment: Note,
    },
}

impl ReviewState {
    /// A word for tables.
    /// The id of its label among the translated messages.
    pub fn message_id(&self) -> &'static str {
        match self {
            ReviewState::Pending => "review-state-pending",
            ReviewState::Reviewed { .. } => "review-state-reviewed",
            ReviewState::Returned { .. } => "review-state-returned",
        }
    }

    /// The supervisor's comment, if any.
    pub fn comment(&self) -> Option<&Note> {
        match self {
            ReviewState::Pending => None,
            ReviewState::Reviewed { comment, .. } => comment.as_ref(),
            ReviewState::Returned { comment, .. } => Some(comment),
        }
    }

    /// Whether a supervisor marked it reviewed.
    pub fn is_reviewed(&self) -> bool {
        matches!(self, ReviewState::Reviewed { .. })
    }

    /// Whether a supervisor sent it back to the operator.
    pub fn is_returned(&self) -> bool {
        matches!(self, ReviewState::Returned { .. })
    }
}

/// An assessment as stored. Its fields are private: it changes only through the transitions of
/// `lifecycle` (start, save a step, submit, amend, review, update action statuses), each of which
/// checks its rules and returns the new state with its audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    id: AssessmentId,
    case: CaseCode,
    /// The first revision's id: all revisions of one assessment share it.
    series: AssessmentId,
    /// 1 for the original, 2 for its first amendment…
    revision: u32,
    /// Why this revision was made (amendments only).
    amend_reason: Option<Note>,
    /// Set on a revision once a newer one exists.
    superseded_by: Option<AssessmentId>,
    /// The instrument this assessment was made with.
    instrument_id: String,
    instrument_version: String,
    created_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    /// Bumped at every change, to refuse changes made from a stale page.
    version: u64,
    state: AssessmentState,
    context: AssessmentContext,
    answers: BTreeMap<FactorId, FactorAnswer>,
    /// Steps saved at least once: a factor on a saved step has an explicit answer.
    saved_steps: BTreeSet<Step>,
    /// Where the draft resumes.
    resume_step: Step,
    actions: Vec<ActionItem>,
    /// The supervisor's review (absent in records written before reviews existed).
    #[serde(default)]
    review: ReviewState,
}

/// Reading an assessment. The queries that decide what may happen to it live here once.
impl Assessment {
    pub fn id(&self) -> AssessmentId {
        self.id
    }

    pub fn case(&self) -> &CaseCode {
        &self.case
    }

    /// The first revision's id, shared by every revision.
    pub fn series(&self) -> AssessmentId {
        self.series
    }

    pub fn revision(&self) -> u32 {
        self.revision
    }

    pub fn amend_reason(&self) -> Option<&Note> {
        self.amend_reason.as_ref()
    }

    pub fn superseded_by(&self) -> Option<AssessmentId> {
        self.superseded_by
    }

    pub fn instrument_id(&self) -> &str {
        &self.instrument_id
    }

    pub fn instrument_version(&self) -> &str {
        &self.instrument_version
    }

    pub fn created_by(&self) -> UserId {
        self.created_by
    }

    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }

    pub fn updated_at(&self) -> OffsetDateTime {
        self.updated_at
    }

    /// The version a change must be based on.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn state(&self) -> &AssessmentState {
        &self.state
    }

    pub fn context(&self) -> &AssessmentContext {
        &self.context
    }

    /// Every factor answered so far.
    pub fn answers(&self) -> &BTreeMap<FactorId, FactorAnswer> {
        &self.answers
    }

    pub fn saved_steps(&self) -> &BTreeSet<Step> {
        &self.saved_steps
    }

    pub fn resume_step(&self) -> Step {
        self.resume_step
    }

    pub fn actions(&self) -> &[ActionItem] {
        &self.actions
    }

    /// Where it stands with its supervisor.
    pub fn review_state(&self) -> &ReviewState {
        &self.review
    }

    /// Whether it can still be edited.
    pub fn is_draft(&self) -> bool {
        self.state == AssessmentState::Draft
    }

    /// Whether a newer revision replaced it.
    pub fn is_superseded(&self) -> bool {
        self.superseded_by.is_some()
    }

    /// Whether it is the submitted, current revision of its series: the one that counts in
    /// figures, histories and reports, and the one that may be reviewed or amended.
    pub fn is_current_submission(&self) -> bool {
        !self.is_draft() && !self.is_superseded()
    }

    /// When and by whom it was submitted.
    pub fn submitted(&self) -> Option<(OffsetDateTime, UserId)> {
        match self.state {
            AssessmentState::Submitted { at, by } => Some((at, by)),
            AssessmentState::Draft => None,
        }
    }

    /// Whether it was made with `instrument` (the same id and version).
    pub fn uses(&self, instrument: &crate::instrument::Instrument) -> bool {
        self.instrument_id == instrument.id && self.instrument_version == instrument.version
    }

    /// The answer for a factor (default: not assessed).
    pub fn answer(&self, factor: &FactorId) -> FactorAnswer {
        self.answers.get(factor).cloned().unwrap_or_default()
    }
}
