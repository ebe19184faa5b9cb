//! The assessment's lifecycle. Every change is a transition: a method that checks its rules and
//! returns the new state of each record it touches together with its audit entry, or a typed
//! refusal. The store writes a transition's records and its audit entry in one transaction, so a
//! change is never stored without its entry, nor an entry without its change.
//!
//! | from | transition | to | refused when |
//! |---|---|---|---|
//! | (none) | `start` | draft | the case is closed, or has a draft |
//! | draft | `apply` (save a step) | draft | — |
//! | draft | `submit` | submitted | something is missing |
//! | submitted | `review` | submitted, reviewed or returned | superseded; not a supervisor; own submission |
//! | submitted | `set_action_statuses` | submitted | superseded; wrong number of statuses |
//! | submitted | `amend` | superseded + a new draft revision | superseded |

use time::OffsetDateTime;

use std::collections::BTreeMap;

use super::{
    ActionItem, ActionPlan, ActionStatus, Assessment, AssessmentContext, AssessmentId,
    AssessmentState, ContextAnswers, FactorAnswer, LevelAnswers, Note, ReviewState, Step,
    StepAnswers,
};
use crate::domain::access;
use crate::domain::scoring::{Problem, submission_problems};
use crate::domain::{AuditAction, AuditEvent, Case, CaseCode, CaseStatus, Outcome, Role, UserId};
use crate::instrument::{FactorId, Instrument};

/// Who makes a change: what the rules need to know of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

impl Actor {
    /// An operator (demo data, samples, tests).
    pub const fn operator(id: UserId) -> Self {
        Self {
            id,
            role: Role::Operator,
        }
    }

    /// A supervisor (demo data, samples, tests).
    pub const fn supervisor(id: UserId) -> Self {
        Self {
            id,
            role: Role::Supervisor,
        }
    }
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// Only a draft can be changed step by step or submitted.
    #[error("the assessment is submitted and locked")]
    NotDraft,
    /// Only a submitted assessment can be reviewed, amended or have its statuses updated.
    #[error("the assessment is still a draft")]
    NotSubmitted,
    /// A newer revision replaced it.
    #[error("a newer revision replaced this assessment")]
    Superseded,
    /// What must be fixed before it can be submitted.
    #[error("the assessment is not complete")]
    Incomplete(Vec<Problem>),
    /// Reviews are for supervisors and admins.
    #[error("only supervisors review assessments")]
    NotAReviewer,
    /// Nobody reviews what they submitted themselves.
    #[error("an assessment is reviewed by someone other than the person who submitted it")]
    OwnSubmission,
    /// A closed case takes no new assessment.
    #[error("the case is closed")]
    CaseClosed,
    /// A case has one draft at a time.
    #[error("the case already has a draft assessment")]
    DraftExists(AssessmentId),
    /// The statuses do not match the action plan.
    #[error("expected a status for each of the {expected} actions, got {got}")]
    StatusCount { expected: usize, got: usize },
}

/// A supervisor's decision on a submitted assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewDecision {
    /// Checked, with an optional comment.
    Reviewed(Option<Note>),
    /// Sent back to the operator, saying what to change.
    Returned(Note),
}

/// One record as a transition leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The record as it becomes.
    pub record: Assessment,
    /// The version it must still have in the store (None: it must not exist yet).
    pub expected_version: Option<u64>,
}

/// What a transition did: the record it is about, another one it changed with it (the revision an
/// amendment replaces), and its audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    main: Change,
    also: Option<Change>,
    audit: AuditEvent,
}

impl Transition {
    /// The record the transition is about, as it becomes (for an amendment, the new revision).
    pub fn assessment(&self) -> &Assessment {
        &self.main.record
    }

    /// The record the transition is about.
    pub fn into_assessment(self) -> Assessment {
        self.main.record
    }

    /// Every record it changed or created.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        std::iter::once(&self.main).chain(&self.also)
    }

    /// Its audit entry.
    pub fn audit(&self) -> &AuditEvent {
        &self.audit
    }

    fn of(record: Assessment, expected_version: Option<u64>, audit: AuditEvent) -> Self {
        Self {
            main: Change {
                record,
                expected_version,
            },
            also: None,
            audit,
        }
    }
}

fn event(by: Actor, at: OffsetDateTime, action: AuditAction, target: String) -> AuditEvent {
    AuditEvent::new(at, Some(by.id), action, Outcome::Success).on(target)
}

