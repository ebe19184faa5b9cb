//! Roles, ordered by what they may do: an operator works cases, a supervisor also reviews and sees
//! aggregates, an admin also manages accounts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role. Ordered: `Operator < Supervisor < Admin`, so "at least supervisor" is `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Social workers and shelter staff who assess cases.
    Operator,
    /// Programme coordinators who review assessments and read aggregates.
    Supervisor,
    /// Manages accounts, settings and the audit log.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 3] = [Role::Operator, Role::Supervisor, Role::Admin];

    /// The identifier used in forms, the CLI and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// The id of the role's name among the translated messages.
    pub fn message_id(self) -> &'static str {
        match self {
            Role::Operator => "role-operator",
            Role::Supervisor => "role-supervisor",
            Role::Admin => "role-admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text did not name a role.
#[derive(Debug, thiserror::Error)]
#[error("choose a role: operator, supervisor or admin")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s.trim())
            .ok_or(UnknownRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_privilege() {
        assert!(Role::Operator < Role::Supervisor);
        assert!(Role::Supervisor < Role::Admin);
    }

    #[test]
    fn roles_parse_from_their_identifiers_only() {
        assert_eq!("admin".parse::<Role>().ok(), Some(Role::Admin));
        assert!("root".parse::<Role>().is_err());
        assert!("".parse::<Role>().is_err());
    }
}
