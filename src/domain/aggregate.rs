//! Aggregate results across cases for supervisors and funders, with disclosure control applied
//! before anything leaves this module.
//!
//! The unit of analysis is the case: its latest counted assessment within the period (and, for
//! change over time, its first one). "Counted" means submitted, not replaced by a later revision,
//! and reviewed when the settings say so. Cases without consent to aggregate reporting are left
//! out entirely. One pass over the assessments groups them by case; everything else works on that.

mod rows;
pub mod view;

pub use rows::{AssessmentRow, CaseFacts, CaseRow, CaseView, LevelScores, PackedAnswer, Rows};

use super::assessment::{Direction, Stage};
use super::case::Consent;
use super::case::{AgeBand, Region, Route, Site};
use super::disclosure::{Figure, protect, scope_is_large_enough};
use super::{Choice, Month, UserId};
use crate::instrument::{Factor, FactorId, FactorRole, Instrument, LevelId};
use time::Date;

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
    /// Describes her situation (see `Factor::context`).
    pub context: bool,
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
    pub missing_support: Vec<(crate::instrument::FactorId, Figure)>,
    /// Factor presence by stage: per stage, per factor (same order as `factors`).
    pub by_stage: Vec<(Stage, Vec<Figure>)>,
}

/// The period's bounds as dates: from the first day of `from`, up to (not including) the first
/// day of the month after `to`.
fn period(f: &Filters) -> (Option<Date>, Option<Date>) {
    (
        f.from.map(Month::first_day),
        f.to.map(|to| to.next().first_day()),
    )
}

fn in_period(date: Date, (from, until): (Option<Date>, Option<Date>)) -> bool {
    from.is_none_or(|from| date >= from) && until.is_none_or(|until| date < until)
}

fn case_matches(c: &CaseFacts, f: &Filters) -> bool {
    f.operator.is_none_or(|o| c.created_by == o)
        && f.age_band.is_none_or(|v| c.age_band == v)
        && f.site.is_none_or(|v| c.site == v)
        && f.route.is_none_or(|v| c.route == v)
        && f.region.is_none_or(|v| c.region == v)
}

/// A running mean, summed in the order values come (case-code order within each half of
/// `compute`), so it comes out the same to the last bit every time.
#[derive(Debug, Clone, Copy, Default)]
struct Mean {
    sum: f64,
    n: usize,
}

impl Mean {
    fn add(&mut self, value: f64) {
        self.sum += value;
        self.n += 1;
    }

    /// The mean as a figure, hidden when it rests on fewer than `k` cases.
    fn figure(self, k: usize) -> Figure {
        let value = if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        };
        let mut figure = Figure::new(value, self.n);
        figure.suppressed = self.n < k;
        figure
    }
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

