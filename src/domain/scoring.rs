//! Results of an assessment: resource and barrier scores per level, the three lists (to strengthen,
//! to limit, assess with care), and the checks an assessment must pass before it is submitted.
//! Plain functions of the instrument and the answers, so they are tested without a server.

use std::collections::BTreeMap;

use super::assessment::{Assessment, Direction, FactorAnswer, Rating, Step};
use crate::instrument::{FactorId, FactorRole, Instrument, LevelId};

/// Scores of one level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelScore {
    pub level: LevelId,
    pub title: String,
    /// Mean rating of the assessed facilitating factors, as 0–100; None if none was assessed.
    pub resource: Option<f64>,
    /// How many facilitating factors the resource score rests on.
    pub resource_n: usize,
    /// Mean rating of the assessed hindering factors, as 0–100.
    pub barrier: Option<f64>,
    pub barrier_n: usize,
}

/// A factor on one of the three lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub factor: FactorId,
    pub title: String,
    pub level: LevelId,
    /// The level's title, in the checklist's language.
    pub level_title: String,
    pub rating: Rating,
    pub direction: Option<Direction>,
    pub priority: bool,
}

/// Everything the results page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub levels: Vec<LevelScore>,
    /// Facilitating factors rated 0–1.
    pub strengthen: Vec<ListItem>,
    /// Hindering factors rated 2–3.
    pub limit: Vec<ListItem>,
    /// Controversial factors rated 1 or more.
    pub care: Vec<ListItem>,
    /// Context factors (her situation, not something to build up), whatever their rating: in no
    /// score and on no list to act on.
    pub context: Vec<ListItem>,
}

/// Mean of ratings on a 0–100 scale.
fn percent(ratings: &[u8]) -> Option<f64> {
    if ratings.is_empty() {
        return None;
    }
    let sum: u32 = ratings.iter().map(|&r| u32::from(r)).sum();
    Some(f64::from(sum) / ratings.len() as f64 / 3.0 * 100.0)
}

/// Computes the results of a set of answers under `instrument`.
pub fn results(instrument: &Instrument, answers: &BTreeMap<FactorId, FactorAnswer>) -> Results {
    let mut levels = Vec::new();
    let (mut strengthen, mut limit, mut care) = (Vec::new(), Vec::new(), Vec::new());
    let mut context = Vec::new();
    for level in &instrument.levels {
        let (mut resources, mut barriers) = (Vec::new(), Vec::new());
        for factor in &level.factors {
            let answer = answers.get(&factor.id);
            let Some(rating) = answer.and_then(|a| a.rating) else {
                continue;
            };
            let item = || ListItem {
                factor: factor.id.clone(),
                title: factor.title.clone(),
                level: level.id,
                level_title: level.title.clone(),
                rating,
                direction: answer.and_then(|a| a.direction),
                priority: answer.is_some_and(|a| a.priority),
            };
            if factor.context {
                context.push(item());
                continue;
            }
            match factor.role {
                FactorRole::Facilitating => {
                    resources.push(rating.get());
                    if rating.get() <= 1 {
                        strengthen.push(item());
                    }
                }
                FactorRole::Hindering => {
                    barriers.push(rating.get());
                    if rating.get() >= 2 {
                        limit.push(item());
                    }
                }
                FactorRole::Controversial => {
                    if rating.get() >= 1 {
                        care.push(item());
                    }
                }
            }
        }
        levels.push(LevelScore {
            level: level.id,
            title: level.title.clone(),
            resource: percent(&resources),
            resource_n: resources.len(),
            barrier: percent(&barriers),
            barrier_n: barriers.len(),
        });
    }
    // Priorities first; otherwise checklist order (the sort is stable).
    for list in [&mut strengthen, &mut limit, &mut care] {
        list.sort_by_key(|item| !item.priority);
    }
    Results {
        levels,
        strengthen,
        limit,
        care,
        context,
    }
}

/// Something that stops an assessment from being submitted, with the form field or step it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The step to fix it on.
    pub step: Step,
    /// The id of the field on that step.
    pub anchor: String,
    pub kind: ProblemKind,
}

/// What is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// No stage of change.
    NoStage,
    /// A level step never saved.
    StepNotSaved,
    /// A controversial factor that is present has no direction; its title (in the checklist's
    /// language).
    NoDirection(String),
}

