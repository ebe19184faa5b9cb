//! Encryption at rest: every stored value that carries data is sealed with XChaCha20-Poly1305
//! (the `chacha20poly1305` crate) under a data key, and the data keys are wrapped by the master key.
//!
//! - Each case has its own data key; everything else (accounts, sessions, settings, the audit
//!   log) uses the system data key. Destroying a case's key makes every copy of its records that
//!   sled's log may still hold unreadable (crypto-shredding).
//! - The data keys live in `keyring`, a file of fixed-size slots beside sled's files and outside
//!   its log, so that destroying a key overwrites the only copy of it in place (`keyring.rs`).
//! - A sealed value names the key that sealed it (`Scope`) and is bound to its tree and record
//!   key (AEAD associated data): a value moved to another record, or one flipped bit, does not
//!   open.
//!
//! Sealed value layout: `MAGIC`, scope length (1 byte), scope (a case code, or nothing for the
//! system key), a 24-byte random nonce, then the ciphertext with its 16-byte tag. `MAGIC` can
//! never begin a JSON value, which is how a migration tells a sealed value from a plain one.

mod keyring;

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

pub use keyring::KEYRING_FILE;
use keyring::Keyring;

use super::StoreError;

/// The first bytes of every sealed value.
const MAGIC: [u8; 2] = [0xE5, 0x01];
const NONCE: usize = 24;
const TAG: usize = 16;

/// The key that seals a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The system data key: accounts, sessions, settings, the audit log.
    System,
    /// The data key of one case (its code): the case and its assessments.
    Case(&'a str),
}

impl Scope<'_> {
    fn name(&self) -> &str {
        match self {
            Scope::System => "",
            Scope::Case(code) => code,
        }
    }
}

/// Why a key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key file {0} does not exist")]
    Missing(PathBuf),
    #[error("the key file {0} cannot be read: {1}")]
    Unreadable(PathBuf, String),
    #[error(
        "the key file {0} is not an exit-factors key (it should hold one line, exit-factors-key-1:<64 hex digits>)"
    )]
    Malformed(PathBuf),
    #[error("the key file {0} already exists; it was left as it is")]
    Exists(PathBuf),
    #[error("the key file {0} cannot be written: {1}")]
    Unwritable(PathBuf, String),
    #[error(
        "the key file {0} is missing, and the data directory is encrypted: it cannot be opened without its key (give --key-file or set EXIT_FACTORS_KEY_FILE)"
    )]
    MissingForEncrypted(PathBuf),
}

const KEY_PREFIX: &str = "exit-factors-key-1:";

/// The master key: it only wraps and unwraps data keys. Zeroed when dropped.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(key.as_mut());
        Self(key)
    }

    /// A key from its bytes (tests and benchmarks use a fixed one).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Reads a key file.
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                KeyError::Missing(path.to_owned())
            } else {
                KeyError::Unreadable(path.to_owned(), e.to_string())
            }
        })?);
        let hex_part = text
            .trim()
            .strip_prefix(KEY_PREFIX)
            .ok_or_else(|| KeyError::Malformed(path.to_owned()))?;
        let mut key = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex_part, key.as_mut())
            .map_err(|_| KeyError::Malformed(path.to_owned()))?;
        Ok(Self(key))
    }

    /// Writes a new key file readable by its owner only (0600), refusing to replace one, and
    /// makes it durable.
    pub fn write_new(&self, path: &Path) -> Result<(), KeyError> {
        use std::io::Write;
        let fail = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                KeyError::Exists(path.to_owned())
            } else {
                KeyError::Unwritable(path.to_owned(), e.to_string())
            }
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(fail)?;
        let line = Zeroizing::new(format!("{KEY_PREFIX}{}\n", hex::encode(self.0.as_ref())));
        file.write_all(line.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        sync_parent(path).map_err(fail)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }
}

/// The associated data binding a sealed value to its place.
fn place(tree: &str, key: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(tree.len() + 1 + key.len());
    aad.extend_from_slice(tree.as_bytes());
    aad.push(0);
    aad.extend_from_slice(key);
    aad
}

/// Seals and opens stored values; holds the unwrapped data keys.
pub struct Vault {
    keyring: Keyring,
}

impl Vault {
    /// Opens the keyring in `dir` with `master`. A missing keyring is created (with a new system
    /// key) only when `create` says the store holds nothing sealed yet.
    pub(super) fn open(dir: &Path, master: &MasterKey, create: bool) -> Result<Self, StoreError> {
        Ok(Self {
            keyring: Keyring::open(dir, master, create)?,
        })
    }

