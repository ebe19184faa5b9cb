//! The keyring file: the data keys, each wrapped by the master key, in fixed-size slots.
//!
//! Written by hand (no crate keeps a key table that can be overwritten in place): a key has to
//! live outside sled, whose log keeps old copies of a removed value until it reuses the segment,
//! so that destroying it leaves no copy in any file. A slot is written in place with `pwrite` and
//! synced; destroying a key zeroes its slot the same way. (On a copy-on-write file system or an
//! SSD, the device may keep the old block until it reuses it: the README says so.)
//!
//! Layout: a 32-byte header, then 128-byte slots. Slot 0 holds the system key and is how a wrong
//! master key is noticed. A slot: state (1 = in use), scope length, scope (31 bytes, zero-padded),
//! a 24-byte nonce, the data key wrapped (32 bytes + 16-byte tag), zero padding.

use std::collections::HashMap;
use std::fs::File;
use std::num::NonZeroUsize;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::Mac;
use lru::LruCache;
use rand::RngCore;
use zeroize::Zeroizing;

use super::{MasterKey, NONCE};
use crate::domain::case::{pack_code, unpack_code};
use crate::store::StoreError;

/// The keyring's file name in the data directory.
pub const KEYRING_FILE: &str = "keyring";

const HEADER: &[u8; 32] = b"exit-factors keyring 1\n\0\0\0\0\0\0\0\0\0";
const SLOT: usize = 128;
const SCOPE_MAX: usize = 31;
const WRAPPED: usize = 32 + 16;
const AAD: &[u8] = b"exit-factors keyring\0";

type RawKey = Zeroizing<[u8; 32]>;

/// Data keys kept unwrapped at once: those of the cases a team has open, a few hundred KB.
pub(super) const UNWRAPPED: usize = 4096;

/// The keyring. In memory: where each scope's slot is (a case code in 16 bytes of a hash map,
/// where the unwrapped key and the code's text took five times that: 45 MB at 340,000 cases), the
/// system key, and the keys used lately, unwrapped from the file on first use. The file behind its
/// own lock, so that writing and syncing a slot (creating a case, erasing one) never holds up a
/// reader; reads go through their own handle.
pub(super) struct Keyring {
    slots: RwLock<Slots>,
    /// By slot. Locked across a whole lookup, and by `destroy` while it forgets a slot, so that a
    /// key being unwrapped as its case is erased never stays behind.
    unwrapped: Mutex<LruCache<u64, RawKey>>,
    system: RawKey,
    reader: RwLock<Reader>,
    file: Mutex<KeyFile>,
    index_secret: RawKey,
}

/// Scope to slot: the canonical text of a case code packed in eight bytes (`pack_code`), any
/// other scope by name ("" is the system key's).
#[derive(Default)]
struct Slots {
    codes: HashMap<u64, u64>,
    names: HashMap<String, u64>,
}

impl Slots {
    fn get(&self, scope: &str) -> Option<u64> {
        match pack_code(scope) {
            Some(packed) => self.codes.get(&packed).copied(),
            None => self.names.get(scope).copied(),
        }
    }

    /// Whether `scope` was new.
    fn insert(&mut self, scope: &str, slot: u64) -> bool {
        match pack_code(scope) {
            Some(packed) => self.codes.insert(packed, slot).is_none(),
            None => self.names.insert(scope.to_owned(), slot).is_none(),
        }
    }

    fn remove(&mut self, scope: &str) {
        match pack_code(scope) {
            Some(packed) => self.codes.remove(&packed),
            None => self.names.remove(scope),
        };
    }

    /// Every scope with its slot.
    fn all(&self) -> impl Iterator<Item = (String, u64)> + '_ {
        let codes = self.codes.iter().map(|(p, s)| (unpack_code(*p), *s));
        codes.chain(self.names.iter().map(|(n, s)| (n.clone(), *s)))
    }
}

/// What unwrapping a key needs: the file (a handle of its own) and the master key.
struct Reader {
    file: File,
    master: XChaCha20Poly1305,
}

