//! Erasure of a case on request (GDPR art. 17) and by retention: why, and the register of what
//! was erased, kept so that a restore of an older backup can erase it again.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

crate::choice! {
    /// Why a case was erased: a fixed category, never free text (the audit keeps it).
    pub enum ErasureReason {
        PersonsRequest = ("persons-request", "At the person's request"),
        ConsentWithdrawn = ("consent-withdrawn", "Consent withdrawn"),
        CreatedInError = ("created-in-error", "Created in error or a duplicate"),
        LegalObligation = ("legal-obligation", "A legal obligation or a court order"),
        Retention = ("retention", "Retention period over (automatic)"),
    }
}

impl ErasureReason {
    /// The reasons an administrator may choose (retention is the daily job's).
    pub fn chosen_by_people() -> impl Iterator<Item = Self> {
        <Self as crate::domain::Choice>::ALL
            .iter()
            .copied()
            .filter(|r| *r != ErasureReason::Retention)
    }
}

/// One entry of the erasure register: a case code that must not come back, and when and why it
/// went. The code is a random code and says nothing about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    pub code: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub reason: ErasureReason,
}
