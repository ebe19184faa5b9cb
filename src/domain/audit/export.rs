//! The exported audit log: JSON Lines. The first line is the anchor (`{"anchor": hex, "entries":
//! n}`); each further line is one chained entry, oldest first, with its hashes, so that anyone can
//! check the file with `exit-factors audit verify --file FILE` (or a few lines of any language).

use serde::{Deserialize, Serialize};

use super::chain::{AuditCheck, ChainBreak, ChainCheck, ChainedEntry, parse_hash};

/// The first line of an export.
#[derive(Debug, Serialize, Deserialize)]
struct Head {
    /// The hash the first entry follows (zeros, or the last hash of a prefix retention removed).
    anchor: String,
    /// How many entry lines follow.
    entries: u64,
}

/// Why an export could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("line {line} of the file is not an audit export line: {why}")]
    Line { line: usize, why: String },
    #[error("the file says it holds {said} entries but holds {found}")]
    Count { said: u64, found: u64 },
}

/// One line of an export: the head, then each entry.
pub enum Line<'a> {
    /// The anchor (hex) and how many entries follow.
    Head {
        anchor: String,
        entries: u64,
    },
    Entry(&'a ChainedEntry),
}

impl Line<'_> {
    /// The line as JSON, with its newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let json = match self {
            Line::Head { anchor, entries } => serde_json::to_vec(&Head {
                anchor: anchor.clone(),
                entries: *entries,
            }),
            Line::Entry(entry) => serde_json::to_vec(entry),
        };
        let mut line = json.unwrap_or_default();
        line.push(b'\n');
        line
    }
}

/// The export of `entries` after `anchor` (hex), as JSON Lines, in memory (the server streams it
/// line by line).
pub fn to_lines(anchor: &str, entries: &[ChainedEntry]) -> Vec<u8> {
    let head = Line::Head {
        anchor: anchor.to_owned(),
        entries: entries.len() as u64,
    };
    std::iter::once(head)
        .chain(entries.iter().map(Line::Entry))
        .flat_map(|line| line.to_bytes())
        .collect()
}

/// Checks an export: every entry against its hash and the one before it, from the anchor.
pub fn verify_lines(text: &str) -> Result<AuditCheck, ExportError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let bad = |line: usize, why: String| ExportError::Line {
        line: line + 1,
        why,
    };
    let (n, first) = lines
        .next()
        .ok_or_else(|| bad(0, "the file is empty".into()))?;
    let head: Head = serde_json::from_str(first).map_err(|e| bad(n, e.to_string()))?;
    let anchor =
        parse_hash(&head.anchor).ok_or_else(|| bad(n, "the anchor is not a hash".into()))?;
    let mut check = ChainCheck::from(anchor);
    for (n, line) in lines {
        let entry: ChainedEntry = match serde_json::from_str(line) {
            Ok(entry) => entry,
            Err(_) => {
                return Ok(check.outcome(Some(ChainBreak {
                    seq: n as u64 + 1,
                    why: "this line (numbered here by line) is not an audit entry",
                })));
            }
        };
        if let Err(broken) = check.next(entry.seq, &entry) {
            return Ok(check.outcome(Some(broken)));
        }
    }
    if check.checked != head.entries {
        return Err(ExportError::Count {
            said: head.entries,
            found: check.checked,
        });
    }
    Ok(check.outcome(None))
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::audit::chain::GENESIS;
    use crate::domain::{AuditAction, AuditEvent, Outcome};

    fn entries() -> Vec<ChainedEntry> {
        let mut prev = GENESIS;
        (1..=4)
            .map(|seq| {
                let e = ChainedEntry::new(
                    &prev,
                    seq,
                    AuditEvent::new(
                        OffsetDateTime::UNIX_EPOCH,
                        None,
                        AuditAction::CaseViewed,
                        Outcome::Success,
                    ),
                );
                prev = e.hash_bytes();
                e
            })
            .collect()
    }

    #[test]
    fn an_export_verifies_and_an_edited_line_is_named() {
        let entries = entries();
        let text = String::from_utf8(to_lines(&hex::encode(GENESIS), &entries)).unwrap();
        let check = verify_lines(&text).unwrap();
        assert_eq!(check.checked, 4);
        assert!(check.broken.is_none());
        assert_eq!(check.head, entries[3].hash);

        let edited = text.replacen("case_viewed", "sign_in", 3);
        let check = verify_lines(&edited).unwrap();
        assert_eq!(check.broken.unwrap().seq, 1);

        let mut lines: Vec<&str> = text.lines().collect();
        lines.remove(4);
        assert!(matches!(
            verify_lines(&lines.join("\n")),
            Err(ExportError::Count { said: 4, found: 3 })
        ));
    }
}
