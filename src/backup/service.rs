//! Backups made by the running server (the one process that owns the data directory): on a
//! schedule and on demand, into a backup directory that keeps the newest few, with the outcome of
//! the last attempt kept for the admin page.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use time::OffsetDateTime;

use super::{BackupError, Made, SealKey, create};
use crate::domain::{AuditAction, AuditEvent, Outcome, UserId};
use crate::store::Store;

/// How backups are made: where, how often, how many are kept, and with what key.
#[derive(Clone)]
pub struct BackupConfig {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
    pub key: SealKey,
}

/// The outcome of the last attempt.
#[derive(Debug, Clone)]
pub enum LastBackup {
    Made {
        at: OffsetDateTime,
        file: String,
        bytes: u64,
        records: u64,
        took: Duration,
        held_writes_for: Duration,
    },
    Failed {
        at: OffsetDateTime,
        error: String,
    },
}

/// A backup file in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub name: String,
    pub bytes: u64,
}

/// The server's backups: its configuration (none: backups are off) and what happened last.
#[derive(Default)]
pub struct Backups {
    config: Option<BackupConfig>,
    last: Mutex<Option<LastBackup>>,
    running: AtomicBool,
    /// One writer of the erasure register at a time (it is written under one temporary name).
    register: std::sync::Arc<Mutex<()>>,
}

/// Why "Back up now" did not make a backup.
#[derive(Debug, thiserror::Error)]
pub enum NotMade {
    #[error("backups are not set up on this server")]
    Off,
    #[error("a backup is being made already")]
    Busy,
    #[error("{0}")]
    Failed(#[from] BackupError),
}

const PREFIX: &str = "exit-factors-";
const SUFFIX: &str = ".age";

/// Whether `name` is one of ours (and only that: no path, nothing else).
pub fn is_backup_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .is_some_and(|stamp| {
            stamp.len() == 16
                && stamp
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == 'T' || c == 'Z')
        })
}