impl Assessment {
    /// A new draft of `case`, made with `instrument`: the first revision of a new assessment.
    /// `existing` are the case's assessments so far.
    pub fn start(
        id: AssessmentId,
        case: &Case,
        existing: &[Assessment],
        instrument: &Instrument,
        by: Actor,
        at: OffsetDateTime,
    ) -> Result<Transition, LifecycleError> {
        if case.status != CaseStatus::Open {
            return Err(LifecycleError::CaseClosed);
        }
        if let Some(draft) = existing.iter().find(|a| a.is_draft()) {
            return Err(LifecycleError::DraftExists(draft.id));
        }
        let draft = Self::draft(id, case.code.clone(), instrument, by, at);
        let audit = event(by, at, AuditAction::AssessmentStarted, id.to_string());
        Ok(Transition::of(draft, None, audit))
    }

    /// A new, empty draft.
    fn draft(
        id: AssessmentId,
        case: CaseCode,
        instrument: &Instrument,
        by: Actor,
        at: OffsetDateTime,
    ) -> Self {
        Assessment {
            id,
            case,
            series: id,
            revision: 1,
            amend_reason: None,
            superseded_by: None,
            instrument_id: instrument.id.clone(),
            instrument_version: instrument.version.clone(),
            created_by: by.id,
            created_at: at,
            updated_at: at,
            version: 0,
            state: AssessmentState::Draft,
            context: AssessmentContext {
                date: at.date(),
                stage: None,
                reentry: None,
                setting: None,
            },
            answers: Default::default(),
            saved_steps: Default::default(),
            resume_step: Step::Context,
            actions: Vec::new(),
            review: ReviewState::Pending,
        }
    }

    /// An assessment taken through every step and submitted, as `by` would at `at`, through the
    /// same transitions as the pages: for demo data, samples and tests. `answers` may hold any
    /// factors of `instrument`; each level step saves the ones of its level.
    #[allow(clippy::too_many_arguments)]
    pub fn filled_in(
        id: AssessmentId,
        case: CaseCode,
        instrument: &Instrument,
        by: Actor,
        at: OffsetDateTime,
        context: ContextAnswers,
        mut answers: BTreeMap<FactorId, FactorAnswer>,
        plan: Vec<ActionItem>,
    ) -> Result<Self, LifecycleError> {
        let mut a = Self::draft(id, case, instrument, by, at);
        let mut steps = vec![StepAnswers::Context(context)];
        for level in &instrument.levels {
            let of_level = level
                .factors
                .iter()
                .filter_map(|f| answers.remove(&f.id).map(|x| (f.id.clone(), x)))
                .collect();
            steps.push(StepAnswers::Level(LevelAnswers::new(level.id, of_level)));
        }
        steps.push(StepAnswers::Plan(ActionPlan(plan)));
        for step in steps {
            a = a.apply(step, true, by, at)?.into_assessment();
        }
        Ok(a.submit(instrument, by, at)?.into_assessment())
    }

    /// A record built elsewhere (the demo generator, the PDF sample) re-keyed for a store: a new
    /// id (its series too, for a first revision), its case and its author. Not a transition: for
    /// importing fixtures, never for changing a stored assessment.
    #[doc(hidden)]
    pub fn imported(mut self, id: AssessmentId, case: CaseCode, created_by: UserId) -> Self {
        if self.series == self.id {
            self.series = id;
        }
        self.id = id;
        self.case = case;
        self.created_by = created_by;
        self
    }

    /// This record, changed by `change`, one version on.
    fn next(&self, at: OffsetDateTime, change: impl FnOnce(&mut Assessment)) -> Assessment {
        let mut next = self.clone();
        change(&mut next);
        next.version = self.version + 1;
        next.updated_at = at;
        next
    }

    /// Saves one step of a draft. With `go_on` the draft resumes at the next step, otherwise
    /// at this one.
    pub fn apply(
        &self,
        answers: StepAnswers,
        go_on: bool,
        by: Actor,
        at: OffsetDateTime,
    ) -> Result<Transition, LifecycleError> {
        if !self.is_draft() {
            return Err(LifecycleError::NotDraft);
        }
        let step = answers.step();
        let next = self.next(at, |a| {
            match answers {
                StepAnswers::Context(c) => {
                    a.context = AssessmentContext {
                        date: c.date,
                        stage: c.stage,
                        reentry: c.reentry,
                        setting: c.setting,
                    }
                }
                StepAnswers::Level(level) => {
                    for (factor, answer) in level.answers() {
                        a.answers.insert(factor.clone(), answer.clone());
                    }
                }
                StepAnswers::Plan(plan) => a.actions = plan.0,
            }
            a.saved_steps.insert(step);
            a.resume_step = if go_on {
                step.next().unwrap_or(Step::Review)
            } else {
                step
            };
        });
        let audit = event(
            by,
            at,
            AuditAction::AssessmentSaved,
            format!("{} {}", self.id, step.slug()),
        );
        Ok(Transition::of(next, Some(self.version), audit))
    }

