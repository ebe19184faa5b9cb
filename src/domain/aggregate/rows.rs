//! The compact form of cases and assessments that aggregates are computed from.
//!
//! A stored assessment carries notes, an action plan and its answers keyed by factor id; reading
//! 100k of them for every dashboard view would take seconds. `Rows` keeps, per case, only what the
//! figures need: the filterable attributes, and per assessment its date, stage, counting flags and
//! one byte per factor (rating and direction) in the instrument's factor order. The store keeps it
//! up to date at every write (see `store::aggregate_rows`), so the dashboard is one pass over memory.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::domain::assessment::{Assessment, AssessmentId, Direction, ReEntry, ReviewState, Stage};
use crate::domain::case::{AgeBand, Consent, Region, Route, Site};
use crate::domain::{Case, CaseCode, Choice, Month, UserId};
use crate::instrument::{FactorRole, Instrument, LevelId};

/// A factor's answer in one byte: the rating in the low half, the direction in the high half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedAnswer(u8);

impl PackedAnswer {
    const NONE: u8 = 0x0F;

    /// Not assessed, no direction.
    pub const EMPTY: PackedAnswer = PackedAnswer(Self::NONE << 4 | Self::NONE);

    fn new(rating: Option<u8>, direction: Option<Direction>) -> Self {
        let low = rating.filter(|r| *r < Self::NONE).unwrap_or(Self::NONE);
        let high = direction
            .and_then(|d| Direction::ALL.iter().position(|x| *x == d))
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or(Self::NONE);
        Self(high << 4 | low)
    }

    /// The rating (0–3), None when not assessed.
    pub fn rating(self) -> Option<u8> {
        let low = self.0 & 0x0F;
        (low != Self::NONE).then_some(low)
    }

    /// The direction of a controversial factor.
    pub fn direction(self) -> Option<Direction> {
        Direction::ALL.get(usize::from(self.0 >> 4)).copied()
    }
}

fn facts_of(case: &Case) -> CaseFacts {
    let a = &case.attributes;
    CaseFacts {
        created_by: case.created_by,
        age_band: a.age_band,
        site: a.site,
        route: a.route,
        region: a.region,
        consent: a.consent,
    }
}

/// Where each factor of the instrument sits: its position in a row, its level and score slot.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Layout {
    /// Factor ids in sorted order (the order answers are stored in), with their positions.
    by_id: Vec<(String, usize)>,
    /// Per factor position: level index and score slot (0 resource, 1 barrier, None neither).
    slots: Vec<(usize, Option<usize>)>,
}

impl Layout {
    /// The layout of `instrument`'s factors, in the order `Instrument::factors` yields them.
    fn new(instrument: &Instrument) -> Self {
        let mut by_id = Vec::new();
        let mut slots = Vec::new();
        for (li, level) in instrument.levels.iter().enumerate() {
            for factor in &level.factors {
                by_id.push((factor.id.as_str().to_owned(), slots.len()));
                let slot = match factor.role {
                    // Context describes her situation: in no score.
                    _ if factor.context => None,
                    FactorRole::Facilitating => Some(0),
                    FactorRole::Hindering => Some(1),
                    FactorRole::Controversial => None,
                };
                slots.push((li, slot));
            }
        }
        by_id.sort();
        Self { by_id, slots }
    }

    /// An assessment's answers by factor position, merging its sorted answers with the sorted ids.
    /// Answers to factors this instrument does not have are left out.
    fn pack(&self, a: &Assessment) -> Box<[PackedAnswer]> {
        let mut row = vec![PackedAnswer::EMPTY; self.slots.len()];
        let mut ids = self.by_id.iter().peekable();
        for (id, answer) in a.answers() {
            while ids
                .peek()
                .is_some_and(|(known, _)| known.as_str() < id.as_str())
            {
                ids.next();
            }
            if let Some((known, pos)) = ids.peek()
                && known.as_str() == id.as_str()
                && let Some(slot) = row.get_mut(*pos)
            {
                *slot = PackedAnswer::new(answer.rating.map(|r| r.get()), answer.direction);
            }
        }
        row.into_boxed_slice()
    }

