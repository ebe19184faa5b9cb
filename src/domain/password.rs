//! Passwords as typed by a person, before hashing. Never logged, never stored in clear.

use std::fmt;

/// Fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Most characters a password may have (argon2 hashes all of them: nothing is truncated).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A password that meets the length policy. `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than the minimum.
    #[error("use at least 12 characters")]
    TooShort,
    /// Longer than the maximum.
    #[error("use at most 128 characters")]
    TooLong,
}

impl Password {
    /// Checks a new password against the policy. Counts characters, not bytes, and keeps every one.
    pub fn parse(raw: String) -> Result<Self, PasswordError> {
        let len = raw.chars().count();
        if len < MIN_PASSWORD_CHARS {
            Err(PasswordError::TooShort)
        } else if len > MAX_PASSWORD_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(Self(raw))
        }
    }

    /// The clear text, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_and_bounded_both_ways() {
        assert_eq!(
            Password::parse("short".into()).err(),
            Some(PasswordError::TooShort)
        );
        assert!(
            Password::parse("àèìòùàèìòùàè".into()).is_ok(),
            "12 accented characters"
        );
        assert!(Password::parse("x".repeat(128)).is_ok());
        assert_eq!(
            Password::parse("x".repeat(129)).err(),
            Some(PasswordError::TooLong)
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("correct horse battery".into()).ok();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
