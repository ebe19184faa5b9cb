//! Backups: one file holding a point-in-time copy of every tree, compressed and encrypted, that
//! can be checked and restored on its own.
//!
//! The file is an [age](https://age-encryption.org) file (to a passphrase or to an X25519
//! recipient) around a gzip stream around this plain format:
//!
//! ```text
//! exit-factors backup\n
//! {"format":1,"schema":1,"created_at":"…","trees":[{"name":"meta","records":3,"sha256":"…"},…]}\n
//! records, tree by tree in manifest order: key length (u32 BE), key, value length (u32 BE), value
//! end\n
//! ```
//!
//! The manifest (record counts and SHA-256 per tree) is checked on every read, so a backup that
//! decrypts but is incomplete or altered is refused; age's authenticated chunks already refuse a
//! truncated or altered file and a wrong key. The snapshot itself is taken by the store's writer
//! (`store::snapshot`): writes wait only while the records are copied to a working file in the data
//! directory (which holds them already; the file is removed when done); compressing and
//! encrypting happen afterwards.

pub mod register;
pub mod service;

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::store::snapshot::BACKED_UP;
use crate::store::snapshot::{ManifestBuilder, Record, RecordSink, TreeManifest};
use crate::store::vault::MasterKey;
use crate::store::{SCHEMA_VERSION, Store, StoreError};

/// The first line of the plain format.
const MAGIC: &[u8] = b"exit-factors backup\n";
/// The last line of the plain format.
const END: &[u8] = b"end\n";
/// The version of the plain format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The largest key or value a backup may hold (sled's own limit is far above any record here).
const MAX_FIELD: u32 = 64 * 1024 * 1024;

/// Why a backup could not be made, checked or restored. Each is one line for the command line.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the passphrase or identity does not open this backup (or its header is damaged)")]
    WrongKey,
    #[error("the backup is damaged or incomplete: {0}")]
    Damaged(String),
    #[error(
        "the backup holds schema version {found}, newer than this program reads ({SCHEMA_VERSION}); restore it with a newer version"
    )]
    FutureSchema { found: u32 },
    #[error("{0} is not empty; restore into a new, empty directory")]
    NotEmpty(PathBuf),
    #[error("{0}")]
    Key(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<io::Error> for BackupError {
    fn from(e: io::Error) -> Self {
        BackupError::Io(e.to_string())
    }
}

/// The key a backup is sealed with.
#[derive(Clone)]
pub enum SealKey {
    /// A passphrase (age's scrypt recipient).
    Passphrase(SecretString),
    /// An age X25519 public key (`age1…`): the matching identity file opens the backup.
    Recipient(Box<age::x25519::Recipient>),
}

/// What opens a backup.
pub enum OpenKey {
    Passphrase(SecretString),
    Identities(Vec<Box<dyn age::Identity>>),
}

/// Reads a passphrase from a file: its first line, at least 12 characters.
pub fn read_passphrase(path: &Path) -> Result<SecretString, BackupError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| BackupError::Key(format!("cannot read {}: {e}", path.display())))?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.chars().count() < 12 {
        return Err(BackupError::Key(format!(
            "the passphrase in {} is shorter than 12 characters",
            path.display()
        )));
    }
    Ok(SecretString::from(line.to_owned()))
}

impl SealKey {
    /// An age public key as given on the command line.
    pub fn recipient(text: &str) -> Result<Self, BackupError> {
        age::x25519::Recipient::from_str(text.trim())
            .map(|r| SealKey::Recipient(Box::new(r)))
            .map_err(|e| BackupError::Key(format!("not an age public key: {e}")))
    }

    /// Wraps `out` so that what is written to it is encrypted.
    fn wrap<W: Write>(&self, out: W) -> Result<age::stream::StreamWriter<W>, BackupError> {
        let encryptor = match self {
            SealKey::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
            SealKey::Recipient(r) => {
                age::Encryptor::with_recipients(std::iter::once(r.as_ref() as &dyn age::Recipient))
                    .map_err(|e| BackupError::Key(e.to_string()))?
            }
        };
        Ok(encryptor.wrap_output(out)?)
    }

