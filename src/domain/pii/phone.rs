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
    "€", "$", "£", "eur", "euro", "euros", "lei", "ron", "naira", "nairas", "ngn", "usd",
    "dollars", "dólares", "dollari", "pounds", "sterline", "libras", "gbp", "cfa", "fcfa",
];

fn is_currency(word: &str) -> bool {
    CURRENCIES.contains(&word.to_lowercase().as_str())
}

/// The first word (or currency sign) of `text`.
fn first_word(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '€' | '$' | '£'))
        .collect()
}

/// The word (or currency sign) just after `end`, or just before `start`, is a currency; after
/// the number, "de", "di" or "of" may come first ("12 500 000 de lei").
fn next_to_currency(text: &str, start: usize, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let mut after = first_word(rest);
    if matches!(after.to_lowercase().as_str(), "de" | "di" | "of") {
        let skip = rest.len() - rest.trim_start().len() + after.len();
        after = first_word(rest.get(skip..).unwrap_or(""));
    }
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
    /// or dashes between ("tre quattro sette uno due tre…", "zero șapte doi unu 234 567",
    /// "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit"). Counting ("one two
    /// three four five six seven") is not a number.
    fn detect_spelled(&self, text: &str, hits: &mut Vec<Hit>) {
        let mut run: Vec<Token> = Vec::new();
        let mut last_end = 0;
        for m in self.token.find_iter(text) {
            let gap_ok = text.get(last_end..m.start()).is_some_and(|gap| {
                gap.chars().count() <= 3
                    && gap
                        .chars()
                        .all(|c| matches!(c, ' ' | '\t' | ',' | '.' | '-' | '–' | '/'))
            });
            if !gap_ok {
                read_run(&std::mem::take(&mut run), hits);
            }
            last_end = m.end();
            let word = m.as_str();
            let kind = if word.chars().all(|c| c.is_ascii_digit()) {
                Some(TokenKind::Digits(word.bytes().map(|b| b - b'0').collect()))
            } else {
                words::number_word(word).map(TokenKind::Word)
            };
            match kind {
                Some(kind) => run.push(Token {
                    start: m.start(),
                    end: m.end(),
                    folded: words::fold(word),
                    kind,
                }),
                None => read_run(&std::mem::take(&mut run), hits),
            }
        }
        read_run(&run, hits);
    }
}

/// One word or digit group of a number read out.
struct Token {
    start: usize,
    end: usize,
    folded: String,
    kind: TokenKind,
}

enum TokenKind {
    Digits(Vec<u8>),
    Word(words::NumberWord),
}

impl Token {
    fn word(&self) -> Option<words::NumberWord> {
        match self.kind {
            TokenKind::Word(w) => Some(w),
            TokenKind::Digits(_) => None,
        }
    }

    fn unit(&self) -> Option<u8> {
        match self.word() {
            Some(words::NumberWord::Unit(u)) => Some(u),
            _ => None,
        }
    }
}