    /// Seals `plain` for record `key` of `tree`, under the data key of `scope` (which must exist).
    pub(super) fn seal(
        &self,
        scope: Scope<'_>,
        tree: &str,
        key: &[u8],
        plain: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        let data_key = self
            .keyring
            .key(scope.name())?
            .ok_or_else(|| StoreError::KeyGone(scope.name().to_owned()))?;
        let name = scope.name().as_bytes();
        let mut nonce = [0u8; NONCE];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = data_key
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &place(tree, key),
                },
            )
            .map_err(|_| StoreError::Tampered(tree.to_owned()))?;
        let mut out = Vec::with_capacity(MAGIC.len() + 1 + name.len() + NONCE + ciphertext.len());
        out.extend_from_slice(&MAGIC);
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        Ok(out)
    }

    /// Opens a value sealed by `seal` for the same tree and key. A value altered in any way, or
    /// moved from another record, fails with `Tampered`; one whose key was destroyed with `KeyGone`.
    pub(super) fn open_value(
        &self,
        tree: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        let tampered = || StoreError::Tampered(tree.to_owned());
        let (scope, nonce, ciphertext) = split(sealed).ok_or_else(tampered)?;
        let data_key = self
            .keyring
            .key(scope)?
            .ok_or_else(|| StoreError::KeyGone(scope.to_owned()))?;
        data_key
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &place(tree, key),
                },
            )
            .map_err(|_| tampered())
    }

    /// Whether `value` is sealed (rather than a plain record from before encryption).
    pub(super) fn is_sealed(value: &[u8]) -> bool {
        value.starts_with(&MAGIC)
    }

    /// Makes sure case `code` has a data key, creating and storing one (durably) if not. Run by
    /// the writer before the first record of the case is written.
    pub(super) fn ensure_case_keys<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), StoreError> {
        self.add_missing(codes, true)
    }

    /// `ensure_case_keys` without the sync (a restore syncs once, with `sync_keys`, before the
    /// records are flushed).
    pub(super) fn ensure_case_keys_unsynced<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), StoreError> {
        self.add_missing(codes, false)
    }

    fn add_missing<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
        sync: bool,
    ) -> Result<(), StoreError> {
        let codes: Vec<&str> = codes.into_iter().collect();
        self.keyring.add(&codes, sync)
    }

    /// Makes every key added so far durable.
    pub(super) fn sync_keys(&self) -> Result<(), StoreError> {
        self.keyring.sync()
    }

    /// Destroys the data key of case `code`: overwrites its slot in place and syncs it. Every
    /// record sealed with it, wherever a copy survives, is unreadable from then on.
    pub(super) fn destroy_case_key(&self, code: &str) -> Result<bool, StoreError> {
        self.keyring.destroy(code)
    }

    /// The case codes that have a data key.
    pub(super) fn case_codes(&self) -> Vec<String> {
        self.keyring.case_codes()
    }

    /// A keyed hash of `value` under the system key (for index keys that must not be stored in
    /// plain, such as usernames).
    pub(super) fn keyed_hash(&self, value: &[u8]) -> Result<[u8; 32], StoreError> {
        use hmac::Mac;
        let secret = self
            .keyring
            .index_secret()
            .ok_or_else(|| StoreError::KeyGone(String::new()))?;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(secret)
            .map_err(|_| StoreError::KeyGone(String::new()))?;
        mac.update(value);
        Ok(mac.finalize().into_bytes().into())
    }

    /// Re-wraps every data key with `new` (no record is re-encrypted). Durable when it returns.
    pub(super) fn rewrap(&self, new: &MasterKey) -> Result<(), StoreError> {
        self.keyring.rewrap(new)
    }

    /// The keyring's wrapped copy of a key (tests: to show it is gone from every file).
    #[doc(hidden)]
    pub fn wrapped_key_bytes(&self, scope: Scope<'_>) -> Option<Vec<u8>> {
        self.keyring.wrapped(scope.name())
    }
}

/// A fixed key for unit tests.
#[cfg(test)]
pub(crate) fn test_key() -> MasterKey {
    MasterKey::from_bytes([7; 32])
}

/// Splits a sealed value into scope, nonce and ciphertext.
fn split(sealed: &[u8]) -> Option<(&str, &[u8], &[u8])> {
    let rest = sealed.strip_prefix(&MAGIC)?;
    let (&len, rest) = rest.split_first()?;
    let len = usize::from(len);
    if rest.len() < len + NONCE + TAG {
        return None;
    }
    let scope = std::str::from_utf8(&rest[..len]).ok()?;
    Some((scope, &rest[len..len + NONCE], &rest[len + NONCE..]))
}

/// Syncs the directory holding `path`, so that a file created or renamed in it stays.
pub(crate) fn sync_parent(path: &Path) -> std::io::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::File::open(parent)?.sync_all()
}

