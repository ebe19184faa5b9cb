//! Identity of staff accounts: ids and usernames. (People assessed never have accounts or names.)

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Role;

/// A user account's stable identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(u64);

impl UserId {
    /// Wraps a raw id handed out by the store.
    pub const fn new(raw: u64) -> Self {
        Self(raw)
    }

    /// The raw number, for keys and URLs.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A staff username: 3 to 32 characters, lowercase letters, digits, `.`, `_` or `-`, starting with a
/// letter. Stored lowercase so that `Anna` and `anna` are the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

/// Why a username was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    /// Outside 3..=32 characters.
    #[error("a username has 3 to 32 characters")]
    Length,
    /// Contains something other than the allowed characters.
    #[error("a username starts with a letter and uses only letters a-z, digits, '.', '_' or '-'")]
    Characters,
}

impl Username {
    /// Parses and normalises a username typed by a person.
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let name = raw.trim().to_lowercase();
        let len = name.chars().count();
        if !(3..=32).contains(&len) {
            return Err(UsernameError::Length);
        }
        let mut chars = name.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok =
            chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
        if !starts_with_letter || !rest_ok {
            return Err(UsernameError::Characters);
        }
        Ok(Self(name))
    }

    /// The normalised username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A staff account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stable id.
    pub id: UserId,
    /// Sign-in name, unique.
    pub username: Username,
    /// What the account may do.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    /// A disabled account cannot sign in and its sessions are revoked.
    pub disabled: bool,
    /// When the account was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Failed sign-ins since the last success or lock.
    pub failed_sign_ins: u32,
    /// Sign-in refused until then, even with the right password.
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    /// Bumped whenever all of this user's sessions are revoked; a session of an older epoch is dead.
    pub session_epoch: u32,
    /// The authenticator app of a two-step sign-in, once enrolled.
    #[serde(default)]
    pub two_step: Option<super::two_step::TwoStep>,
    /// The language of the pages for this user (None: the organisation's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<super::lang::Lang>,
}

impl User {
    /// Whether sign-in is refused at `now` because of too many failures.
    pub fn is_locked(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_to_lowercase() {
        assert_eq!(
            Username::parse("  Anna.B ").map(|u| u.0),
            Ok("anna.b".to_owned())
        );
    }

    #[test]
    fn bad_usernames_are_refused_with_a_reason() {
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse(&"a".repeat(33)), Err(UsernameError::Length));
        assert_eq!(Username::parse("1anna"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("anna b"), Err(UsernameError::Characters));
        assert_eq!(
            Username::parse("anna<script>"),
            Err(UsernameError::Characters)
        );
    }
}
