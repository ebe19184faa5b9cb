//! Which key seals which record, and the step that seals a store written before encryption
//! (schema 1 to 2). A restore uses the same rule to seal a backup's records.

use serde::Deserialize;

use super::trees::{
    ASSESSMENTS, AUDIT, CASE_ASSESSMENTS, CASES, ERASURES, META, SEEN, SESSIONS, Trees,
    USER_SESSIONS, USERNAMES, USERS,
};
use super::vault::{Scope, Vault};
use super::{DEMO_KEY, SCHEMA_KEY, StoreError};

/// Meta records kept in plain: read before the keyring is open, or carrying nothing.
const PLAIN_META: [&[u8]; 3] = [SCHEMA_KEY, DEMO_KEY, b"write_probe"];

/// The case an assessment record belongs to (the one field a plain record is read for).
#[derive(Deserialize)]
struct CaseOf {
    case: String,
}

/// How a plain record of `tree` is stored: the scope whose key seals it, or `None` for a record
/// kept as it is (an empty index value, a plain meta flag).
fn scope_of(tree: &str, key: &[u8], plain: &[u8]) -> Result<Option<String>, StoreError> {
    Ok(match tree {
        META if PLAIN_META.contains(&key) => None,
        USER_SESSIONS | CASE_ASSESSMENTS => None,
        USERNAMES => None,
        META | USERS | SESSIONS | AUDIT | ERASURES => Some(String::new()),
        SEEN => Some(
            std::str::from_utf8(&key[..key.len().saturating_sub(8)])
                .map_err(|_| StoreError::Unreadable("a seen key is not a case code".into()))?
                .to_owned(),
        ),
        CASES => Some(
            std::str::from_utf8(key)
                .map_err(|_| StoreError::Unreadable("a case key is not text".into()))?
                .to_owned(),
        ),
        ASSESSMENTS => Some(serde_json::from_slice::<CaseOf>(plain)?.case),
        other => return Err(StoreError::Unreadable(format!("unknown tree {other:?}"))),
    })
}

fn scope(name: &str) -> Scope<'_> {
    if name.is_empty() {
        Scope::System
    } else {
        Scope::Case(name)
    }
}

/// A plain (logical) record of `tree` as it is stored: sealed under the key its tree gives it
/// (the case's data key is made first if it has none yet), or as it is.
pub(super) fn seal_record(
    t: &Trees,
    tree: &str,
    key: &[u8],
    plain: &[u8],
) -> Result<Vec<u8>, StoreError> {
    match scope_of(tree, key, plain)? {
        None => Ok(plain.to_vec()),
        Some(name) => {
            if !name.is_empty() {
                t.vault.ensure_case_keys([name.as_str()])?;
            }
            t.vault.seal(scope(&name), tree, key, plain)
        }
    }
}

/// A stored record of `tree` as plain (logical) bytes: opened if sealed.
pub(super) fn open_record(
    t: &Trees,
    tree: &str,
    key: &[u8],
    stored: &[u8],
) -> Result<Vec<u8>, StoreError> {
    if Vault::is_sealed(stored) {
        t.vault.open_value(tree, key, stored)
    } else if scope_of(tree, key, stored)?.is_none() {
        Ok(stored.to_vec())
    } else {
        // A record that should be sealed is not: someone wrote to the files.
        Err(StoreError::Tampered(tree.to_owned()))
    }
}

/// The username index key of `username`: a keyed hash, so the index does not list staff names.
pub(super) fn username_key(vault: &Vault, username: &str) -> Result<[u8; 32], StoreError> {
    vault.keyed_hash(username.as_bytes())
}

/// Rebuilds the username index from the accounts.
pub(super) fn rebuild_username_index(t: &Trees) -> Result<(), StoreError> {
    #[derive(Deserialize)]
    struct NameOf {
        username: String,
    }
    t.usernames.clear()?;
    for item in t.users.iter() {
        let (key, value) = item?;
        let user: NameOf = serde_json::from_slice(&open_record(t, USERS, &key, &value)?)?;
        t.usernames
            .insert(username_key(&t.vault, &user.username)?, key.as_ref())?;
    }
    Ok(())
}

/// Schema 2 → 3: nothing to rewrite. The new fields (an account's second step, a session's stage,
/// the two-step policy, an audit entry's address) have defaults that version 2 records read as.
pub(super) fn nothing_to_rewrite(_: &Trees) -> Result<(), StoreError> {
    Ok(())
}

/// Schema 1 to 2: seals every plain value (skipping those already sealed, so a step cut short by
/// a crash just runs again), and re-keys the username index.
pub(super) fn seal_every_value(t: &Trees) -> Result<(), StoreError> {
    // Every case's key first, with one sync of the keyring.
    let codes: Vec<String> = t
        .cases
        .iter()
        .keys()
        .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
        .collect::<Result<_, StoreError>>()?;
    t.vault.ensure_case_keys(codes.iter().map(String::as_str))?;
    for name in [META, USERS, SESSIONS, AUDIT, CASES, ASSESSMENTS] {
        let tree = t.by_name(name).ok_or(StoreError::NotFound)?;
        let mut batch = sled::Batch::default();
        for item in tree.iter() {
            let (key, value) = item?;
            if Vault::is_sealed(&value) {
                continue;
            }
            let sealed = seal_record(t, name, &key, &value)?;
            if sealed != value.as_ref() {
                batch.insert(key, sealed);
            }
        }
        tree.apply_batch(batch)?;
    }
    rebuild_username_index(t)?;
    super::audit::chain_unchained(t)?;
    t.db.flush()?;
    Ok(())
}