/// What must be fixed before `assessment` can be submitted: a stage of change, every level step
/// gone through (each factor rated or left "not assessed" on purpose), a direction for every
/// controversial factor that is present.
pub fn submission_problems(instrument: &Instrument, assessment: &Assessment) -> Vec<Problem> {
    let mut problems = Vec::new();
    if assessment.context().stage.is_none() {
        problems.push(Problem {
            step: Step::Context,
            anchor: "stage".into(),
            kind: ProblemKind::NoStage,
        });
    }
    for level in &instrument.levels {
        let step = Step::for_level(level.id);
        if !assessment.saved_steps().contains(&step) {
            problems.push(Problem {
                step,
                anchor: "factors".into(),
                kind: ProblemKind::StepNotSaved,
            });
            continue;
        }
        for factor in level
            .factors
            .iter()
            .filter(|f| f.role == FactorRole::Controversial)
        {
            let answer = assessment.answer(&factor.id);
            if answer.rating.is_some_and(|r| r.get() >= 1) && answer.direction.is_none() {
                problems.push(Problem {
                    step,
                    anchor: format!("{}-direction", factor.id.dom_id()),
                    kind: ProblemKind::NoDirection(factor.title.clone()),
                });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instrument() -> Instrument {
        Instrument::bundled().unwrap()
    }

    fn rated(pairs: &[(&str, u8)]) -> BTreeMap<FactorId, FactorAnswer> {
        let instrument = instrument();
        pairs
            .iter()
            .map(|(id, r)| {
                let factor = instrument
                    .factors()
                    .find(|(_, f)| f.id.as_str() == *id)
                    .unwrap()
                    .1;
                (
                    factor.id.clone(),
                    FactorAnswer {
                        rating: Some(Rating::try_from(*r).unwrap()),
                        ..Default::default()
                    },
                )
            })
            .collect()
    }

    #[test]
    fn level_scores_are_the_mean_of_assessed_factors_on_a_0_to_100_scale() {
        // Individual: facilitating 3, 2, 1 -> mean 2 -> 66.7; hindering shame 3 -> 100.
        let answers = rated(&[
            ("ind.spirituality", 3),
            ("ind.life_plans", 2),
            ("ind.autonomy", 1),
            ("ind.shame", 3),
        ]);
        let r = results(&instrument(), &answers);
        let ind = &r.levels[0];
        assert_eq!(ind.resource_n, 3);
        assert!((ind.resource.unwrap() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!((ind.barrier, ind.barrier_n), (Some(100.0), 1));
        let rel = &r.levels[1];
        assert_eq!(
            (rel.resource, rel.resource_n, rel.barrier, rel.barrier_n),
            (None, 0, None, 0)
        );
    }

    #[test]
    fn not_assessed_factors_do_not_count_and_controversial_ones_never_score() {
        let answers = rated(&[("ind.substance_use", 3), ("rel.family", 2)]);
        let r = results(&instrument(), &answers);
        assert!(
            r.levels
                .iter()
                .all(|l| l.resource_n == 0 && l.barrier_n == 0)
        );
        assert_eq!(r.care.len(), 2);
    }

    #[test]
    fn the_lists_follow_the_thresholds_with_priorities_first() {
        let mut answers = rated(&[
            ("ind.spirituality", 0),
            ("ind.life_plans", 1),
            ("ind.autonomy", 2),
            ("ind.shame", 1),
            ("rel.stigma", 2),
            ("str.low_income", 3),
            ("rel.family", 0),
            ("rel.religious_community", 1),
        ]);
        answers
            .get_mut(&FactorId::from("ind.life_plans"))
            .unwrap()
            .priority = true;
        let r = results(&instrument(), &answers);
        let ids = |list: &[ListItem]| {
            list.iter()
                .map(|i| i.factor.as_str().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&r.strengthen), ["ind.life_plans", "ind.spirituality"]);
        assert_eq!(ids(&r.limit), ["rel.stigma", "str.low_income"]);
        assert_eq!(ids(&r.care), ["rel.religious_community"]);
    }

    #[test]
    fn context_factors_change_no_score_and_are_never_to_strengthen() {
        let base = rated(&[("ind.spirituality", 3), ("str.employment", 2)]);
        let mut with_context = base.clone();
        with_context.extend(rated(&[
            ("ind.exploitation_setting", 0),
            ("str.cultural_orientation", 0),
        ]));
        let (before, after) = (
            results(&instrument(), &base),
            results(&instrument(), &with_context),
        );
        assert_eq!(before.levels, after.levels, "rated 0, they move no score");
        assert!(after.strengthen.is_empty(), "{:?}", after.strengthen);
        let context: Vec<&str> = after.context.iter().map(|i| i.factor.as_str()).collect();
        assert_eq!(
            context,
            ["ind.exploitation_setting", "str.cultural_orientation"]
        );
    }

    #[test]
    fn an_assessment_of_version_1_keeps_the_scores_it_had() {
        let all = crate::instrument::Instruments::bundled().unwrap();
        let v1 = all.find("exit-factors", "1").unwrap();
        let answers = rated(&[("ind.spirituality", 3), ("ind.exploitation_setting", 0)]);
        let old = results(v1, &answers);
        // Under version 1 the setting counted: (3 + 0) / 2 of 3 = 50, and it was to strengthen.
        assert_eq!(old.levels[0].resource, Some(50.0));
        assert_eq!(old.levels[0].resource_n, 2);
        assert_eq!(old.strengthen.len(), 1);
        assert!(old.context.is_empty());
        // Version 2 reads the same answers as context.
        let new = results(all.active(), &answers);
        assert_eq!(new.levels[0].resource, Some(100.0));
        assert!(new.strengthen.is_empty());
    }
}