/// Computes the dashboard from the compact rows of every case and assessment in the store: each
/// case in scope is added to running totals (nothing per case is kept), the two halves of the
/// cases on two threads. At a million assessments this takes tens of milliseconds and no memory
/// to speak of.
pub fn compute(
    instrument: &Instrument,
    rows: &Rows,
    filters: &Filters,
    counting: Counting,
) -> Dashboard {
    let k = counting.k;
    let factors: Vec<(LevelId, &Factor)> = instrument.factors().collect();
    let thresholds: Vec<u8> = factors.iter().map(|(_, f)| threshold(f.role)).collect();
    let period = period(filters);
    let levels = instrument.levels.len();

    // Two halves of the cases (by code, so the split never depends on how the rows are laid out
    // in memory) added up side by side, then together: the sums come out the same every time.
    let half = |from: u64, to: u64| {
        let mut totals = Totals::new(levels, factors.len());
        for case in rows.cases_in(from, to) {
            totals.add(case, rows, filters, counting, period);
        }
        totals
    };
    let totals = std::thread::scope(|s| {
        let high = std::thread::Builder::new().spawn_scoped(s, || half(HALF_CODE, u64::MAX));
        let low = half(0, HALF_CODE);
        // A thread that could not start or finish: its half is added here instead.
        let high = match high {
            Ok(running) => running.join().ok(),
            Err(_) => None,
        };
        low.merge(high.unwrap_or_else(|| half(HALF_CODE, u64::MAX)))
    });
    let Totals {
        without_consent,
        cases: cases_n,
        assessments: assessments_n,
        reentries,
        stages,
        level_means,
        followed,
        moved,
        improved,
        worsened,
        answer_counts,
    } = totals;

    // Per factor (and per factor and stage): how many rated it, found it present, absent, and
    // which way it went.
    let mut overall = vec![Tally::default(); factors.len()];
    let mut by_stage = vec![vec![Tally::default(); factors.len()]; Stage::ALL.len()];
    for (g, group) in answer_counts.chunks(factors.len()).enumerate() {
        for (f, counted) in group.iter().enumerate() {
            for (byte, n) in counted.iter().enumerate().filter(|(_, n)| **n > 0) {
                let answer = PackedAnswer::from_byte(byte as u8);
                let Some(rating) = answer.rating() else {
                    continue;
                };
                let present = rating >= thresholds[f];
                let n = *n as usize;
                overall[f].add(n, rating, present, answer.direction());
                if let Some(stage) = by_stage.get_mut(g) {
                    stage[f].add(n, rating, present, None);
                }
            }
        }
    }

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
    dashboard.assessments = count(assessments_n, k);
    dashboard.reentries = count(reentries, k);

    // Stages of change at the latest assessment: a distribution with its total shown.
    let mut lines = vec![stages.iter().map(|n| Figure::new(*n as f64, *n)).collect()];
    protect(&mut lines, k, true, false);
    dashboard.stages = Stage::ALL.iter().copied().zip(lines.remove(0)).collect();

    for (level, means) in instrument.levels.iter().zip(&level_means) {
        let [resource, barrier, resource_change, barrier_change] = means.map(|m| m.figure(k));
        dashboard.levels.push(LevelMeans {
            level: level.id,
            resource,
            barrier,
            resource_change,
            barrier_change,
        });
    }
    dashboard.followed = count(followed, k);
    dashboard.improved = share(improved, moved, k);
    dashboard.worsened = share(worsened, moved, k);

    for ((level, factor), tally) in factors.iter().zip(&overall) {
        let directions = if factor.role == FactorRole::Controversial {
            Direction::ALL
                .iter()
                .zip(tally.directions)
                .map(|(d, n)| (*d, share(n, tally.present, k)))
                .collect()
        } else {
            Vec::new()
        };
        dashboard.factors.push(FactorFigures {
            factor: factor.id.clone(),
            title: factor.title.clone(),
            level: *level,
            role: factor.role,
            context: factor.context,
            present: share(tally.present, tally.assessed, k),
            directions,
        });
    }

    // Where support is missing: facilitating factors rated 0–1, by share.
    let mut missing: Vec<(crate::instrument::FactorId, Figure)> = factors
        .iter()
        .zip(&overall)
        .filter(|((_, f), _)| f.role == FactorRole::Facilitating && !f.context)
        .map(|((_, f), tally)| (f.id.clone(), share(tally.absent, tally.assessed, k)))
        .filter(|(_, fig)| !fig.suppressed)
        .collect();
    missing.sort_by(|a, b| b.1.value.total_cmp(&a.1.value));
    missing.truncate(5);
    dashboard.missing_support = missing;

    // Factor presence by stage.
    for (stage, tallies) in Stage::ALL.iter().zip(by_stage) {
        let row = tallies
            .iter()
            .map(|t| share(t.present, t.assessed, k))
            .collect();
        dashboard.by_stage.push((*stage, row));
    }
    dashboard
}

/// Where the cases are cut in two for `compute`: codes from `G000-0000-…` on.
const HALF_CODE: u64 = 1 << 44;

/// The running totals of `compute` over some cases.
struct Totals {
    without_consent: usize,
    cases: usize,
    assessments: usize,
    reentries: usize,
    stages: [usize; Stage::ALL.len()],
    /// Per level: latest resource, latest barrier, change in resource, change in barrier.
    level_means: Vec<[Mean; 4]>,
    followed: usize,
    moved: usize,
    improved: usize,
    worsened: usize,
    /// Per stage at the latest assessment (`Stage::ALL`, then none) and factor: how many cases
    /// gave each answer (a `PackedAnswer` byte). One count a factor and case here; what they
    /// mean (rated, present, which way) is worked out once per answer afterwards.
    answer_counts: Vec<[u32; 256]>,
}

