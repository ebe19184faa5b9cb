//! Phone numbers in Italian, Spanish, French, Romanian, UK, US and international formats, also
//! split into pairs or single digits ("34 71 23 45 67", "3 4 7 1 2 3 4 5 6 7") and spelled out
//! in words ("zero sette due uno…", "six un deux…").

use regex::Regex;

use super::{
    Hit, PatternError, PiiKind, char_after, char_before, compile, is_compact_date, is_date_triple,
    is_word_char, is_year, split_groups, words,
};

/// Free-phone prefixes (Italy 800/803, Spain 900, UK 0800/0808, France and Romania 0800): public
/// services such as the anti-trafficking helplines, not a person.
const TOLL_FREE_PREFIXES: &[&str] = &["800", "803", "900", "0800", "0808", "1800"];

/// How far (in characters) before a number a phone word ("tel.", "numéro", "sună") may stand
/// for a split-up run of digits to count as a phone number.
const PHONE_CONTEXT_CHARS: usize = 40;

/// The fewest digits a number spelled out in words has ("six un deux…").
const SPELLED_MIN_DIGITS: usize = 7;

/// Digits that make up a whole national number as people write it: an Italian mobile (3xx, ten
/// digits), a Spanish one (6xx/7xx, nine), a French, Romanian or UK one with its leading 0 (ten
/// or eleven).
fn national_number_shape(digits: &str) -> bool {
    let len = digits.len();
    let first = digits.chars().next();
    let second = digits.chars().nth(1);
    match first {
        Some('3') => len == 10,
        Some('6' | '7') => len == 9,
        Some('0') => {
            second.is_some_and(|c| c != '0') && (len == 10 || (len == 11 && second == Some('7')))
        }
        _ => false,
    }
}

/// Groups that only go up or only go down ("10 12 14 16 18", "1 2 3 4 5 6 7 8") are scores,
/// counts or a version, not a number split up to be read out.
fn monotonic(groups: &[String]) -> bool {
    let values: Vec<u32> = groups.iter().filter_map(|g| g.parse().ok()).collect();
    values.windows(2).all(|w| w[0] <= w[1]) || values.windows(2).all(|w| w[0] >= w[1])
}

/// French toll-free numbers written in the French way ("0 800 05 95 95", "0805 …"): the prefix
/// alone would also be a Bari landline (080 5…).
fn french_toll_free(groups: &[String]) -> bool {
    match groups {
        [first, second, ..] if first == "0" => matches!(second.as_str(), "800" | "805"),
        [first, ..] => matches!(first.as_str(), "0800" | "0805"),
        [] => false,
    }
}

/// Currency words and signs: digits next to one are an amount ("12 500 000 lei", "€ 3 400 000").
const CURRENCIES: &[&str] = &[
    "€", "$", "£", "eur", "euro", "euros", "lei", "ron", "naira", "ngn", "usd", "dollars",
    "dólares", "dollari", "pounds", "sterline", "libras", "gbp", "cfa", "fcfa",
];

fn is_currency(word: &str) -> bool {
    CURRENCIES.contains(&word.to_lowercase().as_str())
}

/// The word (or currency sign) just after `end`, or just before `start`, is a currency.
fn next_to_currency(text: &str, start: usize, end: usize) -> bool {
    let after: String = text
        .get(end..)
        .unwrap_or("")
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '€' | '$' | '£'))
        .collect();
    let before: String = text
        .get(..start)
        .unwrap_or("")
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || matches!(c, '€' | '$' | '£'))
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .collect();
    let first_sign = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| matches!(c, '€' | '$' | '£'))
    };
    let last_sign = |s: &str| {
        s.chars()
            .last()
            .is_some_and(|c| matches!(c, '€' | '$' | '£'))
    };
    is_currency(&after) || first_sign(&after) || is_currency(&before) || last_sign(&before)
}

