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
    /// Contains the account's username.
    #[error("do not put your username in your password")]
    ContainsUsername,
    /// Long enough but easy to guess; says why, as the strength estimate sees it.
    #[error("this password is too easy to guess. {0}")]
    Guessable(String),
}

/// Least strength accepted, on zxcvbn's scale of 0 to 4: 3 means it would take more than
/// 10^8 guesses (the estimate's "safely unguessable" for a slow hash such as argon2id).
const MIN_SCORE: u8 = 3;

/// Words anyone guessing would try for this service, besides the username.
const SERVICE_WORDS: [&str; 4] = ["exit", "factors", "exitfactors", "trafficking"];

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

    /// Checks a password chosen for the account `username`: the length rule, not containing the
    /// username, and a strength estimate (zxcvbn) that knows the username and this service.
    pub fn new_for(raw: String, username: &str) -> Result<Self, PasswordError> {
        let password = Self::parse(raw)?;
        let lower = password.0.to_lowercase();
        let name = username.to_lowercase();
        if !name.is_empty() && lower.contains(&name) {
            return Err(PasswordError::ContainsUsername);
        }
        let mut inputs = SERVICE_WORDS.to_vec();
        inputs.push(&name);
        let estimate = zxcvbn::zxcvbn(&password.0, &inputs);
        if u8::from(estimate.score()) < MIN_SCORE {
            return Err(PasswordError::Guessable(why(&estimate)));
        }
        Ok(password)
    }

    /// The clear text, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The estimate's own warning and suggestions, or a plain default.
fn why(estimate: &zxcvbn::Entropy) -> String {
    let mut parts = Vec::new();
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            parts.push(warning.to_string());
        }
        parts.extend(feedback.suggestions().iter().map(|s| s.to_string()));
    }
    if parts.is_empty() {
        parts.push("Add another word or two that have nothing to do with each other.".to_owned());
    }
    parts.join(" ")
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
    fn guessable_passwords_and_the_username_are_refused_with_a_reason() {
        let refused = |p: &str| Password::new_for(p.into(), "anna.rossi").err();
        assert_eq!(
            refused("my anna.rossi password"),
            Some(PasswordError::ContainsUsername)
        );
        assert_eq!(
            refused("xxANNA.ROSSIxx1"),
            Some(PasswordError::ContainsUsername)
        );
        for weak in [
            "password1234",
            "qwertyuiop123",
            "aaaaaaaaaaaa",
            "exitfactors2026",
        ] {
            match refused(weak) {
                Some(PasswordError::Guessable(why)) => assert!(!why.is_empty(), "{weak}"),
                other => panic!("{weak}: {other:?}"),
            }
        }
        assert!(Password::new_for("a long enough test password".into(), "anna.rossi").is_ok());
        assert!(Password::new_for("violet kettle harbour 9".into(), "anna.rossi").is_ok());
        // The README's example for `user add`.
        assert!(Password::new_for("a long passphrase here".into(), "ada").is_ok());
        assert_eq!(refused("short"), Some(PasswordError::TooShort));
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("correct horse battery".into()).ok();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
