//! The case list's index: for everyone's list (supervisors and admins) and for each operator's,
//! the case codes newest first, and how many there are. A page of the list is then one short
//! range read, however many cases the store holds.
//!
//! Keys: `[list][user id][u64::MAX - created, in ns][code]`, all big-endian, with an empty value;
//! the key `[list][user id]` alone holds the list's length. `list` is `EVERYONE` (user id 0) or
//! `OPERATOR`. The index is written in the transaction of each case change, is not backed up
//! (a restore rebuilds it), and holds no case content: the codes are the cases tree's own keys.

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use super::trees::{CASES, Trees};
use super::{Store, StoreError};
use crate::domain::{Case, CaseCode, UserId};

const EVERYONE: u8 = 0;
const OPERATOR: u8 = 1;

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

/// Whose list to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseList {
    /// Every case (supervisors and admins).
    Everyone,
    /// The cases an operator opened or has been given.
    Operator(UserId),
}

impl CaseList {
    fn prefix(self) -> [u8; 9] {
        let (list, user) = match self {
            CaseList::Everyone => (EVERYONE, 0),
            CaseList::Operator(id) => (OPERATOR, id.get()),
        };
        let mut prefix = [0u8; 9];
        prefix[0] = list;
        prefix[1..].copy_from_slice(&user.to_be_bytes());
        prefix
    }
}

/// The lists `case` is on.
fn lists_of(case: &Case) -> Vec<CaseList> {
    let mut lists = vec![CaseList::Everyone, CaseList::Operator(case.created_by)];
    for user in &case.shared_with {
        if !lists.contains(&CaseList::Operator(*user)) {
            lists.push(CaseList::Operator(*user));
        }
    }
    lists
}

/// The key of `case` on `list`.
fn entry_key(list: CaseList, case: &Case) -> Vec<u8> {
    let nanos = u64::try_from(case.created_at.unix_timestamp_nanos().max(0)).unwrap_or(u64::MAX);
    let code = case.code.as_str().as_bytes();
    let mut key = Vec::with_capacity(17 + code.len());
    key.extend_from_slice(&list.prefix());
    key.extend_from_slice(&(u64::MAX - nanos).to_be_bytes());
    key.extend_from_slice(code);
    key
}

fn count_of(value: Option<&[u8]>) -> u64 {
    value
        .and_then(|v| <[u8; 8]>::try_from(v).ok())
        .map_or(0, u64::from_be_bytes)
}

fn add_to_count(index: &TransactionalTree, list: CaseList, delta: i64) -> TxResult<()> {
    add_to_count_at(index, list.prefix(), delta)
}

fn add_to_count_at(index: &TransactionalTree, count_key: [u8; 9], delta: i64) -> TxResult<()> {
    let count = count_of(index.get(count_key)?.as_deref()).saturating_add_signed(delta);
    index.insert(&count_key, &count.to_be_bytes())?;
    Ok(())
}

/// An index entry: its list's count key and the entry's own key.
pub(super) type Entry = ([u8; 9], Vec<u8>);

/// The index entries of case `code` (each with its list's count key), from its record when that
/// could be read, else by looking through the whole index: an erasure removes them either way.
pub(super) fn entries_of(
    t: &Trees,
    code: &CaseCode,
    case: Option<&Case>,
) -> Result<Vec<Entry>, StoreError> {
    if let Some(case) = case {
        return Ok(lists_of(case)
            .into_iter()
            .map(|list| (list.prefix(), entry_key(list, case)))
            .collect());
    }
    let mut found = Vec::new();
    for key in t.case_order.iter().keys() {
        let key = key?;
        if key.len() > 17 && &key[17..] == code.as_str().as_bytes() {
            let mut prefix = [0u8; 9];
            prefix.copy_from_slice(&key[..9]);
            found.push((prefix, key.to_vec()));
        }
    }
    Ok(found)
}

/// Within a transaction: removes `entries` (from `entries_of`) and counts them out.
pub(super) fn remove_entries(index: &TransactionalTree, entries: &[Entry]) -> TxResult<()> {
    for (count_key, key) in entries {
        if index.remove(key.as_slice())?.is_some() {
            add_to_count_at(index, *count_key, -1)?;
        }
    }
    Ok(())
}

/// Within a transaction: `before` (if the case existed) leaves the lists it was on and `after`
/// (if it still exists) joins its own.
pub(super) fn replace(
    index: &TransactionalTree,
    before: Option<&Case>,
    after: Option<&Case>,
) -> TxResult<()> {
    if let Some(case) = before {
        for list in lists_of(case) {
            if index.remove(entry_key(list, case))?.is_some() {
                add_to_count(index, list, -1)?;
            }
        }
    }
    if let Some(case) = after {
        for list in lists_of(case) {
            if index.insert(entry_key(list, case), &[])?.is_none() {
                add_to_count(index, list, 1)?;
            }
        }
    }
    Ok(())
}

