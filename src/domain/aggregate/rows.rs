//! The compact form of cases and assessments that aggregates are computed from.
//!
//! A stored assessment carries notes, an action plan and its answers keyed by factor id; reading
//! 100k of them for every dashboard view would take seconds. `Rows` keeps, per case, only what the
//! figures need: the filterable attributes, and per assessment its date, stage, counting flags and
//! one byte per factor (rating and direction) in the instrument's factor order. Neighbouring cases
//! share a chunk of flat lists, so that a pass over a million assessments reads memory in order. The store keeps it
//! up to date at every write (see `store::aggregate_rows`), so the dashboard is one pass over memory.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::domain::assessment::{Assessment, AssessmentId, Direction, ReEntry, ReviewState, Stage};
use crate::domain::case::{AgeBand, Consent, Region, Route, Site};
use crate::domain::{Case, CaseCode, Choice, UserId};
use crate::instrument::{FactorRole, Instrument, LevelId};

/// A factor's answer in one byte: the rating in the low half, the direction in the high half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedAnswer(u8);

impl PackedAnswer {
    const NONE: u8 = 0x0F;

    /// One byte of `CaseRow::answers_at`.
    pub fn from_byte(byte: u8) -> Self {
        Self(byte)
    }

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
    /// Per factor position: its index into the flattened `LevelSums` (level × 2, plus 0 for a
    /// resource, 1 for a barrier); past its end for a factor in no score.
    score_slots: Vec<u8>,
}

impl Layout {
    /// The layout of `instrument`'s factors, in the order `Instrument::factors` yields them.
    fn new(instrument: &Instrument) -> Self {
        let mut by_id = Vec::new();
        let mut score_slots = Vec::new();
        for (li, level) in instrument.levels.iter().enumerate() {
            for factor in &level.factors {
                by_id.push((factor.id.as_str().to_owned(), score_slots.len()));
                let slot = match factor.role {
                    // Context describes her situation: in no score.
                    _ if factor.context => None,
                    FactorRole::Facilitating => Some(0),
                    FactorRole::Hindering => Some(1),
                    FactorRole::Controversial => None,
                };
                score_slots.push(match slot {
                    Some(slot) => u8::try_from(li * 2 + slot).unwrap_or(u8::MAX),
                    None => u8::MAX,
                });
            }
        }
        by_id.sort();
        Self { by_id, score_slots }
    }

    /// An assessment's answers by factor position, merging its sorted answers with the sorted ids.
    /// Answers to factors this instrument does not have are left out.
    fn pack(&self, a: &Assessment) -> Vec<u8> {
        let mut row = vec![PackedAnswer::EMPTY.0; self.score_slots.len()];
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
                *slot = PackedAnswer::new(answer.rating.map(|r| r.get()), answer.direction).0;
            }
        }
        row
    }

    /// The rating sums behind every level's resource and barrier score.
    fn sums(&self, answers: &[u8]) -> LevelSums {
        // Without a branch per factor (this runs twice per case for every dashboard): an answer
        // not rated, or a factor in no score, adds to a slot past the six that are read.
        const SLOTS: usize = 2 * LevelId::ALL.len();
        const _: () = assert!(SLOTS < 8, "slot 7 is the one nobody reads");
        let mut sum = [0u16; 8];
        let mut n = [0u16; 8];
        for (slot, answer) in self.score_slots.iter().zip(answers) {
            let rating = answer & 0x0F;
            let rated = u16::from(rating != PackedAnswer::NONE);
            let slot = usize::from(*slot).min(7);
            sum[slot] += u16::from(rating) * rated;
            n[slot] += rated;
        }
        let mut sums = LevelSums::default();
        for (i, pair) in sums.0.as_flattened_mut().iter_mut().enumerate().take(SLOTS) {
            *pair = (sum[i], n[i]);
        }
        sums
    }
}

/// Resource (0) and barrier (1) score, 0–100, of each level in `LevelId::ALL` order; None when no
/// factor of that kind was rated. As in `scoring::results`.
pub type LevelScores = [[Option<f64>; 2]; LevelId::ALL.len()];

/// Per level and kind (resource, barrier): the sum of the ratings and how many were rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct LevelSums([[(u16, u16); 2]; LevelId::ALL.len()]);

