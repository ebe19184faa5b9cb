//! Domain types and rules, free of HTTP and storage: parsing user input into values that cannot be
//! invalid (`Username`, `Password`, `Role`), and the identifiers records are keyed by.

pub mod access;
pub mod aggregate;
pub mod aggregate_csv;
pub mod assessment;
pub mod audit;
pub mod case;
mod choice;
pub mod disclosure;
pub mod erasure;
/// The languages live with the translations, a layer below the domain.
pub use crate::i18n::lang;
mod password;
pub mod pii;
pub mod research_export;
pub mod retention;
pub mod role;
pub mod scoring;
pub mod settings;
pub mod two_step;
mod user;

pub use audit::{AuditAction, AuditEvent, Outcome};
pub use case::{Case, CaseAttributes, CaseCode, CaseStatus, Month};
pub use choice::Choice;
pub use password::{Password, PasswordError};
pub use role::Role;
pub use user::{User, UserId, Username, UsernameError};
