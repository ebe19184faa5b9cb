//! Disclosure control for aggregate figures: nothing computed from fewer than k cases is shown, and a
//! hidden figure cannot be worked out from the ones shown next to it.
//!
//! Tables are lines of figures that add up (a distribution with its total, a row of a cross-table).
//! Primary suppression hides every figure resting on fewer than k cases. Complementary suppression
//! then makes sure no line has exactly one hidden figure while its total is shown: otherwise the
//! hidden one is the total minus the others. It hides the smallest visible figure of such a line,
//! and repeats until no line gives anything away. Written by hand: the rules are short and specific
//! to these tables, and the statistical-disclosure packages are for other languages.

/// Smallest group size an administrator may choose.
pub const MIN_K: usize = 3;
/// Largest group size an administrator may choose.
pub const MAX_K: usize = 20;
/// The default minimum group size.
pub const DEFAULT_K: usize = 5;

/// One figure and the number of cases it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub n: usize,
    pub suppressed: bool,
}

impl Figure {
    /// A figure resting on `n` cases, not yet checked.
    pub fn new(value: f64, n: usize) -> Self {
        Self {
            value,
            n,
            suppressed: false,
        }
    }

    /// The value if it may be shown.
    pub fn shown(&self) -> Option<f64> {
        (!self.suppressed).then_some(self.value)
    }
}

/// Hides every figure of `lines` resting on fewer than `k` cases, then applies complementary
/// suppression within each line whose total is published (`totals_shown`). `columns_add_up`
/// says that the figures at the same position across lines also add up to a shown total (a
/// cross-table), so columns are protected the same way.
pub fn protect(lines: &mut [Vec<Figure>], k: usize, totals_shown: bool, columns_add_up: bool) {
    for figure in lines.iter_mut().flatten() {
        if figure.n < k {
            figure.suppressed = true;
        }
    }
    if !totals_shown {
        return;
    }
    loop {
        let mut changed = false;
        for line in lines.iter_mut() {
            changed |= protect_line(line.iter_mut().collect());
        }
        if columns_add_up {
            let width = lines.iter().map(Vec::len).max().unwrap_or(0);
            for col in 0..width {
                let column: Vec<&mut Figure> =
                    lines.iter_mut().filter_map(|l| l.get_mut(col)).collect();
                changed |= protect_line(column);
            }
        }
        if !changed {
            break;
        }
    }
}

/// If exactly one figure of the line is hidden, hides the smallest visible one too.
fn protect_line(mut line: Vec<&mut Figure>) -> bool {
    if line.iter().filter(|f| f.suppressed).count() != 1 {
        return false;
    }
    let smallest = line
        .iter_mut()
        .filter(|f| !f.suppressed)
        .min_by(|a, b| a.n.cmp(&b.n).then(a.value.total_cmp(&b.value)));
    match smallest {
        Some(figure) => {
            figure.suppressed = true;
            true
        }
        None => false,
    }
}

/// Whether a scope of `cases` cases may show any figure at all.
pub fn scope_is_large_enough(cases: usize, k: usize) -> bool {
    cases >= k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(values: &[usize]) -> Vec<Figure> {
        values.iter().map(|&v| Figure::new(v as f64, v)).collect()
    }

    fn hidden(line: &[Figure]) -> Vec<bool> {
        line.iter().map(|f| f.suppressed).collect()
    }

    #[test]
    fn figures_from_fewer_than_k_cases_are_hidden() {
        let mut lines = vec![counts(&[12, 4, 9])];
        protect(&mut lines, 5, false, false);
        assert_eq!(hidden(&lines[0]), [false, true, false]);
    }

    #[test]
    fn one_hidden_cell_in_a_line_with_a_total_takes_the_smallest_other_with_it() {
        // Total 25 is published: 4 would be 25 - 12 - 9 unless another cell goes too.
        let mut lines = vec![counts(&[12, 4, 9])];
        protect(&mut lines, 5, true, false);
        assert_eq!(hidden(&lines[0]), [false, true, true]);
        assert_eq!(lines[0][0].shown(), Some(12.0));
    }

    #[test]
    fn two_hidden_cells_need_nothing_more() {
        let mut lines = vec![counts(&[12, 4, 3, 9])];
        protect(&mut lines, 5, true, false);
        assert_eq!(hidden(&lines[0]), [false, true, true, false]);
    }

    #[test]
    fn cross_tables_are_protected_along_rows_and_columns_until_nothing_gives_a_cell_away() {
        let mut lines = vec![
            counts(&[10, 3, 8]),
            counts(&[7, 9, 11]),
            counts(&[6, 12, 15]),
        ];
        protect(&mut lines, 5, true, true);
        for line in &lines {
            assert_ne!(line.iter().filter(|f| f.suppressed).count(), 1, "{lines:?}");
        }
        for col in 0..3 {
            assert_ne!(
                lines.iter().filter(|l| l[col].suppressed).count(),
                1,
                "column {col}: {lines:?}"
            );
        }
        assert!(lines[0][1].suppressed);
    }

    #[test]
    fn zero_counts_are_hidden_too() {
        let mut lines = vec![counts(&[20, 0, 9])];
        protect(&mut lines, 5, false, false);
        assert_eq!(hidden(&lines[0]), [false, true, false]);
    }

    #[test]
    fn a_scope_smaller_than_k_shows_nothing() {
        assert!(!scope_is_large_enough(4, 5));
        assert!(scope_is_large_enough(5, 5));
    }
}