impl LevelSums {
    /// The scores these sums give.
    fn scores(&self) -> LevelScores {
        self.0.map(|pair| {
            pair.map(|(sum, n)| (n > 0).then(|| f64::from(sum) / f64::from(n) / 3.0 * 100.0))
        })
    }
}

/// What the figures need of one assessment, in 32 bytes: a million of them are kept in memory.
/// Its answers are kept apart, in its case's `CaseRow::answers`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: AssessmentId,
    /// When it was submitted (none for a draft).
    pub submitted: Submitted,
    pub date: Date,
    /// Submitted and not replaced by a later revision.
    pub current_submission: bool,
    pub review: ReviewMark,
    pub stage: Option<Stage>,
    pub reentry: bool,
}

/// When an assessment was submitted, in nanoseconds since 1970, or none (a draft): 8 bytes
/// where `Option<OffsetDateTime>` takes 16, which is 8 MB at a million assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Submitted(i64);

impl Submitted {
    const NONE: i64 = i64::MIN;

    pub fn new(at: Option<OffsetDateTime>) -> Self {
        Self(
            at.and_then(|at| i64::try_from(at.unix_timestamp_nanos()).ok())
                .unwrap_or(Self::NONE),
        )
    }

    /// Nanoseconds since 1970, none for a draft.
    pub fn nanos(self) -> Option<i64> {
        (self.0 != Self::NONE).then_some(self.0)
    }
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

/// One case as the store keeps it on disk: its attributes (None only if an assessment arrived
/// before its case, which the store never does) and its assessments in id order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CaseRow {
    facts: Option<CaseFacts>,
    assessments: Vec<AssessmentRow>,
    /// Every assessment's answers (`PackedAnswer` bytes, one per factor in the layout's order),
    /// one after another in the order of `assessments`.
    #[serde(with = "serde_bytes")]
    answers: Vec<u8>,
}

/// Puts `row` with its `answers` among `rows[within]` (kept in id order), replacing the one with
/// the same id; `all_answers` holds `answers.len()` bytes per row. Whether a row was added.
fn put_sorted(
    rows: &mut Vec<AssessmentRow>,
    all_answers: &mut Vec<u8>,
    within: std::ops::Range<usize>,
    row: AssessmentRow,
    answers: &[u8],
) -> bool {
    let width = answers.len();
    let found = rows
        .get(within.clone())
        .map_or(Err(0), |list| list.binary_search_by_key(&row.id, |r| r.id));
    match found {
        Ok(i) => {
            let at = within.start + i;
            rows[at] = row;
            if let Some(slot) = all_answers.get_mut(at * width..(at + 1) * width) {
                slot.copy_from_slice(answers);
            }
            false
        }
        Err(i) => {
            let at = within.start + i;
            rows.insert(at, row);
            let bytes = (at * width).min(all_answers.len());
            all_answers.splice(bytes..bytes, answers.iter().copied());
            true
        }
    }
}

/// One case as `Rows` lends it out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseView<'a> {
    pub facts: Option<&'a CaseFacts>,
    /// In id order.
    pub assessments: &'a [AssessmentRow],
    answers: &'a [u8],
    width: usize,
}

impl<'a> CaseView<'a> {
    /// The answers (`PackedAnswer` bytes in the layout's order) of `assessments[index]`.
    pub fn answers_at(&self, index: usize) -> &'a [u8] {
        let start = index.saturating_mul(self.width);
        self.answers
            .get(start..start.saturating_add(self.width))
            .unwrap_or(&[])
    }
}

/// Cases a chunk holds before it is split in two.
const CHUNK_MAX: usize = 512;

/// A run of neighbouring cases (by code) with their assessments and answers side by side in a
/// few flat lists: the dashboard reads them front to back, where one allocation per case had it
/// waiting on memory at every case. A change moves at most one chunk's bytes.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// `CaseCode::packed`, ascending.
    codes: Vec<u64>,
    facts: Vec<Option<CaseFacts>>,
    /// Where each case's assessments begin in `rows`, and after the last, `rows.len()`.
    starts: Vec<usize>,
    rows: Vec<AssessmentRow>,
    answers: Vec<u8>,
}

impl Chunk {
    fn len(&self) -> usize {
        self.codes.len()
    }

    fn range(&self, case: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(case).copied().unwrap_or(0);
        start..self.starts.get(case + 1).copied().unwrap_or(start)
    }

