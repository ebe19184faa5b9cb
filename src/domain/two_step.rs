//! Two-step sign-in with an authenticator app: the secret (TOTP, RFC 6238, computed by `totp-rs`),
//! the check that refuses a code already used in its time window, the ten one-time recovery codes
//! (kept only as hashes), and the policy of who must use it.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use totp_rs::{Builder, Totp};

use super::Role;

/// Bytes of a new secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "exit-factors";
/// Characters of a recovery code: no 0/o, 1/l/i to misread. 31 symbols, 16 of them: 79 bits, so
/// a SHA-256 of the code is as good as a slow hash (no offline search can reach 2^79).
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const RECOVERY_LEN: usize = 16;

/// The shared secret of an authenticator app. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    /// A fresh random secret.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rng().fill(bytes.as_mut_slice());
        Self(bytes)
    }

    /// The authenticator for `account` (the username, shown in the app).
    fn totp(&self, account: &str) -> Option<Totp> {
        Builder::new()
            .with_secret(self.0.as_slice())
            .with_account_name(account)
            .with_issuer(Some(ISSUER))
            .build()
            .ok()
    }

    /// The secret as people type it into an app: base32, in groups of four.
    pub fn base32_grouped(&self) -> String {
        let plain = self
            .totp("x")
            .map(|t| t.secret().to_base32())
            .unwrap_or_default();
        plain
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://` address a QR code carries.
    pub fn otpauth_url(&self, account: &str) -> Option<String> {
        self.totp(account)?.to_url().ok()
    }

    /// The step (30-second window since the epoch) whose code, or that of the step before or after,
    /// is `code` at `at`; `None` if it matches none.
    pub fn matching_step(&self, code: &str, at: OffsetDateTime) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let seconds = u64::try_from(at.unix_timestamp()).ok()?;
        self.totp("x")?.check(&code, seconds)
    }

    /// The code an app shows at `at` (tests and the enrolment check use it).
    pub fn code_at(&self, at: OffsetDateTime) -> Option<String> {
        let seconds = u64::try_from(at.unix_timestamp()).ok()?;
        Some(self.totp("x")?.generate(seconds).to_string())
    }

    /// Reads a secret from its base32 text (as shown at enrolment; spaces ignored).
    pub fn from_base32(text: &str) -> Option<Self> {
        let plain: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let secret = totp_rs::Secret::try_from_base32(plain.to_uppercase()).ok()?;
        Some(Self(secret.as_bytes().to_vec()))
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

impl TryFrom<String> for TotpSecret {
    type Error = hex::FromHexError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        hex::decode(value).map(Self)
    }
}

impl From<TotpSecret> for String {
    fn from(value: TotpSecret) -> Self {
        hex::encode(value.0)
    }
}

/// A user's second step, once enrolled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStep {
    /// The app's secret.
    pub secret: TotpSecret,
    /// When the user confirmed it.
    #[serde(with = "time::serde::rfc3339")]
    pub enrolled_at: OffsetDateTime,
    /// The last step a code was accepted for: a code of that step or an earlier one is refused,
    /// so a code seen over someone's shoulder cannot be used again.
    pub last_step: u64,
    /// SHA-256 of each recovery code not used yet.
    pub recovery: Vec<String>,
}

/// What a second-step attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// A code from the app, for a step not used before.
    Code,
    /// A recovery code, now spent; `left` remain.
    Recovery { left: usize },
    /// The app's code of a step already used.
    Replayed,
    /// Neither a current code nor an unused recovery code.
    Wrong,
}

impl TwoStep {
    /// A new enrolment of `secret`, confirmed at `now` by the code of `step`, with the hashes of
    /// its recovery codes.
    pub fn new(secret: TotpSecret, now: OffsetDateTime, step: u64, recovery: Vec<String>) -> Self {
        Self {
            secret,
            enrolled_at: now,
            last_step: step,
            recovery,
        }
    }

    /// Checks `attempt` (six digits from the app, or a recovery code) at `now`, spending what it
    /// uses: the step of an accepted code, a recovery code.
    pub fn verify(&mut self, attempt: &str, now: OffsetDateTime) -> Verified {
        if let Some(step) = self.secret.matching_step(attempt, now) {
            if step <= self.last_step {
                return Verified::Replayed;
            }
            self.last_step = step;
            return Verified::Code;
        }
        let Some(hash) = recovery_hash(attempt) else {
            return Verified::Wrong;
        };
        match self.recovery.iter().position(|h| *h == hash) {
            Some(i) => {
                self.recovery.remove(i);
                Verified::Recovery {
                    left: self.recovery.len(),
                }
            }
            None => Verified::Wrong,
        }
    }
}

/// Ten new recovery codes, as shown once (`xxxx-xxxx-xxxx-xxxx`), and their hashes, as stored.
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let mut rng = rand::rng();
    let plain: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<u8> = (0..RECOVERY_LEN)
                .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                .collect();
            chars
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect();
    let hashes = plain.iter().filter_map(|c| recovery_hash(c)).collect();
    (plain, hashes)
}

