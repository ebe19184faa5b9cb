//! Aggregate results across cases for supervisors and funders, with disclosure control applied
//! before anything leaves this module.
//!
//! The unit of analysis is the case: its latest counted assessment within the period (and, for
//! change over time, its first one). "Counted" means submitted, not replaced by a later revision,
//! and reviewed when the settings say so. Cases without consent to aggregate reporting are left
//! out entirely. One pass over the assessments groups them by case; everything else works on that.

use std::collections::HashMap;

use super::assessment::{Assessment, Direction, Stage};
use super::case::Consent;
use super::case::{AgeBand, Region, Route, Site};
use super::disclosure::{Figure, protect, scope_is_large_enough};
use super::{Case, CaseCode, Choice, Month, UserId};
use crate::instrument::{Factor, FactorId, FactorRole, Instrument, LevelId};

/// What the dashboard is filtered by. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub from: Option<Month>,
    pub to: Option<Month>,
    pub operator: Option<UserId>,
    pub age_band: Option<AgeBand>,
    pub site: Option<Site>,
    pub route: Option<Route>,
    pub region: Option<Region>,
    /// Stage of change at the latest counted assessment.
    pub stage: Option<Stage>,
}

/// Which assessments count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counting {
    pub reviewed_only: bool,
    pub k: usize,
}

/// Mean scores of one level over the cases in scope.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelMeans {
    pub level: LevelId,
    pub resource: Figure,
    pub barrier: Figure,
    /// Mean change from first to latest assessment (cases with two or more).
    pub resource_change: Figure,
    pub barrier_change: Figure,
}

/// One factor across the cases in scope.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorFigures {
    pub factor: FactorId,
    pub title: String,
    pub level: LevelId,
    pub role: FactorRole,
    /// Share (0–100) of assessed cases where a facilitating factor is present (≥2), a hindering
    /// one strong (≥2), or a controversial one present (≥1).
    pub present: Figure,
    /// Controversial factors: share of present cases where it helps, hinders, both, unclear.
    pub directions: Vec<(Direction, Figure)>,
}

/// Everything the dashboard shows, already protected.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub k: usize,
    pub reviewed_only: bool,
    /// Cases left out for lack of consent (itself hidden when small).
    pub without_consent: Figure,
    /// Cases in scope; when below k nothing else is filled in.
    pub cases: usize,
    pub enough: bool,
    pub assessments: Figure,
    pub stages: Vec<(Stage, Figure)>,
    pub levels: Vec<LevelMeans>,
    pub factors: Vec<FactorFigures>,
    /// Cases with two or more assessments, and the shares that improved or worsened overall.
    pub followed: Figure,
    pub improved: Figure,
    pub worsened: Figure,
    /// Cases with a re-entry recorded in the period.
    pub reentries: Figure,
    /// The facilitating factors most often absent (rated 0–1), largest share first.
    pub missing_support: Vec<(String, Figure)>,
    /// Factor presence by stage: per stage, per factor (same order as `factors`).
    pub by_stage: Vec<(Stage, Vec<Figure>)>,
}

fn in_period(a: &Assessment, f: &Filters) -> bool {
    let month = Month::of(a.context.date.midnight().assume_utc());
    f.from.is_none_or(|from| month >= from) && f.to.is_none_or(|to| month <= to)
}

fn case_matches(c: &Case, f: &Filters) -> bool {
    f.operator.is_none_or(|o| c.created_by == o)
        && f.age_band.is_none_or(|v| c.attributes.age_band == v)
        && f.site.is_none_or(|v| c.attributes.site == v)
        && f.route.is_none_or(|v| c.attributes.route == v)
        && f.region.is_none_or(|v| c.attributes.region == v)
}

fn mean(values: &[f64]) -> Figure {
    let n = values.len();
    let value = if n == 0 {
        0.0
    } else {
        values.iter().sum::<f64>() / n as f64
    };
    Figure::new(value, n)
}

/// A share in percent; hidden when resting on fewer than k cases, or when the cases it counts are
/// fewer than k (a small group with the attribute could be recognised).
fn share(count: usize, of: usize, k: usize) -> Figure {
    let value = if of == 0 {
        0.0
    } else {
        count as f64 * 100.0 / of as f64
    };
    let mut figure = Figure::new(value, of);
    figure.suppressed = of < k || (count > 0 && count < k);
    figure
}

