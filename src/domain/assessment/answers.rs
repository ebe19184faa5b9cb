//! What each step's form says, once parsed: typed values, not closures, so that what was entered
//! can be named, tested and logged before it changes anything. Parsing from form fields (and the
//! messages next to them) is the routes' job; these types only hold answers that passed it.

use time::Date;

use super::{ActionItem, FactorAnswer, ReEntry, Setting, Stage, Step};
use crate::instrument::{FactorId, LevelId};

/// The context step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextAnswers {
    pub date: Date,
    /// May stay empty in a draft; submitting asks for it.
    pub stage: Option<Stage>,
    pub reentry: Option<ReEntry>,
    pub setting: Option<Setting>,
}

/// One level step: an answer for every factor of the level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelAnswers {
    level: LevelId,
    answers: Vec<(FactorId, FactorAnswer)>,
}

impl LevelAnswers {
    /// The answers given on `level`'s step.
    pub fn new(level: LevelId, answers: Vec<(FactorId, FactorAnswer)>) -> Self {
        Self { level, answers }
    }

    pub fn level(&self) -> LevelId {
        self.level
    }

    pub fn answers(&self) -> &[(FactorId, FactorAnswer)] {
        &self.answers
    }
}

/// The action plan of the review step: one line per priority factor that has an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPlan(pub Vec<ActionItem>);

/// The answers of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepAnswers {
    Context(ContextAnswers),
    Level(LevelAnswers),
    Plan(ActionPlan),
}

impl StepAnswers {
    /// The step these answers belong to.
    pub fn step(&self) -> Step {
        match self {
            StepAnswers::Context(_) => Step::Context,
            StepAnswers::Level(l) => Step::for_level(l.level),
            StepAnswers::Plan(_) => Step::Review,
        }
    }
}