/// Where the master key is kept when no key file is named: beside the data directory (never in
/// it, so that a copy of the data directory does not carry its key): `./data` → `./data.key`.
pub fn default_key_file(data_dir: &Path) -> PathBuf {
    let name = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    let parent = data_dir.parent().unwrap_or(Path::new("."));
    parent.join(format!("{name}.key"))
}

/// Where `key rotate` puts the new key until the keyring is re-wrapped with it.
pub fn next_key_file(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".next");
    PathBuf::from(name)
}

/// A master key read or made for a data directory.
pub struct LoadedKey {
    pub key: MasterKey,
    pub path: PathBuf,
    /// Made now (the first start of a new or unencrypted store, without a named key file).
    pub created: bool,
}

/// Reads the master key for `data_dir` from `key_file`, or from the default place beside it.
/// Only the default key file is ever created, and only when `may_create` and the directory holds
/// no encrypted store yet.
pub fn load_master_key(
    data_dir: &Path,
    key_file: Option<&Path>,
    may_create: bool,
) -> Result<LoadedKey, KeyError> {
    let path = key_file.map_or_else(|| default_key_file(data_dir), Path::to_owned);
    match MasterKey::read(&path) {
        Ok(key) => Ok(LoadedKey {
            key,
            path,
            created: false,
        }),
        Err(KeyError::Missing(_)) if keyring_path(data_dir).exists() => {
            Err(KeyError::MissingForEncrypted(path))
        }
        Err(KeyError::Missing(_)) if key_file.is_none() && may_create => {
            let key = MasterKey::generate();
            key.write_new(&path)?;
            Ok(LoadedKey {
                key,
                path,
                created: true,
            })
        }
        Err(e) => Err(e),
    }
}