/// A count of cases, hidden below k.
fn count(n: usize, k: usize) -> Figure {
    let mut figure = Figure::new(n as f64, n);
    figure.suppressed = n < k;
    figure
}

/// Resource (0) and barrier (1) score of each level, as in `scoring::results`.
type LevelScores = Vec<[Option<f64>; 2]>;

/// One case in scope, reduced to what the figures need.
struct CaseRow {
    stage: Option<Stage>,
    /// Rating per factor position at the latest assessment (None: not assessed).
    latest: Vec<Option<u8>>,
    directions: Vec<Option<Direction>>,
    scores: LevelScores,
    /// Level scores at the first assessment, for cases with two or more.
    first: Option<LevelScores>,
}

/// Where each factor sits, so that an assessment's answers are read in one merge, without lookups.
struct Layout {
    /// Factor positions in the order of their ids (the order answers are stored in).
    by_id: Vec<(String, usize)>,
    /// Per factor position: level index and score slot (0 resource, 1 barrier, None neither).
    slots: Vec<(usize, Option<usize>)>,
    levels: usize,
}

impl Layout {
    fn new(instrument: &Instrument, factors: &[(LevelId, &Factor)]) -> Self {
        let mut by_id: Vec<(String, usize)> = factors
            .iter()
            .enumerate()
            .map(|(i, (_, f))| (f.id.as_str().to_owned(), i))
            .collect();
        by_id.sort();
        let slots = factors
            .iter()
            .map(|(level, f)| {
                let li = instrument
                    .levels
                    .iter()
                    .position(|l| l.id == *level)
                    .unwrap_or(0);
                let slot = match f.role {
                    FactorRole::Facilitating => Some(0),
                    FactorRole::Hindering => Some(1),
                    FactorRole::Controversial => None,
                };
                (li, slot)
            })
            .collect();
        Self {
            by_id,
            slots,
            levels: instrument.levels.len(),
        }
    }

    /// Ratings and directions by factor position, merging the sorted answers with the sorted ids.
    fn read(&self, a: &Assessment) -> (Vec<Option<u8>>, Vec<Option<Direction>>) {
        let mut ratings = vec![None; self.slots.len()];
        let mut directions = vec![None; self.slots.len()];
        let mut ids = self.by_id.iter().peekable();
        for (id, answer) in &a.answers {
            while ids
                .peek()
                .is_some_and(|(known, _)| known.as_str() < id.as_str())
            {
                ids.next();
            }
            if let Some((known, pos)) = ids.peek()
                && known.as_str() == id.as_str()
            {
                ratings[*pos] = answer.rating.map(|r| r.get());
                directions[*pos] = answer.direction;
            }
        }
        (ratings, directions)
    }

    /// The resource and barrier score of every level.
    fn scores(&self, ratings: &[Option<u8>]) -> LevelScores {
        let mut sums = vec![[(0u32, 0u32); 2]; self.levels];
        for ((li, slot), rating) in self.slots.iter().zip(ratings) {
            if let (Some(slot), Some(r)) = (slot, rating) {
                sums[*li][*slot].0 += u32::from(*r);
                sums[*li][*slot].1 += 1;
            }
        }
        sums.into_iter()
            .map(|pair| {
                pair.map(|(sum, n)| (n > 0).then(|| f64::from(sum) / f64::from(n) / 3.0 * 100.0))
            })
            .collect()
    }
}

