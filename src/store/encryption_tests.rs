//! Encryption at rest, seen from the files: a store from before encryption is sealed on its first
//! open, no value is stored in plain, and a wrong key or an altered record is refused clearly.

use std::path::Path;

use time::OffsetDateTime;

use super::trees::{ASSESSMENTS, AUDIT, CASE_ASSESSMENTS, CASES, META, USERNAMES, USERS};
use super::vault::{MasterKey, Vault, test_key};
use super::*;
use crate::domain::{AuditAction, AuditEvent, Outcome, Role, User, UserId, Username};
use crate::instrument::Instrument;

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `Store::open`, once sled's threads of a store just dropped have let go of the directory lock.
pub(super) fn open_when_free(dir: &Path, key: &MasterKey) -> Result<Store, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open(dir, key) {
            Err(StoreError::Locked) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Writes a store as schema 1 wrote it: plain JSON values, usernames as index keys.
fn write_schema_1_store(
    dir: &Path,
) -> (
    Vec<(
        crate::domain::Case,
        Vec<crate::domain::assessment::Assessment>,
    )>,
    User,
) {
    let instrument = Instrument::bundled().unwrap();
    let data = crate::demo::generate(&instrument, 3, 5, now(), &[UserId::new(900)], None).unwrap();
    let user = User {
        id: UserId::new(900),
        username: Username::parse("olga").unwrap(),
        role: Role::Operator,
        password_hash: "$argon2id$fake".into(),
        disabled: false,
        created_at: now(),
        failed_sign_ins: 0,
        locked_until: None,
        session_epoch: 0,
        two_step: None,
        language: None,
    };
    let db = sled::open(dir).unwrap();
    let tree = |name: &str| db.open_tree(name).unwrap();
    tree(META).insert(SCHEMA_KEY, b"1").unwrap();
    tree(USERS)
        .insert(900u64.to_be_bytes(), serde_json::to_vec(&user).unwrap())
        .unwrap();
    tree(USERNAMES)
        .insert(b"olga", &900u64.to_be_bytes())
        .unwrap();
    for seq in 1..=3u64 {
        let event = AuditEvent::new(now(), Some(user.id), AuditAction::SignIn, Outcome::Success);
        tree(AUDIT)
            .insert(seq.to_be_bytes(), serde_json::to_vec(&event).unwrap())
            .unwrap();
    }
    for (case, assessments) in &data {
        tree(CASES)
            .insert(case.code.as_str(), serde_json::to_vec(case).unwrap())
            .unwrap();
        for a in assessments {
            let id = a.id().get().to_be_bytes();
            tree(ASSESSMENTS)
                .insert(id, serde_json::to_vec(a).unwrap())
                .unwrap();
            let mut index = case.code.as_str().as_bytes().to_vec();
            index.extend_from_slice(&id);
            tree(CASE_ASSESSMENTS).insert(index, &[]).unwrap();
        }
    }
    db.flush().unwrap();
    (data, user)
}

#[test]
fn a_store_from_before_encryption_is_sealed_on_its_first_open_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (data, user) = write_schema_1_store(dir.path());
    let store = open_when_free(dir.path(), &test_key()).unwrap();

    let t = store.trees().unwrap();
    assert_eq!(
        t.meta.get(SCHEMA_KEY).unwrap().unwrap().as_ref(),
        SCHEMA_VERSION.to_string().as_bytes()
    );
    for name in [USERS, AUDIT, CASES, ASSESSMENTS] {
        let tree = t.by_name(name).unwrap();
        assert!(!tree.is_empty());
        for item in tree.iter() {
            let (_, value) = item.unwrap();
            assert!(Vault::is_sealed(&value), "a plain value is left in {name}");
        }
    }
    assert!(
        t.usernames.get(b"olga").unwrap().is_none(),
        "the username index no longer lists names"
    );
    drop(t);

    assert_eq!(
        store
            .user_by_username(&Username::parse("olga").unwrap())
            .unwrap(),
        Some(user)
    );
    for (case, assessments) in &data {
        assert_eq!(store.case(&case.code).unwrap().as_ref(), Some(case));
        assert_eq!(&store.assessments_of(&case.code).unwrap(), assessments);
    }
    let check = store.verify_audit().unwrap();
    assert_eq!(
        (check.checked, check.broken),
        (3, None),
        "the old entries are chained"
    );
}

#[actix_web::test]
async fn nothing_typed_is_stored_in_plain_and_a_wrong_key_changes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::from_bytes([3; 32]);
    {
        let store = Store::open(dir.path(), &key).unwrap();
        let created = |u: &User| {
            AuditEvent::new(now(), None, AuditAction::UserCreated, Outcome::Success)
                .on(u.id.to_string())
        };
        store
            .create_user(
                Username::parse("staffname").unwrap(),
                Role::Admin,
                "$argon2id$hash-text".into(),
                now(),
                created,
            )
            .await
            .unwrap();
        assert!(store.close(std::time::Duration::from_secs(5)));
    }
    let before = all_bytes(dir.path());
    for (path, bytes) in &before {
        for needle in [&b"staffname"[..], b"argon2id", b"user_created"] {
            assert!(!contains(bytes, needle), "{needle:?} in plain in {path:?}");
        }
    }
    let wrong = open_when_free(dir.path(), &MasterKey::from_bytes([4; 32]));
    assert!(matches!(wrong, Err(StoreError::WrongKey)));
    assert_eq!(all_bytes(dir.path()), before, "a wrong key changes no file");

    std::fs::remove_file(vault::keyring_path(dir.path())).unwrap();
    let without = open_when_free(dir.path(), &key);
    assert!(matches!(without, Err(StoreError::KeyringMissing)));
}

#[actix_web::test]
async fn a_flipped_byte_in_a_record_is_refused_as_tampered_and_the_rest_reads() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &test_key()).unwrap();
    let instrument = Instrument::bundled().unwrap();
    let data = crate::demo::generate(&instrument, 2, 9, now(), &[UserId::new(1)], None).unwrap();
    for (case, _) in &data {
        let audit = AuditEvent::new(now(), None, AuditAction::CaseCreated, Outcome::Success);
        store.create_case(case, audit).await.unwrap();
    }
    let (hit, other) = (&data[0].0.code, &data[1].0.code);
    let t = store.trees().unwrap();
    let mut value = t.cases.get(hit.as_str()).unwrap().unwrap().to_vec();
    let last = value.len() - 1;
    value[last] ^= 0x20;
    t.cases.insert(hit.as_str(), value).unwrap();
    drop(t);

    let err = store.case(hit).unwrap_err();
    assert!(
        matches!(err, StoreError::Tampered(ref tree) if tree == "cases"),
        "{err}"
    );
    assert!(err.to_string().contains("integrity check"), "{err}");
    assert_eq!(store.case(other).unwrap().as_ref(), Some(&data[1].0));
}
