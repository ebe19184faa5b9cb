//! Authentication and authorisation: password hashing, sign-in with lockout and throttling,
//! server-side sessions, CSRF tokens, and the role extractors handlers put in their signatures.

pub mod csrf;
mod extract;
pub mod password;
pub mod session;
mod sign_in;

pub use extract::{CurrentUser, RequireAdmin, RequireSupervisor, SignedIn};
pub use sign_in::{PasswordStep, SignInError, sign_in};
