//! Retention: what an installation keeps, and for how long. Closed cases may be erased a chosen
//! number of months after closing (off by default), and drafts nobody has touched for a chosen
//! number of days deleted; `plan` says what a run would remove at a given time.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use super::assessment::{Assessment, AssessmentId};
use super::{Case, CaseCode, CaseStatus};

/// The months after closing a closed case may be kept for, when erasure is on.
pub const CLOSED_MONTHS: RangeInclusive<u32> = 6..=120;
/// The days a draft may stay untouched, when deletion is on.
pub const DRAFT_DAYS: RangeInclusive<u32> = 7..=730;
/// The months audit entries may be kept for, when the audit log is trimmed.
pub const AUDIT_MONTHS: RangeInclusive<u32> = 12..=120;

/// The installation's retention rules (both off by default: nothing is removed unless an
/// administrator says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Retention {
    /// Erase closed cases this many months after they were closed.
    #[serde(default)]
    pub erase_closed_after_months: Option<u32>,
    /// Delete drafts nobody has saved for this many days.
    #[serde(default)]
    pub delete_drafts_after_days: Option<u32>,
    /// Remove audit entries older than this many months (the oldest first; the chain keeps the
    /// last removed entry's hash as its anchor).
    #[serde(default)]
    pub purge_audit_after_months: Option<u32>,
}

/// A draft to delete, with the version it must still have (a draft saved meanwhile stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleDraft {
    pub id: AssessmentId,
    pub version: u64,
}

/// What a run at a given time would remove.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub cases: Vec<CaseCode>,
    pub drafts: Vec<(CaseCode, StaleDraft)>,
    /// Audit entries older than this go.
    pub audit_before: Option<OffsetDateTime>,
}

/// `date` plus `months` calendar months (the last day of a shorter month when the day is not
/// in it: 31 January + 1 month is 28 or 29 February).
pub fn add_months(date: Date, months: u32) -> Date {
    shift_months(date, months as i32)
}

/// `date` moved by `months` calendar months, forward or back (clamped to the month's last day).
fn shift_months(date: Date, months: i32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(month).unwrap_or(time::Month::December);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

impl Retention {
    /// What a run at `now` would remove from `cases` and `assessments`.
    pub fn plan<'a>(
        &self,
        now: OffsetDateTime,
        cases: impl IntoIterator<Item = &'a Case>,
        assessments: impl IntoIterator<Item = &'a Assessment>,
    ) -> Plan {
        let mut plan = Plan::default();
        if let Some(months) = self.purge_audit_after_months {
            let cut = shift_months(now.date(), -(months as i32));
            plan.audit_before = Some(cut.with_time(now.time()).assume_offset(now.offset()));
        }
        if let Some(months) = self.erase_closed_after_months {
            plan.cases = cases
                .into_iter()
                .filter(|c| match c.status {
                    CaseStatus::Closed { at, .. } => add_months(at.date(), months) <= now.date(),
                    CaseStatus::Open => false,
                })
                .map(|c| c.code.clone())
                .collect();
        }
        if let Some(days) = self.delete_drafts_after_days {
            let before = now - Duration::days(i64::from(days));
            plan.drafts = assessments
                .into_iter()
                .filter(|a| a.is_draft() && a.updated_at() <= before)
                .filter(|a| !plan.cases.contains(a.case()))
                .map(|a| {
                    let draft = StaleDraft {
                        id: a.id(),
                        version: a.version(),
                    };
                    (a.case().clone(), draft)
                })
                .collect();
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(add_months(date!(2025 - 01 - 31), 1), date!(2025 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2025 - 11 - 15), 14), date!(2027 - 01 - 15));
        assert_eq!(add_months(date!(2025 - 03 - 01), 12), date!(2026 - 03 - 01));
        assert_eq!(
            shift_months(date!(2026 - 03 - 31), -13),
            date!(2025 - 02 - 28)
        );
    }

    #[test]
    fn nothing_is_planned_while_retention_is_off() {
        let plan = Retention::default().plan(datetime!(2030-01-01 0:00 UTC), [], []);
        assert_eq!(plan, Plan::default());
    }
}
