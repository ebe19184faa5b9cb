//! Every transition, allowed and refused. A refusal is a typed error, never a panic, and leaves
//! the assessment as it was.

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime};

use super::*;
use crate::domain::assessment::{ActionOwner, Direction, Rating, Stage};
use crate::domain::case::{
    AgeBand, CaseAttributes, ClosingReason, Consent, Gender, Region, Route, Site,
};
use crate::domain::{AuditAction, Choice, Month};
use crate::instrument::LevelId;

fn instrument() -> Instrument {
    Instrument::bundled().unwrap()
}

fn at() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + Duration::days(20_000)
}

fn operator() -> Actor {
    Actor::operator(UserId::new(10))
}

fn supervisor() -> Actor {
    Actor::supervisor(UserId::new(20))
}

fn case() -> Case {
    Case {
        code: CaseCode::generate(),
        created_by: operator().id,
        created_at: at(),
        attributes: CaseAttributes {
            age_band: AgeBand::from_id("25_34").unwrap(),
            gender: Gender::Woman,
            region: Region::from_id("not_recorded").unwrap(),
            site: Site::Street,
            route: Route::National,
            programme_start: None,
            consent: Consent::Yes,
        },
        status: CaseStatus::Open,
        shared_with: Vec::new(),
    }
}

fn context(stage: Option<Stage>) -> ContextAnswers {
    ContextAnswers {
        date: Date::from_calendar_date(2024, time::Month::March, 1).unwrap(),
        stage,
        reentry: None,
        setting: None,
    }
}

fn draft() -> Assessment {
    Assessment::start(
        AssessmentId::new(1),
        &case(),
        &[],
        &instrument(),
        operator(),
        at(),
    )
    .unwrap()
    .into_assessment()
}

/// Every answer of every level "not assessed", one priority with its action.
fn submitted() -> Assessment {
    let mut answers = BTreeMap::new();
    let priority = FactorId::from("ind.life_plans");
    answers.insert(
        priority.clone(),
        FactorAnswer {
            rating: Rating::try_from(1).ok(),
            priority: true,
            ..FactorAnswer::default()
        },
    );
    let plan = vec![ActionItem {
        factor: priority,
        action: Note::parse("plan a cooking course", 500).unwrap().unwrap(),
        owner: ActionOwner::CaseWorker,
        target: Month::parse("2030-01").unwrap(),
        status: ActionStatus::Planned,
    }];
    Assessment::filled_in(
        AssessmentId::new(1),
        CaseCode::generate(),
        &instrument(),
        operator(),
        at(),
        context(Some(Stage::Action)),
        answers,
        plan,
    )
    .unwrap()
}

#[test]
fn starting_makes_a_draft_and_refuses_a_closed_case_or_a_second_draft() {
    let t = Assessment::start(
        AssessmentId::new(7),
        &case(),
        &[],
        &instrument(),
        operator(),
        at(),
    )
    .unwrap();
    assert!(t.assessment().is_draft());
    assert_eq!(t.assessment().version(), 0);
    assert_eq!(t.audit().action, AuditAction::AssessmentStarted);
    assert_eq!(t.changes().next().unwrap().expected_version, None);

    let mut closed = case();
    closed.status = CaseStatus::Closed {
        reason: ClosingReason::ALL[0],
        at: at(),
    };
    let refused = Assessment::start(
        AssessmentId::new(8),
        &closed,
        &[],
        &instrument(),
        operator(),
        at(),
    );
    assert_eq!(refused, Err(LifecycleError::CaseClosed));
    let second = Assessment::start(
        AssessmentId::new(9),
        &case(),
        &[draft()],
        &instrument(),
        operator(),
        at(),
    );
    assert_eq!(
        second,
        Err(LifecycleError::DraftExists(AssessmentId::new(1)))
    );
}

#[test]
fn saving_a_step_changes_only_that_step_moves_on_and_is_audited() {
    let d = draft();
    let t = d
        .apply(
            StepAnswers::Context(context(Some(Stage::Preparation))),
            true,
            operator(),
            at(),
        )
        .unwrap();
    let saved = t.assessment();
    assert_eq!(saved.context().stage, Some(Stage::Preparation));
    assert_eq!(saved.version(), d.version() + 1);
    assert_eq!(saved.resume_step(), Step::Individual);
    assert!(saved.saved_steps().contains(&Step::Context));
    assert_eq!(t.changes().next().unwrap().expected_version, Some(0));
    assert_eq!(t.audit().action, AuditAction::AssessmentSaved);
    assert_eq!(t.audit().target.as_deref(), Some("1 context"));

    let level = LevelAnswers::new(
        LevelId::Relational,
        vec![(
            FactorId::from("rel.family"),
            FactorAnswer {
                rating: Rating::try_from(2).ok(),
                direction: Some(Direction::Helps),
                ..FactorAnswer::default()
            },
        )],
    );
    let as_draft = saved
        .apply(StepAnswers::Level(level), false, operator(), at())
        .unwrap();
    assert_eq!(as_draft.assessment().resume_step(), Step::Relational);
    assert_eq!(
        as_draft
            .assessment()
            .answer(&FactorId::from("rel.family"))
            .direction,
        Some(Direction::Helps)
    );
    assert_eq!(
        as_draft.assessment().context(),
        saved.context(),
        "the context is kept"
    );
}

