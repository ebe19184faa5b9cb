//! What the audit log records: who did what to which record, when, and how it ended. Never
//! passwords, tokens, notes or case attributes: only ids and fixed action names.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::UserId;

pub mod chain;
pub mod export;

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// When it happened (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The account that acted, when known.
    pub actor: Option<UserId>,
    /// What was attempted.
    pub action: AuditAction,
    /// The record or page acted on (a user id, a route), never free text typed by a person.
    pub target: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// A fixed detail (an erasure's reason category, a retention run's counts), never free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The fixed set of audited actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignIn,
    AccountLocked,
    SignOut,
    SessionRejected,
    UnauthenticatedAccess,
    ForbiddenAccess,
    CsrfRejected,
    FirstAdminCreated,
    UserCreated,
    UserDisabled,
    UserEnabled,
    PasswordReset,
    PasswordChanged,
    CaseCreated,
    CaseViewed,
    CaseUpdated,
    CaseClosed,
    CaseReopened,
    CaseShared,
    CaseAccessDenied,
    AssessmentStarted,
    AssessmentSaved,
    AssessmentSubmitted,
    AssessmentAmended,
    ActionPlanUpdated,
    DemoDataCreated,
    SettingsChanged,
    SummaryDownloaded,
    AssessmentReviewed,
    AssessmentReturned,
    AggregateCsvExported,
    ResearchExported,
    AggregatePdfExported,
    AuditEntriesLost,
    BackupMade,
    BackupDownloaded,
    AssessmentViewed,
    CaseErased,
    RetentionRun,
    AuditExported,
    AuditVerified,
    KeyRotated,
}

impl AuditAction {
    /// A short description for the audit page.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign-in",
            AuditAction::AccountLocked => "account locked after repeated failures",
            AuditAction::SignOut => "sign-out",
            AuditAction::SessionRejected => "expired or revoked session used",
            AuditAction::UnauthenticatedAccess => "page requested without signing in",
            AuditAction::ForbiddenAccess => "page refused for this role",
            AuditAction::CsrfRejected => "form refused: missing or wrong security token",
            AuditAction::FirstAdminCreated => "first administrator created",
            AuditAction::UserCreated => "user created",
            AuditAction::UserDisabled => "user disabled",
            AuditAction::UserEnabled => "user enabled",
            AuditAction::PasswordReset => "password reset by an administrator",
            AuditAction::PasswordChanged => "own password changed",
            AuditAction::CaseCreated => "case created",
            AuditAction::CaseViewed => "case opened",
            AuditAction::CaseUpdated => "case details changed",
            AuditAction::CaseClosed => "case closed",
            AuditAction::CaseReopened => "case reopened",
            AuditAction::CaseShared => "case shared with an operator",
            AuditAction::CaseAccessDenied => "case refused to this user",
            AuditAction::AssessmentStarted => "assessment started",
            AuditAction::AssessmentSaved => "assessment step saved",
            AuditAction::AssessmentSubmitted => "assessment submitted",
            AuditAction::AssessmentAmended => "assessment amended (new revision)",
            AuditAction::ActionPlanUpdated => "action plan updated",
            AuditAction::DemoDataCreated => "demo data created",
            AuditAction::SettingsChanged => "settings changed",
            AuditAction::SummaryDownloaded => "PDF summary downloaded",
            AuditAction::AssessmentReviewed => "assessment marked reviewed",
            AuditAction::AssessmentReturned => "assessment returned to the operator",
            AuditAction::AggregateCsvExported => "aggregate figures exported as CSV",
            AuditAction::ResearchExported => "research export downloaded",
            AuditAction::AggregatePdfExported => "aggregate figures exported as PDF",
            AuditAction::AuditEntriesLost => "audit entries lost while the store could not write",
            AuditAction::BackupMade => "backup made",
            AuditAction::BackupDownloaded => "backup downloaded",
            AuditAction::AssessmentViewed => "assessment opened",
            AuditAction::CaseErased => "case erased",
            AuditAction::RetentionRun => "retention run",
            AuditAction::AuditExported => "audit log exported",
            AuditAction::AuditVerified => "audit log verified",
            AuditAction::KeyRotated => "master key rotated",
        }
    }
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    /// The word shown on the audit page.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

impl AuditEvent {
    /// An event happening now.
    pub fn new(
        at: OffsetDateTime,
        actor: Option<UserId>,
        action: AuditAction,
        outcome: Outcome,
    ) -> Self {
        Self {
            at,
            actor,
            action,
            target: None,
            outcome,
            detail: None,
        }
    }

    /// The same event, with `detail`.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The same event, about `target`.
    pub fn on(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }
}