    fn view(&self, case: usize, width: usize) -> CaseView<'_> {
        let range = self.range(case);
        CaseView {
            facts: self.facts.get(case).and_then(Option::as_ref),
            answers: self
                .answers
                .get(range.start * width..range.end * width)
                .unwrap_or(&[]),
            assessments: self.rows.get(range).unwrap_or(&[]),
            width,
        }
    }

    /// Adds case `code`, with no facts and no assessments, at `at` (where the codes say).
    fn insert_case(&mut self, at: usize, code: u64) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let start = self.starts.get(at).copied().unwrap_or(self.rows.len());
        self.codes.insert(at, code);
        self.facts.insert(at, None);
        self.starts.insert(at, start);
    }

    /// Removes case `case` and its assessments.
    fn remove_case(&mut self, case: usize, width: usize) {
        let range = self.range(case);
        let removed = range.len();
        self.answers.drain(range.start * width..range.end * width);
        self.rows.drain(range);
        self.codes.remove(case);
        self.facts.remove(case);
        self.starts.remove(case + 1);
        for start in self.starts.iter_mut().skip(case + 1) {
            *start -= removed;
        }
    }

    fn put_assessment(&mut self, case: usize, row: AssessmentRow, answers: &[u8]) {
        let range = self.range(case);
        if put_sorted(&mut self.rows, &mut self.answers, range, row, answers) {
            for start in self.starts.iter_mut().skip(case + 1) {
                *start += 1;
            }
        }
    }

    /// Removes assessment `id` if one of these cases has it.
    fn remove_assessment(&mut self, id: AssessmentId, width: usize) -> bool {
        let Some(at) = self.rows.iter().position(|r| r.id == id) else {
            return false;
        };
        let case = self.starts.partition_point(|s| *s <= at).saturating_sub(1);
        self.rows.remove(at);
        self.answers.drain(at * width..(at + 1) * width);
        for start in self.starts.iter_mut().skip(case + 1) {
            *start -= 1;
        }
        true
    }

    /// Replaces case `case`'s facts and assessments with `row`'s.
    fn replace_case(&mut self, case: usize, row: CaseRow, width: usize) {
        let range = self.range(case);
        let (old, new) = (range.len(), row.assessments.len());
        self.answers
            .splice(range.start * width..range.end * width, row.answers);
        self.rows.splice(range, row.assessments);
        if let Some(facts) = self.facts.get_mut(case) {
            *facts = row.facts;
        }
        for start in self.starts.iter_mut().skip(case + 1) {
            *start = *start + new - old;
        }
    }

    /// Moves the second half of the cases into a new chunk.
    fn split_off(&mut self, width: usize) -> Chunk {
        let mid = self.len() / 2;
        let first_row = self.starts.get(mid).copied().unwrap_or(self.rows.len());
        let starts = self.starts.split_off(mid);
        self.starts.push(first_row);
        Chunk {
            codes: self.codes.split_off(mid),
            facts: self.facts.split_off(mid),
            starts: starts.into_iter().map(|s| s - first_row).collect(),
            rows: self.rows.split_off(first_row),
            answers: self.answers.split_off(first_row * width),
        }
    }

    fn shrink(&mut self) {
        self.codes.shrink_to_fit();
        self.facts.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.answers.shrink_to_fit();
    }
}

/// Every case and assessment in compact form, in case-code order so that sums over them come out
/// the same, to the last bit, every time.
#[derive(Debug, Clone)]
pub struct Rows {
    /// The instrument (id and version) whose factor order the rows follow.
    instrument: (String, String),
    layout: Layout,
    /// In code order, none empty.
    chunks: Vec<Chunk>,
}

impl PartialEq for Rows {
    /// The same cases and assessments, however they are cut into chunks.
    fn eq(&self, other: &Self) -> bool {
        self.instrument == other.instrument
            && self.layout == other.layout
            && self.coded().eq(other.coded())
    }
}

