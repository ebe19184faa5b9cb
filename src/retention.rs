//! The retention run: applies the installation's retention rules (`domain::retention`) to the
//! store. The server runs it daily; an administrator can run it from the Settings page. Each
//! erased case gets its own audit entry ("case erased", reason: retention) and register entry;
//! the run gets one entry with its counts.

use time::OffsetDateTime;

use crate::domain::erasure::{Erasure, ErasureReason};
use crate::domain::retention::Plan;
use crate::domain::{AuditAction, AuditEvent, Choice, Outcome, UserId};
use crate::store::{Session, Store, StoreError};

/// What a run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub cases_erased: usize,
    pub drafts_deleted: usize,
    pub sessions_purged: usize,
    pub audit_entries_purged: usize,
}

impl Report {
    /// The counts in words, for the audit entry and the page.
    pub fn describe(&self) -> String {
        format!(
            "{} closed case(s) erased, {} untouched draft(s) deleted, {} expired session(s) removed, {} old audit entries removed",
            self.cases_erased, self.drafts_deleted, self.sessions_purged, self.audit_entries_purged
        )
    }
}

/// What a run at `now` would remove under the saved settings.
pub fn preview(store: &Store, now: OffsetDateTime) -> Result<Plan, StoreError> {
    let retention = store.settings()?.retention;
    if retention == Default::default() {
        return Ok(Plan::default());
    }
    // Read only what the rules that are on need (the drafts rule reads every assessment).
    let cases = match retention.erase_closed_after_months {
        Some(_) => store.cases()?,
        None => Vec::new(),
    };
    let assessments = match retention.delete_drafts_after_days {
        Some(_) => store.all_assessments()?,
        None => Vec::new(),
    };
    Ok(retention.plan(now, &cases, &assessments))
}

/// Applies the saved retention rules at `now`, and purges sessions `is_expired` says are over.
/// `by` is the administrator who pressed the button (None: the daily run).
pub async fn run(
    store: &Store,
    now: OffsetDateTime,
    is_expired: impl Fn(&Session) -> bool + Send + 'static,
    by: Option<UserId>,
) -> Result<Report, StoreError> {
    let plan = preview(store, now)?;
    let mut report = Report::default();
    for code in &plan.cases {
        let erasure = Erasure {
            code: code.to_string(),
            at: now,
            reason: ErasureReason::Retention,
        };
        let audit = AuditEvent::new(now, by, AuditAction::CaseErased, Outcome::Success)
            .on(code.as_str())
            .with_detail(ErasureReason::Retention.label());
        match store.erase_case(code, erasure, audit).await {
            Ok(_) => report.cases_erased += 1,
            // Erased by someone else meanwhile.
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    report.drafts_deleted = store.delete_drafts(plan.drafts).await?;
    report.sessions_purged = store.sweep_sessions(is_expired).await?;
    if let Some(before) = plan.audit_before {
        report.audit_entries_purged = store.purge_audit_before(before).await?;
    }
    let audit = AuditEvent::new(now, by, AuditAction::RetentionRun, Outcome::Success)
        .with_detail(report.describe());
    store.append_audit(&audit).await?;
    tracing::info!(
        cases_erased = report.cases_erased,
        drafts_deleted = report.drafts_deleted,
        sessions_purged = report.sessions_purged,
        "retention run"
    );
    Ok(report)
}