/// The stored form of a recovery code as typed (any case, with or without dashes and spaces), or
/// `None` if it cannot be one.
fn recovery_hash(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if code.len() != RECOVERY_LEN || !code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return None;
    }
    let mut hasher = Sha256::new();
    hasher.update(b"exit-factors recovery code\0");
    hasher.update(code.as_bytes());
    Some(hex::encode(hasher.finalize()))
}

crate::choice! {
    /// Who must sign in with a second step.
    #[derive(Default)]
    pub enum TwoStepPolicy {
        #[default]
        Admins = ("admins", "Administrators"),
        Supervisors = ("supervisors", "Supervisors and administrators"),
        Everyone = ("everyone", "Everyone"),
    }
}

impl TwoStepPolicy {
    /// Whether an account of `role` must use a second step.
    pub fn requires(self, role: Role) -> bool {
        match self {
            TwoStepPolicy::Admins => role == Role::Admin,
            TwoStepPolicy::Supervisors => role >= Role::Supervisor,
            TwoStepPolicy::Everyone => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Choice;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(seconds).unwrap()
    }

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s: 94287082 (8 digits);
        // the 6-digit code is its last six.
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        assert_eq!(secret.code_at(at(59)).as_deref(), Some("287082"));
        assert_eq!(secret.code_at(at(1_111_111_109)).as_deref(), Some("081804"));
    }

    #[test]
    fn a_code_works_once_and_its_neighbours_are_accepted() {
        let secret = TotpSecret::generate();
        let now = at(1_800_000_000);
        let mut two = TwoStep::new(secret.clone(), now, 0, Vec::new());
        let code = secret.code_at(now).unwrap();
        assert_eq!(two.verify(&code, now), Verified::Code);
        assert_eq!(two.verify(&code, now), Verified::Replayed);
        // The previous window's code is older than the one used: refused as replayed.
        let before = secret.code_at(now - time::Duration::seconds(30)).unwrap();
        assert_eq!(two.verify(&before, now), Verified::Replayed);
        // The next window's code is accepted (a phone clock a little fast).
        let next = secret.code_at(now + time::Duration::seconds(30)).unwrap();
        assert_eq!(two.verify(&next, now), Verified::Code);
        let far = secret.code_at(now + time::Duration::seconds(120)).unwrap();
        assert_eq!(two.verify(&far, now), Verified::Wrong);
        assert_eq!(two.verify("12a456", now), Verified::Wrong);
        assert_eq!(two.verify("", now), Verified::Wrong);
    }

    #[test]
    fn recovery_codes_work_once_in_any_case_and_spacing() {
        let (plain, hashes) = recovery_codes();
        assert_eq!(plain.len(), RECOVERY_CODES);
        assert_eq!(hashes.len(), RECOVERY_CODES);
        assert!(plain.iter().all(|c| c.len() == 19), "{plain:?}");
        assert!(!hashes.iter().any(|h| plain.iter().any(|p| h.contains(p))));
        let now = at(1_800_000_000);
        let mut two = TwoStep::new(TotpSecret::generate(), now, 0, hashes);
        let typed = plain[3].to_uppercase().replace('-', " ");
        assert_eq!(two.verify(&typed, now), Verified::Recovery { left: 9 });
        assert_eq!(two.verify(&plain[3], now), Verified::Wrong);
        assert_eq!(two.verify(&plain[4], now), Verified::Recovery { left: 8 });
    }

    #[test]
    fn the_secret_round_trips_through_base32_and_storage() {
        let secret = TotpSecret::generate();
        let text = secret.base32_grouped();
        assert_eq!(text.replace(' ', "").len(), 32, "{text}");
        assert_eq!(TotpSecret::from_base32(&text), Some(secret.clone()));
        let stored: String = secret.clone().into();
        assert_eq!(TotpSecret::try_from(stored).ok(), Some(secret.clone()));
        assert!(!format!("{secret:?}").contains(&text.replace(' ', "")[..8]));
        let url = secret.otpauth_url("anna").unwrap();
        assert!(
            url.starts_with("otpauth://totp/exit-factors:anna?"),
            "{url}"
        );
        assert!(url.contains(&text.replace(' ', "")), "{url}");
    }

    #[test]
    fn the_policy_covers_roles_upwards() {
        use Role::*;
        let covered = |p: TwoStepPolicy| {
            Role::ALL
                .into_iter()
                .filter(|r| p.requires(*r))
                .collect::<Vec<_>>()
        };
        assert_eq!(covered(TwoStepPolicy::default()), vec![Admin]);
        assert_eq!(covered(TwoStepPolicy::Supervisors), vec![Supervisor, Admin]);
        assert_eq!(
            covered(TwoStepPolicy::Everyone),
            vec![Operator, Supervisor, Admin]
        );
        assert_eq!(
            TwoStepPolicy::from_id("everyone"),
            Some(TwoStepPolicy::Everyone)
        );
    }
}