/// The file name of a backup made at `at`, e.g. `exit-factors-20261130T051500Z.age`: names sort
/// by time.
fn name_at(at: OffsetDateTime) -> String {
    format!(
        "{PREFIX}{:04}{:02}{:02}T{:02}{:02}{:02}Z{SUFFIX}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

impl Backups {
    /// Backups as configured (None: off).
    pub fn new(config: Option<BackupConfig>) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    pub fn config(&self) -> Option<&BackupConfig> {
        self.config.as_ref()
    }

    /// How long until the next scheduled backup: `every` after the newest kept one, or now.
    pub fn due_in(&self) -> Duration {
        let Some(config) = &self.config else {
            return Duration::MAX;
        };
        let newest = list(&config.dir).ok().and_then(|files| {
            let file = files.first()?;
            std::fs::metadata(config.dir.join(&file.name))
                .and_then(|m| m.modified())
                .ok()
        });
        newest
            .and_then(|at| at.elapsed().ok())
            .map_or(Duration::ZERO, |age| config.every.saturating_sub(age))
    }

    /// The outcome of the last attempt since the server started.
    pub fn last(&self) -> Option<LastBackup> {
        self.last.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The backups in the directory, newest first.
    pub fn files(&self) -> Result<Vec<BackupFile>, BackupError> {
        let Some(config) = &self.config else {
            return Ok(Vec::new());
        };
        list(&config.dir)
    }

    /// The path of the backup called `name`, if it is one of ours and exists.
    pub fn path_of(&self, name: &str) -> Option<PathBuf> {
        let config = self.config.as_ref()?;
        let path = config.dir.join(name);
        (is_backup_name(name) && path.is_file()).then_some(path)
    }

    /// `make`, with an audit entry for the attempt: by `actor` ("Back up now"), or by nobody
    /// (the schedule).
    pub async fn make_audited(
        &self,
        store: &Store,
        actor: Option<UserId>,
    ) -> Result<Made, NotMade> {
        let made = self.make(store).await;
        let (outcome, target) = match &made {
            Ok(m) => (
                Outcome::Success,
                m.path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            ),
            Err(NotMade::Failed(_)) => (Outcome::Failure, "backup".to_owned()),
            Err(NotMade::Off | NotMade::Busy) => return made,
        };
        let event = AuditEvent::new(
            OffsetDateTime::now_utc(),
            actor,
            AuditAction::BackupMade,
            outcome,
        )
        .on(target);
        if let Err(e) = store.append_audit(&event).await {
            // The backup exists either way; the entry waits for the store to write again.
            tracing::warn!(error = %e, "the backup's audit entry could not be written now");
            store.audit_later(event);
        }
        made
    }

    /// Rewrites the erasure register beside the backups, in the background (after an erasure).
    /// A failure is logged: the register is written again after the next backup.
    pub fn register_changed(&self, store: &Store) {
        let Some(config) = self.config.clone() else {
            return;
        };
        let store = store.clone();
        let lock = self.register.clone();
        actix_web::rt::task::spawn_blocking(move || {
            if let Err(e) = write_register(&lock, &config, &store) {
                tracing::error!(error = %e, "the erasure register could not be written");
            }
        });
    }

    /// Makes a backup now, then removes all but the newest `keep`. One at a time.
    pub async fn make(&self, store: &Store) -> Result<Made, NotMade> {
        let config = self.config.as_ref().ok_or(NotMade::Off)?;
        if self.running.swap(true, Ordering::SeqCst) {
            return Err(NotMade::Busy);
        }
        let at = OffsetDateTime::now_utc();
        let made = async {
            std::fs::create_dir_all(&config.dir)?;
            let made = create(store, &config.dir.join(name_at(at)), config.key.clone()).await?;
            prune(&config.dir, config.keep)?;
            let (config, store, lock) = (config.clone(), store.clone(), self.register.clone());
            actix_web::rt::task::spawn_blocking(move || write_register(&lock, &config, &store))
                .await
                .map_err(|e| BackupError::Io(e.to_string()))??;
            Ok::<_, BackupError>(made)
        }
        .await;
        self.running.store(false, Ordering::SeqCst);
        let outcome = match &made {
            Ok(m) => {
                tracing::info!(
                    file = %m.path.display(),
                    bytes = m.bytes,
                    records = m.header.records(),
                    took_ms = m.took.as_millis() as u64,
                    held_writes_ms = m.held_writes_for.as_millis() as u64,
                    "backup made"
                );
                LastBackup::Made {
                    at,
                    file: name_at(at),
                    bytes: m.bytes,
                    records: m.header.records(),
                    took: m.took,
                    held_writes_for: m.held_writes_for,
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "backup failed");
                LastBackup::Failed {
                    at,
                    error: e.to_string(),
                }
            }
        };
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        Ok(made?)
    }
}

/// Writes the store's erasure register into the backup directory (one writer at a time, each
/// reading the register afresh, so the last one written is the newest).
fn write_register(
    lock: &Mutex<()>,
    config: &BackupConfig,
    store: &Store,
) -> Result<(), BackupError> {
    let _one = lock.lock().unwrap_or_else(|p| p.into_inner());
    super::register::write(&config.dir, &config.key, &store.erasures()?)
}

/// Our backups in `dir`, newest first.
fn list(dir: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let mut files = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_backup_name(&name) {
            files.push(BackupFile {
                bytes: entry.metadata()?.len(),
                name,
            });
        }
    }
    files.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(files)
}

/// Removes all but the newest `keep` backups in `dir` (never another file).
fn prune(dir: &Path, keep: usize) -> Result<(), BackupError> {
    for old in list(dir)?.into_iter().skip(keep.max(1)) {
        std::fs::remove_file(dir.join(&old.name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_sort_by_time_and_nothing_else_passes_for_one() {
        let at = time::macros::datetime!(2026-11-30 5:07:09 UTC);
        assert_eq!(name_at(at), "exit-factors-20261130T050709Z.age");
        assert!(is_backup_name(&name_at(at)));
        for bad in [
            "../exit-factors-20261130T050709Z.age",
            "exit-factors-20261130T050709Z.age.partial",
            "exit-factors-x.age",
            "notes.txt",
        ] {
            assert!(!is_backup_name(bad), "{bad}");
        }
    }

    #[test]
    fn pruning_keeps_the_newest_and_leaves_other_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=5 {
            let name = format!("{PREFIX}202611{day:02}T000000Z{SUFFIX}");
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::write(dir.path().join("readme.txt"), b"mine").unwrap();
        prune(dir.path(), 2).unwrap();
        let left: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(
            left,
            [
                "exit-factors-20261105T000000Z.age",
                "exit-factors-20261104T000000Z.age"
            ]
        );
        assert!(dir.path().join("readme.txt").exists());
    }
}