/// Reads a run of number words and digit groups into digits, two-digit words included ("trente
/// -quatre", "soixante-dix-huit", "quatre-vingt-douze", "treinta y dos", "douăzeci și doi"). An
/// "and" that joins no tens to a unit ends a number ("tre e quattro").
fn read_run(tokens: &[Token], hits: &mut Vec<Hit>) {
    let mut number = SpelledNumber::default();
    let mut repeat = 1;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let next = |k: usize| tokens.get(i + k);
        let mut used = 1;
        match &token.kind {
            TokenKind::Digits(d) => number.push(token, token, d, false),
            TokenKind::Word(word) => match *word {
                words::NumberWord::Repeat(n) => repeat = n,
                words::NumberWord::And => number.finish(hits),
                words::NumberWord::Unit(4)
                    if token.folded == "quatre"
                        && next(1)
                            .is_some_and(|t| matches!(t.folded.as_str(), "vingt" | "vingts")) =>
                {
                    // "quatre-vingt(s)" is 80, and takes a teen or a unit after it.
                    let (value, extra, last) = tens_and_more(80, tokens, i + 1);
                    let last = last.unwrap_or(token);
                    number.push(token, last, &two_digits(value), true);
                    used = 2 + extra;
                }
                words::NumberWord::Unit(u) => {
                    for _ in 0..std::mem::replace(&mut repeat, 1) {
                        number.push(token, token, &[u], true);
                    }
                }
                words::NumberWord::Teen(10)
                    if token.folded == "dix"
                        && next(1).and_then(Token::unit).is_some_and(|u| u >= 7) =>
                {
                    let u = next(1).and_then(Token::unit).unwrap_or(0);
                    let last = next(1).unwrap_or(token);
                    number.push(token, last, &two_digits(10 + u), true);
                    used = 2;
                }
                words::NumberWord::Teen(v) | words::NumberWord::Compound(v) => {
                    number.push(token, token, &two_digits(v), true);
                }
                words::NumberWord::Tens(v) => {
                    let (value, extra, last) = tens_and_more(v, tokens, i);
                    number.push(token, last.unwrap_or(token), &two_digits(value), true);
                    used = 1 + extra;
                }
            },
        }
        i += used;
    }
    number.finish(hits);
}

/// The value of tens at `tokens[at]` with what completes it: a unit, "and" and a unit, and for
/// 60 and 80 a teen ("soixante-dix-huit"). Returns the value, how many tokens after `at` it took,
/// and the last of them.
fn tens_and_more(tens: u8, tokens: &[Token], at: usize) -> (u8, usize, Option<&Token>) {
    let after = |k: usize| tokens.get(at + k);
    let unit_at = |k: usize| after(k).and_then(Token::unit).filter(|&u| u > 0);
    if let Some(u) = unit_at(1) {
        return (tens + u, 1, after(1));
    }
    if after(1).and_then(Token::word) == Some(words::NumberWord::And) {
        if let Some(u) = unit_at(2) {
            return (tens + u, 2, after(2));
        }
        if let Some(words::NumberWord::Teen(11)) = after(2).and_then(Token::word) {
            return (tens + 11, 2, after(2));
        }
    }
    if matches!(tens, 60 | 80)
        && let Some(words::NumberWord::Teen(t)) = after(1).and_then(Token::word)
    {
        // "soixante-dix-sept": "dix" and a unit make the teen.
        if t == 10
            && let Some(u) = unit_at(2).filter(|&u| u >= 7)
        {
            return (tens + 10 + u, 2, after(2));
        }
        return (tens + t, 1, after(1));
    }
    (tens, 0, None)
}

fn two_digits(value: u8) -> Vec<u8> {
    vec![value / 10 % 10, value % 10]
}

/// Digits read so far of one number said in words.
#[derive(Default)]
struct SpelledNumber {
    start: usize,
    end: usize,
    digits: Vec<u8>,
    /// The value of each word or group, for telling counting from a number.
    values: Vec<i64>,
    words: usize,
}

impl SpelledNumber {
    fn push(&mut self, first: &Token, last: &Token, digits: &[u8], is_word: bool) {
        if self.digits.is_empty() {
            self.start = first.start;
        }
        self.end = last.end;
        self.digits.extend_from_slice(digits);
        self.values.push(digits.iter().fold(0_i64, |n, &d| {
            n.saturating_mul(10).saturating_add(i64::from(d))
        }));
        self.words += usize::from(is_word);
    }

    fn finish(&mut self, hits: &mut Vec<Hit>) {
        // "one two three …", "ten, twenty, thirty …": counting, not a number.
        let step = self.values.windows(2).next().map(|w| w[1] - w[0]);
        let counting = step
            .is_some_and(|step| step != 0 && self.values.windows(2).all(|w| w[1] - w[0] == step));
        if self.words >= 3 && (SPELLED_MIN_DIGITS..=15).contains(&self.digits.len()) && !counting {
            hits.push(Hit::new(self.start, self.end, PiiKind::Phone));
        }
        *self = SpelledNumber::default();
    }
}