/// The keyring file of the store in `dir`.
pub fn keyring_path(dir: &Path) -> PathBuf {
    dir.join(KEYRING_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path(), &MasterKey::generate(), true).unwrap();
        (dir, vault)
    }

    #[test]
    fn a_sealed_value_opens_only_in_its_place_and_unaltered() {
        let (_dir, vault) = vault();
        vault.ensure_case_keys(["K7QM-3XDA-5"]).unwrap();
        let sealed = vault
            .seal(Scope::Case("K7QM-3XDA-5"), "cases", b"k", b"secret note")
            .unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(
            vault.open_value("cases", b"k", &sealed).unwrap(),
            b"secret note"
        );
        assert!(matches!(
            vault.open_value("cases", b"other", &sealed),
            Err(StoreError::Tampered(_))
        ));
        assert!(matches!(
            vault.open_value("users", b"k", &sealed),
            Err(StoreError::Tampered(_))
        ));
        for i in 0..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[i] ^= 0x01;
            assert!(
                vault.open_value("cases", b"k", &flipped).is_err(),
                "a flip at byte {i} went unnoticed"
            );
        }
    }

    #[test]
    fn a_destroyed_case_key_leaves_its_records_unreadable_and_others_readable() {
        let (dir, vault) = vault();
        vault
            .ensure_case_keys(["AAAA-AAAA-A", "BBBB-BBBB-B"])
            .unwrap();
        let a = vault
            .seal(Scope::Case("AAAA-AAAA-A"), "cases", b"a", b"one")
            .unwrap();
        let b = vault
            .seal(Scope::Case("BBBB-BBBB-B"), "cases", b"b", b"two")
            .unwrap();
        let wrapped = vault.wrapped_key_bytes(Scope::Case("AAAA-AAAA-A")).unwrap();
        assert!(vault.destroy_case_key("AAAA-AAAA-A").unwrap());
        assert!(matches!(
            vault.open_value("cases", b"a", &a),
            Err(StoreError::KeyGone(_))
        ));
        assert_eq!(vault.open_value("cases", b"b", &b).unwrap(), b"two");
        let file = std::fs::read(keyring_path(dir.path())).unwrap();
        assert!(!file.windows(wrapped.len()).any(|w| w == wrapped));
        assert!(!file.windows(11).any(|w| w == b"AAAA-AAAA-A"));
    }

    #[test]
    fn the_keyring_reopens_with_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let master = MasterKey::generate();
        let sealed = {
            let vault = Vault::open(dir.path(), &master, true).unwrap();
            vault.ensure_case_keys(["AAAA-AAAA-A"]).unwrap();
            vault
                .seal(Scope::Case("AAAA-AAAA-A"), "cases", b"a", b"one")
                .unwrap()
        };
        let again = Vault::open(dir.path(), &master, false).unwrap();
        assert_eq!(again.open_value("cases", b"a", &sealed).unwrap(), b"one");
        assert!(matches!(
            Vault::open(dir.path(), &MasterKey::generate(), false),
            Err(StoreError::WrongKey)
        ));
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            Vault::open(empty.path(), &master, false),
            Err(StoreError::KeyringMissing)
        ));
    }

    #[test]
    fn rewrapping_keeps_every_record_readable_under_the_new_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let old = MasterKey::generate();
        let new = MasterKey::generate();
        let sealed = {
            let vault = Vault::open(dir.path(), &old, true).unwrap();
            vault.ensure_case_keys(["AAAA-AAAA-A"]).unwrap();
            let sealed = vault
                .seal(Scope::Case("AAAA-AAAA-A"), "cases", b"a", b"one")
                .unwrap();
            vault.rewrap(&new).unwrap();
            sealed
        };
        assert!(matches!(
            Vault::open(dir.path(), &old, false),
            Err(StoreError::WrongKey)
        ));
        let vault = Vault::open(dir.path(), &new, false).unwrap();
        assert_eq!(vault.open_value("cases", b"a", &sealed).unwrap(), b"one");
    }

    /// More cases than keys are kept unwrapped: each key is unwrapped from its slot when used,
    /// an erased one is never served from memory, and a damaged slot is reported as damaged.
    #[test]
    fn case_keys_are_unwrapped_on_use_and_an_erased_one_is_gone_from_memory_too() {
        let dir = tempfile::tempdir().unwrap();
        let master = MasterKey::generate();
        let mut codes: Vec<String> = (0..keyring::UNWRAPPED + 904)
            .map(|_| crate::domain::CaseCode::generate().as_str().to_owned())
            .collect();
        codes.sort();
        codes.dedup();
        let sealed: Vec<Vec<u8>> = {
            let vault = Vault::open(dir.path(), &master, true).unwrap();
            vault
                .ensure_case_keys(codes.iter().map(String::as_str))
                .unwrap();
            codes
                .iter()
                .map(|c| {
                    vault
                        .seal(Scope::Case(c), "cases", c.as_bytes(), b"v")
                        .unwrap()
                })
                .collect()
        };
        let vault = Vault::open(dir.path(), &master, false).unwrap();
        let open = |i: usize| vault.open_value("cases", codes[i].as_bytes(), &sealed[i]);
        for i in 0..codes.len() {
            assert_eq!(open(i).unwrap(), b"v", "case {i}");
        }
        // The last ones opened are unwrapped in memory, the first ones were evicted.
        let (recent, evicted) = (codes.len() - 1, 0);
        for i in [recent, evicted] {
            assert!(vault.destroy_case_key(&codes[i]).unwrap());
            assert!(matches!(open(i), Err(StoreError::KeyGone(_))), "case {i}");
        }
        assert_eq!(open(1).unwrap(), b"v");
        let mut listed = vault.case_codes();
        listed.sort();
        assert_eq!(listed, codes[1..recent]);

        // A slot whose wrapped key was altered on disk: the keyring still opens, and that case
        // alone reports damage rather than an erased key.
        drop(vault);
        let wrapped = {
            let vault = Vault::open(dir.path(), &master, false).unwrap();
            vault.wrapped_key_bytes(Scope::Case(&codes[2])).unwrap()
        };
        let path = keyring_path(dir.path());
        let mut file = std::fs::read(&path).unwrap();
        let at = file
            .windows(wrapped.len())
            .position(|w| w == wrapped)
            .unwrap();
        file[at + wrapped.len() - 1] ^= 1;
        std::fs::write(&path, file).unwrap();
        let vault = Vault::open(dir.path(), &master, false).unwrap();
        let open = |i: usize| vault.open_value("cases", codes[i].as_bytes(), &sealed[i]);
        assert!(matches!(open(2), Err(StoreError::Unreadable(_))));
        assert_eq!(open(3).unwrap(), b"v");

        // A slot zeroed under a reader that has not unwrapped it yet (an erasure in progress):
        // its key is gone, not damaged.
        let slot_of = |i: usize| {
            let wrapped = vault.wrapped_key_bytes(Scope::Case(&codes[i])).unwrap();
            let file = std::fs::read(&path).unwrap();
            let at = file
                .windows(wrapped.len())
                .position(|w| w == wrapped)
                .unwrap();
            (at - 2 - 31) as u64
        };
        let at = slot_of(4);
        let handle = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        std::os::unix::fs::FileExt::write_all_at(&handle, &[0u8; 128], at).unwrap();
        assert!(matches!(open(4), Err(StoreError::KeyGone(_))));
    }

    #[test]
    fn key_files_round_trip_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = MasterKey::generate();
        key.write_new(&path).unwrap();
        assert_eq!(*MasterKey::read(&path).unwrap().0, *key.0);
        assert!(matches!(key.write_new(&path), Err(KeyError::Exists(_))));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(matches!(
            MasterKey::read(&path),
            Err(KeyError::Malformed(_))
        ));
        assert!(matches!(
            MasterKey::read(&dir.path().join("none")),
            Err(KeyError::Missing(_))
        ));
    }
}