/// Builds the index again from the cases (after a migration or a restore).
pub(super) fn rebuild(t: &Trees) -> Result<(), StoreError> {
    t.case_order.clear()?;
    let mut counts = std::collections::HashMap::<[u8; 9], u64>::new();
    let mut batch = sled::Batch::default();
    for item in t.cases.iter() {
        let (key, value) = item?;
        let case: Case = t.unseal_once(CASES, &key, &value)?;
        for list in lists_of(&case) {
            *counts.entry(list.prefix()).or_default() += 1;
            batch.insert(entry_key(list, &case), &[]);
        }
    }
    for (prefix, count) in counts {
        batch.insert(&prefix, &count.to_be_bytes());
    }
    t.case_order.apply_batch(batch)?;
    Ok(())
}

/// Where a page of a case list starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseFrom {
    /// After this many cases (a page number typed in the address: counted from the top).
    Skip(usize),
    /// Just after the case a cursor names (the next page: one short range read).
    After(String),
    /// Just before it (the previous page), read backwards.
    Before(String),
}

/// A page of a case list.
#[derive(Debug, Clone, PartialEq)]
pub struct CasePage {
    /// How many cases the whole list holds.
    pub total: usize,
    pub cases: Vec<Case>,
    /// Cursors of the first and last case shown, for the links to the pages around.
    pub first: Option<String>,
    pub last: Option<String>,
}

impl Store {
    /// How many cases `list` holds (its count record: nothing is scanned).
    pub fn case_count(&self, list: CaseList) -> Result<usize, StoreError> {
        let t = self.trees()?;
        let total = count_of(t.case_order.get(list.prefix())?.as_deref());
        Ok(usize::try_from(total).unwrap_or(usize::MAX))
    }