#[test]
fn a_step_saved_on_a_submitted_assessment_is_refused() {
    let s = submitted();
    let refused = s.apply(StepAnswers::Context(context(None)), true, operator(), at());
    assert_eq!(refused, Err(LifecycleError::NotDraft));
}

#[test]
fn submitting_needs_a_stage_and_every_level_and_locks_the_assessment() {
    let d = draft();
    match d.submit(&instrument(), operator(), at()) {
        Err(LifecycleError::Incomplete(problems)) => {
            assert_eq!(problems.len(), 4, "a stage and three levels: {problems:?}")
        }
        other => panic!("expected Incomplete, got {other:?}"),
    }
    let s = submitted();
    assert!(!s.is_draft() && s.is_current_submission());
    assert_eq!(s.submitted().map(|(_, by)| by), Some(operator().id));
    assert_eq!(
        s.submit(&instrument(), operator(), at()),
        Err(LifecycleError::NotDraft),
        "submitting a submitted assessment"
    );
}

#[test]
fn amending_keeps_the_old_revision_and_starts_a_new_draft_with_its_answers() {
    let s = submitted();
    let reason = Note::parse("the family rating was wrong", 500)
        .unwrap()
        .unwrap();
    let t = s
        .amend(AssessmentId::new(2), reason.clone(), operator(), at())
        .unwrap();
    let revision = t.assessment();
    assert!(revision.is_draft());
    assert_eq!(revision.revision(), 2);
    assert_eq!(revision.series(), s.series());
    assert_eq!(revision.amend_reason(), Some(&reason));
    assert_eq!(revision.answers(), s.answers());
    assert_eq!(revision.actions(), s.actions());
    let changes: Vec<&Change> = t.changes().collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].expected_version, None);
    assert_eq!(changes[1].expected_version, Some(s.version()));
    assert_eq!(
        changes[1].record.superseded_by(),
        Some(AssessmentId::new(2))
    );
    assert_eq!(t.audit().target.as_deref(), Some("1 -> 2"));

    assert_eq!(
        draft().amend(AssessmentId::new(3), reason.clone(), operator(), at()),
        Err(LifecycleError::NotSubmitted),
        "amending a draft"
    );
    let replaced = changes[1].record.clone();
    assert_eq!(
        replaced.amend(AssessmentId::new(4), reason, operator(), at()),
        Err(LifecycleError::Superseded),
        "amending a replaced revision"
    );
}

#[test]
fn review_is_for_another_supervisor_on_the_current_submission() {
    let s = submitted();
    let comment = Note::parse("change the plan", 500).unwrap().unwrap();
    let returned = s
        .review(
            ReviewDecision::Returned(comment.clone()),
            supervisor(),
            at(),
        )
        .unwrap();
    assert!(returned.assessment().review_state().is_returned());
    assert_eq!(returned.audit().action, AuditAction::AssessmentReturned);
    let reviewed = s
        .review(ReviewDecision::Reviewed(None), supervisor(), at())
        .unwrap();
    assert!(reviewed.assessment().review_state().is_reviewed());

    assert_eq!(
        s.review(ReviewDecision::Reviewed(None), operator(), at()),
        Err(LifecycleError::NotAReviewer)
    );
    let own = Actor::supervisor(operator().id);
    assert_eq!(
        s.review(ReviewDecision::Reviewed(None), own, at()),
        Err(LifecycleError::OwnSubmission),
        "reviewing one's own submission"
    );
    assert_eq!(
        draft().review(ReviewDecision::Reviewed(None), supervisor(), at()),
        Err(LifecycleError::NotSubmitted)
    );
    let replaced = s
        .amend(AssessmentId::new(2), comment, operator(), at())
        .unwrap()
        .changes()
        .nth(1)
        .unwrap()
        .record
        .clone();
    assert_eq!(
        replaced.review(ReviewDecision::Reviewed(None), supervisor(), at()),
        Err(LifecycleError::Superseded),
        "reviewing a superseded revision"
    );
    assert!(!access::can_review(supervisor(), &replaced));
    assert!(access::can_review(supervisor(), &s));
    assert!(!access::can_review(own, &s));
}

#[test]
fn action_statuses_change_on_the_current_submission_one_per_action() {
    let s = submitted();
    let t = s
        .set_action_statuses(&[ActionStatus::Done], operator(), at())
        .unwrap();
    assert_eq!(t.assessment().actions()[0].status, ActionStatus::Done);
    assert_eq!(t.audit().action, AuditAction::ActionPlanUpdated);
    assert_eq!(
        s.set_action_statuses(&[], operator(), at()),
        Err(LifecycleError::StatusCount {
            expected: 1,
            got: 0
        })
    );
    assert_eq!(
        draft().set_action_statuses(&[], operator(), at()),
        Err(LifecycleError::NotSubmitted)
    );
}