impl Rows {
    /// No cases yet, for `instrument`'s factors.
    pub fn new(instrument: &Instrument) -> Self {
        Self {
            instrument: (instrument.id.clone(), instrument.version.clone()),
            layout: Layout::new(instrument),
            chunks: Vec::new(),
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
        rows.shrink();
        rows
    }

    /// Gives back the room that building left over.
    pub fn shrink(&mut self) {
        self.chunks.iter_mut().for_each(Chunk::shrink);
    }

    /// How many answers each assessment has (the instrument's factors).
    fn width(&self) -> usize {
        self.layout.score_slots.len()
    }

    /// The cases, in code order.
    #[cfg(test)]
    fn cases(&self) -> impl Iterator<Item = CaseView<'_>> {
        self.coded().map(|(_, view)| view)
    }

    /// The cases whose `CaseCode::packed` is at least `from` and below `to`, in code order.
    pub fn cases_in(&self, from: u64, to: u64) -> impl Iterator<Item = CaseView<'_>> {
        let width = self.width();
        let first = self
            .chunks
            .partition_point(|chunk| chunk.codes.last().is_some_and(|last| *last < from));
        self.chunks
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .flat_map(move |chunk| {
                let start = chunk.codes.partition_point(|code| *code < from);
                (start..chunk.len()).map(move |i| (chunk.codes[i], chunk.view(i, width)))
            })
            .take_while(move |(code, _)| *code < to)
            .map(|(_, view)| view)
    }

    fn coded(&self) -> impl Iterator<Item = (u64, CaseView<'_>)> {
        let width = self.width();
        self.chunks.iter().flat_map(move |chunk| {
            (0..chunk.len()).map(move |i| (chunk.codes[i], chunk.view(i, width)))
        })
    }

    /// Resource and barrier score of each level, from answers as `CaseView::answers_at` gives them.
    pub fn scores(&self, answers: &[u8]) -> LevelScores {
        self.layout.sums(answers).scores()
    }

    /// The chunk and place of case `code`, adding it (with no facts) if it is not there.
    fn entry(&mut self, code: &CaseCode) -> (usize, usize) {
        let code = code.packed();
        let mut c = self
            .chunks
            .partition_point(|chunk| chunk.codes.last().is_some_and(|last| *last < code));
        if c == self.chunks.len() {
            // After every case: at the end of the last chunk.
            if c == 0 {
                self.chunks.push(Chunk::default());
            } else {
                c -= 1;
            }
        }
        let chunk = &mut self.chunks[c];
        let at = match chunk.codes.binary_search(&code) {
            Ok(at) => return (c, at),
            Err(at) => at,
        };
        chunk.insert_case(at, code);
        if chunk.len() <= CHUNK_MAX {
            return (c, at);
        }
        let width = self.width();
        let second = self.chunks[c].split_off(width);
        let first_len = self.chunks[c].len();
        self.chunks.insert(c + 1, second);
        if at < first_len {
            (c, at)
        } else {
            (c + 1, at - first_len)
        }
    }

    /// The chunk and place of case `code`, if there.
    fn find(&self, code: &CaseCode) -> Option<(usize, usize)> {
        let code = code.packed();
        let c = self
            .chunks
            .partition_point(|chunk| chunk.codes.last().is_some_and(|last| *last < code));
        let at = self.chunks.get(c)?.codes.binary_search(&code).ok()?;
        Some((c, at))
    }

    /// Adds or replaces a case's attributes.
    pub fn put_case(&mut self, case: &Case) {
        let (c, at) = self.entry(&case.code);
        self.chunks[c].facts[at] = Some(facts_of(case));
    }

    /// The whole row of `case` with `assessments` (all of them, in any order), as these rows
    /// would hold it: what the store keeps on disk for a fast start.
    pub fn case_row<'a>(
        &self,
        case: &Case,
        assessments: impl IntoIterator<Item = &'a Assessment>,
    ) -> CaseRow {
        let mut row = CaseRow {
            facts: Some(facts_of(case)),
            ..CaseRow::default()
        };
        for a in assessments {
            let (assessment, answers) = self.assessment_row(a);
            let all = 0..row.assessments.len();
            put_sorted(
                &mut row.assessments,
                &mut row.answers,
                all,
                assessment,
                &answers,
            );
        }
        row.assessments.shrink_to_fit();
        row.answers.shrink_to_fit();
        row
    }

    /// Adds or replaces a whole case row (one `case_row` made for the same instrument).
    pub fn put_case_row(&mut self, code: &CaseCode, row: CaseRow) {
        let width = self.width();
        let (c, at) = self.entry(code);
        self.chunks[c].replace_case(at, row, width);
    }

    /// How many case rows `append` takes at a time to fill a chunk.
    pub const APPEND_BATCH: usize = CHUNK_MAX / 2;

    /// Adds case rows (made by `case_row` for the same instrument), allocating their chunk at its
    /// final size when they come in code order after every case already here (as the store reads
    /// them back), else one by one.
    pub fn append(&mut self, batch: Vec<(CaseCode, CaseRow)>) {
        let codes: Vec<u64> = batch.iter().map(|(code, _)| code.packed()).collect();
        let in_order = codes.windows(2).all(|w| w[0] < w[1])
            && codes.first().is_some_and(|first| {
                self.chunks
                    .last()
                    .and_then(|c| c.codes.last())
                    .is_none_or(|last| last < first)
            });
        if !in_order || batch.len() > CHUNK_MAX {
            for (code, row) in batch {
                self.put_case_row(&code, row);
            }
            return;
        }
        let width = self.width();
        let total: usize = batch.iter().map(|(_, row)| row.assessments.len()).sum();
        let mut chunk = Chunk {
            facts: Vec::with_capacity(batch.len()),
            starts: Vec::with_capacity(batch.len() + 1),
            rows: Vec::with_capacity(total),
            answers: Vec::with_capacity(total * width),
            codes,
        };
        for (_, row) in batch {
            chunk.starts.push(chunk.rows.len());
            chunk.facts.push(row.facts);
            chunk.rows.extend(row.assessments);
            chunk.answers.extend(row.answers);
        }
        chunk.starts.push(chunk.rows.len());
        self.chunks.push(chunk);
    }

    /// Removes a case and every assessment of it (an erasure).
    pub fn remove_case(&mut self, code: &CaseCode) {
        let width = self.width();
        if let Some((c, at)) = self.find(code) {
            self.chunks[c].remove_case(at, width);
            if self.chunks[c].len() == 0 {
                self.chunks.remove(c);
            }
        }
    }

    /// Removes an assessment, wherever it is (a deleted draft).
    pub fn remove_assessment(&mut self, id: AssessmentId) {
        let width = self.width();
        for chunk in &mut self.chunks {
            if chunk.remove_assessment(id, width) {
                return;
            }
        }
    }

    /// Adds or replaces an assessment.
    pub fn put_assessment(&mut self, a: &Assessment) {
        let (row, answers) = self.assessment_row(a);
        let (c, at) = self.entry(a.case());
        self.chunks[c].put_assessment(at, row, &answers);
    }

    fn assessment_row(&self, a: &Assessment) -> (AssessmentRow, Vec<u8>) {
        let row = AssessmentRow {
            id: a.id(),
            date: a.context().date,
            submitted: Submitted::new(a.submitted().map(|(at, _)| at)),
            current_submission: a.is_current_submission(),
            review: match a.review_state() {
                ReviewState::Pending => ReviewMark::Pending,
                ReviewState::Reviewed { .. } => ReviewMark::Reviewed,
                ReviewState::Returned { .. } => ReviewMark::Returned,
            },
            stage: a.context().stage,
            reentry: a.context().reentry == Some(ReEntry::Yes),
        };
        (row, self.layout.pack(a))
    }

    /// Submitted, current assessments no supervisor has looked at yet, longest waiting first.
    pub fn pending_review(&self) -> Vec<AssessmentId> {
        let mut pending: Vec<(i64, AssessmentId)> = self
            .chunks
            .iter()
            .flat_map(|c| &c.rows)
            .filter(|a| a.current_submission && a.review == ReviewMark::Pending)
            .filter_map(|a| Some((a.submitted.nanos()?, a.id)))
            .collect();
        pending.sort_unstable();
        pending.into_iter().map(|(_, id)| id).collect()
    }

    /// How many assessments the rows hold.
    pub fn assessment_count(&self) -> usize {
        self.chunks.iter().map(|c| c.rows.len()).sum()
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

    /// Rows built from many cases in one order, from stored case rows in another, and changed
    /// case by case, hold the same as rows built afresh: however the chunks split and shrink.
    #[test]
    fn rows_hold_the_same_whatever_order_they_were_built_and_changed_in() {
        use rand::seq::SliceRandom;
        use rand::{SeedableRng, rngs::StdRng};

        let instrument = Instrument::bundled().unwrap();
        let now = OffsetDateTime::now_utc();
        let owners = [UserId::new(1)];
        let data =
            crate::demo::generate(&instrument, 3 * CHUNK_MAX, 11, now, &owners, None).unwrap();
        let mut rng = StdRng::seed_from_u64(5);
        let fresh = |data: &[(Case, Vec<Assessment>)]| {
            let cases: Vec<&Case> = data.iter().map(|(c, _)| c).collect();
            Rows::build(&instrument, cases, data.iter().flat_map(|(_, a)| a))
        };
        let all = fresh(&data);
        assert!(all.chunks.len() > 3, "split into chunks");
        assert!(all.chunks.iter().all(|c| c.len() <= CHUNK_MAX));
        let total: usize = data.iter().map(|(_, a)| a.len()).sum();
        assert_eq!(all.assessment_count(), total);

        // Assessments first, in a shuffled order, then the cases.
        let mut assessments: Vec<&Assessment> = data.iter().flat_map(|(_, a)| a).collect();
        assessments.shuffle(&mut rng);
        let mut shuffled = Rows::new(&instrument);
        for a in &assessments {
            shuffled.put_assessment(a);
        }
        for (case, _) in &data {
            shuffled.put_case(case);
        }
        assert!(shuffled == all);

        // From stored case rows, in another order.
        let mut order: Vec<&(Case, Vec<Assessment>)> = data.iter().collect();
        order.shuffle(&mut rng);
        let mut stored = Rows::new(&instrument);
        for (case, list) in &order {
            stored.put_case_row(&case.code, all.case_row(case, list));
        }
        assert!(stored == all);
        let appended_in = |order: &[&(Case, Vec<Assessment>)]| {
            let mut rows = Rows::new(&instrument);
            for batch in order.chunks(Rows::APPEND_BATCH) {
                let batch = batch
                    .iter()
                    .map(|(c, l)| (c.code.clone(), all.case_row(c, l)));
                rows.append(batch.collect());
            }
            rows
        };
        let mut sorted: Vec<&(Case, Vec<Assessment>)> = data.iter().collect();
        sorted.sort_by(|a, b| a.0.code.cmp(&b.0.code));
        let appended = appended_in(&sorted);
        assert!(appended == all);
        let exact = appended
            .chunks
            .iter()
            .all(|c| c.rows.capacity() == c.rows.len());
        assert!(exact, "allocated once at their size");
        // Out of order, they still go where their codes say.
        assert!(appended_in(&order) == all);

        // A third of the cases erased, one assessment of each other case deleted.
        let mut kept = Vec::new();
        for (i, (case, list)) in data.iter().enumerate() {
            if i % 3 == 0 {
                stored.remove_case(&case.code);
                continue;
            }
            let mut list = list.clone();
            if let Some(gone) = list.pop() {
                stored.remove_assessment(gone.id());
            }
            kept.push((case.clone(), list));
        }
        assert!(stored == fresh(&kept));
        let views: Vec<CaseView> = stored.cases().collect();
        for cut in [0, 1 << 44, 1 << 45, u64::MAX] {
            let parts = stored
                .cases_in(0, cut)
                .chain(stored.cases_in(cut, u64::MAX));
            assert!(parts.eq(views.iter().copied()), "cut at {cut}");
        }
        assert_eq!(views.len(), kept.len());
        for view in views {
            assert!(view.assessments.windows(2).all(|w| w[0].id < w[1].id));
            for i in 0..view.assessments.len() {
                assert_eq!(view.answers_at(i).len(), stored.width());
            }
        }
    }

    #[test]
    fn an_assessment_row_stays_small() {
        // A million of them are in memory at once: every byte here is a megabyte there.
        assert!(std::mem::size_of::<AssessmentRow>() <= 24);
    }

    #[test]
    fn the_layout_follows_the_instruments_factor_order() {
        let instrument = Instrument::bundled().unwrap();
        let layout = Layout::new(&instrument);
        let ids: Vec<&str> = instrument.factors().map(|(_, f)| f.id.as_str()).collect();
        assert_eq!(layout.score_slots.len(), ids.len());
        for (id, pos) in &layout.by_id {
            assert_eq!(ids[*pos], id.as_str());
        }
    }
}
