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
const PLAIN_META: [&[u8]; 6] = [
    SCHEMA_KEY,
    DEMO_KEY,
    b"write_probe",
    super::aggregate_rows::ROWS_FOR,
    COMPACTING,
    super::trees::ID_FLOOR,
];

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
        ASSESSMENTS => Some(super::codec::decode::<CaseOf>(plain)?.case),
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
        let user: NameOf = super::codec::decode(&open_record(t, USERS, &key, &value)?)?;
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

/// Set while a step that re-encodes records runs, with the schema already stamped: a build that
/// reads only the schema before refuses the store, and this one finishes the step at its next
/// start.
pub(super) const COMPACTING: &[u8] = b"compacting_records";

/// Schema 3 to 4: every sealed record re-encoded from JSON to the compact encoding (`codec`),
/// as its own type reads it, and the case list's index built. Records already in the current
/// encoding are skipped, so a step cut short by a crash just runs again (see `COMPACTING`).
pub(super) fn compact_every_record(t: &Trees) -> Result<(), StoreError> {
    recode_every_record(t, 4)
}

/// Schema 4 to 5: records compressed without the dictionary (`codec::ZSTD`) compressed again
/// with it. (After step 3 there are none left: this pass then only reads.)
pub(super) fn compress_with_dictionary(t: &Trees) -> Result<(), StoreError> {
    recode_every_record(t, 5)
}

fn recode_every_record(t: &Trees, schema: u32) -> Result<(), StoreError> {
    t.meta
        .insert(super::SCHEMA_KEY, schema.to_string().as_bytes())?;
    t.meta.insert(COMPACTING, b"1")?;
    t.db.flush()?;
    finish_compacting(t)
}

/// With `COMPACTING` set (the step was cut short, or has just been stamped): re-encodes what is
/// not yet in the current encoding, then clears the mark.
pub(super) fn finish_compacting(t: &Trees) -> Result<(), StoreError> {
    if t.meta.contains_key(COMPACTING)? {
        recode_all(t)?;
        t.meta.remove(COMPACTING)?;
        t.db.flush()?;
    }
    Ok(())
}

fn recode_all(t: &Trees) -> Result<(), StoreError> {
    use crate::domain::assessment::Assessment;
    use crate::domain::audit::chain::ChainedEntry;
    use crate::domain::erasure::Erasure;
    use crate::domain::{Case, User};
    recode::<User>(t, USERS, |_| true)?;
    recode::<super::sessions::Session>(t, SESSIONS, |_| true)?;
    recode::<ChainedEntry>(t, AUDIT, |_| true)?;
    recode::<Case>(t, CASES, |_| true)?;
    recode::<Assessment>(t, ASSESSMENTS, |_| true)?;
    recode::<Erasure>(t, ERASURES, |_| true)?;
    recode::<time::OffsetDateTime>(t, SEEN, |_| true)?;
    recode::<crate::domain::settings::Settings>(t, META, |k| k == super::SETTINGS_KEY)?;
    recode::<String>(t, META, |k| k == super::audit::ANCHOR_KEY)?;
    super::case_order::rebuild(t)?;
    Ok(())
}