impl Totals {
    fn new(levels: usize, factors: usize) -> Self {
        Self {
            without_consent: 0,
            cases: 0,
            assessments: 0,
            reentries: 0,
            stages: [0; Stage::ALL.len()],
            level_means: vec![[Mean::default(); 4]; levels],
            followed: 0,
            moved: 0,
            improved: 0,
            worsened: 0,
            answer_counts: vec![[0u32; 256]; (Stage::ALL.len() + 1) * factors],
        }
    }

    /// Adds one case, if it is in scope.
    fn add(
        &mut self,
        case: CaseView<'_>,
        rows: &Rows,
        filters: &Filters,
        counting: Counting,
        period: (Option<Date>, Option<Date>),
    ) {
        let Some(facts) = case.facts else { return };
        if !case_matches(facts, filters) {
            return;
        }
        if facts.consent != Consent::Yes {
            self.without_consent += 1;
            return;
        }
        // Its first and latest counted assessment in the period, how many it has and whether
        // one records a re-entry.
        let mut first: Option<(usize, &AssessmentRow)> = None;
        let mut latest: Option<(usize, &AssessmentRow)> = None;
        let mut n = 0usize;
        let mut reentry = false;
        for (i, a) in case.assessments.iter().enumerate() {
            if !a.counts(counting.reviewed_only) || !in_period(a.date, period) {
                continue;
            }
            let key = (a.date, a.id);
            if first.is_none_or(|(_, f)| key < (f.date, f.id)) {
                first = Some((i, a));
            }
            if latest.is_none_or(|(_, l)| key > (l.date, l.id)) {
                latest = Some((i, a));
            }
            n += 1;
            reentry |= a.reentry;
        }
        let (Some((first_at, _)), Some((latest_at, latest))) = (first, latest) else {
            return;
        };
        if filters.stage.is_some_and(|s| latest.stage != Some(s)) {
            return;
        }
        self.cases += 1;
        self.assessments += n;
        self.reentries += usize::from(reentry);
        let stage_index = latest
            .stage
            .and_then(|s| Stage::ALL.iter().position(|x| *x == s));
        if let Some(s) = stage_index {
            self.stages[s] += 1;
        }

        // Level means, and their change from first to latest for cases with two or more.
        let answers = case.answers_at(latest_at);
        let scores = rows.scores(answers);
        let first_scores = (n >= 2).then(|| rows.scores(case.answers_at(first_at)));
        for (li, means) in self.level_means.iter_mut().enumerate() {
            for role in 0..2 {
                let Some(now) = scores.get(li).and_then(|l| l[role]) else {
                    continue;
                };
                means[role].add(now);
                if let Some(then) = first_scores.as_ref().and_then(|f| f.get(li)?[role]) {
                    means[2 + role].add(now - then);
                }
            }
        }
        if let Some(first_scores) = &first_scores {
            self.followed += 1;
            if let (Some(now), Some(then)) = (overall_score(&scores), overall_score(first_scores)) {
                self.moved += 1;
                self.improved += usize::from(now - then > 0.0);
                self.worsened += usize::from(now - then < 0.0);
            }
        }

        // Factors, from the latest answers.
        let width = answers.len();
        let group = stage_index.unwrap_or(Stage::ALL.len()) * width;
        if let Some(counts) = self.answer_counts.get_mut(group..group + width) {
            for (counted, byte) in counts.iter_mut().zip(answers) {
                counted[usize::from(*byte)] += 1;
            }
        }
    }

    /// These totals and `other`'s (of cases after these), added.
    fn merge(mut self, other: Totals) -> Totals {
        self.without_consent += other.without_consent;
        self.cases += other.cases;
        self.assessments += other.assessments;
        self.reentries += other.reentries;
        for (mine, theirs) in self.stages.iter_mut().zip(other.stages) {
            *mine += theirs;
        }
        for (mine, theirs) in self.level_means.iter_mut().zip(other.level_means) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.sum += t.sum;
                m.n += t.n;
            }
        }
        self.followed += other.followed;
        self.moved += other.moved;
        self.improved += other.improved;
        self.worsened += other.worsened;
        for (mine, theirs) in self.answer_counts.iter_mut().zip(&other.answer_counts) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
        self
    }
}