    /// The rating sums behind every level's resource and barrier score.
    fn sums(&self, answers: &[PackedAnswer]) -> LevelSums {
        let mut sums = LevelSums::default();
        for ((li, slot), answer) in self.slots.iter().zip(answers) {
            if let (Some(slot), Some(r)) = (slot, answer.rating())
                && let Some(level) = sums.0.get_mut(*li)
            {
                level[*slot].0 += u16::from(r);
                level[*slot].1 += 1;
            }
        }
        sums
    }
}

/// Resource (0) and barrier (1) score, 0–100, of each level in `LevelId::ALL` order; None when no
/// factor of that kind was rated. As in `scoring::results`.
pub type LevelScores = [[Option<f64>; 2]; LevelId::ALL.len()];

/// Per level and kind (resource, barrier): the sum of the ratings and how many were rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LevelSums([[(u16, u16); 2]; LevelId::ALL.len()]);

impl LevelSums {
    /// The scores these sums give.
    pub fn scores(&self) -> LevelScores {
        self.0.map(|pair| {
            pair.map(|(sum, n)| (n > 0).then(|| f64::from(sum) / f64::from(n) / 3.0 * 100.0))
        })
    }
}

/// What the figures need of one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: AssessmentId,
    pub date: Date,
    pub month: Month,
    /// When it was submitted (None for a draft).
    pub submitted_at: Option<OffsetDateTime>,
    /// Submitted and not replaced by a later revision.
    pub current_submission: bool,
    pub review: ReviewMark,
    pub stage: Option<Stage>,
    pub reentry: bool,
    /// One answer per factor, in `Layout` order.
    pub answers: Box<[PackedAnswer]>,
    pub sums: LevelSums,
}

/// Where a submission stands with its supervisor, without the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewMark {
    Pending,
    Reviewed,
    Returned,
}

impl AssessmentRow {
    /// Whether it counts in aggregates under the reviewed-only setting given.
    pub fn counts(&self, reviewed_only: bool) -> bool {
        self.current_submission && (!reviewed_only || self.review == ReviewMark::Reviewed)
    }
}

/// The filterable attributes of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub created_by: UserId,
    pub age_band: AgeBand,
    pub site: Site,
    pub route: Route,
    pub region: Region,
    pub consent: Consent,
}

/// One case: its attributes (None only if an assessment arrived before its case, which the store
/// never does) and its assessments in id order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CaseRow {
    pub facts: Option<CaseFacts>,
    pub assessments: Vec<AssessmentRow>,
}

/// Every case and assessment in compact form, in case-code order so that sums over them come out
/// the same, to the last bit, every time.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The instrument (id and version) whose factor order the rows follow.
    instrument: (String, String),
    layout: Layout,
    pub(super) cases: BTreeMap<CaseCode, CaseRow>,
}

impl Rows {
    /// No cases yet, for `instrument`'s factors.
    pub fn new(instrument: &Instrument) -> Self {
        Self {
            instrument: (instrument.id.clone(), instrument.version.clone()),
            layout: Layout::new(instrument),
            cases: BTreeMap::new(),
        }
    }

    /// Whether the rows follow this instrument's factors.
    pub fn is_for(&self, instrument: &Instrument) -> bool {
        self.instrument.0 == instrument.id && self.instrument.1 == instrument.version
    }

