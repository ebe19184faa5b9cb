//! Domain types and rules, free of HTTP and storage: parsing user input into values that cannot be
//! invalid (`Username`, `Password`, `Role`), and the identifiers records are keyed by.

pub mod audit;
mod password;
pub mod role;
mod user;

pub use audit::{AuditAction, AuditEvent, Outcome};
pub use password::{Password, PasswordError};
pub use role::Role;
pub use user::{User, UserId, Username, UsernameError};