    /// Which kind of key, in words.
    /// The id of its description among the translated messages.
    pub fn message_id(&self) -> &'static str {
        match self {
            SealKey::Passphrase(_) => "backups-key-passphrase",
            SealKey::Recipient(_) => "backups-key-recipient",
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            SealKey::Passphrase(_) => "a passphrase",
            SealKey::Recipient(_) => "an age public key",
        }
    }
}

impl OpenKey {
    /// The identities of an age identity file (`AGE-SECRET-KEY-…` lines).
    pub fn identity_file(path: &Path) -> Result<Self, BackupError> {
        let file = age::IdentityFile::from_file(path.display().to_string())
            .map_err(|e| BackupError::Key(format!("cannot read {}: {e}", path.display())))?;
        let identities = file
            .into_identities()
            .map_err(|e| BackupError::Key(format!("{}: {e}", path.display())))?;
        Ok(OpenKey::Identities(identities))
    }

    /// Opens the encrypted `input`.
    fn open<R: Read>(&self, input: R) -> Result<age::stream::StreamReader<R>, BackupError> {
        let decryptor = age::Decryptor::new(input).map_err(|e| match e {
            age::DecryptError::Io(io) => BackupError::Damaged(io.to_string()),
            _ => BackupError::Damaged("this is not a backup file".into()),
        })?;
        let opened = match self {
            OpenKey::Passphrase(p) => {
                let identity = age::scrypt::Identity::new(p.clone());
                decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
            }
            OpenKey::Identities(ids) => decryptor.decrypt(ids.iter().map(|i| i.as_ref())),
        };
        opened.map_err(|e| match e {
            age::DecryptError::Io(io) => BackupError::Damaged(io.to_string()),
            _ => BackupError::WrongKey,
        })
    }
}

/// The backup's header: what it is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    /// The schema version of the store it was taken from.
    pub schema: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub trees: Vec<TreeManifest>,
}

impl Header {
    /// Records in all.
    pub fn records(&self) -> u64 {
        self.trees.iter().map(|t| t.records).sum()
    }
}

/// What making a backup did.
#[derive(Debug, Clone)]
pub struct Made {
    pub path: PathBuf,
    pub header: Header,
    pub bytes: u64,
    /// How long writes waited while the records were copied.
    pub held_writes_for: Duration,
    /// From start to the file on stable storage.
    pub took: Duration,
}

fn frame(out: &mut impl Write, key: &[u8], value: &[u8]) -> io::Result<()> {
    for part in [key, value] {
        out.write_all(&(part.len() as u32).to_be_bytes())?;
        out.write_all(part)?;
    }
    Ok(())
}

/// The snapshot's records, written raw to a temporary file while writes wait.
struct RawDump(BufWriter<Keystream<File>>);

/// A file encrypted on the way out and decrypted on the way back in with a key that exists only
/// in memory: the snapshot's working file, so that opened records never reach the disk in plain.
/// Written by hand: a few lines over the `chacha20` stream cipher (the file is read back once,
/// by this process, and the backup's manifest checks what comes out).
struct Keystream<T> {
    inner: T,
    cipher: chacha20::ChaCha20,
    buf: Vec<u8>,
}

impl<T> Keystream<T> {
    /// `inner` with a keystream from `key` (each use of the key starts from the beginning).
    fn new(inner: T, key: &[u8; 32]) -> Self {
        use chacha20::cipher::KeyIvInit;
        Self {
            inner,
            cipher: chacha20::ChaCha20::new(key.into(), &[0u8; 12].into()),
            buf: Vec::new(),
        }
    }
}

impl<W: Write> Write for Keystream<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        use chacha20::cipher::StreamCipher;
        self.buf.clear();
        self.buf.extend_from_slice(data);
        self.cipher.apply_keystream(&mut self.buf);
        self.inner.write_all(&self.buf)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Keystream<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        use chacha20::cipher::StreamCipher;
        let n = self.inner.read(out)?;
        self.cipher.apply_keystream(&mut out[..n]);
        Ok(n)
    }
}

impl RecordSink for RawDump {
    fn record(&mut self, _tree: &str, key: &[u8], value: &[u8]) -> io::Result<()> {
        frame(&mut self.0, key, value)
    }
}

