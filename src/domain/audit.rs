//! What the audit log records: who did what to which record, when, and how it ended. Never
//! passwords, tokens, notes or case attributes: only ids and fixed action names.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
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
    /// Where the request came from, as `client_address` writes it (account and sign-in events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
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
    PasswordAccepted,
    SecondStep,
    RecoveryCodeUsed,
    TwoStepEnrolled,
    TwoStepReset,
    OtherSessionsEnded,
    TwoStepPolicyChanged,
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
            AuditAction::PasswordAccepted => "password right, second step asked",
            AuditAction::SecondStep => "sign-in second step (authenticator code)",
            AuditAction::RecoveryCodeUsed => "sign-in with a recovery code",
            AuditAction::TwoStepEnrolled => "two-step sign-in set up",
            AuditAction::TwoStepReset => "two-step sign-in reset by an administrator",
            AuditAction::OtherSessionsEnded => "other sessions signed out",
            AuditAction::TwoStepPolicyChanged => "two-step sign-in policy changed",
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
            address: None,
        }
    }

    /// The same event, with `detail`.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The same event, from the client address `address` (see `client_address`).
    pub fn from_address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// The same event, about `target`.
    pub fn on(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }
}

/// A client address as the audit log keeps it: the whole address when `full`, otherwise only its
/// network, IPv4 /24 and IPv6 /48 (where a field worker or a survivor connects from is itself
/// sensitive; the network still tells an investigator which provider or office it was).
pub fn client_address(ip: IpAddr, full: bool) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    if full {
        return ip.to_string();
    }
    let net = match ip {
        IpAddr::V4(v4) => Ipv4Net::new(v4, 24).map(IpNet::V4),
        IpAddr::V6(v6) => Ipv6Net::new(v6, 48).map(IpNet::V6),
    };
    net.map_or_else(|_| ip.to_string(), |n| n.trunc().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_cut_to_their_network_unless_full_ones_are_kept() {
        let v4: IpAddr = [203, 0, 113, 77].into();
        assert_eq!(client_address(v4, false), "203.0.113.0/24");
        assert_eq!(client_address(v4, true), "203.0.113.77");
        let v6: IpAddr = "2001:db8:abcd:12:1:2:3:4".parse().unwrap();
        assert_eq!(client_address(v6, false), "2001:db8:abcd::/48");
        assert_eq!(client_address(v6, true), "2001:db8:abcd:12:1:2:3:4");
        let mapped: IpAddr = "::ffff:198.51.100.9".parse().unwrap();
        assert_eq!(client_address(mapped, false), "198.51.100.0/24");
    }
}
