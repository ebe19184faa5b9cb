//! argon2id password hashing (m = 19 MiB, t = 2, p = 1), run off the async workers because each
//! hash takes tens of milliseconds of CPU.

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Password;
use crate::error::AppError;

fn hasher() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a new password into a PHC string with a random salt.
pub fn hash_blocking(password: &Password) -> Result<String, AppError> {
    let hash = hasher()?
        .hash_password(password.expose().as_bytes())
        .map_err(AppError::internal)?;
    Ok(hash.to_string())
}

/// Hashes a new password on the blocking thread pool.
pub async fn hash(password: Password) -> Result<String, AppError> {
    actix_web::web::block(move || hash_blocking(&password))
        .await
        .map_err(AppError::internal)?
}

/// Checks `candidate` against a stored PHC string on the blocking thread pool. A malformed hash
/// counts as a mismatch.
pub async fn verify(candidate: String, stored_hash: String) -> Result<bool, AppError> {
    actix_web::web::block(move || {
        let Ok(parsed) = PasswordHash::new(&stored_hash) else {
            return Ok(false);
        };
        Ok(hasher()?
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of a random password, verified against when the username is unknown so that a wrong
/// username takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: String = {
            use rand::RngCore;
            let mut bytes = [0u8; 24];
            rand::rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        };
        Password::parse(random)
            .ok()
            .and_then(|p| hash_blocking(&p).ok())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_policy_parameters() {
        let p = Password::parse("correct horse battery".into()).unwrap();
        let hash = hash_blocking(&p).unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
    }

    #[actix_web::test]
    async fn verification_accepts_only_the_same_password() {
        let p = Password::parse("correct horse battery".into()).unwrap();
        let hash = hash_blocking(&p).unwrap();
        assert!(
            verify("correct horse battery".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify("correct horse batterY".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }

    #[actix_web::test]
    async fn long_passwords_are_not_truncated() {
        let long = "a".repeat(127);
        let p = Password::parse(format!("{long}b")).unwrap();
        let hash = hash_blocking(&p).unwrap();
        assert!(!verify(format!("{long}c"), hash).await.unwrap());
    }
}