/// Removes a file when dropped (a temporary file, whatever happens).
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Makes a backup of `store` into `out` (written under a temporary name, then renamed, so a
/// reader never sees half a file). Writes wait only while the records are copied.
pub async fn create(store: &Store, out: &Path, key: SealKey) -> Result<Made, BackupError> {
    let started = Instant::now();
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let raw_path = Temp(store.snapshot_work_file(&name));
    let raw_file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&raw_path.0)?;
    let mut work_key = zeroize::Zeroizing::new([0u8; 32]);
    rand::RngCore::fill_bytes(&mut rand::rng(), work_key.as_mut());
    let raw = RawDump(BufWriter::new(Keystream::new(raw_file, &work_key)));
    let snapshot = store.snapshot(raw).await?;
    let mut raw_file = snapshot
        .sink
        .0
        .into_inner()
        .map_err(|e| BackupError::Io(e.to_string()))?
        .inner;
    let header = Header {
        format: FORMAT_VERSION,
        schema: SCHEMA_VERSION,
        created_at: OffsetDateTime::now_utc(),
        trees: snapshot.manifest,
    };
    let partial = Temp(dir.join(format!(".{name}.partial")));
    let path = out.to_owned();
    let out = out.to_owned();
    let header_line = serde_json::to_vec(&header).map_err(|e| BackupError::Io(e.to_string()))?;
    let bytes = actix_web::rt::task::spawn_blocking(move || -> Result<u64, BackupError> {
        use std::io::Seek;
        raw_file.flush()?;
        raw_file.seek(io::SeekFrom::Start(0))?;
        let file = File::create(&partial.0)?;
        let sealed = key.wrap(BufWriter::new(file))?;
        let mut gz = flate2::write::GzEncoder::new(sealed, flate2::Compression::fast());
        gz.write_all(MAGIC)?;
        gz.write_all(&header_line)?;
        gz.write_all(b"\n")?;
        io::copy(
            &mut BufReader::new(Keystream::new(raw_file, &work_key)),
            &mut gz,
        )?;
        gz.write_all(END)?;
        let sealed = gz.finish()?;
        let file = sealed
            .finish()?
            .into_inner()
            .map_err(|e| BackupError::Io(e.to_string()))?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        std::fs::rename(&partial.0, &out)?;
        if let Some(parent) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(parent)?.sync_all()?;
        }
        Ok(bytes)
    })
    .await
    .map_err(|e| BackupError::Io(e.to_string()))??;
    Ok(Made {
        path,
        header,
        bytes,
        held_writes_for: snapshot.held_writes_for,
        took: started.elapsed(),
    })
}

/// Reads a backup's plain stream: the header, then each record, checking the manifest as it goes.
struct Reader<R: Read> {
    input: R,
    header: Header,
    tree: usize,
    left: u64,
    hashes: ManifestBuilder,
}

fn damaged(what: impl std::fmt::Display) -> BackupError {
    BackupError::Damaged(what.to_string())
}

fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> Result<(), BackupError> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => damaged("it ends too early"),
        _ => damaged(e),
    })
}

impl<R: Read> Reader<R> {
    fn new(mut input: R) -> Result<Self, BackupError> {
        let mut magic = vec![0; MAGIC.len()];
        read_exact(&mut input, &mut magic)?;
        if magic != MAGIC {
            return Err(damaged("this is not an exit-factors backup"));
        }
        let mut line = Vec::new();
        let mut byte = [0u8];
        loop {
            read_exact(&mut input, &mut byte)?;
            if byte[0] == b'\n' {
                break;
            }
            if line.len() > 1024 * 1024 {
                return Err(damaged("its header is too long"));
            }
            line.push(byte[0]);
        }
        let header: Header =
            serde_json::from_slice(&line).map_err(|e| damaged(format!("its header: {e}")))?;
        if header.format != FORMAT_VERSION {
            return Err(damaged(format!(
                "it is in backup format {}, this program reads format {FORMAT_VERSION}",
                header.format
            )));
        }
        if header.schema > SCHEMA_VERSION {
            return Err(BackupError::FutureSchema {
                found: header.schema,
            });
        }
        let mut reader = Self {
            input,
            header,
            tree: 0,
            left: 0,
            hashes: ManifestBuilder::default(),
        };
        reader.enter_tree();
        Ok(reader)
    }