/// Computes the dashboard. `assessments` may be every assessment in the store, in any order.
pub fn compute(
    instrument: &Instrument,
    cases: &[Case],
    assessments: &[Assessment],
    filters: &Filters,
    counting: Counting,
) -> Dashboard {
    let k = counting.k;
    let by_code: HashMap<&CaseCode, &Case> = cases.iter().map(|c| (&c.code, c)).collect();
    let mut without_consent = 0usize;
    for c in cases {
        if c.attributes.consent != Consent::Yes && case_matches(c, filters) {
            without_consent += 1;
        }
    }

    // One pass: the first and the latest counted assessment of each case in the period. Ordered by
    // case code so that sums come out the same, to the last bit, every time.
    let mut per_case: HashMap<&CaseCode, (&Assessment, &Assessment, usize, bool)> = HashMap::new();
    for a in assessments {
        let counted = !a.is_draft()
            && a.superseded_by.is_none()
            && (!counting.reviewed_only || a.review.is_reviewed());
        if !counted || !in_period(a, filters) {
            continue;
        }
        let Some(case) = by_code.get(&a.case) else {
            continue;
        };
        if case.attributes.consent != Consent::Yes || !case_matches(case, filters) {
            continue;
        }
        let key = (a.context.date, a.id);
        let reentry = a.context.reentry == Some(super::assessment::ReEntry::Yes);
        per_case
            .entry(&a.case)
            .and_modify(|(first, latest, n, re)| {
                if key < (first.context.date, first.id) {
                    *first = a;
                }
                if key > (latest.context.date, latest.id) {
                    *latest = a;
                }
                *n += 1;
                *re |= reentry;
            })
            .or_insert((a, a, 1, reentry));
    }
    if let Some(stage) = filters.stage {
        per_case.retain(|_, (_, latest, _, _)| latest.context.stage == Some(stage));
    }

    let cases_n = per_case.len();
    let mut dashboard = Dashboard {
        k,
        reviewed_only: counting.reviewed_only,
        without_consent: count(without_consent, k),
        cases: cases_n,
        enough: scope_is_large_enough(cases_n, k),
        assessments: count(0, k),
        stages: Vec::new(),
        levels: Vec::new(),
        factors: Vec::new(),
        followed: count(0, k),
        improved: share(0, 0, k),
        worsened: share(0, 0, k),
        reentries: count(0, k),
        missing_support: Vec::new(),
        by_stage: Vec::new(),
    };
    if !dashboard.enough {
        return dashboard;
    }
    let assessments_n: usize = per_case.values().map(|(_, _, n, _)| n).sum();
    dashboard.assessments = count(assessments_n, k);
    dashboard.reentries = count(per_case.values().filter(|(_, _, _, re)| *re).count(), k);

    // Compact rows: each case's ratings by factor position and its six level scores, read once,
    // in case-code order so that sums come out the same to the last bit every time. Every figure
    // below is a counting loop over these rows, which keeps the page fast as the data grow.
    let factors: Vec<(LevelId, &Factor)> = instrument.factors().collect();
    let layout = Layout::new(instrument, &factors);
    let mut in_scope: Vec<_> = per_case.into_iter().collect();
    in_scope.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let rows: Vec<CaseRow> = in_scope
        .iter()
        .map(|(_, (first, latest, n, _))| {
            let (ratings, directions) = layout.read(latest);
            let first = (*n >= 2).then(|| layout.scores(&layout.read(first).0));
            CaseRow {
                stage: latest.context.stage,
                scores: layout.scores(&ratings),
                latest: ratings,
                directions,
                first,
            }
        })
        .collect();

    // Stages of change at the latest assessment: a distribution with its total shown.
    let stage_line: Vec<Figure> = Stage::ALL
        .iter()
        .map(|s| {
            let n = rows.iter().filter(|r| r.stage == Some(*s)).count();
            Figure::new(n as f64, n)
        })
        .collect();
    let mut lines = vec![stage_line];
    protect(&mut lines, k, true, false);
    dashboard.stages = Stage::ALL.iter().copied().zip(lines.remove(0)).collect();

    // Level means and their change from first to latest.
    for (li, level) in instrument.levels.iter().enumerate() {
        let latest = |role: usize| {
            rows.iter()
                .filter_map(|r| r.scores[li][role])
                .collect::<Vec<_>>()
        };
        let change = |role: usize| {
            rows.iter()
                .filter_map(|r| Some(r.scores[li][role]? - r.first.as_ref()?[li][role]?))
                .collect::<Vec<_>>()
        };
        let mut figures = [
            mean(&latest(0)),
            mean(&latest(1)),
            mean(&change(0)),
            mean(&change(1)),
        ];
        for f in &mut figures {
            f.suppressed = f.n < k;
        }
        let [resource, barrier, resource_change, barrier_change] = figures;
        dashboard.levels.push(LevelMeans {
            level: level.id,
            resource,
            barrier,
            resource_change,
            barrier_change,
        });
    }
    let overall = |scores: &LevelScores| {
        let v: Vec<f64> = scores.iter().filter_map(|l| l[0]).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let followed: Vec<&CaseRow> = rows.iter().filter(|r| r.first.is_some()).collect();
    let moved: Vec<f64> = followed
        .iter()
        .filter_map(|r| Some(overall(&r.scores)? - overall(r.first.as_ref()?)?))
        .collect();
    dashboard.followed = count(followed.len(), k);
    dashboard.improved = share(moved.iter().filter(|d| **d > 0.0).count(), moved.len(), k);
    dashboard.worsened = share(moved.iter().filter(|d| **d < 0.0).count(), moved.len(), k);

    // Factors: presence, and for controversial ones the direction among the cases where present.
    let threshold = |role: FactorRole| {
        if role == FactorRole::Controversial {
            1
        } else {
            2
        }
    };
    let presence = |subset: &[&CaseRow], i: usize, role: FactorRole| {
        let assessed = subset.iter().filter(|r| r.latest[i].is_some()).count();
        let present = subset
            .iter()
            .filter(|r| r.latest[i].is_some_and(|v| v >= threshold(role)))
            .count();
        share(present, assessed, k)
    };
    let all: Vec<&CaseRow> = rows.iter().collect();
    for (i, (level, factor)) in factors.iter().enumerate() {
        let directions = if factor.role == FactorRole::Controversial {
            let present: Vec<&&CaseRow> = all
                .iter()
                .filter(|r| r.latest[i].is_some_and(|v| v >= 1))
                .collect();
            Direction::ALL
                .iter()
                .map(|d| {
                    (
                        *d,
                        share(
                            present
                                .iter()
                                .filter(|r| r.directions[i] == Some(*d))
                                .count(),
                            present.len(),
                            k,
                        ),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        dashboard.factors.push(FactorFigures {
            factor: factor.id.clone(),
            title: factor.title.clone(),
            level: *level,
            role: factor.role,
            present: presence(&all, i, factor.role),
            directions,
        });
    }

    // Where support is missing: facilitating factors rated 0–1, by share.
    let mut missing: Vec<(String, Figure)> = factors
        .iter()
        .enumerate()
        .filter(|(_, (_, f))| f.role == FactorRole::Facilitating)
        .map(|(i, (_, f))| {
            let rated = rows.iter().filter(|r| r.latest[i].is_some()).count();
            let absent = rows
                .iter()
                .filter(|r| r.latest[i].is_some_and(|v| v <= 1))
                .count();
            (f.title.clone(), share(absent, rated, k))
        })
        .filter(|(_, fig)| !fig.suppressed)
        .collect();
    missing.sort_by(|a, b| b.1.value.total_cmp(&a.1.value));
    missing.truncate(5);
    dashboard.missing_support = missing;

    // Factor presence by stage.
    for stage in Stage::ALL {
        let at_stage: Vec<&CaseRow> = rows.iter().filter(|r| r.stage == Some(*stage)).collect();
        let row = factors
            .iter()
            .enumerate()
            .map(|(i, (_, f))| presence(&at_stage, i, f.role))
            .collect();
        dashboard.by_stage.push((*stage, row));
    }
    dashboard
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use time::{Date, Month as CalMonth, OffsetDateTime};

    use super::*;
    use crate::domain::assessment::{
        AssessmentContext, AssessmentId, AssessmentState, FactorAnswer, Rating, ReEntry,
        ReviewState, Step,
    };
    use crate::domain::case::{CaseAttributes, Gender};
    use crate::domain::{CaseStatus, UserId};

    struct Fixture {
        instrument: Instrument,
        cases: Vec<Case>,
        assessments: Vec<Assessment>,
    }

    impl Fixture {
        fn new() -> Self {
            Self {
                instrument: Instrument::bundled().unwrap(),
                cases: Vec::new(),
                assessments: Vec::new(),
            }
        }

        fn case(&mut self, consent: Consent, site: Site) -> CaseCode {
            let code = CaseCode::generate();
            self.cases.push(Case {
                code: code.clone(),
                created_by: UserId::new(1),
                created_at: OffsetDateTime::UNIX_EPOCH,
                attributes: CaseAttributes {
                    age_band: AgeBand::From25To34,
                    gender: Gender::Woman,
                    region: Region::NotRecorded,
                    site,
                    route: Route::National,
                    programme_start: None,
                    consent,
                },
                status: CaseStatus::Open,
                shared_with: Vec::new(),
            });
            code
        }

        fn assess(
            &mut self,
            case: &CaseCode,
            month: u8,
            stage: Stage,
            reviewed: bool,
            ratings: &[(&str, u8)],
        ) {
            let id = AssessmentId::new(self.assessments.len() as u64 + 1);
            let date =
                Date::from_calendar_date(2025, CalMonth::try_from(month).unwrap(), 10).unwrap();
            let answers: BTreeMap<FactorId, FactorAnswer> = ratings
                .iter()
                .map(|(f, r)| {
                    let direction = f.ends_with("family").then_some(Direction::Helps);
                    (
                        FactorId::from(*f),
                        FactorAnswer {
                            rating: Rating::try_from(*r).ok(),
                            direction,
                            ..Default::default()
                        },
                    )
                })
                .collect();
            let at = date.midnight().assume_utc();
            self.assessments.push(Assessment {
                id,
                case: case.clone(),
                series: id,
                revision: 1,
                amend_reason: None,
                superseded_by: None,
                instrument_id: "exit-factors".into(),
                instrument_version: "1".into(),
                created_by: UserId::new(1),
                created_at: at,
                updated_at: at,
                version: 1,
                state: AssessmentState::Submitted {
                    at,
                    by: UserId::new(1),
                },
                context: AssessmentContext {
                    date,
                    stage: Some(stage),
                    reentry: Some(ReEntry::No),
                    setting: None,
                },
                answers,
                saved_steps: Step::ALL.into_iter().collect::<BTreeSet<_>>(),
                resume_step: Step::Review,
                actions: Vec::new(),
                review: if reviewed {
                    ReviewState::Reviewed {
                        by: UserId::new(2),
                        at,
                        comment: None,
                    }
                } else {
                    ReviewState::Pending
                },
            });
        }

        fn compute(&self, filters: &Filters, k: usize, reviewed_only: bool) -> Dashboard {
            compute(
                &self.instrument,
                &self.cases,
                &self.assessments,
                filters,
                Counting { reviewed_only, k },
            )
        }
    }

    fn level(d: &Dashboard, id: LevelId) -> &LevelMeans {
        d.levels.iter().find(|l| l.level == id).unwrap()
    }

    fn factor<'a>(d: &'a Dashboard, id: &str) -> &'a FactorFigures {
        d.factors.iter().find(|f| f.factor.as_str() == id).unwrap()
    }

    /// Six consenting cases, hand-checked figures with k = 3.
    fn six_cases() -> Fixture {
        let mut fx = Fixture::new();
        let spirituality = [3, 2, 2, 0, 1, 3];
        for (i, r) in spirituality.iter().enumerate() {
            let code = fx.case(Consent::Yes, Site::Street);
            let stage = if i < 4 {
                Stage::Action
            } else {
                Stage::Maintenance
            };
            fx.assess(
                &code,
                3,
                stage,
                true,
                &[
                    ("ind.spirituality", *r),
                    ("ind.shame", 3),
                    ("rel.family", 2),
                ],
            );
        }
        fx
    }

    #[test]
    fn figures_match_a_hand_computed_fixture() {
        let fx = six_cases();
        let d = fx.compute(&Filters::default(), 3, true);
        assert!(d.enough);
        assert_eq!(d.cases, 6);
        assert_eq!(d.assessments.shown(), Some(6.0));
        // Individual resources: ratings 3,2,2,0,1,3 -> 100, 66.7, 66.7, 0, 33.3, 100 -> mean 61.1.
        let ind = level(&d, LevelId::Individual);
        assert!((ind.resource.shown().unwrap() - 61.111).abs() < 0.01);
        assert_eq!(ind.barrier.shown(), Some(100.0));
        // Spirituality present (>= 2) in 4 of 6 cases.
        assert!((factor(&d, "ind.spirituality").present.shown().unwrap() - 66.667).abs() < 0.01);
        // Family present in all six and helps in all six.
        let family = factor(&d, "rel.family");
        assert_eq!(family.present.shown(), Some(100.0));
        assert_eq!(
            family.directions[0],
            (Direction::Helps, Figure::new(100.0, 6))
        );
        // Stages: 4 action shown, 2 maintenance hidden (and the zero stages).
        let stage = |s: Stage| d.stages.iter().find(|(x, _)| *x == s).unwrap().1.clone();
        assert_eq!(stage(Stage::Action).shown(), Some(4.0));
        assert!(stage(Stage::Maintenance).suppressed);
    }

    #[test]
    fn a_filter_leaving_fewer_than_k_cases_shows_no_figures() {
        let mut fx = six_cases();
        for _ in 0..4 {
            let code = fx.case(Consent::Yes, Site::Online);
            fx.assess(&code, 3, Stage::Action, true, &[("ind.spirituality", 3)]);
        }
        let online = Filters {
            site: Some(Site::Online),
            ..Filters::default()
        };
        let d = fx.compute(&online, 5, true);
        assert_eq!(d.cases, 4);
        assert!(!d.enough);
        assert!(d.levels.is_empty() && d.factors.is_empty() && d.stages.is_empty());
    }

    #[test]
    fn cases_without_consent_never_count() {
        let mut fx = six_cases();
        let before = fx.compute(&Filters::default(), 3, true);
        for _ in 0..3 {
            let code = fx.case(Consent::No, Site::Street);
            fx.assess(&code, 3, Stage::Action, true, &[("ind.spirituality", 0)]);
        }
        let after = fx.compute(&Filters::default(), 3, true);
        assert_eq!(after.cases, 6);
        assert_eq!(after.levels, before.levels);
        assert_eq!(
            after.without_consent.shown(),
            Some(3.0),
            "the number left out is shown when not small"
        );
        assert!(
            before.without_consent.suppressed,
            "zero left out is a small number too"
        );
    }

    #[test]
    fn unreviewed_assessments_count_only_when_the_setting_says_so() {
        let mut fx = six_cases();
        let code = fx.case(Consent::Yes, Site::Street);
        fx.assess(&code, 3, Stage::Action, false, &[("ind.spirituality", 0)]);
        assert_eq!(fx.compute(&Filters::default(), 3, true).cases, 6);
        assert_eq!(fx.compute(&Filters::default(), 3, false).cases, 7);
    }

    #[test]
    fn shares_and_means_from_small_groups_are_hidden() {
        let mut fx = six_cases();
        // Only two cases rate self-esteem: its share rests on 2 < 3 cases.
        let code = fx.case(Consent::Yes, Site::Street);
        fx.assess(&code, 3, Stage::Action, true, &[("ind.self_esteem", 3)]);
        let code = fx.case(Consent::Yes, Site::Street);
        fx.assess(&code, 3, Stage::Action, true, &[("ind.self_esteem", 3)]);
        let d = fx.compute(&Filters::default(), 3, true);
        assert!(factor(&d, "ind.self_esteem").present.suppressed);
        // Nobody has two assessments: change figures are hidden.
        assert!(level(&d, LevelId::Individual).resource_change.suppressed);
    }

    #[test]
    fn one_small_stage_hides_a_complementary_stage_too() {
        let mut fx = Fixture::new();
        let counts = [
            (Stage::Precontemplation, 3),
            (Stage::Contemplation, 4),
            (Stage::Preparation, 3),
            (Stage::Action, 5),
            (Stage::Maintenance, 1),
            (Stage::Reentry, 3),
        ];
        for (stage, n) in counts {
            for _ in 0..n {
                let code = fx.case(Consent::Yes, Site::Street);
                fx.assess(&code, 3, stage, true, &[]);
            }
        }
        let d = fx.compute(&Filters::default(), 3, true);
        let hidden: Vec<Stage> = d
            .stages
            .iter()
            .filter(|(_, f)| f.suppressed)
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(hidden.len(), 2, "{hidden:?}");
        assert!(hidden.contains(&Stage::Maintenance));
    }

    #[test]
    fn change_over_time_uses_the_first_and_latest_assessment_in_the_period() {
        let mut fx = Fixture::new();
        for _ in 0..3 {
            let code = fx.case(Consent::Yes, Site::Street);
            fx.assess(&code, 2, Stage::Contemplation, true, &[("ind.autonomy", 0)]);
            fx.assess(&code, 6, Stage::Action, true, &[("ind.autonomy", 3)]);
        }
        let d = fx.compute(&Filters::default(), 3, true);
        assert_eq!(
            level(&d, LevelId::Individual).resource_change.shown(),
            Some(100.0)
        );
        assert_eq!(d.improved.shown(), Some(100.0));
        let march_on = Filters {
            from: Month::parse("2025-03").ok(),
            ..Filters::default()
        };
        let d = fx.compute(&march_on, 3, true);
        assert_eq!(
            d.followed.value, 0.0,
            "the February assessments are outside the period"
        );
    }
}
