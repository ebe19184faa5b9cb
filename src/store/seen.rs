//! "Seen by": when each user last opened a case (its page, an assessment or a summary), kept per
//! case and sealed with the case's key, so that it goes with the case when the case is erased.
//! Written as deferred records: a page view never waits for it.

use time::OffsetDateTime;

use super::trees::{SEEN, Trees};
use super::vault::Scope;
use super::{Store, StoreError};
use crate::domain::{CaseCode, UserId};

fn key(code: &str, user: UserId) -> Vec<u8> {
    let mut key = code.as_bytes().to_vec();
    key.extend_from_slice(&user.get().to_be_bytes());
    key
}

/// Moves `user`'s last view of `code` forward to `at`. A case erased meanwhile is left alone.
pub(super) fn record_in(
    t: &Trees,
    code: &str,
    user: UserId,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    if !t.cases.contains_key(code.as_bytes())? {
        return Ok(());
    }
    let key = key(code, user);
    let last = match t.seen.get(&key)? {
        Some(bytes) => Some(t.unseal::<OffsetDateTime>(SEEN, &key, &bytes)?),
        None => None,
    };
    if last.is_none_or(|last| last < at) {
        match t.seal(Scope::Case(code), SEEN, &key, &at) {
            Ok(sealed) => {
                t.seen.insert(key, sealed)?;
            }
            // Its key went with an erasure between the check and now.
            Err(StoreError::KeyGone(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl Store {
    /// Notes that `user` opened case `code` at `at` (deferred, like the read audit).
    pub fn note_seen(&self, code: &CaseCode, user: UserId, at: OffsetDateTime) {
        super::engine_deferred(&self.engine).seen(code.as_str(), user, at);
    }

    /// Who opened case `code`, and when last, most recent first (views not written yet included).
    pub fn seen_by(&self, code: &CaseCode) -> Result<Vec<(UserId, OffsetDateTime)>, StoreError> {
        let t = self.trees()?;
        let prefix = code.as_str().as_bytes();
        let mut seen = t
            .seen
            .scan_prefix(prefix)
            .map(|item| {
                let (key, value) = item?;
                let raw: [u8; 8] = key[prefix.len()..]
                    .try_into()
                    .map_err(|_| StoreError::NotFound)?;
                let at: OffsetDateTime = t.unseal(SEEN, &key, &value)?;
                Ok((UserId::new(u64::from_be_bytes(raw)), at))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        for ((pending_code, user), at) in super::engine_deferred(&self.engine).pending_seen() {
            if pending_code == code.as_str() {
                match seen.iter_mut().find(|(u, _)| *u == user) {
                    Some((_, last)) => *last = (*last).max(at),
                    None => seen.push((user, at)),
                }
            }
        }
        seen.sort_by_key(|s| std::cmp::Reverse(s.1));
        Ok(seen)
    }
}

/// The keys of every "seen" record of `code`.
pub(super) fn keys_of(t: &Trees, code: &CaseCode) -> Result<Vec<Vec<u8>>, StoreError> {
    t.seen
        .scan_prefix(code.as_str().as_bytes())
        .keys()
        .map(|k| Ok(k?.to_vec()))
        .collect()
}
