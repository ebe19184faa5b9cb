//! Phone numbers in Italian, Spanish, UK, US and international formats.

use regex::Regex;

use super::{
    Hit, PatternError, PiiKind, char_after, char_before, compile, is_compact_date, is_date_triple,
    is_word_char, is_year, split_groups,
};

/// Free-phone prefixes (Italy 800/803, Spain 900, UK 0800/0808): public
/// services such as the anti-trafficking helpline, not a person.
const TOLL_FREE_PREFIXES: &[&str] = &["800", "803", "900", "0800", "0808", "1800"];

fn plausible_phone(candidate: &str) -> bool {
    let international =
        candidate.starts_with('+') || candidate.starts_with("(+") || candidate.starts_with("00");
    let (groups, seps) = split_groups(candidate);
    let digits = groups.concat();
    // Fewer than 8 digits are counts, years, prices; more than 15 is not a
    // phone number under the international numbering plan.
    if !(8..=15).contains(&digits.len()) {
        return false;
    }
    if international {
        return true;
    }
    if TOLL_FREE_PREFIXES.iter().any(|p| digits.starts_with(p)) {
        return false;
    }
    if groups.len() == 1 {
        // "20240312" or "12031990" written without separators.
        return !is_compact_date(&digits);
    }
    // "2019-2021", "2019 2020 2021".
    if groups.iter().all(|g| is_year(g)) {
        return false;
    }
    // "10.30-11.30", "10 12 14 16 18": short groups are times or scores;
    // a real number in pairs ("06 12 34 56 78") has five and a leading 0.
    if groups.iter().all(|g| g.len() <= 2) && (groups.len() < 5 || !digits.starts_with('0')) {
        return false;
    }
    // "1.2.3.4.5.6.7.8": single digits are a list or a version, not a number.
    if groups.iter().filter(|g| g.len() == 1).count() >= 2 {
        return false;
    }
    // "10.000.000": thousands separators, an amount.
    if seps.iter().all(|s| s == ".")
        && groups.first().is_some_and(|g| g.len() <= 3)
        && groups.iter().skip(1).all(|g| g.len() == 3)
    {
        return false;
    }
    // "12.03.2025" or "12.03-15.03.2025": dates and date ranges.
    let date_inside = groups.windows(3).zip(seps.windows(2)).any(|(g, s)| {
        s[0] == s[1]
            && matches!(s[0].as_str(), "." | "-" | "/")
            && is_date_triple(&g[0], &g[1], &g[2])
    });
    if date_inside {
        return false;
    }
    true
}

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Phones {
    /// A run of digit groups separated by single spaces, dots or dashes, with an
    /// optional "+" or "(+39)" in front and "(0)" / "(555)" groups. The checks
    /// in `plausible_phone` then need 8–15 digits and reject dates, years,
    /// times, amounts and toll-free service lines.
    phone: Regex,
}

impl Phones {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let phone = compile(
            "PHONE",
            r"(?:\+ ?|\(\+?|\b)\d+(?:\) ?\d+)?(?:[ .\-]\(?\d+(?:\) ?\d+)?)*",
        )?;
        Ok(Self { phone })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.phone.find_iter(text) {
            // Not glued to letters ("COVID19", "12345678Z", "X054 2811 ...").
            if char_before(text, m.start()).is_some_and(is_word_char)
                || char_after(text, m.end()).is_some_and(is_word_char)
            {
                continue;
            }
            if plausible_phone(m.as_str()) {
                hits.push(Hit::new(m.start(), m.end(), PiiKind::Phone));
            }
        }
    }
}
