//! The erasure register beside the backups: every case erased so far (code, when, why), as an
//! age file with the backups' key, rewritten after each erasure and each backup. A backup made
//! before an erasure still holds the case; restoring it with this register erases it again.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::{BackupError, OpenKey, SealKey};
use crate::domain::erasure::Erasure;

/// The register's file name in the backup directory.
pub const REGISTER_FILE: &str = "erasure-register.age";

/// The register file that belongs with the backup `backup` (beside it).
pub fn beside(backup: &Path) -> PathBuf {
    backup
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(REGISTER_FILE)
}

/// Writes the register into `dir` (under a temporary name, then renamed; synced).
pub fn write(dir: &Path, key: &SealKey, erasures: &[Erasure]) -> Result<(), BackupError> {
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{REGISTER_FILE}.partial"));
    let file = std::fs::File::create(&partial)?;
    let mut sealed = key.wrap(std::io::BufWriter::new(file))?;
    for erasure in erasures {
        serde_json::to_writer(&mut sealed, erasure).map_err(|e| BackupError::Io(e.to_string()))?;
        sealed.write_all(b"\n")?;
    }
    let file = sealed
        .finish()?
        .into_inner()
        .map_err(|e| BackupError::Io(e.to_string()))?;
    file.sync_all()?;
    let path = dir.join(REGISTER_FILE);
    std::fs::rename(&partial, &path)?;
    crate::store::vault::sync_parent(&path)?;
    Ok(())
}

/// Reads a register.
pub fn read(path: &Path, key: &OpenKey) -> Result<Vec<Erasure>, BackupError> {
    let file = std::fs::File::open(path)
        .map_err(|e| BackupError::Io(format!("cannot read {}: {e}", path.display())))?;
    let plain = BufReader::new(key.open(BufReader::new(file))?);
    plain
        .lines()
        .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
        .map(|line| {
            let line =
                line.map_err(|e| BackupError::Damaged(format!("the erasure register: {e}")))?;
            serde_json::from_str(&line)
                .map_err(|e| BackupError::Damaged(format!("the erasure register: {e}")))
        })
        .collect()
}

/// Erases again, in a restored store, every case of the register it still holds (a backup made
/// before the erasure). Returns how many.
pub async fn reapply(
    store: &crate::store::Store,
    erasures: &[Erasure],
) -> Result<usize, BackupError> {
    use crate::domain::{AuditAction, AuditEvent, CaseCode, Choice, Outcome};
    let mut applied = 0;
    for erasure in erasures {
        let Ok(code) = CaseCode::parse(&erasure.code) else {
            continue;
        };
        if store.case(&code)?.is_none() {
            continue;
        }
        let audit = AuditEvent::new(
            time::OffsetDateTime::now_utc(),
            None,
            AuditAction::CaseErased,
            Outcome::Success,
        )
        .on(code.as_str())
        .with_detail(format!(
            "{} (erased again at a restore; first erased {})",
            erasure.reason.label(),
            erasure.at.date()
        ));
        store.erase_case(&code, erasure.clone(), audit).await?;
        applied += 1;
    }
    Ok(applied)
}