    fn enter_tree(&mut self) {
        while let Some(t) = self.header.trees.get(self.tree) {
            self.hashes.start(&t.name);
            if t.records > 0 {
                self.left = t.records;
                return;
            }
            self.tree += 1;
        }
    }

    fn field(&mut self) -> Result<Vec<u8>, BackupError> {
        let mut len = [0u8; 4];
        read_exact(&mut self.input, &mut len)?;
        let len = u32::from_be_bytes(len);
        if len > MAX_FIELD {
            return Err(damaged("a record is larger than any the program writes"));
        }
        let mut buf = vec![0; len as usize];
        read_exact(&mut self.input, &mut buf)?;
        Ok(buf)
    }

    /// The next record, or None after the last one (once the end and the manifest are checked).
    fn next_record(&mut self) -> Result<Option<Record>, BackupError> {
        let Some(tree) = self.header.trees.get(self.tree).map(|t| t.name.clone()) else {
            return self.finish().map(|()| None);
        };
        let key = self.field()?;
        let value = self.field()?;
        self.hashes.record(&tree, &key, &value);
        self.left -= 1;
        if self.left == 0 {
            self.tree += 1;
            self.enter_tree();
        }
        Ok(Some((tree, key, value)))
    }

    fn finish(&mut self) -> Result<(), BackupError> {
        let mut end = vec![0; END.len()];
        read_exact(&mut self.input, &mut end)?;
        let mut rest = [0u8; 1];
        if end != END || self.input.read(&mut rest).map_err(damaged)? != 0 {
            return Err(damaged("it holds more than its manifest lists"));
        }
        let found = std::mem::take(&mut self.hashes).finish();
        if found != self.header.trees {
            return Err(damaged("its records do not match their checksums"));
        }
        Ok(())
    }
}

