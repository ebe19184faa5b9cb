//! Splitting a long list into pages: which slice a `?page=` asks for, and the links around it.

use std::ops::Range;

/// One page of a list of `total` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    pub total: usize,
    /// 1-based numbers of the first and last item shown (0 and 0 for an empty list).
    pub first: usize,
    pub last: usize,
    pub previous: Option<usize>,
    pub next: Option<usize>,
    /// Where the previous page ends and the next one starts, for a list read from an index
    /// (`?before=`, `?after=`): the next page is then read from there, not counted from the top.
    pub before: Option<String>,
    pub after: Option<String>,
    range: Range<usize>,
}

impl Pager {
    /// The page `requested` (1-based, as typed in the address) of `total` items, `per_page` to a
    /// page. Anything unreadable shows the first page; a number past the end, the last.
    pub fn new(total: usize, per_page: usize, requested: Option<&str>) -> Self {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = requested
            .and_then(|p| p.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, pages);
        let start = (page - 1) * per_page;
        let end = (start + per_page).min(total);
        Self {
            total,
            first: if total == 0 { 0 } else { start + 1 },
            last: end,
            previous: (page > 1).then(|| page - 1),
            next: (page < pages).then(|| page + 1),
            before: None,
            after: None,
            range: start..end,
        }
    }

    /// The same page, its neighbours' links carrying where they start.
    pub fn with_cursors(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// The positions of the items on this page.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// Whether the list needs more than one page.
    pub fn is_paged(&self) -> bool {
        self.previous.is_some() || self.next.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_item_once_and_odd_requests_land_on_a_real_page() {
        let p = Pager::new(120, 50, None);
        assert_eq!(
            (p.first, p.last, p.previous, p.next),
            (1, 50, None, Some(2))
        );
        let p = Pager::new(120, 50, Some("3"));
        assert_eq!((p.range(), p.previous, p.next), (100..120, Some(2), None));
        assert_eq!(Pager::new(120, 50, Some("99")).range(), 100..120);
        assert_eq!(Pager::new(120, 50, Some("0")).range(), 0..50);
        assert_eq!(Pager::new(120, 50, Some("-1")).range(), 0..50);
        assert_eq!(Pager::new(120, 50, Some("abc")).range(), 0..50);
        let empty = Pager::new(0, 50, Some("2"));
        assert_eq!((empty.first, empty.last, empty.range()), (0, 0, 0..0));
        assert!(!empty.is_paged());
        assert!(!Pager::new(50, 50, None).is_paged());
    }
}