/// Rewrites the records of `tree` in an older encoding whose key passes `which` in the current
/// one, as type `T`, in batches.
fn recode<T: serde::Serialize + serde::de::DeserializeOwned>(
    t: &Trees,
    tree_name: &str,
    which: impl Fn(&[u8]) -> bool,
) -> Result<(), StoreError> {
    const BATCH: usize = 5_000;
    let tree = t.by_name(tree_name).ok_or(StoreError::NotFound)?;
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for item in tree.iter() {
        let (key, value) = item?;
        if !which(&key) || !Vault::is_sealed(&value) {
            continue;
        }
        let plain = zeroize::Zeroizing::new(t.vault.open_value(tree_name, &key, &value)?);
        if !super::codec::is_outdated(&plain) {
            continue;
        }
        let record: T = super::codec::decode(&plain)?;
        let encoded = zeroize::Zeroizing::new(super::codec::encode(&record)?);
        let sealed = seal_record(t, tree_name, &key, &encoded)?;
        batch.insert(key, sealed);
        pending += 1;
        if pending == BATCH {
            tree.apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    tree.apply_batch(batch)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;
    use std::path::Path;
    use std::sync::Arc;

    use serde::de::DeserializeOwned;

    use super::*;
    use crate::domain::assessment::Assessment;
    use crate::domain::audit::chain::ChainedEntry;
    use crate::domain::erasure::Erasure;
    use crate::domain::settings::Settings;
    use crate::domain::{Case, User};
    use crate::store::sessions::Session;
    use crate::store::vault::MasterKey;
    use crate::store::{CaseList, Store};

    /// A store written by the code of schema 3 (records in JSON) or 4 (compressed without the
    /// dictionary): demo accounts, cases and assessments, a session, views, settings, an erased
    /// case and a purged audit log (how each was made: `tests/fixtures/store-schema-N/README.md`).
    fn fixture_copy(schema: u32) -> tempfile::TempDir {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/store-schema-{schema}"));
        let dir = tempfile::tempdir().unwrap();
        for name in ["conf", "db", "keyring"] {
            std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
        }
        dir
    }

    fn fixture_key() -> MasterKey {
        MasterKey::from_bytes([0x5a; 32])
    }

    /// Every record of every tree, opened and decoded as its type (or, for plain index trees,
    /// as stored), and how many of them are still JSON.
    #[derive(Debug, PartialEq)]
    struct Everything {
        users: BTreeMap<Vec<u8>, User>,
        sessions: BTreeMap<Vec<u8>, Session>,
        audit: BTreeMap<Vec<u8>, ChainedEntry>,
        cases: BTreeMap<Vec<u8>, Case>,
        assessments: BTreeMap<Vec<u8>, Assessment>,
        erasures: BTreeMap<Vec<u8>, Erasure>,
        seen: BTreeMap<Vec<u8>, time::OffsetDateTime>,
        settings: BTreeMap<Vec<u8>, Settings>,
        anchor: BTreeMap<Vec<u8>, String>,
        plain: BTreeMap<(String, Vec<u8>), Vec<u8>>,
    }

    /// How the sealed records of a store are encoded.
    #[derive(Debug, Default)]
    struct Encodings {
        /// In JSON (before schema 4).
        legacy: usize,
        /// In anything older than the current encoding.
        outdated: usize,
        /// The stored bytes of the assessments.
        assessment_bytes: usize,
    }

    /// The fixture's trees, once the handle opened just before has let go of the directory.
    fn open_trees(dir: &Path, vault: Vault) -> Trees {
        Trees::open_when_free(
            dir,
            Arc::new(vault),
            crate::store::CacheSize::default(),
            std::time::Duration::from_secs(10),
        )
        .unwrap()
    }

    fn read_all(dir: &Path) -> (Everything, Encodings) {
        let vault = Vault::open(dir, &fixture_key(), false).unwrap();
        let t = open_trees(dir, vault);
        let mut seen = Encodings::default();
        let mut typed = |name: &str, which: &dyn Fn(&[u8]) -> bool| {
            let mut found = Vec::new();
            for item in t.by_name(name).unwrap().iter() {
                let (key, value) = item.unwrap();
                if which(&key) && Vault::is_sealed(&value) {
                    let plain = t.vault.open_value(name, &key, &value).unwrap();
                    seen.legacy += usize::from(super::super::codec::is_legacy(&plain));
                    seen.outdated += usize::from(super::super::codec::is_outdated(&plain));
                    if name == ASSESSMENTS {
                        seen.assessment_bytes += value.len();
                    }
                    found.push((key.to_vec(), plain));
                }
            }
            found
        };
        fn decode_all<T: DeserializeOwned>(found: Vec<(Vec<u8>, Vec<u8>)>) -> BTreeMap<Vec<u8>, T> {
            found
                .into_iter()
                .map(|(k, v)| (k, super::super::codec::decode(&v).unwrap()))
                .collect()
        }
        let all = |_: &[u8]| true;
        let everything = Everything {
            users: decode_all(typed(USERS, &all)),
            sessions: decode_all(typed(SESSIONS, &all)),
            audit: decode_all(typed(AUDIT, &all)),
            cases: decode_all(typed(CASES, &all)),
            assessments: decode_all(typed(ASSESSMENTS, &all)),
            erasures: decode_all(typed(ERASURES, &all)),
            seen: decode_all(typed(SEEN, &all)),
            settings: decode_all(typed(META, &|k| k == super::super::SETTINGS_KEY)),
            anchor: decode_all(typed(META, &|k| k == super::super::audit::ANCHOR_KEY)),
            plain: [USERNAMES, USER_SESSIONS, CASE_ASSESSMENTS]
                .into_iter()
                .flat_map(|name| {
                    t.by_name(name)
                        .unwrap()
                        .iter()
                        .map(|item| {
                            let (k, v) = item.unwrap();
                            ((name.to_owned(), k.to_vec()), v.to_vec())
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        };
        (everything, seen)
    }

    fn sizes(everything: &Everything) -> [usize; 9] {
        let e = everything;
        [
            e.users.len(),
            e.sessions.len(),
            e.audit.len(),
            e.cases.len(),
            e.assessments.len(),
            e.erasures.len(),
            e.seen.len(),
            e.settings.len(),
            e.anchor.len(),
        ]
    }

    fn schema_of(dir: &Path) -> Vec<u8> {
        let t = open_trees(dir, Vault::open(dir, &fixture_key(), false).unwrap());
        assert!(!t.meta.contains_key(COMPACTING).unwrap(), "finished");
        t.meta
            .get(super::super::SCHEMA_KEY)
            .unwrap()
            .unwrap()
            .to_vec()
    }

    /// Opens the fixture of `schema` with this build and checks that every record reads as it did,
    /// in the current encoding, with the audit chain and the case list whole; returns the
    /// encodings before and after.
    fn migrate_fixture(schema: u32) -> (Encodings, Encodings) {
        let dir = fixture_copy(schema);
        let (before, encodings_before) = read_all(dir.path());
        // The fixture holds every kind of record.
        assert!(
            sizes(&before).iter().all(|&n| n > 0),
            "{:?}",
            sizes(&before)
        );

        let store = Store::open(dir.path(), &fixture_key()).unwrap();
        assert!(store.verify_audit().unwrap().broken.is_none());
        let everyone = store
            .case_page(CaseList::Everyone, &crate::store::CaseFrom::Skip(0), 100)
            .unwrap();
        let everyone = (everyone.total, everyone.cases);
        assert_eq!(everyone.0, before.cases.len());
        let mut newest_first: Vec<&Case> = before.cases.values().collect();
        newest_first.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        assert_eq!(
            everyone.1.iter().map(|c| &c.code).collect::<Vec<_>>(),
            newest_first.iter().map(|c| &c.code).collect::<Vec<_>>()
        );
        assert!(store.close(std::time::Duration::from_secs(10)));
        drop(store);

        let (after, encodings_after) = read_all(dir.path());
        assert_eq!(encodings_after.outdated, 0, "every record re-encoded");
        assert_eq!(after, before, "every record reads as it did");
        assert_eq!(
            schema_of(dir.path()),
            super::super::SCHEMA_VERSION.to_string().as_bytes()
        );
        (encodings_before, encodings_after)
    }

    #[test]
    fn a_store_written_as_json_by_schema_3_keeps_every_record_in_the_current_encoding() {
        let (before, _) = migrate_fixture(3);
        assert_eq!(before.legacy, before.outdated, "all JSON");
        assert!(before.legacy > 0);
    }

    #[test]
    fn a_store_written_by_schema_4_keeps_every_record_compressed_with_the_dictionary() {
        let (before, after) = migrate_fixture(4);
        assert_eq!(before.legacy, 0);
        assert!(before.outdated > 0, "{before:?}");
        // The dictionary takes the assessments to well under half their size.
        assert!(
            after.assessment_bytes * 2 < before.assessment_bytes,
            "{before:?} -> {after:?}"
        );
    }

    #[test]
    fn a_migration_cut_short_is_finished_at_the_next_start() {
        for (schema, stamp) in [(3, b"4"), (4, b"5")] {
            let dir = fixture_copy(schema);
            {
                // As a crash leaves it: stamped (the build before refuses that), records as
                // they were.
                let vault = Vault::open(dir.path(), &fixture_key(), false).unwrap();
                let t = open_trees(dir.path(), vault);
                t.meta.insert(super::super::SCHEMA_KEY, stamp).unwrap();
                t.meta.insert(COMPACTING, b"1").unwrap();
                t.db.flush().unwrap();
            }
            let (before, _) = read_all(dir.path());
            let store = Store::open(dir.path(), &fixture_key()).unwrap();
            assert!(store.close(std::time::Duration::from_secs(10)));
            drop(store);
            let (after, encodings) = read_all(dir.path());
            assert_eq!(encodings.outdated, 0, "finished");
            assert_eq!(after, before);
            assert_eq!(
                schema_of(dir.path()),
                super::super::SCHEMA_VERSION.to_string().as_bytes()
            );
        }
    }
}