/// The keyring file and what writing to it needs.
struct KeyFile {
    path: PathBuf,
    file: File,
    free: Vec<u64>,
    slots: u64,
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

fn damaged(why: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(format!("the keyring is damaged: {why}"))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Unreadable(format!("the keyring cannot be written: {e}"))
}

fn offset(slot: u64) -> u64 {
    HEADER.len() as u64 + slot * SLOT as u64
}

fn aad(scope: &str) -> Vec<u8> {
    [AAD, scope.as_bytes()].concat()
}

/// A slot holding `key` for `scope`, wrapped by `master`.
fn slot_bytes(
    master: &XChaCha20Poly1305,
    scope: &str,
    key: &[u8; 32],
) -> Result<[u8; SLOT], StoreError> {
    if scope.len() > SCOPE_MAX {
        return Err(damaged("a scope is too long"));
    }
    let mut nonce = [0u8; NONCE];
    rand::rng().fill_bytes(&mut nonce);
    let wrapped = master
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key,
                aad: &aad(scope),
            },
        )
        .map_err(|_| damaged("a key could not be wrapped"))?;
    let mut slot = [0u8; SLOT];
    slot[0] = 1;
    slot[1] = scope.len() as u8;
    slot[2..2 + scope.len()].copy_from_slice(scope.as_bytes());
    slot[2 + SCOPE_MAX..2 + SCOPE_MAX + NONCE].copy_from_slice(&nonce);
    slot[2 + SCOPE_MAX + NONCE..2 + SCOPE_MAX + NONCE + WRAPPED].copy_from_slice(&wrapped);
    Ok(slot)
}

/// A slot in use: its scope, nonce and wrapped key.
type SlotParts<'a> = (&'a str, &'a [u8], &'a [u8]);

/// The scope and wrapped bytes (nonce and ciphertext) of a slot in use.
fn parse_slot(slot: &[u8]) -> Result<Option<SlotParts<'_>>, StoreError> {
    match slot[0] {
        0 => Ok(None),
        1 => {
            let len = usize::from(slot[1]);
            if len > SCOPE_MAX {
                return Err(damaged("a slot's scope is too long"));
            }
            let scope = std::str::from_utf8(&slot[2..2 + len])
                .map_err(|_| damaged("a slot's scope is not text"))?;
            let nonce = &slot[2 + SCOPE_MAX..2 + SCOPE_MAX + NONCE];
            let wrapped = &slot[2 + SCOPE_MAX + NONCE..2 + SCOPE_MAX + NONCE + WRAPPED];
            Ok(Some((scope, nonce, wrapped)))
        }
        _ => Err(damaged("a slot has an unknown state")),
    }
}

fn new_key() -> RawKey {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(key.as_mut());
    key
}

fn derive_index_secret(system: &[u8; 32]) -> Result<RawKey, StoreError> {
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(system)
        .map_err(|_| damaged("the system key"))?;
    mac.update(b"exit-factors index keys");
    Ok(Zeroizing::new(mac.finalize().into_bytes().into()))
}

fn sync_dir(path: &Path) -> Result<(), StoreError> {
    super::sync_parent(path).map_err(io)
}

/// The key in `slot` (the bytes of a slot in use), which must be `scope`'s, unwrapped.
fn unwrap_slot(
    master: &XChaCha20Poly1305,
    slot: &[u8],
    index: u64,
    scope: &str,
) -> Result<RawKey, StoreError> {
    let Some((named, nonce, wrapped)) = parse_slot(slot)? else {
        return Err(damaged(format!("slot {index} is empty")));
    };
    if named != scope {
        return Err(damaged(format!("slot {index} holds another scope's key")));
    }
    let plain = Zeroizing::new(
        master
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: wrapped,
                    aad: &aad(scope),
                },
            )
            .map_err(|_| {
                if index == 0 {
                    StoreError::WrongKey
                } else {
                    damaged(format!("slot {index} does not open"))
                }
            })?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    if plain.len() != 32 {
        return Err(damaged(format!("slot {index} holds no key")));
    }
    key.copy_from_slice(&plain);
    Ok(key)
}

fn cipher(key: &RawKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.as_ref().into())
}