/// The mean resource score over the levels that have one.
fn overall_score(scores: &LevelScores) -> Option<f64> {
    let v: Vec<f64> = scores.iter().filter_map(|l| l[0]).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The rating from which a factor counts as present (facilitating) or strong (hindering): 2; a
/// controversial factor is present from 1.
fn threshold(role: FactorRole) -> u8 {
    if role == FactorRole::Controversial {
        1
    } else {
        2
    }
}

/// Counts for one factor over a group of cases.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    /// Cases that rated it.
    assessed: usize,
    /// Rated at or above its threshold.
    present: usize,
    /// Rated 0 or 1.
    absent: usize,
    /// Among the present ones, per `Direction::ALL`.
    directions: [usize; 4],
}

impl Tally {
    /// Adds `n` cases that gave this answer.
    fn add(&mut self, n: usize, rating: u8, present: bool, direction: Option<Direction>) {
        self.assessed += n;
        if rating <= 1 {
            self.absent += n;
        }
        if present {
            self.present += n;
            if let Some(d) = direction.and_then(|d| Direction::ALL.iter().position(|x| *x == d))
                && let Some(slot) = self.directions.get_mut(d)
            {
                *slot += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use time::{Date, Month as CalMonth, OffsetDateTime};

    use super::*;
    use crate::domain::assessment::{
        Actor, Assessment, AssessmentId, ContextAnswers, FactorAnswer, Rating, ReEntry,
        ReviewDecision,
    };
    use crate::domain::case::{CaseAttributes, Gender};
    use crate::domain::{Case, CaseCode, CaseStatus, UserId};

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
            let date =
                Date::from_calendar_date(2025, CalMonth::try_from(month).unwrap(), 10).unwrap();
            self.assess_on(case, date, stage, reviewed, ratings);
        }

        fn assess_on(
            &mut self,
            case: &CaseCode,
            date: Date,
            stage: Stage,
            reviewed: bool,
            ratings: &[(&str, u8)],
        ) {
            let id = AssessmentId::new(self.assessments.len() as u64 + 1);
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
            let context = ContextAnswers {
                date,
                stage: Some(stage),
                reentry: Some(ReEntry::No),
                setting: None,
            };
            let operator = Actor::operator(UserId::new(1));
            let submitted = Assessment::filled_in(
                id,
                case.clone(),
                &self.instrument,
                operator,
                at,
                context,
                answers,
                Vec::new(),
            )
            .unwrap();
            let supervisor = Actor::supervisor(UserId::new(2));
            self.assessments.push(if reviewed {
                submitted
                    .review(ReviewDecision::Reviewed(None), supervisor, at)
                    .unwrap()
                    .into_assessment()
            } else {
                submitted
            });
        }

        fn compute(&self, filters: &Filters, k: usize, reviewed_only: bool) -> Dashboard {
            let rows = Rows::build(&self.instrument, &self.cases, &self.assessments);
            compute(
                &self.instrument,
                &rows,
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

    #[test]
    fn a_period_holds_every_day_of_its_first_and_last_month_and_no_other() {
        let mut fx = Fixture::new();
        let day = |y, m, d| Date::from_calendar_date(y, CalMonth::try_from(m).unwrap(), d).unwrap();
        // Each case assessed on the first day of February and the last day of June.
        for _ in 0..3 {
            let code = fx.case(Consent::Yes, Site::Street);
            let early = day(2025, 2, 1);
            fx.assess_on(
                &code,
                early,
                Stage::Contemplation,
                true,
                &[("ind.autonomy", 0)],
            );
            let late = day(2025, 6, 30);
            fx.assess_on(&code, late, Stage::Action, true, &[("ind.autonomy", 3)]);
        }
        let period = |from: &str, to: &str| Filters {
            from: Month::parse(from).ok(),
            to: Month::parse(to).ok(),
            ..Filters::default()
        };
        let d = fx.compute(&period("2025-02", "2025-06"), 3, true);
        assert_eq!(d.assessments.shown(), Some(6.0), "both ends inside");
        let d = fx.compute(&period("2025-03", "2025-06"), 3, true);
        assert_eq!(
            d.assessments.shown(),
            Some(3.0),
            "1 February is before March"
        );
        let d = fx.compute(&period("2025-02", "2025-05"), 3, true);
        assert_eq!(d.assessments.shown(), Some(3.0), "30 June is after May");
        let contemplation = d.stages.iter().find(|(s, _)| *s == Stage::Contemplation);
        assert_eq!(
            contemplation.unwrap().1.shown(),
            Some(3.0),
            "the latest is February's"
        );
    }
}