    /// Submits a complete draft; it is locked from then on.
    pub fn submit(
        &self,
        instrument: &Instrument,
        by: Actor,
        at: OffsetDateTime,
    ) -> Result<Transition, LifecycleError> {
        if !self.is_draft() {
            return Err(LifecycleError::NotDraft);
        }
        let problems = submission_problems(instrument, self);
        if !problems.is_empty() {
            return Err(LifecycleError::Incomplete(problems));
        }
        let next = self.next(at, |a| {
            a.state = AssessmentState::Submitted { at, by: by.id };
            a.resume_step = Step::Review;
        });
        let audit = event(
            by,
            at,
            AuditAction::AssessmentSubmitted,
            self.id.to_string(),
        );
        Ok(Transition::of(next, Some(self.version), audit))
    }

    /// The rule every change of a submitted assessment shares: it must be the current one.
    pub fn check_current_submission(&self) -> Result<(), LifecycleError> {
        if self.is_draft() {
            Err(LifecycleError::NotSubmitted)
        } else if self.is_superseded() {
            Err(LifecycleError::Superseded)
        } else {
            Ok(())
        }
    }

    /// Starts a new draft revision of a submitted assessment, with a reason. This one is kept,
    /// marked as replaced; the new one copies its answers and plan.
    pub fn amend(
        &self,
        new_id: AssessmentId,
        reason: Note,
        by: Actor,
        at: OffsetDateTime,
    ) -> Result<Transition, LifecycleError> {
        self.check_current_submission()?;
        let replaced = self.next(at, |a| a.superseded_by = Some(new_id));
        let mut revision = self.clone();
        revision.id = new_id;
        revision.revision = self.revision + 1;
        revision.amend_reason = Some(reason);
        revision.superseded_by = None;
        revision.created_by = by.id;
        revision.created_at = at;
        revision.updated_at = at;
        revision.version = 0;
        revision.state = AssessmentState::Draft;
        revision.resume_step = Step::Context;
        revision.review = ReviewState::Pending;
        let audit = event(
            by,
            at,
            AuditAction::AssessmentAmended,
            format!("{} -> {new_id}", self.id),
        );
        Ok(Transition {
            main: Change {
                record: revision,
                expected_version: None,
            },
            also: Some(Change {
                record: replaced,
                expected_version: Some(self.version),
            }),
            audit,
        })
    }

    /// A supervisor's decision (see `access::may_review` for who may take it).
    pub fn review(
        &self,
        decision: ReviewDecision,
        by: Actor,
        at: OffsetDateTime,
    ) -> Result<Transition, LifecycleError> {
        access::may_review(by, self)?;
        let (review, action) = match decision {
            ReviewDecision::Reviewed(comment) => (
                ReviewState::Reviewed {
                    by: by.id,
                    at,
                    comment,
                },
                AuditAction::AssessmentReviewed,
            ),
            ReviewDecision::Returned(comment) => (
                ReviewState::Returned {
                    by: by.id,
                    at,
                    comment,
                },
                AuditAction::AssessmentReturned,
            ),
        };
        let next = self.next(at, |a| a.review = review);
        let audit = event(by, at, action, self.id.to_string());
        Ok(Transition::of(next, Some(self.version), audit))
    }

    /// New statuses for the action plan's lines, in order (progress between assessments).
    pub fn set_action_statuses(
        &self,
        statuses: &[ActionStatus],
        by: Actor,
        at: OffsetDateTime,
    ) -> Result<Transition, LifecycleError> {
        self.check_current_submission()?;
        if statuses.len() != self.actions.len() {
            return Err(LifecycleError::StatusCount {
                expected: self.actions.len(),
                got: statuses.len(),
            });
        }
        let next = self.next(at, |a| {
            for (item, status) in a.actions.iter_mut().zip(statuses) {
                item.status = *status;
            }
        });
        let audit = event(by, at, AuditAction::ActionPlanUpdated, self.id.to_string());
        Ok(Transition::of(next, Some(self.version), audit))
    }
}

#[cfg(test)]
mod tests;