impl Keyring {
    /// Opens the keyring in `dir`; creates one with a new system key if there is none and
    /// `create` is set. The system key is unwrapped (a wrong master key stops here); the other
    /// slots are read for their scope, and each key is unwrapped when first used.
    pub(super) fn open(dir: &Path, master: &MasterKey, create: bool) -> Result<Self, StoreError> {
        let path = dir.join(KEYRING_FILE);
        if !path.exists() {
            if !create {
                return Err(StoreError::KeyringMissing);
            }
            let system = new_key();
            let mut bytes = HEADER.to_vec();
            bytes.extend_from_slice(&slot_bytes(&master.cipher(), "", &system)?);
            let partial = dir.join(format!("{KEYRING_FILE}.new"));
            write_durably(&partial, &bytes)?;
            std::fs::rename(&partial, &path).map_err(io)?;
            sync_dir(&path)?;
        }
        let bytes = std::fs::read(&path).map_err(io)?;
        if bytes.len() < HEADER.len() || &bytes[..HEADER.len()] != HEADER {
            return Err(damaged("it does not begin as a keyring"));
        }
        let body = &bytes[HEADER.len()..];
        if body.len() % SLOT != 0 || body.is_empty() {
            return Err(damaged("its length is not a whole number of slots"));
        }
        let master_cipher = master.cipher();
        let system = unwrap_slot(&master_cipher, &body[..SLOT], 0, "").map_err(|e| match e {
            StoreError::WrongKey => e,
            _ => damaged("it has no system key"),
        })?;
        let mut slots = Slots::default();
        let mut free = Vec::new();
        for (i, slot) in body.chunks_exact(SLOT).enumerate() {
            let i = i as u64;
            let Some((scope, _, _)) = parse_slot(slot)? else {
                free.push(i);
                continue;
            };
            if (i == 0) != scope.is_empty() {
                return Err(damaged("the system key is not in the first slot"));
            }
            if !slots.insert(scope, i) {
                return Err(damaged(format!("two slots for one scope, at {i}")));
            }
        }
        let index_secret = derive_index_secret(&system)?;
        free.reverse();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io)?;
        let reader = file.try_clone().map_err(io)?;
        let entries = NonZeroUsize::new(UNWRAPPED).unwrap_or(NonZeroUsize::MIN);
        Ok(Self {
            slots: RwLock::new(slots),
            unwrapped: Mutex::new(LruCache::new(entries)),
            system,
            reader: RwLock::new(Reader {
                file: reader,
                master: master_cipher,
            }),
            file: Mutex::new(KeyFile {
                path,
                file,
                slots: (body.len() / SLOT) as u64,
                free,
            }),
            index_secret,
        })
    }

    fn file(&self) -> std::sync::MutexGuard<'_, KeyFile> {
        lock(&self.file)
    }

    /// The key of `scope`, ready to seal and open; None if it has none (never had, or erased).
    pub(super) fn key(&self, scope: &str) -> Result<Option<XChaCha20Poly1305>, StoreError> {
        if scope.is_empty() {
            return Ok(Some(cipher(&self.system)));
        }
        let mut unwrapped = lock(&self.unwrapped);
        let Some(slot) = read(&self.slots).get(scope) else {
            return Ok(None);
        };
        if let Some(key) = unwrapped.get(&slot) {
            return Ok(Some(cipher(key)));
        }
        let key = {
            let reader = read(&self.reader);
            let mut bytes = Zeroizing::new([0u8; SLOT]);
            reader
                .file
                .read_exact_at(bytes.as_mut(), offset(slot))
                .map_err(io)?;
            if parse_slot(bytes.as_ref())?.is_none() {
                // Zeroed by an erasure: the key is gone, not damaged.
                return Ok(None);
            }
            unwrap_slot(&reader.master, bytes.as_ref(), slot, scope)?
        };
        let ready = cipher(&key);
        unwrapped.put(slot, key);
        Ok(Some(ready))
    }

    pub(super) fn index_secret(&self) -> Option<&[u8]> {
        Some(self.index_secret.as_ref())
    }

    /// Adds a new key for each of `scopes` that has none, and syncs the file once if `sync`
    /// says so. Readers go on meanwhile.
    pub(super) fn add(&self, scopes: &[&str], sync: bool) -> Result<(), StoreError> {
        let mut file = self.file();
        let missing: Vec<&str> = {
            let slots = read(&self.slots);
            scopes
                .iter()
                .copied()
                .filter(|s| slots.get(s).is_none())
                .collect()
        };
        let mut added = Vec::with_capacity(missing.len());
        for scope in missing {
            let key = new_key();
            let slot = match file.free.pop() {
                Some(slot) => slot,
                None => {
                    file.slots += 1;
                    file.slots - 1
                }
            };
            let bytes = slot_bytes(&read(&self.reader).master, scope, &key)?;
            file.file.write_all_at(&bytes, offset(slot)).map_err(io)?;
            added.push((scope, slot, key));
        }
        if sync && !added.is_empty() {
            file.file.sync_data().map_err(io)?;
        }
        let mut unwrapped = lock(&self.unwrapped);
        let mut slots = write(&self.slots);
        for (scope, slot, key) in added {
            slots.insert(scope, slot);
            // A new case's key is about to be used.
            unwrapped.put(slot, key);
        }
        Ok(())
    }

    /// Zeroes the slot of `scope` in place and syncs, and forgets its key. Returns whether there
    /// was one.
    pub(super) fn destroy(&self, scope: &str) -> Result<bool, StoreError> {
        if scope.is_empty() {
            return Err(damaged("the system key cannot be destroyed"));
        }
        let mut file = self.file();
        let Some(slot) = read(&self.slots).get(scope) else {
            return Ok(false);
        };
        // Forgotten first, so that nobody reads the slot while it is being zeroed; put back if
        // the zeroing fails, so that the erasure can be tried again.
        {
            let mut unwrapped = lock(&self.unwrapped);
            write(&self.slots).remove(scope);
            unwrapped.pop(&slot);
        }
        let zeroed = file
            .file
            .write_all_at(&[0u8; SLOT], offset(slot))
            .and_then(|()| file.file.sync_data());
        if let Err(e) = zeroed {
            write(&self.slots).insert(scope, slot);
            return Err(io(e));
        }
        file.free.push(slot);
        Ok(true)
    }

    /// Makes every slot written so far durable.
    pub(super) fn sync(&self) -> Result<(), StoreError> {
        self.file().file.sync_data().map_err(io)
    }

    /// The case codes with a key.
    pub(super) fn case_codes(&self) -> Vec<String> {
        read(&self.slots)
            .all()
            .map(|(scope, _)| scope)
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The slot bytes of `scope` as they are in the file.
    pub(super) fn wrapped(&self, scope: &str) -> Option<Vec<u8>> {
        let slot = read(&self.slots).get(scope)?;
        let mut bytes = vec![0u8; SLOT];
        read(&self.reader)
            .file
            .read_exact_at(&mut bytes, offset(slot))
            .ok()?;
        Some(bytes[2 + SCOPE_MAX..2 + SCOPE_MAX + NONCE + WRAPPED].to_vec())
    }

    /// Writes a new keyring with every key wrapped by `new`, and swaps it in atomically.
    pub(super) fn rewrap(&self, new: &MasterKey) -> Result<(), StoreError> {
        let mut file = self.file();
        let cipher = new.cipher();
        let old = read(&self.reader).master.clone();
        let mut bytes = HEADER.to_vec();
        bytes.resize(offset(file.slots) as usize, 0);
        let mut slot_now = Zeroizing::new([0u8; SLOT]);
        for (scope, slot) in read(&self.slots).all() {
            file.file
                .read_exact_at(slot_now.as_mut(), offset(slot))
                .map_err(io)?;
            let key = unwrap_slot(&old, slot_now.as_ref(), slot, &scope)?;
            let at = offset(slot) as usize;
            bytes[at..at + SLOT].copy_from_slice(&slot_bytes(&cipher, &scope, &key)?);
        }
        let partial = file.path.with_extension("new");
        write_durably(&partial, &bytes)?;
        std::fs::rename(&partial, &file.path).map_err(io)?;
        sync_dir(&file.path)?;
        file.file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&file.path)
            .map_err(io)?;
        *write(&self.reader) = Reader {
            file: file.file.try_clone().map_err(io)?,
            master: cipher,
        };
        Ok(())
    }
}

fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)
}