    /// Rows for these cases and assessments (in any order).
    pub fn build<'a>(
        instrument: &Instrument,
        cases: impl IntoIterator<Item = &'a Case>,
        assessments: impl IntoIterator<Item = &'a Assessment>,
    ) -> Self {
        let mut rows = Self::new(instrument);
        for case in cases {
            rows.put_case(case);
        }
        for assessment in assessments {
            rows.put_assessment(assessment);
        }
        rows
    }

    /// Adds or replaces a case's attributes.
    pub fn put_case(&mut self, case: &Case) {
        self.cases.entry(case.code.clone()).or_default().facts = Some(facts_of(case));
    }

    /// The whole row of `case` with `assessments` (all of them, in any order), as these rows
    /// would hold it: what the store keeps on disk for a fast start.
    pub fn case_row<'a>(
        &self,
        case: &Case,
        assessments: impl IntoIterator<Item = &'a Assessment>,
    ) -> CaseRow {
        let mut list: Vec<AssessmentRow> = assessments
            .into_iter()
            .map(|a| self.assessment_row(a))
            .collect();
        list.sort_by_key(|r| r.id);
        CaseRow {
            facts: Some(facts_of(case)),
            assessments: list,
        }
    }

    /// Adds or replaces a whole case row (one `case_row` made for the same instrument).
    pub fn put_case_row(&mut self, code: CaseCode, row: CaseRow) {
        self.cases.insert(code, row);
    }

    /// Removes a case and every assessment of it (an erasure).
    pub fn remove_case(&mut self, code: &CaseCode) {
        self.cases.remove(code);
    }

    /// Removes an assessment, wherever it is (a deleted draft).
    pub fn remove_assessment(&mut self, id: AssessmentId) {
        for case in self.cases.values_mut() {
            if let Ok(i) = case.assessments.binary_search_by_key(&id, |r| r.id) {
                case.assessments.remove(i);
                return;
            }
        }
    }

    /// Adds or replaces an assessment.
    pub fn put_assessment(&mut self, a: &Assessment) {
        let row = self.assessment_row(a);
        let list = &mut self.cases.entry(a.case().clone()).or_default().assessments;
        match list.binary_search_by_key(&a.id(), |r| r.id) {
            Ok(i) => list[i] = row,
            Err(i) => list.insert(i, row),
        }
    }

    fn assessment_row(&self, a: &Assessment) -> AssessmentRow {
        let answers = self.layout.pack(a);
        AssessmentRow {
            id: a.id(),
            date: a.context().date,
            month: Month::of(a.context().date.midnight().assume_utc()),
            submitted_at: a.submitted().map(|(at, _)| at),
            current_submission: a.is_current_submission(),
            review: match a.review_state() {
                ReviewState::Pending => ReviewMark::Pending,
                ReviewState::Reviewed { .. } => ReviewMark::Reviewed,
                ReviewState::Returned { .. } => ReviewMark::Returned,
            },
            stage: a.context().stage,
            reentry: a.context().reentry == Some(ReEntry::Yes),
            sums: self.layout.sums(&answers),
            answers,
        }
    }

    /// Submitted, current assessments no supervisor has looked at yet, longest waiting first.
    pub fn pending_review(&self) -> Vec<AssessmentId> {
        let mut pending: Vec<(OffsetDateTime, AssessmentId)> = self
            .cases
            .values()
            .flat_map(|c| &c.assessments)
            .filter(|a| a.current_submission && a.review == ReviewMark::Pending)
            .filter_map(|a| Some((a.submitted_at?, a.id)))
            .collect();
        pending.sort_unstable();
        pending.into_iter().map(|(_, id)| id).collect()
    }

    /// How many assessments the rows hold.
    pub fn assessment_count(&self) -> usize {
        self.cases.values().map(|c| c.assessments.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_answer_gives_back_its_rating_and_direction() {
        for rating in [None, Some(0), Some(1), Some(2), Some(3)] {
            for direction in std::iter::once(None).chain(Direction::ALL.iter().copied().map(Some)) {
                let packed = PackedAnswer::new(rating, direction);
                assert_eq!(packed.rating(), rating);
                assert_eq!(packed.direction(), direction);
            }
        }
        assert_eq!(PackedAnswer::EMPTY.rating(), None);
        assert_eq!(PackedAnswer::EMPTY.direction(), None);
    }

    #[test]
    fn the_layout_follows_the_instruments_factor_order() {
        let instrument = Instrument::bundled().unwrap();
        let layout = Layout::new(&instrument);
        let ids: Vec<&str> = instrument.factors().map(|(_, f)| f.id.as_str()).collect();
        assert_eq!(layout.slots.len(), ids.len());
        for (id, pos) in &layout.by_id {
            assert_eq!(ids[*pos], id.as_str());
        }
    }
}