    /// The cases of `list`, newest first, from `from`, at most `take` of them. A cursor is a
    /// position, so one whose case was erased meanwhile still reads on from there; one past
    /// everything (or unreadable) gives the top of the list.
    pub fn case_page(
        &self,
        list: CaseList,
        from: &CaseFrom,
        take: usize,
    ) -> Result<CasePage, StoreError> {
        let t = self.trees()?;
        let prefix = list.prefix();
        let total = count_of(t.case_order.get(prefix)?.as_deref());
        let at = |cursor: &str| {
            let mut key = prefix.to_vec();
            key.extend(hex::decode(cursor).unwrap_or_default());
            key
        };
        // Entries sort after the count key (the bare prefix) and before the next list's.
        let mut first_entry = prefix.to_vec();
        first_entry.push(0);
        let mut past_end = prefix.to_vec();
        past_end.extend_from_slice(&[0xFF; 9]);
        let mut keys: Vec<sled::IVec> = match from {
            CaseFrom::Skip(skip) => t
                .case_order
                .range(first_entry..past_end)
                .keys()
                .skip(*skip)
                .take(take)
                .collect::<Result<_, _>>()?,
            CaseFrom::After(cursor) => {
                let start = at(cursor);
                t.case_order
                    .range(start.clone()..past_end)
                    .keys()
                    .filter(|k| k.as_ref().map_or(true, |k| k.as_ref() != start.as_slice()))
                    .take(take)
                    .collect::<Result<_, _>>()?
            }
            CaseFrom::Before(cursor) => t
                .case_order
                .range(first_entry..at(cursor))
                .keys()
                .rev()
                .take(take)
                .collect::<Result<_, _>>()?,
        };
        if matches!(from, CaseFrom::Before(_)) {
            keys.reverse();
        }
        if keys.is_empty() && total > 0 && *from != CaseFrom::Skip(0) {
            return self.case_page(list, &CaseFrom::Skip(0), take);
        }
        let cursor = |key: &sled::IVec| hex::encode(&key[prefix.len()..]);
        let (first, last) = (keys.first().map(cursor), keys.last().map(cursor));
        let mut cases = Vec::with_capacity(take);
        for key in keys {
            let code = std::str::from_utf8(key.get(17..).unwrap_or_default())
                .ok()
                .and_then(|c| CaseCode::parse(c).ok())
                .ok_or_else(|| StoreError::Unreadable("a case index key is not a code".into()))?;
            // Read in the same view of the trees as the index.
            if let Some(value) = t.cases.get(code.as_str())? {
                cases.push(t.unseal(CASES, code.as_str().as_bytes(), &value)?);
            }
        }
        Ok(CasePage {
            total: usize::try_from(total).unwrap_or(usize::MAX),
            cases,
            first,
            last,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{AuditAction, AuditEvent, Outcome};
    use crate::instrument::Instrument;

    fn event() -> AuditEvent {
        AuditEvent::new(
            OffsetDateTime::now_utc(),
            None,
            AuditAction::CaseCreated,
            Outcome::Success,
        )
    }

    fn codes(cases: &[Case]) -> Vec<String> {
        cases.iter().map(|c| c.code.to_string()).collect()
    }

    /// Every case `list` may open, newest first, the slow way.
    fn by_hand(store: &Store, list: CaseList) -> Vec<String> {
        let mut cases: Vec<Case> = store
            .cases()
            .unwrap()
            .into_iter()
            .filter(|c| match list {
                CaseList::Everyone => true,
                CaseList::Operator(id) => c.is_operator_allowed(id),
            })
            .collect();
        cases.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        codes(&cases)
    }

    /// A store with `n` synthetic cases of `owners`, case `shared` also shared with user 2.
    async fn stored_cases(
        n: usize,
        owners: &[UserId],
        shared: usize,
    ) -> (
        tempfile::TempDir,
        Store,
        Vec<(Case, Vec<crate::domain::assessment::Assessment>)>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::vault::test_key()).unwrap();
        let instrument = Instrument::bundled().unwrap();
        let now = OffsetDateTime::now_utc();
        let data = crate::demo::generate(&instrument, n, 5, now, owners, None).unwrap();
        for (case, _) in &data {
            store.create_case(case, event()).await.unwrap();
        }
        let code = data[shared].0.code.clone();
        store
            .update_case(&code, |c| c.shared_with.push(UserId::new(2)), event())
            .await
            .unwrap();
        (dir, store, data)
    }

    #[actix_web::test]
    async fn the_index_follows_creation_sharing_and_erasure_and_survives_a_rebuild() {
        let (_dir, store, data) = stored_cases(30, &[UserId::new(1), UserId::new(2)], 3).await;
        let now = OffsetDateTime::now_utc();
        let shared = data[3].0.code.clone();
        let erasure = crate::domain::erasure::Erasure {
            code: data[4].0.code.to_string(),
            at: now,
            reason: crate::domain::erasure::ErasureReason::PersonsRequest,
        };
        store
            .erase_case(&data[4].0.code, erasure, event())
            .await
            .unwrap();
        let check = |store: &Store| {
            for list in [
                CaseList::Everyone,
                CaseList::Operator(UserId::new(1)),
                CaseList::Operator(UserId::new(2)),
                CaseList::Operator(UserId::new(3)),
            ] {
                let expected = by_hand(store, list);
                let all = store.case_page(list, &CaseFrom::Skip(0), 1000).unwrap();
                assert_eq!(all.total, expected.len(), "{list:?}");
                assert_eq!(codes(&all.cases), expected, "{list:?}");
                let slice = |from: usize, n: usize| -> Vec<String> {
                    expected.iter().skip(from).take(n).cloned().collect()
                };
                let page = store.case_page(list, &CaseFrom::Skip(5), 7).unwrap();
                assert_eq!(codes(&page.cases), slice(5, 7));
                if let (Some(first), Some(last)) = (page.first.clone(), page.last.clone()) {
                    // The pages around, from the cursors, are the ones counted from the top.
                    let next = store.case_page(list, &CaseFrom::After(last), 7).unwrap();
                    assert_eq!(codes(&next.cases), slice(12, 7), "{list:?}");
                    let back = store.case_page(list, &CaseFrom::Before(first), 3).unwrap();
                    assert_eq!(codes(&back.cases), slice(2, 3), "{list:?}");
                }
            }
        };
        check(&store);
        let mine = store
            .case_page(CaseList::Operator(UserId::new(2)), &CaseFrom::Skip(0), 100)
            .unwrap()
            .cases;
        assert!(mine.iter().any(|c| c.code == shared), "shared with user 2");
        assert!(mine.iter().all(|c| c.code != data[4].0.code), "erased");
        rebuild(&store.trees().unwrap()).unwrap();
        check(&store);
    }

    #[actix_web::test]
    async fn a_case_whose_record_no_longer_opens_is_still_erased_from_every_list() {
        let (_dir, store, data) = stored_cases(3, &[UserId::new(1)], 1).await;
        let now = OffsetDateTime::now_utc();
        let code = data[1].0.code.clone();
        {
            let t = store.trees().unwrap();
            let mut damaged = t.cases.get(code.as_str()).unwrap().unwrap().to_vec();
            let middle = damaged.len() / 2;
            damaged[middle] ^= 0x40;
            t.cases.insert(code.as_str(), damaged).unwrap();
        }
        assert!(store.case(&code).is_err(), "the record no longer opens");
        let erasure = crate::domain::erasure::Erasure {
            code: code.to_string(),
            at: now,
            reason: crate::domain::erasure::ErasureReason::PersonsRequest,
        };
        store.erase_case(&code, erasure, event()).await.unwrap();
        for (list, left) in [
            (CaseList::Everyone, 2),
            (CaseList::Operator(UserId::new(1)), 2),
            (CaseList::Operator(UserId::new(2)), 0),
        ] {
            let page = store.case_page(list, &CaseFrom::Skip(0), 10).unwrap();
            assert_eq!((page.total, page.cases.len()), (left, left), "{list:?}");
        }
    }
}