/// Whether a run of digit groups is a phone number; `phone_word_before` says a phone word stands
/// just before it ("tel.", "numero", "numéro", "număr").
fn plausible_phone(candidate: &str, phone_word_before: bool) -> bool {
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
    if TOLL_FREE_PREFIXES.iter().any(|p| digits.starts_with(p)) || french_toll_free(&groups) {
        return false;
    }
    if groups.len() == 1 {
        // "20240312" or "12031990" written without separators.
        return !is_compact_date(&digits);
    }
    // "2019-2021", "2019 2020 2021"; "2024-00123", "2024 03 12 17 45": a year in front is a
    // reference or a date, never the start of a national number in these countries.
    if groups.iter().all(|g| is_year(g)) || groups.first().is_some_and(|g| is_year(g)) {
        return false;
    }
    let pairs = groups.iter().all(|g| g.len() <= 2);
    let singles = groups.iter().filter(|g| g.len() == 1).count();
    // A French number in pairs ("06 12 34 56 78"): five of them and a leading 0.
    let french_pairs = pairs && singles == 0 && groups.len() == 5 && digits.starts_with('0');
    if (pairs || singles >= 2) && !french_pairs {
        // Short groups are usually times, scores, lists or a version ("10.30-11.30",
        // "10 12 14 16 18", "1.2.3.4.5.6.7.8"). A number split up to be read out
        // ("34 71 23 45 67", "3 4 7 1 2 3 4 5 6 7") keeps one separator throughout, does not
        // just count up or down, and is a whole national number or follows a phone word.
        let one_separator = seps.windows(2).all(|w| w[0] == w[1]);
        // Answers to a questionnaire ("3 2 3 3 2 1 3 2 3 3") are small digits; a number read
        // out digit by digit without a phone word has at least one digit from 6 to 9.
        let small_digits_only = singles >= 2 && digits.chars().all(|c| c <= '5');
        return one_separator
            && !monotonic(&groups)
            && ((national_number_shape(&digits) && !small_digits_only) || phone_word_before);
    }
    // "10.000.000": thousands separators, an amount.
    if seps.iter().all(|s| s == ".")
        && groups.first().is_some_and(|g| g.len() <= 3)
        && groups.iter().skip(1).all(|g| g.len() == 3)
    {
        return false;
    }
    // "12.03.2025" or "12.03-15.03.2025": dates and date ranges.
    // "3 12 1990" with spaces too, unless a phone word says it is a number.
    let date_inside = groups.windows(3).zip(seps.windows(2)).any(|(g, s)| {
        s[0] == s[1]
            && (matches!(s[0].as_str(), "." | "-" | "/") || (s[0] == " " && !phone_word_before))
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
    /// A phone word in any of the five languages, which lets a number split into short groups
    /// count ("tel. 34 71 23 45 67").
    phone_word: Regex,
    /// Words and digit groups, for numbers spelled out in words.
    token: Regex,
}

impl Phones {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let phone = compile(
            "PHONE",
            r"(?:\+ ?|\(\+?|\b)\d+(?:\) ?\d+)?(?:[ .\-]\(?\d+(?:\) ?\d+)?)*",
        )?;
        let phone_word = compile(
            "PHONE_WORD",
            r"(?i)\b(?:tel|t[ée]l|telefon\w*|t[ée]l[ée]phone|tel[ée]fono|phone|mobile?|cell\w*|m[óo]vil|portable|whats\s?app|number|numero|n[úu]mero|num[ée]ro|num[ăa]r(?:ul)?|call|chiam\w*|llam\w*|appel\w*|sun[ăa]\w*)\b",
        )?;
        let token = compile("PHONE_TOKEN", r"[\p{L}\p{M}]+|\d+")?;
        Ok(Self {
            phone,
            phone_word,
            token,
        })
    }

    /// A phone word ends at most `PHONE_CONTEXT_CHARS` characters before `start`, with no new
    /// sentence or line in between.
    fn phone_word_before(&self, text: &str, start: usize) -> bool {
        let Some(before) = text.get(..start) else {
            return false;
        };
        let from = before
            .char_indices()
            .rev()
            .nth(PHONE_CONTEXT_CHARS)
            .map_or(0, |(i, _)| i);
        let Some(window) = before.get(from..) else {
            return false;
        };
        self.phone_word.find_iter(window).any(|m| {
            window.get(m.end()..).is_some_and(|between| {
                // "tel. 34 71 …": the full stop of an abbreviation is not a new sentence.
                let rest = between.strip_prefix('.').unwrap_or(between);
                !rest.contains(['\n', '.', ';', '!', '?'])
            })
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.phone.find_iter(text) {
            // Not glued to letters ("COVID19", "12345678Z", "X054 2811 ...").
            if char_before(text, m.start()).is_some_and(is_word_char)
                || char_after(text, m.end()).is_some_and(is_word_char)
            {
                continue;
            }
            let international = m.as_str().starts_with(['+', '(']) || m.as_str().starts_with("00");
            if !international && next_to_currency(text, m.start(), m.end()) {
                continue;
            }
            if plausible_phone(m.as_str(), self.phone_word_before(text, m.start())) {
                hits.push(Hit::new(m.start(), m.end(), PiiKind::Phone));
            }
        }
        self.detect_spelled(text, hits);
    }

    /// A number read out in words, maybe mixed with digits: a run of at least
    /// `SPELLED_MIN_DIGITS` digits, at least three of them words, with only spaces, commas, dots
    /// or dashes between ("tre quattro sette uno due tre…", "zero șapte doi unu 234 567"). Counting
    /// ("one two three four five six seven") is not a number.
    fn detect_spelled(&self, text: &str, hits: &mut Vec<Hit>) {
        let mut run = SpelledRun::default();
        let mut last_end = 0;
        for m in self.token.find_iter(text) {
            let gap_ok = text.get(last_end..m.start()).is_some_and(|gap| {
                gap.chars().count() <= 3
                    && gap
                        .chars()
                        .all(|c| matches!(c, ' ' | '\t' | ',' | '.' | '-' | '–' | '/'))
            });
            if !gap_ok {
                run.finish(hits);
            }
            last_end = m.end();
            let token = m.as_str();
            if let Some(times) = repeat_word(token) {
                // "double zero": the next digit word counts twice.
                run.repeat = times;
                continue;
            }
            let digits: Option<Vec<u8>> = if token.chars().all(|c| c.is_ascii_digit()) {
                Some(token.bytes().map(|b| b - b'0').collect())
            } else {
                words::digit_word(token).map(|d| vec![d; std::mem::replace(&mut run.repeat, 1)])
            };
            match digits {
                Some(d) => run.push(
                    m.start(),
                    m.end(),
                    &d,
                    !token.starts_with(|c: char| c.is_ascii_digit()),
                ),
                None => run.finish(hits),
            }
        }
        run.finish(hits);
    }
}

/// "double", "doppio", "doble", "triple": the next digit word is said two or three times.
fn repeat_word(word: &str) -> Option<usize> {
    match words::fold(word).as_str() {
        "double" | "doppio" | "doble" | "dublu" => Some(2),
        "triple" | "triplo" | "triplu" => Some(3),
        _ => None,
    }
}

/// Digits read so far in a run of number words.
struct SpelledRun {
    start: usize,
    end: usize,
    digits: Vec<u8>,
    words: usize,
    /// How many times the next digit word counts ("double zero").
    repeat: usize,
}

impl Default for SpelledRun {
    fn default() -> Self {
        SpelledRun {
            start: 0,
            end: 0,
            digits: Vec::new(),
            words: 0,
            repeat: 1,
        }
    }
}

impl SpelledRun {
    fn push(&mut self, start: usize, end: usize, digits: &[u8], is_word: bool) {
        if self.digits.is_empty() {
            self.start = start;
        }
        self.end = end;
        self.digits.extend_from_slice(digits);
        self.words += usize::from(is_word);
    }

    fn finish(&mut self, hits: &mut Vec<Hit>) {
        let counting = self.digits.windows(2).all(|w| w[1] == w[0].wrapping_add(1))
            || self.digits.windows(2).all(|w| w[0] == w[1].wrapping_add(1));
        if self.words >= 3 && (SPELLED_MIN_DIGITS..=15).contains(&self.digits.len()) && !counting {
            hits.push(Hit::new(self.start, self.end, PiiKind::Phone));
        }
        *self = SpelledRun::default();
    }
}