impl<R: Read> Iterator for Reader<R> {
    type Item = Result<Record, BackupError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

fn open_plain(path: &Path, key: &OpenKey) -> Result<Reader<impl Read>, BackupError> {
    let file = File::open(path)
        .map_err(|e| BackupError::Io(format!("cannot read {}: {e}", path.display())))?;
    let plain = flate2::read::GzDecoder::new(key.open(BufReader::new(file))?);
    Reader::new(BufReader::new(plain))
}

/// Decrypts `path` and checks every record against the manifest; returns the header.
pub fn verify(path: &Path, key: &OpenKey) -> Result<Header, BackupError> {
    let mut reader = open_plain(path, key)?;
    for record in reader.by_ref() {
        record?;
    }
    Ok(reader.header)
}

/// Whether a restored store holds what a backup's manifest lists. A backup from an older schema
/// may list the username index (rebuilt, not restored) and lack a newer tree (then empty).
fn matches_manifest(stored: &[TreeManifest], listed: &[TreeManifest]) -> bool {
    let restored: Vec<&TreeManifest> = listed
        .iter()
        .filter(|t| BACKED_UP.contains(&t.name.as_str()))
        .collect();
    let newer_empty = stored
        .iter()
        .filter(|s| !listed.iter().any(|t| t.name == s.name))
        .all(|s| s.records == 0);
    let same = stored
        .iter()
        .filter(|s| listed.iter().any(|t| t.name == s.name))
        .eq(restored.iter().copied());
    same && newer_empty
}

/// Restores `path` into the new, empty directory `data_dir`: verifies the whole backup first
/// (nothing is written if it does not verify), then writes the records and opens the result as a
/// store, which checks its schema and brings an older one up to date.
pub fn restore(
    path: &Path,
    key: &OpenKey,
    data_dir: &Path,
    master: &MasterKey,
) -> Result<Header, BackupError> {
    let empty = match std::fs::read_dir(data_dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => true,
        Err(e) => return Err(e.into()),
    };
    if !empty {
        return Err(BackupError::NotEmpty(data_dir.to_owned()));
    }
    let header = verify(path, key)?;
    let restored = (|| {
        let reader = open_plain(path, key)?;
        let stored = crate::store::snapshot::import(data_dir, master, reader)?;
        if !matches_manifest(&stored, &header.trees) {
            return Err(damaged("the restored store does not match the manifest"));
        }
        // Opening checks the schema and runs any migration.
        Store::open(data_dir, master)?;
        Ok(())
    })();
    if let Err(e) = restored {
        // Leave no half-restored store behind.
        let _ = std::fs::remove_dir_all(data_dir);
        return Err(e);
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> SecretString {
        SecretString::from("a long backup passphrase".to_owned())
    }

    /// A store with demo data (12 cases), backed up to a file in `dir`.
    async fn backed_up(dir: &Path) -> (Store, Made) {
        let store = Store::open(&dir.join("data"), &crate::store::vault::test_key()).unwrap();
        let instrument = crate::instrument::Instrument::bundled().unwrap();
        crate::demo::fill(&store, &instrument, 12, 3, OffsetDateTime::now_utc())
            .await
            .unwrap();
        let out = dir.join("one.age");
        let made = create(&store, &out, SealKey::Passphrase(pass()))
            .await
            .unwrap();
        (store, made)
    }

    #[actix_web::test]
    async fn a_backup_verifies_and_restores_to_exactly_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let (store, made) = backed_up(dir.path()).await;
        assert!(made.header.records() > 12, "{:?}", made.header);
        assert!(
            made.header.trees.iter().all(|t| t.name != "sessions"),
            "sessions are not backed up"
        );
        let key = OpenKey::Passphrase(pass());
        assert_eq!(verify(&made.path, &key).unwrap(), made.header);
        let target = dir.path().join("restored");
        let header = restore(&made.path, &key, &target, &crate::store::vault::test_key()).unwrap();
        assert_eq!(header, made.header);
        let restored = Store::open(&target, &crate::store::vault::test_key()).unwrap();
        assert_eq!(restored.cases().unwrap(), store.cases().unwrap());
        assert_eq!(
            restored.all_assessments().unwrap(),
            store.all_assessments().unwrap()
        );
        assert_eq!(
            restore(&made.path, &key, &target, &crate::store::vault::test_key())
                .unwrap_err()
                .to_string(),
            format!(
                "{} is not empty; restore into a new, empty directory",
                target.display()
            )
        );
        assert!(
            !store.snapshot_work_file("one.age").exists()
                && !dir.path().join(".one.age.partial").exists(),
            "no temporary file left"
        );
    }

    #[actix_web::test]
    async fn a_wrong_key_a_cut_or_altered_file_and_a_future_schema_are_refused_writing_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (_store, made) = backed_up(dir.path()).await;
        let bytes = std::fs::read(&made.path).unwrap();
        let target = dir.path().join("restored");
        let refuse = |path: &Path, key: &OpenKey| {
            let err = restore(path, key, &target, &crate::store::vault::test_key()).unwrap_err();
            assert!(!target.exists(), "nothing written for {err}");
            err
        };

        let wrong = OpenKey::Passphrase(SecretString::from("not the passphrase at all".to_owned()));
        assert!(matches!(refuse(&made.path, &wrong), BackupError::WrongKey));

        let key = OpenKey::Passphrase(pass());
        let cut = dir.path().join("cut.age");
        std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
        assert!(matches!(refuse(&cut, &key), BackupError::Damaged(_)));

        let flipped = dir.path().join("flipped.age");
        let mut altered = bytes.clone();
        let middle = altered.len() / 2;
        altered[middle] ^= 0x01;
        std::fs::write(&flipped, &altered).unwrap();
        assert!(matches!(refuse(&flipped, &key), BackupError::Damaged(_)));

        // A backup from a newer build: the same format, a higher schema version.
        let future = dir.path().join("future.age");
        let header = Header {
            schema: SCHEMA_VERSION + 1,
            ..made.header.clone()
        };
        let sealed = SealKey::Passphrase(pass())
            .wrap(File::create(&future).unwrap())
            .unwrap();
        let mut gz = flate2::write::GzEncoder::new(sealed, flate2::Compression::fast());
        gz.write_all(MAGIC).unwrap();
        gz.write_all(&serde_json::to_vec(&header).unwrap()).unwrap();
        gz.write_all(b"\n").unwrap();
        gz.finish().unwrap().finish().unwrap();
        let err = refuse(&future, &key);
        assert!(matches!(err, BackupError::FutureSchema { .. }), "{err}");
        assert!(!err.to_string().contains('\n'), "one line: {err}");
    }
}
