//! PII guard for free-text fields.
//!
//! Social workers write notes, actions, reasons and comments about women
//! leaving sex trafficking. Those texts are stored next to the assessment,
//! and a leaked database must not say who anyone is: not the woman, not her
//! children, not the people around her. This module looks for identifying
//! details (e-mail addresses, phone numbers, bank and card numbers, document
//! numbers, dates of birth, street addresses, web addresses and social media
//! handles) in English, Italian and Spanish formats, so that the service can
//! refuse the text and ask the worker to rephrase it.
//!
//! The rules lean towards few false positives: ordinary notes ("3 children",
//! "since 2019", "worked on the street for 2 years", "contacted via phone")
//! must pass, otherwise workers learn to ignore the guard. Numbers that carry
//! a checksum (IBAN, payment cards, Spanish DNI/NIE) are validated, and the
//! weaker patterns need context (a birth word near a date, a house number
//! after a street name, a document keyword before a short code).
//!
//! It cannot catch everything: names of people and places, or a detail
//! described in words, pass. It is a safety net, not an anonymiser.

use std::sync::LazyLock;

use regex::{Captures, Match, Regex};

/// What kind of identifying detail was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiiKind {
    Email,
    Phone,
    Iban,
    CardNumber,
    DocumentNumber,
    BirthDate,
    StreetAddress,
    Url,
    SocialHandle,
}

impl PiiKind {
    /// A short description, used in the message shown next to the field.
    pub fn describe(self) -> &'static str {
        match self {
            PiiKind::Email => "an e-mail address",
            PiiKind::Phone => "a phone number",
            PiiKind::Iban => "a bank account number (IBAN)",
            PiiKind::CardNumber => "a payment card number",
            PiiKind::DocumentNumber => "a passport or ID number",
            PiiKind::BirthDate => "a date of birth",
            PiiKind::StreetAddress => "a street address",
            PiiKind::Url => "a web address",
            PiiKind::SocialHandle => "a social media handle",
        }
    }

    /// When two findings start at the same place, the lower rank wins:
    /// validated and specific rules before loose ones.
    fn rank(self) -> u8 {
        match self {
            PiiKind::Email => 0,
            PiiKind::Url => 1,
            PiiKind::Iban => 2,
            PiiKind::CardNumber => 3,
            PiiKind::DocumentNumber => 4,
            PiiKind::BirthDate => 5,
            PiiKind::Phone => 6,
            PiiKind::StreetAddress => 8,
            PiiKind::SocialHandle => 9,
        }
    }
}

/// One identifying fragment found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub fragment: String,
}

impl PiiMatch {
    /// The message shown next to the field, naming the fragment and asking
    /// to rephrase.
    pub fn message(&self) -> String {
        format!(
            "“{}” looks like {}. Remove it or describe it without identifying details.",
            self.fragment,
            self.kind.describe()
        )
    }
}

/// The first identifying detail in `text`, in order of position, or None.
pub fn find_identifying(text: &str) -> Option<PiiMatch> {
    find_all(text).into_iter().next()
}

/// Every identifying detail in `text`, in order of position, non-overlapping.
pub fn find_all(text: &str) -> Vec<PiiMatch> {
    let mut hits = Vec::new();
    detect_emails(text, &mut hits);
    detect_urls(text, &mut hits);
    detect_ibans(text, &mut hits);
    detect_cards(text, &mut hits);
    detect_documents(text, &mut hits);
    detect_birth_dates(text, &mut hits);
    detect_phones(text, &mut hits);
    detect_streets(text, &mut hits);
    detect_handles(text, &mut hits);
    resolve(text, hits)
}

// ---------------------------------------------------------------------------
// Candidates and overlap resolution
// ---------------------------------------------------------------------------

/// A candidate finding: byte range in the text, its kind and its rank.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    kind: PiiKind,
    rank: u8,
}

impl Hit {
    fn new(start: usize, end: usize, kind: PiiKind) -> Self {
        Hit {
            start,
            end,
            kind,
            rank: kind.rank(),
        }
    }
}

/// Keeps non-overlapping findings, earliest first; at the same start the
/// more specific rule (lower rank) and then the longer fragment wins. This
/// way an e-mail is not also reported as a web address, nor an IBAN as a
/// phone number.
fn resolve(text: &str, mut hits: Vec<Hit>) -> Vec<PiiMatch> {
    hits.retain(|h| h.start < h.end && text.get(h.start..h.end).is_some());
    hits.sort_by_key(|h| (h.start, h.rank, std::cmp::Reverse(h.end)));
    let mut out = Vec::new();
    let mut last_end = 0;
    for h in hits {
        if h.start < last_end {
            continue;
        }
        if let Some(fragment) = text.get(h.start..h.end) {
            out.push(PiiMatch {
                kind: h.kind,
                fragment: fragment.to_string(),
            });
            last_end = h.end;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Regex plumbing: a pattern that fails to compile yields no findings instead
// of a panic (the unit test `every_pattern_compiles` guards against that).
// ---------------------------------------------------------------------------

type Pattern = LazyLock<Option<Regex>>;

fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

fn matches<'t>(pattern: &'static Pattern, text: &'t str) -> impl Iterator<Item = Match<'t>> {
    pattern
        .as_ref()
        .into_iter()
        .flat_map(move |re| re.find_iter(text))
}

fn captures<'t>(pattern: &'static Pattern, text: &'t str) -> impl Iterator<Item = Captures<'t>> {
    pattern
        .as_ref()
        .into_iter()
        .flat_map(move |re| re.captures_iter(text))
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

fn char_after(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn digit_count(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

fn letter_count(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

fn starts_uppercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// A four-digit year in the range people are born and notes are written in.
fn is_year(s: &str) -> bool {
    s.len() == 4 && s.parse::<u32>().is_ok_and(|y| (1900..=2099).contains(&y))
}

/// Day, month and year groups that make a calendar date (day-month-year,
/// month-day-year or year-month-day).
fn is_date_triple(a: &str, b: &str, c: &str) -> bool {
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (a_n, b_n, c_n) = (n(a), n(b), n(c));
    let dm = |d: u32, m: u32| (1..=31).contains(&d) && (1..=12).contains(&m);
    if a.len() <= 2 && b.len() <= 2 && is_year(c) {
        return dm(a_n, b_n) || dm(b_n, a_n);
    }
    if is_year(a) && b.len() <= 2 && c.len() <= 2 {
        return dm(c_n, b_n);
    }
    false
}

/// Eight digits that read as ddmmyyyy or yyyymmdd.
fn is_compact_date(digits: &str) -> bool {
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let (Some(a), Some(b), Some(c)) = (digits.get(0..2), digits.get(2..4), digits.get(4..8)) else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits.get(0..4), digits.get(4..6), digits.get(6..8)) else {
        return false;
    };
    is_date_triple(a, b, c) || is_date_triple(y, m, d)
}

/// Splits a run like "+39 (0) 333-123 4567" into digit groups and the
/// separators between them (`seps[i]` lies between `groups[i]` and
/// `groups[i + 1]`).
fn split_groups(s: &str) -> (Vec<String>, Vec<String>) {
    let mut groups: Vec<String> = Vec::new();
    let mut seps: Vec<String> = Vec::new();
    let mut digits = String::new();
    let mut sep = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            if digits.is_empty() && !groups.is_empty() {
                seps.push(std::mem::take(&mut sep));
            }
            sep.clear();
            digits.push(c);
        } else {
            if !digits.is_empty() {
                groups.push(std::mem::take(&mut digits));
            }
            if !groups.is_empty() {
                sep.push(c);
            }
        }
    }
    if !digits.is_empty() {
        groups.push(digits);
    }
    (groups, seps)
}

// ---------------------------------------------------------------------------
// E-mail addresses
// ---------------------------------------------------------------------------

/// A plain address: local part, "@", a domain with at least one dot and a
/// letters-only top-level domain (so "3@4.5" or "@ 10.30" do not match).
static EMAIL: Pattern = LazyLock::new(|| {
    compile(r"\b[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}\b")
});

/// An obfuscated address ("maria at gmail dot com", "maria[at]yahoo[dot]it",
/// "maria (at) libero.it"). It must end in a known top-level domain, which
/// keeps ordinary phrases such as "met at home" out.
static EMAIL_OBFUSCATED: Pattern = LazyLock::new(|| {
    compile(
        r"(?i)\b[\p{L}\p{N}._%+\-]+\s*(?:[\[({<]\s*(?:at|@)\s*[\])}>]|\s+at\s+)\s*[\p{L}\p{N}\-]+(?:\s*(?:[\[({<]\s*(?:dot|\.)\s*[\])}>]|\s+dot\s+|\.)\s*[\p{L}\p{N}\-]+)*?\s*(?:[\[({<]\s*(?:dot|\.)\s*[\])}>]|\s+dot\s+|\.)\s*(?:com|net|org|info|biz|eu|it|es|uk|fr|de|io|me|ng|gh|ro|al|ru|ua)\b",
    )
});

fn detect_emails(text: &str, hits: &mut Vec<Hit>) {
    for m in matches(&EMAIL, text).chain(matches(&EMAIL_OBFUSCATED, text)) {
        hits.push(Hit::new(m.start(), m.end(), PiiKind::Email));
    }
}

// ---------------------------------------------------------------------------
// Web addresses
// ---------------------------------------------------------------------------

/// Anything that starts with a scheme or "www." is a web address.
static URL_SCHEME: Pattern =
    LazyLock::new(|| compile(r#"(?i)\b(?:https?://|www\.)[^\s<>"'“”‘’\[\]{}|\\^`]+"#));

/// A bare domain ("example.com/path", "t.me/xyz"). Only a short list of
/// common top-level domains, written in lower case, is accepted, so
/// abbreviations ("e.g.", "etc.", "a.m.") and a missing space after a full
/// stop ("home.It was late") do not match.
static URL_BARE: Pattern = LazyLock::new(|| {
    compile(
        r#"\b(?i:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:com|net|org|info|biz|io|me|co|tv|app|dev|xyz|online|site|club|live|link|ly|eu|it|es|uk|fr|ng|gh|ro|ua|ru|pt|nl|ch|pl|br|ar|mx|ca|cat|ie)\b(?:/[^\s<>"'“”‘’]*)?"#,
    )
});

/// Naming a big platform ("she has a gmail.com account") says nothing about
/// who she is; a path or a sub-domain on it does.
const GENERIC_DOMAINS: &[&str] = &[
    "facebook.com",
    "instagram.com",
    "tiktok.com",
    "twitter.com",
    "x.com",
    "youtube.com",
    "whatsapp.com",
    "telegram.org",
    "gmail.com",
    "google.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "libero.it",
    "onlyfans.com",
    "linkedin.com",
    "snapchat.com",
];

/// Strips sentence punctuation that follows a web address.
fn trim_url_end(text: &str, start: usize, mut end: usize) -> usize {
    while end > start {
        match char_before(text, end) {
            Some(c) if ".,;:!?)]}'\"»”’".contains(c) => end -= c.len_utf8(),
            _ => break,
        }
    }
    end
}

fn detect_urls(text: &str, hits: &mut Vec<Hit>) {
    for m in matches(&URL_SCHEME, text) {
        let end = trim_url_end(text, m.start(), m.end());
        hits.push(Hit::new(m.start(), end, PiiKind::Url));
    }
    for m in matches(&URL_BARE, text) {
        if char_before(text, m.start()) == Some('@') {
            continue; // the domain of an e-mail address
        }
        let end = trim_url_end(text, m.start(), m.end());
        let Some(found) = text.get(m.start()..end) else {
            continue;
        };
        if GENERIC_DOMAINS.contains(&found.to_lowercase().as_str()) {
            continue;
        }
        hits.push(Hit::new(m.start(), end, PiiKind::Url));
    }
}

// ---------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------

/// Country code, two check digits and 11–30 letters or digits, with optional
/// spaces or dashes. The regex may run into the next word; the length table
/// and the mod-97 checksum decide where the IBAN really ends, and random
/// text passes the checksum only about once in a hundred.
static IBAN: Pattern = LazyLock::new(|| compile(r"(?i)\b[a-z]{2}\d{2}(?:[ \-]?[a-z0-9]){11,30}\b"));

/// IBAN length per country, for the countries most likely to appear.
fn iban_length(country: &str) -> Option<usize> {
    let len = match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "LT" | "LU" | "XK" => 20,
        "CH" | "HR" | "LI" | "LV" => 21,
        "BG" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" | "VA" => 22,
        "AD" | "CZ" | "ES" | "MD" | "RO" | "SE" | "SK" => 24,
        "PT" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "SM" => 27,
        "AL" | "CY" | "HU" | "PL" => 28,
        "UA" => 29,
        "MT" => 31,
        _ => return None,
    };
    Some(len)
}

/// The ISO 13616 check: move the first four characters to the end, turn
/// letters into 10..35 and the number must leave 1 modulo 97.
fn iban_checksum_ok(chars: &[char]) -> bool {
    if chars.len() < 15 {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in chars[4..].iter().chain(chars[..4].iter()) {
        if let Some(d) = c.to_digit(10) {
            rem = (rem * 10 + d) % 97;
        } else if c.is_ascii_uppercase() {
            rem = (rem * 100 + (c as u32 - 'A' as u32 + 10)) % 97;
        } else {
            return false;
        }
    }
    rem == 1
}

fn detect_ibans(text: &str, hits: &mut Vec<Hit>) {
    for m in matches(&IBAN, text) {
        // Alphanumeric characters with the byte offset just after each, and
        // whether the next one is glued to it (no space in between).
        let mut chars: Vec<char> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut glued_to_next: Vec<bool> = Vec::new();
        let mut prev_was_char = false;
        for (i, c) in m.as_str().char_indices() {
            if c.is_ascii_alphanumeric() {
                if let (true, Some(g)) = (prev_was_char, glued_to_next.last_mut()) {
                    *g = true;
                }
                chars.push(c.to_ascii_uppercase());
                ends.push(m.start() + i + c.len_utf8());
                glued_to_next.push(false);
                prev_was_char = true;
            } else {
                prev_was_char = false;
            }
        }
        let country: String = chars.iter().take(2).collect();
        let lengths: Vec<usize> = match iban_length(&country) {
            Some(len) => vec![len],
            None => (15..=34).rev().collect(),
        };
        for len in lengths {
            if len > chars.len() {
                continue;
            }
            // The IBAN must end at a break, not in the middle of a word.
            if glued_to_next.get(len - 1).copied().unwrap_or(false) {
                continue;
            }
            let end = ends.get(len - 1).copied();
            if let (true, Some(end)) = (iban_checksum_ok(&chars[..len]), end) {
                hits.push(Hit::new(m.start(), end, PiiKind::Iban));
                break;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Payment cards
// ---------------------------------------------------------------------------

/// 13–19 digits with optional single spaces or dashes.
static CARD: Pattern = LazyLock::new(|| compile(r"\b\d(?:[ \-]?\d){12,18}\b"));

fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

fn detect_cards(text: &str, hits: &mut Vec<Hit>) {
    for m in matches(&CARD, text) {
        if char_before(text, m.start()) == Some('+') {
            continue; // an international phone number
        }
        let (groups, _) = split_groups(m.as_str());
        let digits = groups.concat();
        let sizes: Vec<usize> = groups.iter().map(String::len).collect();
        // Card networks start with 2–6 (Mastercard, Amex, Visa, Maestro,
        // Discover); phone numbers usually start with 0 or a "+".
        let network = digits.starts_with(['2', '3', '4', '5', '6']);
        // Printed layouts: one block, blocks of four, or Amex 4-6-5.
        let layout = match sizes.as_slice() {
            [_] | [4, 6, 5] | [4, 6, 4] => true,
            [init @ .., last] => init.iter().all(|&s| s == 4) && (1..=4).contains(last),
            [] => false,
        };
        if (13..=19).contains(&digits.len()) && network && layout && luhn_ok(&digits) {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::CardNumber));
        }
    }
}

// ---------------------------------------------------------------------------
// Passport, ID and other document numbers
// ---------------------------------------------------------------------------

/// Italian codice fiscale: 6 letters (surname, name), year, month letter,
/// day, municipality code, check letter. Digits may be replaced by letters
/// (omocodia), so at least three real digits are required.
static CODICE_FISCALE: Pattern = LazyLock::new(|| {
    compile(
        r"(?i)\b[a-z]{6}[0-9lmnpqrstuv]{2}[abcdehlmprst][0-9lmnpqrstuv]{2}[a-z][0-9lmnpqrstuv]{3}[a-z]\b",
    )
});

/// Spanish DNI: eight digits and a check letter.
static DNI: Pattern = LazyLock::new(|| compile(r"\b(\d{8})([ \-]?)([A-Za-z])\b"));

/// Spanish NIE: X, Y or Z, seven digits and a check letter.
static NIE: Pattern = LazyLock::new(|| compile(r"\b([XYZxyz])([ \-]?)(\d{7})([ \-]?)([A-Za-z])\b"));

/// Any 6–12 character code of letters and digits; the checks in
/// `looks_like_code` keep "COVID19", "A2", "3rd" or "1500euros" out.
static CODE_TOKEN: Pattern = LazyLock::new(|| compile(r"\b[A-Za-z0-9]{6,12}\b"));

/// Passport numbers written with a space ("AA 1234567"): two or three
/// capital letters and 6–9 digits.
static SPACED_CODE: Pattern = LazyLock::new(|| compile(r"\b([A-Z]{2,3})[ \-]\d{6,9}\b"));

/// Capital words that, before a number, are a label or a currency rather
/// than the start of a passport number.
const SPACED_CODE_PREFIXES: &[&str] = &[
    "ID", "NI", "CF", "NR", "NO", "TEL", "CEL", "DNI", "NIE", "TIE", "NIF", "SSN", "NIN", "REF",
    "EUR", "USD", "GBP", "CHF", "NGN", "RON", "ALL",
];

/// A code after a document keyword ("passport YA1234567", "DNI: 12345678Z",
/// "permesso di soggiorno n. I0123456"). The generic "n." / "nr." / "numero"
/// are keywords too, but only for longer codes.
static DOC_KEYWORD: Pattern = LazyLock::new(|| {
    compile(
        r"(?x)
        (?:
            \b(?i:passport|passaporto|pasaporte
                |carta\s+d['’]\s?identit[àa]|carta\s+di\s+identit[àa]
                |documento(?:\s+di\s+identit[àa]|\s+de\s+identidad|\s+nacional\s+de\s+identidad)?
                |permesso\s+di\s+soggiorno|permiso\s+de\s+residencia|tarjeta\s+de\s+residencia
                |residence\s+permit|document\s+number|identity\s+card|id\s+card
                |codice\s+fiscale|tessera\s+sanitaria|tarjeta\s+sanitaria
                |national\s+insurance(?:\s+number)?|social\s+security(?:\s+number)?)\b
          | \b(?:ID|DNI|NIE|TIE|NIF|CF|SSN|NIN)\b
          | (?P<generic>\b(?i:n|nr|num|núm|no)\.|\b(?i:n)[º°]|\b(?i:numero|número)\b)
        )
        (?:\s*(?:(?i:number|numero|número|nr|num|núm|no|n)(?:\.|\b)|(?i:n)[º°]|\#|:|-|=))*
        \s*
        (?P<code>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\b
        ",
    )
});

/// The check letter of a Spanish DNI/NIE number.
fn dni_letter(number: u32) -> Option<char> {
    "TRWAGMYFPDXBNJZSQVHLCKE"
        .chars()
        .nth((number % 23) as usize)
}

/// A mixed code of letters and digits, like a passport number.
fn looks_like_code(token: &str) -> bool {
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    let digits = digit_count(token);
    if letters < 2 || digits < 4 {
        return false;
    }
    // "1500euros", "2000km": a number followed by a unit, not a code.
    let first_letter = token.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(0);
    let number_then_word = token.starts_with(|c: char| c.is_ascii_digit())
        && token
            .get(first_letter..)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_alphabetic()));
    !number_then_word
}

fn detect_documents(text: &str, hits: &mut Vec<Hit>) {
    for m in matches(&CODICE_FISCALE, text) {
        if digit_count(m.as_str()) >= 3 {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::DocumentNumber));
        }
    }
    for c in captures(&DNI, text) {
        let (Some(all), Some(num), Some(sep), Some(letter)) =
            (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let valid = num
            .as_str()
            .parse::<u32>()
            .ok()
            .and_then(dni_letter)
            .is_some_and(|l| letter.as_str().eq_ignore_ascii_case(&l.to_string()));
        // A valid check letter in any form, or the usual "12345678Z".
        if valid || (sep.as_str().is_empty() && starts_uppercase(letter.as_str())) {
            hits.push(Hit::new(all.start(), all.end(), PiiKind::DocumentNumber));
        }
    }
    for c in captures(&NIE, text) {
        let (Some(all), Some(prefix), Some(num), Some(letter)) =
            (c.get(0), c.get(1), c.get(3), c.get(5))
        else {
            continue;
        };
        let lead = match prefix.as_str().to_ascii_uppercase().as_str() {
            "X" => "0",
            "Y" => "1",
            _ => "2",
        };
        let valid = format!("{lead}{}", num.as_str())
            .parse::<u32>()
            .ok()
            .and_then(dni_letter)
            .is_some_and(|l| letter.as_str().eq_ignore_ascii_case(&l.to_string()));
        let plain = all.as_str().chars().all(|ch| ch.is_ascii_alphanumeric())
            && starts_uppercase(prefix.as_str())
            && starts_uppercase(letter.as_str());
        if valid || plain {
            hits.push(Hit::new(all.start(), all.end(), PiiKind::DocumentNumber));
        }
    }
    for m in matches(&CODE_TOKEN, text) {
        if looks_like_code(m.as_str()) {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::DocumentNumber));
        }
    }
    for c in captures(&SPACED_CODE, text) {
        let (Some(all), Some(prefix)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if !SPACED_CODE_PREFIXES.contains(&prefix.as_str()) {
            hits.push(Hit::new(all.start(), all.end(), PiiKind::DocumentNumber));
        }
    }
    for c in captures(&DOC_KEYWORD, text) {
        let Some(code) = c.name("code") else {
            continue;
        };
        let s = code.as_str();
        let digits = digit_count(s);
        let all_digits = digits == s.chars().count();
        let generic = c.name("generic").is_some();
        let enough = if generic {
            // "seduta n. 3" is a counter; "pratica n. 123456" is a file number.
            digits >= 4 && s.len() >= 5
        } else {
            // "ID 12345", "passport YA12", not "passport 2023" (a year).
            digits >= 4 || (s.len() >= 6 && digits >= 2)
        };
        if !enough || (all_digits && is_year(s)) {
            continue;
        }
        let mut hit = Hit::new(code.start(), code.end(), PiiKind::DocumentNumber);
        if generic && all_digits {
            // "tel. n. 3331234567": let the phone rule name it if it can.
            hit.rank = PiiKind::Phone.rank() + 1;
        }
        hits.push(hit);
    }
}

// ---------------------------------------------------------------------------
// Dates of birth
// ---------------------------------------------------------------------------

/// A full numeric date: d/m/y, d.m.y, d-m-y, "d m yyyy" or y-m-d.
static DATE_NUMERIC: Pattern = LazyLock::new(|| {
    compile(
        r"\b(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|\d{1,2} \d{1,2} \d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2})\b",
    )
});

const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|gen|mag|giu|lug|ago|set|ott|dic|enero|febrero|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|ene|abr";

/// "12 March 1990", "1° marzo 1990", "12 de marzo de 1990".
static DATE_DAY_MONTH: Pattern = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|º|°|ª)?\s+(?:de\s+|of\s+)?(?:{MONTHS})\.?,?\s+(?:del?\s+)?\d{{4}}\b"
    ))
});

/// "March 12, 1990", "March 12th 1990".
static DATE_MONTH_DAY: Pattern = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b(?:{MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    ))
});

/// Words that put a date in a birth context, in English, Italian, Spanish.
static BIRTH_WORD: Pattern = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:born|birth\w*|dob|d\.\s?o\.\s?b|nat[aoie]|nascita|compleanno|nacid[ao]s?|naci[óo]|nacimiento|nac|fdn|f\.\s?d\.\s?n|cumpleaños)\b",
    )
});

/// Words between a birth word and a date that tie the date to something
/// else ("born in Lagos, arrived 12/03/2015", "date of birth unknown,
/// entered the shelter on 12/03/2024").
static OTHER_EVENT: Pattern = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:unknown|not\s+known|arriv\w*|entered|moved|appointment|visit\w*|meeting|hearing|sconosciut\w*|ignot\w*|non\s+not\w*|arrivat\w*|ingress\w*|appuntament\w*|colloqui\w*|udienza|desconocid\w*|lleg\w*|ingres\w*|cita|entrevista)\b",
    )
});

/// How far (in characters) a birth word may be from the date.
const BIRTH_CONTEXT_CHARS: usize = 40;

/// A new sentence, line or clause between the birth word and the date means
/// they are not about the same thing ("born in 1990. Next visit 12/03/2025").
fn has_sentence_break(between: &str) -> bool {
    let chars: Vec<char> = between.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| match c {
        '\n' | ';' | '!' | '?' => true,
        '.' => {
            let rest: Vec<&char> = chars[i + 1..]
                .iter()
                .skip_while(|c| c.is_whitespace())
                .collect();
            i + 1 < chars.len()
                && chars[i + 1].is_whitespace()
                && rest.first().is_some_and(|c| c.is_uppercase())
        }
        _ => false,
    })
}

fn in_birth_context(text: &str, start: usize, end: usize, birth_words: &[(usize, usize)]) -> bool {
    birth_words.iter().any(|&(bs, be)| {
        let between = if be <= start {
            text.get(be..start)
        } else if bs >= end {
            text.get(end..bs)
        } else {
            return false;
        };
        between.is_some_and(|b| {
            b.chars().count() <= BIRTH_CONTEXT_CHARS
                && !has_sentence_break(b)
                && matches(&OTHER_EVENT, b).next().is_none()
        })
    })
}

fn detect_birth_dates(text: &str, hits: &mut Vec<Hit>) {
    let birth_words: Vec<(usize, usize)> = matches(&BIRTH_WORD, text)
        .map(|m| (m.start(), m.end()))
        .collect();
    if birth_words.is_empty() {
        return; // a date alone (an appointment) is fine
    }
    let mut dates: Vec<(usize, usize)> = Vec::new();
    for m in matches(&DATE_NUMERIC, text) {
        let (groups, _) = split_groups(m.as_str());
        if let [a, b, c] = groups.as_slice() {
            let two_digit_year = c.len() == 2 && a.len() <= 2 && b.len() <= 2;
            let valid = if two_digit_year {
                let n = |s: &str| s.parse::<u32>().unwrap_or(0);
                ((1..=31).contains(&n(a)) && (1..=12).contains(&n(b)))
                    || ((1..=12).contains(&n(a)) && (1..=31).contains(&n(b)))
            } else {
                is_date_triple(a, b, c)
            };
            if valid {
                dates.push((m.start(), m.end()));
            }
        }
    }
    for c in captures(&DATE_DAY_MONTH, text).chain(captures(&DATE_MONTH_DAY, text)) {
        let (Some(all), Some(day)) = (c.get(0), c.name("d")) else {
            continue;
        };
        if day
            .as_str()
            .parse::<u32>()
            .is_ok_and(|d| (1..=31).contains(&d))
        {
            dates.push((all.start(), all.end()));
        }
    }
    for (start, end) in dates {
        if in_birth_context(text, start, end, &birth_words) {
            hits.push(Hit::new(start, end, PiiKind::BirthDate));
        }
    }
}

// ---------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------

/// A run of digit groups separated by single spaces, dots or dashes, with an
/// optional "+" or "(+39)" in front and "(0)" / "(555)" groups. The checks
/// in `plausible_phone` then need 8–15 digits and reject dates, years,
/// times, amounts and toll-free service lines.
static PHONE: Pattern =
    LazyLock::new(|| compile(r"(?:\+ ?|\(\+?|\b)\d+(?:\) ?\d+)?(?:[ .\-]\(?\d+(?:\) ?\d+)?)*"));

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

fn detect_phones(text: &str, hits: &mut Vec<Hit>) {
    for m in matches(&PHONE, text) {
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

// ---------------------------------------------------------------------------
// Street addresses
// ---------------------------------------------------------------------------

/// English order: house number, capitalised street name, street type
/// ("12 Baker Street", "221B Baker St", "Flat 3, 45 High Road"). The name
/// must be capitalised, so "2 young street workers" does not match. "Court"
/// is left out because of "Family Court".
static STREET_EN: Pattern = LazyLock::new(|| {
    compile(
        r"\b(?:(?i:flat|apartment|apt|unit)\.?\s+\d{1,4}[A-Za-z]?,?\s+)?(?P<num>\d{1,4})[A-Za-z]?,?\s+(?:\p{Lu}[\p{L}'’\-]*\s+){1,3}(?i:street|road|avenue|lane|drive|close|place|square|terrace|crescent|grove|gardens|boulevard|way|mews|st|rd|ave|ln|blvd)\b",
    )
});

/// Italian and Spanish order: street type, name, house number ("Via Roma
/// 12", "via Garibaldi, 5", "C/ Alcalá 23", "Avenida de la Constitución
/// 12"). A street word alone ("in strada", "la calle") has no number and
/// passes; `plausible_romance_street` handles "via" as an English word.
static STREET_ROMANCE: Pattern = LazyLock::new(|| {
    compile(
        r"\b(?P<type>(?i:via|viale|corso|piazza|piazzale|largo|vicolo|strada|contrada|lungomare|borgo|calle|avenida|plaza|paseo|camino|carretera|ronda|traves[ií]a|glorieta|rambla)\b|(?i:v\.le|c\.so|p\.zza|p\.za|c/|avda\.|av\.|pza\.|ctra\.|pº|p\.º))\s*(?P<name>\p{L}[\p{L}'’\-]*\.?(?:\s+\p{L}[\p{L}'’\-]*\.?){0,3})\s*,?\s*(?:(?i:nº|n°|n\.|no\.|num\.|núm\.)\s*)?(?P<num>\d{1,4})(?:[A-Za-z]\b|\s?/\s?[A-Za-z0-9]{1,3}\b)?",
    )
});

/// Street types that mean nothing else, so a lower-case name is accepted.
const UNAMBIGUOUS_STREET_TYPES: &[&str] = &[
    "viale",
    "v.le",
    "c.so",
    "piazzale",
    "p.za",
    "p.zza",
    "vicolo",
    "lungomare",
    "contrada",
    "avenida",
    "avda.",
    "av.",
    "pza.",
    "ctra.",
    "c/",
    "pº",
    "p.º",
    "glorieta",
    "travesía",
    "travesia",
    "rambla",
    "carretera",
];

/// Small words inside street names ("Via dei Mille", "Paseo de Gracia").
const STREET_PARTICLES: &[&str] = &[
    "di", "de", "del", "della", "dei", "degli", "delle", "dello", "da", "dal", "dalla", "la",
    "las", "los", "el", "le", "lo", "san", "santa", "santo", "s.",
];

/// "contacted via WhatsApp 3 times": channels, not streets.
const NOT_STREET_NAMES: &[&str] = &[
    "whatsapp",
    "facebook",
    "telegram",
    "skype",
    "zoom",
    "teams",
    "messenger",
    "instagram",
    "signal",
    "viber",
    "email",
    "e-mail",
    "mail",
    "phone",
    "telephone",
    "telefono",
    "teléfono",
    "sms",
    "text",
    "google",
    "meet",
    "internet",
    "web",
    "app",
    "chat",
    "post",
    "posta",
    "correo",
    "video",
    "videocall",
    "the",
    "a",
    "an",
    "her",
    "his",
    "their",
];

/// Words after the number that make it a count, not a house number
/// ("vivió en la calle Mayor 5 años").
const COUNT_WORDS: &[&str] = &[
    "times",
    "time",
    "volte",
    "volta",
    "veces",
    "vez",
    "days",
    "day",
    "giorni",
    "giorno",
    "días",
    "dias",
    "día",
    "dia",
    "hours",
    "hour",
    "ore",
    "ora",
    "horas",
    "hora",
    "weeks",
    "week",
    "settimane",
    "settimana",
    "semanas",
    "semana",
    "months",
    "month",
    "mesi",
    "mese",
    "meses",
    "mes",
    "years",
    "year",
    "anni",
    "anno",
    "años",
    "año",
    "anos",
    "sessions",
    "session",
    "sedute",
    "seduta",
    "sesiones",
    "sesión",
    "people",
    "persone",
    "personas",
    "children",
    "kids",
    "figli",
    "figlie",
    "hijos",
    "hijas",
    "women",
    "donne",
    "mujeres",
    "girls",
    "ragazze",
    "chicas",
    "euro",
    "euros",
    "eur",
    "minutes",
    "minuti",
    "minutos",
    "min",
    "am",
    "pm",
    "h",
    "x",
];

fn plausible_romance_street(text: &str, c: &Captures<'_>) -> bool {
    let (Some(kind), Some(name), Some(num)) = (c.name("type"), c.name("name"), c.name("num"))
    else {
        return false;
    };
    // A four-digit year is not a house number ("corso di italiano 2024").
    if is_year(num.as_str()) {
        return false;
    }
    let end = c.get(0).map_or(num.end(), |m| m.end());
    // "12345" cut to "1234", "14:30", "45%", "3,5": not a house number.
    match char_after(text, end) {
        Some(ch) if ch.is_alphanumeric() || ch == ':' || ch == '%' => return false,
        Some(',' | '.')
            if text
                .get(end + 1..)
                .and_then(|r| r.chars().next())
                .is_some_and(|d| d.is_ascii_digit()) =>
        {
            return false;
        }
        _ => {}
    }
    let next_word: String = text
        .get(end..)
        .unwrap_or("")
        .trim_start()
        .chars()
        .take_while(|ch| ch.is_alphanumeric() || *ch == '€')
        .collect::<String>()
        .to_lowercase();
    if COUNT_WORDS.contains(&next_word.as_str()) || next_word.starts_with('€') {
        return false;
    }
    // The first word of the name that is not a particle.
    let content = name.as_str().split_whitespace().find(|w| {
        let lw = w.to_lowercase();
        !STREET_PARTICLES.contains(&lw.as_str())
    });
    let Some(content) = content else {
        return false;
    };
    // "dell'Amore", "d'Azeglio": look at the word after the apostrophe.
    let core = content.rsplit(['\'', '’']).next().unwrap_or(content);
    if NOT_STREET_NAMES.contains(&core.trim_end_matches('.').to_lowercase().as_str()) {
        return false;
    }
    let kind_lower = kind.as_str().to_lowercase();
    // "c/o Caritas": care of, not calle.
    if kind_lower == "c/" && name.as_str().to_lowercase().starts_with("o ") {
        return false;
    }
    // Street names are capitalised ("via Roma 12"); a lower-case word after
    // "via", "piazza", "plaza" is ordinary prose ("via phone 3 times",
    // "Piazza con 3 amiche", "plaza de acogida 3"). Only types that mean
    // nothing else accept a lower-case name ("viale monza 100").
    starts_uppercase(core) || UNAMBIGUOUS_STREET_TYPES.contains(&kind_lower.as_str())
}

fn detect_streets(text: &str, hits: &mut Vec<Hit>) {
    for c in captures(&STREET_EN, text) {
        let (Some(all), Some(num)) = (c.get(0), c.name("num")) else {
            continue;
        };
        if !is_year(num.as_str()) {
            hits.push(Hit::new(all.start(), all.end(), PiiKind::StreetAddress));
        }
    }
    for c in captures(&STREET_ROMANCE, text) {
        let Some(all) = c.get(0) else {
            continue;
        };
        if plausible_romance_street(text, &c) {
            hits.push(Hit::new(all.start(), all.end(), PiiKind::StreetAddress));
        }
    }
}

// ---------------------------------------------------------------------------
// Social media handles
// ---------------------------------------------------------------------------

/// "@name" not preceded by a word character (that would be an e-mail).
static HANDLE_AT: Pattern = LazyLock::new(|| {
    compile(r"(?:^|[^\p{L}\p{N}_.@/\\])(@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)")
});

/// A platform name followed by a handle: "instagram: maria_88",
/// "telegram @x", "tiktok user x", "su TikTok come maria_88".
static HANDLE_PLATFORM: Pattern = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:instagram|insta|ig|facebook|fb|telegram|tg|tiktok|tik\s?tok|snapchat|snap|twitter|whatsapp|onlyfans|viber|skype|kik|linkedin|vkontakte|vk|messenger|tinder|badoo|signal)\b[ \t]*(?P<kw>(?:user(?:name)?|handle|nick(?:name)?|usuario|utente|nome\s+utente|nombre\s+de\s+usuario|name|nome|nombre|id|account|profile|profilo|perfil|cuenta|page|pagina|página)\b[ \t]*)?(?:[:=\-–][ \t]*|(?:is|è|es|come|como|as)[ \t]+)?(?P<h>@?[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)",
    )
});

/// A word with an underscore between letters or digits ("maria_88") is a
/// user name; ordinary prose never has one.
static HANDLE_UNDERSCORE: Pattern =
    LazyLock::new(|| compile(r"\b[\p{L}\p{N}]+(?:_+[\p{L}\p{N}]+)+\b"));

/// Keywords after a platform name that introduce the user name itself.
const NAME_KEYWORDS: &[&str] = &[
    "user", "username", "handle", "nick", "nickname", "usuario", "utente", "name", "nome",
    "nombre", "id",
];

/// Words that follow "instagram user ..." without being a handle.
const NOT_HANDLES: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "not",
    "no",
    "and",
    "or",
    "the",
    "a",
    "an",
    "è",
    "e",
    "es",
    "el",
    "la",
    "il",
    "lo",
    "di",
    "de",
    "del",
    "che",
    "que",
    "non",
    "unknown",
    "sconosciuto",
    "desconocido",
    "deleted",
    "blocked",
    "closed",
];

/// A handle that mixes in digits, underscores or dots ("maria_88"), but not
/// a count with a unit ("2x", "3rd", "10min").
fn handle_like(s: &str) -> bool {
    let number_then_unit = s.starts_with(|c: char| c.is_ascii_digit())
        && s.trim_start_matches(|c: char| c.is_ascii_digit())
            .chars()
            .all(char::is_alphabetic);
    letter_count(s) >= 2
        && !number_then_unit
        && s.chars()
            .any(|c| c.is_ascii_digit() || c == '_' || c == '.')
}

/// "@home", "@shelter": "@" used for "at" before a place.
const AT_PLACES: &[&str] = &[
    "home", "work", "school", "shelter", "office", "casa", "lavoro", "scuola", "ufficio",
    "trabajo", "escuela", "oficina", "centre", "center", "centro",
];

/// "@3pm", "@10.30": a time written with "@", not a handle.
fn time_like(s: &str) -> bool {
    let lower = s.to_lowercase();
    let rest = lower.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ':');
    rest.len() < lower.len() && matches!(rest, "" | "am" | "pm" | "h")
}

fn detect_handles(text: &str, hits: &mut Vec<Hit>) {
    for c in captures(&HANDLE_AT, text) {
        let Some(h) = c.get(1) else {
            continue;
        };
        let name = h.as_str().trim_start_matches('@');
        if name.chars().count() >= 2
            && letter_count(name) >= 1
            && !time_like(name)
            && !AT_PLACES.contains(&name.to_lowercase().as_str())
        {
            hits.push(Hit::new(h.start(), h.end(), PiiKind::SocialHandle));
        }
    }
    for c in captures(&HANDLE_PLATFORM, text) {
        let Some(h) = c.name("h") else {
            continue;
        };
        let s = h.as_str();
        let name_keyword = c.name("kw").is_some_and(|k| {
            let k = k
                .as_str()
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            NAME_KEYWORDS.contains(&k.as_str())
        });
        let accept = if let Some(name) = s.strip_prefix('@') {
            !name.is_empty() && !time_like(name)
        } else if handle_like(s) {
            true
        } else {
            // "tiktok user maria": a plain word only after an explicit
            // user-name keyword, and not a function word.
            name_keyword
                && letter_count(s) >= 1
                && !NOT_HANDLES.contains(&s.to_lowercase().as_str())
        };
        if accept {
            hits.push(Hit::new(h.start(), h.end(), PiiKind::SocialHandle));
        }
    }
    for m in matches(&HANDLE_UNDERSCORE, text) {
        if letter_count(m.as_str()) >= 1 {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::SocialHandle));
        }
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that the first finding in `text` has `kind` and is exactly
    /// `fragment`.
    fn assert_caught(text: &str, kind: PiiKind, fragment: &str) {
        let expected = PiiMatch {
            kind,
            fragment: fragment.to_string(),
        };
        assert_eq!(find_identifying(text), Some(expected), "in text: {text:?}");
    }

    fn assert_all_caught(cases: &[(&str, &str)], kind: PiiKind) {
        for (text, fragment) in cases {
            assert_caught(text, kind, fragment);
        }
    }

    fn assert_all_pass(notes: &[&str]) {
        let flagged: Vec<String> = notes
            .iter()
            .filter_map(|n| find_identifying(n).map(|m| format!("{n:?} -> {m:?}")))
            .collect();
        assert!(
            flagged.is_empty(),
            "wrongly flagged:\n{}",
            flagged.join("\n")
        );
    }

    #[test]
    fn every_pattern_compiles() {
        let patterns: [(&str, &Pattern); 22] = [
            ("EMAIL", &EMAIL),
            ("EMAIL_OBFUSCATED", &EMAIL_OBFUSCATED),
            ("URL_SCHEME", &URL_SCHEME),
            ("URL_BARE", &URL_BARE),
            ("IBAN", &IBAN),
            ("CARD", &CARD),
            ("CODICE_FISCALE", &CODICE_FISCALE),
            ("DNI", &DNI),
            ("NIE", &NIE),
            ("CODE_TOKEN", &CODE_TOKEN),
            ("SPACED_CODE", &SPACED_CODE),
            ("DOC_KEYWORD", &DOC_KEYWORD),
            ("DATE_NUMERIC", &DATE_NUMERIC),
            ("DATE_DAY_MONTH", &DATE_DAY_MONTH),
            ("DATE_MONTH_DAY", &DATE_MONTH_DAY),
            ("BIRTH_WORD", &BIRTH_WORD),
            ("OTHER_EVENT", &OTHER_EVENT),
            ("PHONE", &PHONE),
            ("STREET_EN", &STREET_EN),
            ("STREET_ROMANCE", &STREET_ROMANCE),
            ("HANDLE_AT", &HANDLE_AT),
            ("HANDLE_PLATFORM", &HANDLE_PLATFORM),
        ];
        for (name, pattern) in patterns {
            assert!(pattern.is_some(), "pattern {name} does not compile");
        }
        assert!(
            HANDLE_UNDERSCORE.is_some(),
            "pattern HANDLE_UNDERSCORE does not compile"
        );
    }

    #[test]
    fn email_addresses_are_caught_in_english_italian_and_spanish_notes() {
        assert_all_caught(
            &[
                (
                    "write to maria.rossi88@gmail.com for news",
                    "maria.rossi88@gmail.com",
                ),
                ("la sua email è giulia_b@libero.it.", "giulia_b@libero.it"),
                (
                    "su correo es ana.lopez@hotmail.es, escribir",
                    "ana.lopez@hotmail.es",
                ),
                (
                    "contact: J.Smith+shelter@example.co.uk",
                    "J.Smith+shelter@example.co.uk",
                ),
            ],
            PiiKind::Email,
        );
    }

    #[test]
    fn obfuscated_email_addresses_are_caught() {
        assert_all_caught(
            &[
                (
                    "her mail is maria at gmail dot com",
                    "maria at gmail dot com",
                ),
                (
                    "scrivere a giulia[at]yahoo[dot]it",
                    "giulia[at]yahoo[dot]it",
                ),
                ("correo: ana (at) hotmail.es", "ana (at) hotmail.es"),
            ],
            PiiKind::Email,
        );
    }

    #[test]
    fn phone_numbers_are_caught_in_international_and_local_formats() {
        assert_all_caught(
            &[
                ("call her on +39 333 1234567 after 6pm", "+39 333 1234567"),
                ("móvil +34 612 34 56 78", "+34 612 34 56 78"),
                ("office +44 20 7946 0958.", "+44 20 7946 0958"),
                ("from abroad 0044 20 7946 0958", "0044 20 7946 0958"),
                ("UK mobile +44 (0) 7700 900123", "+44 (0) 7700 900123"),
                ("her number is 333-123-4567", "333-123-4567"),
                ("cell 333.123.4567", "333.123.4567"),
                ("tel. casa 06 1234 5678", "06 1234 5678"),
                ("US number (555) 123-4567", "(555) 123-4567"),
                ("su móvil es 612 34 56 78", "612 34 56 78"),
                ("numero 0612345678", "0612345678"),
                ("cellulare 3331234567", "3331234567"),
                ("French number 06 12 34 56 78", "06 12 34 56 78"),
                ("Tel: 020 7946 0958", "020 7946 0958"),
                ("ring 07700 900123", "07700 900123"),
                ("teléfono: 612345678", "612345678"),
            ],
            PiiKind::Phone,
        );
    }

    #[test]
    fn ibans_with_a_valid_checksum_are_caught() {
        assert_all_caught(
            &[
                (
                    "salary paid to IT60 X054 2811 1010 0000 0123 456 every month",
                    "IT60 X054 2811 1010 0000 0123 456",
                ),
                (
                    "IBAN: IT60X0542811101000000123456.",
                    "IT60X0542811101000000123456",
                ),
                (
                    "cuenta ES91 2100 0418 4502 0005 1332 del banco",
                    "ES91 2100 0418 4502 0005 1332",
                ),
                (
                    "account GB29 NWBK 6016 1331 9268 19",
                    "GB29 NWBK 6016 1331 9268 19",
                ),
            ],
            PiiKind::Iban,
        );
    }

    #[test]
    fn iban_shaped_text_with_a_wrong_checksum_is_not_an_iban() {
        for text in [
            "IT61 X054 2811 1010 0000 0123 456",
            "ES92 2100 0418 4502 0005 1332",
        ] {
            assert!(
                find_all(text).iter().all(|m| m.kind != PiiKind::Iban),
                "{text:?} -> {:?}",
                find_all(text)
            );
        }
    }

    #[test]
    fn card_numbers_passing_luhn_are_caught() {
        assert_all_caught(
            &[
                (
                    "paid with 4111 1111 1111 1111 yesterday",
                    "4111 1111 1111 1111",
                ),
                ("carta 5500-0000-0000-0004", "5500-0000-0000-0004"),
                ("tarjeta 4111111111111111", "4111111111111111"),
                ("amex 3782 822463 10005", "3782 822463 10005"),
            ],
            PiiKind::CardNumber,
        );
    }

    #[test]
    fn card_shaped_numbers_failing_luhn_pass() {
        assert_all_pass(&[
            "reference 4111 1111 1111 1112",
            "ticket 1234 5678 9012 3456 7",
        ]);
    }

    #[test]
    fn document_numbers_are_caught_by_their_shape() {
        assert_all_caught(
            &[
                ("codice fiscale RSSMRA85T10A562S", "RSSMRA85T10A562S"),
                ("CF: rssmra85t10a562s", "rssmra85t10a562s"),
                ("su DNI es 12345678Z", "12345678Z"),
                ("tiene el 12345678-z", "12345678-z"),
                ("NIE X1234567L en trámite", "X1234567L"),
                ("passport YA1234567 kept by the madam", "YA1234567"),
                ("passaporto AA 1234567 scaduto", "AA 1234567"),
                ("her old code was AB12345CD", "AB12345CD"),
            ],
            PiiKind::DocumentNumber,
        );
    }

    #[test]
    fn document_numbers_are_caught_after_document_keywords() {
        assert_all_caught(
            &[
                ("passport no. 987654321", "987654321"),
                ("passport number: B1234567", "B1234567"),
                ("carta d'identità CA12345", "CA12345"),
                ("permesso di soggiorno n. I0123456", "I0123456"),
                ("pasaporte número P123456", "P123456"),
                ("documento de identidad 1234567", "1234567"),
                ("ID: 12345", "12345"),
                ("document number K-9876543", "K-9876543"),
                ("pratica n. 123456 aperta", "123456"),
            ],
            PiiKind::DocumentNumber,
        );
    }

    #[test]
    fn full_dates_near_birth_words_are_caught() {
        assert_all_caught(
            &[
                ("born on 12/03/1990 in Benin City", "12/03/1990"),
                ("DOB: 1990-03-12", "1990-03-12"),
                ("d.o.b. 12.03.1990", "12.03.1990"),
                ("her birthday is March 12, 1990", "March 12, 1990"),
                ("12 March 1990 (date of birth)", "12 March 1990"),
                ("nata il 12 marzo 1990 a Lagos", "12 marzo 1990"),
                ("data di nascita: 12-03-1990", "12-03-1990"),
                ("è nata il 1° maggio 1992", "1° maggio 1992"),
                ("nacida el 12 de marzo de 1990", "12 de marzo de 1990"),
                ("fecha de nacimiento 12/03/90", "12/03/90"),
                ("gave birth on 03.04.2024 to a girl", "03.04.2024"),
                ("FDN: 12/03/1990", "12/03/1990"),
                (
                    "nacida el 3 de junio del 1995 en Benin",
                    "3 de junio del 1995",
                ),
            ],
            PiiKind::BirthDate,
        );
    }

    #[test]
    fn dates_without_birth_context_and_birth_years_pass() {
        assert_all_pass(&[
            "next appointment on 12/03/2025",
            "born in 1990",
            "nata nel 1990, arrivata in Italia nel 2016",
            "nacida en 1988",
            "el 12 de marzo de 2024 tuvo cita con la abogada",
            "born in 1995. Next review on 12/03/2025 with the team",
            "arrived on 12 March 2019",
            "Born in Lagos, arrived in Italy on 12/03/2015",
            "date of birth unknown, entered the shelter on 12/03/2024",
            "meeting on 12 March 2024, she turned 30 on 3 March",
        ]);
    }

    #[test]
    fn street_addresses_are_caught_in_english_italian_and_spanish() {
        assert_all_caught(
            &[
                (
                    "she lives at 12 Baker Street with a friend",
                    "12 Baker Street",
                ),
                ("moved to 221B Baker St. last week", "221B Baker St"),
                ("Flat 3, 45 High Road", "Flat 3, 45 High Road"),
                ("abita in Via Roma 12 con la sorella", "Via Roma 12"),
                ("ospite in via Garibaldi, 5", "via Garibaldi, 5"),
                ("Corso Italia 33", "Corso Italia 33"),
                ("appuntamento in Piazza Duomo 1", "Piazza Duomo 1"),
                ("Viale Monza 100, Milano", "Viale Monza 100"),
                ("abita in via dei Mille 7/B", "via dei Mille 7/B"),
                ("vive en Calle Mayor 5, 3º", "Calle Mayor 5"),
                ("piso en C/ Alcalá 23", "C/ Alcalá 23"),
                (
                    "Avenida de la Constitución 12",
                    "Avenida de la Constitución 12",
                ),
                ("Plaza Mayor 3", "Plaza Mayor 3"),
                ("Paseo de Gracia 45, Barcelona", "Paseo de Gracia 45"),
                ("Address: 10 Downing Street, London", "10 Downing Street"),
                ("Calle de Alcalá, 23, 2º izq.", "Calle de Alcalá, 23"),
                ("mi dirección es Av. de América 15", "Av. de América 15"),
                ("vive in Largo Augusto 3", "Largo Augusto 3"),
            ],
            PiiKind::StreetAddress,
        );
    }

    #[test]
    fn street_words_without_a_number_pass() {
        assert_all_pass(&[
            "she lives near the station",
            "works on the street",
            "contacted via phone",
            "contacted via WhatsApp 3 times",
            "ha parlato via telefono 2 volte",
            "lavorava in strada da 2 anni",
            "vive in via Roma",
            "vivió en la calle Mayor 5 años",
            "had 2 Family Court hearings",
            "corso di italiano 2024",
            "Piazza con 3 amiche",
            "tiene plaza de acogida 3 meses",
            "mail c/o Caritas 12",
            "Worked at a massage parlour on Main St for 6 months",
            "Lavorava sulla strada statale 106 di notte",
        ]);
    }

    #[test]
    fn web_addresses_are_caught() {
        assert_all_caught(
            &[
                (
                    "profile at https://example.com/profile?id=1.",
                    "https://example.com/profile?id=1",
                ),
                (
                    "annuncio su www.escort-ads.it/maria",
                    "www.escort-ads.it/maria",
                ),
                ("see example.com/path for the ad", "example.com/path"),
                ("canale t.me/mariaxx", "t.me/mariaxx"),
                ("enlace http://bit.ly/abc123", "http://bit.ly/abc123"),
                ("photos on onlyfans.com/maria", "onlyfans.com/maria"),
            ],
            PiiKind::Url,
        );
    }

    #[test]
    fn social_handles_are_caught() {
        assert_all_caught(
            &[
                ("follow her @maria_88 on insta", "@maria_88"),
                ("instagram: maria_88", "maria_88"),
                ("fb: maria.rossi.90", "maria.rossi.90"),
                ("telegram @x", "@x"),
                ("tiktok user x", "x"),
                ("su TikTok come giulia.b92", "giulia.b92"),
                ("su Instagram è @giulia", "@giulia"),
                ("su usuario de instagram es ana_lopez", "ana_lopez"),
            ],
            PiiKind::SocialHandle,
        );
    }

    #[test]
    fn ordinary_notes_pass() {
        assert_all_pass(&[
            // From the brief.
            "meets her counsellor twice a week",
            "3 children",
            "since 2019",
            "2 children aged 4 and 7",
            "attends Italian course level A2",
            "worked on the street for 2 years",
            "moved to shelter in March 2024",
            "contacted via phone by the operator",
            "her mother lives in Lagos region",
            "rated 3/3 last time",
            "5 sessions out of 12 attended",
            "went from 2 to 3",
            "follow-up on 12/03/2025",
            "income about 400 euros a month",
            "took the 14:30 bus",
            "COVID19 vaccination done",
            "va al corso tre volte a settimana",
            "vive in comunità da 6 mesi",
            "tiene 2 hijos de 3 y 5 años",
            "trabajó en la calle durante un año",
            "room 12 of the shelter",
            "percentuale 45%",
            "phase 1 of 3",
            // More everyday notes.
            "she was 16 when she started working on the street",
            "debt of 30.000 euros to the madam",
            "debito di 10.000.000 naira con la famiglia",
            "group session 10.30-11.30 every Monday",
            "worked there 2019-2021",
            "level B1 reached, now B2 course",
            "3rd session, she talked about her 2nd child",
            "has an Instagram account but no contact with exploiters",
            "uses Facebook to talk to her sister",
            "sent an e-mail to the lawyer, waiting for the website update",
            "her passport was taken by the madam",
            "passport expired 2023",
            "ID card expired in 2023",
            "DNI en trámite",
            "permesso di soggiorno art. 18 richiesto",
            "documento scaduto nel 2022",
            "colloquio n. 3 con la psicologa",
            "called the numero verde 800 290 290 and the 1522",
            "score 12/20 on the wellbeing scale",
            "2 x 500 mg daily",
            "meeting @ 10 at the centre",
            "ha 23 anni e due figli",
            "cumple 30 años en marzo",
            "rent 450 euros, paid 3 times",
            "e.g. legal advice, housing, etc.",
            "gennaio 2024: ingresso in casa rifugio",
            "phone number not available yet",
            "via email and phone, 2 contacts this week",
            "contacted via Skype 2x a week",
            "she went home.It was late",
            "scores 10 12 14 16 18 over five weeks",
            "version 1.2.3.4.5.6.7.8 of the form",
            "she waited @home for the call",
            "Colloquio del 03/04/2024: la signora sta meglio. Prossimo incontro tra 2 settimane.",
            "Richiesto permesso di soggiorno per casi speciali (art. 18 D.Lgs. 286/98).",
            "Denuncia presentata il 15.01.2024 presso la Questura.",
            "Session 4/10: worked on anxiety; GAD-7 score 14, PHQ-9 score 11.",
            "Referred to the GP; appointment 10:15 on 02-05-2024.",
            "Cita con la abogada el 12 de mayo a las 10.30 h.",
            "Tiene 2 hijos de 6 y 9 años, habla con ellos por WhatsApp 2 veces por semana.",
            "Medication: sertraline 50mg once daily.",
            "Oggi 1h30 di colloquio, presente mediatrice culturale.",
            "Case ref 2024/0153 in the council system",
            "saldo 1.250,00 euro",
            "A1, A2, B1 levels; Q3 2024 review",
        ]);
    }

    #[test]
    fn message_names_the_fragment_and_the_kind() {
        let m = PiiMatch {
            kind: PiiKind::Phone,
            fragment: "+39 333 123 4567".to_string(),
        };
        assert_eq!(
            m.message(),
            "“+39 333 123 4567” looks like a phone number. Remove it or describe it without identifying details."
        );
        let found = find_identifying("write to maria@example.com").map(|m| m.message());
        assert!(
            found.is_some_and(|msg| msg.contains("maria@example.com") && msg.contains("e-mail"))
        );
    }

    #[test]
    fn every_kind_has_a_description() {
        let kinds = [
            PiiKind::Email,
            PiiKind::Phone,
            PiiKind::Iban,
            PiiKind::CardNumber,
            PiiKind::DocumentNumber,
            PiiKind::BirthDate,
            PiiKind::StreetAddress,
            PiiKind::Url,
            PiiKind::SocialHandle,
        ];
        for kind in kinds {
            assert!(kind.describe().starts_with('a'), "{kind:?}");
        }
        assert_eq!(PiiKind::Iban.describe(), "a bank account number (IBAN)");
    }

    #[test]
    fn find_all_returns_two_different_details_in_order() {
        let found = find_all(
            "Call +39 333 1234567 or write to maria.r@example.com, she lives in Via Roma 12.",
        );
        let kinds: Vec<(PiiKind, &str)> = found
            .iter()
            .map(|m| (m.kind, m.fragment.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (PiiKind::Phone, "+39 333 1234567"),
                (PiiKind::Email, "maria.r@example.com"),
                (PiiKind::StreetAddress, "Via Roma 12"),
            ]
        );
    }

    #[test]
    fn find_identifying_returns_the_first_detail_by_position() {
        let first = find_identifying("email maria@example.com, phone 333 1234567");
        assert_eq!(first.map(|m| m.kind), Some(PiiKind::Email));
        let first = find_identifying("phone 333 1234567, email maria@example.com");
        assert_eq!(first.map(|m| m.kind), Some(PiiKind::Phone));
    }

    #[test]
    fn an_email_is_reported_once_not_also_as_a_web_address_or_handle() {
        let found = find_all("maria_88@gmail.com");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, PiiKind::Email);
    }

    #[test]
    fn empty_and_plain_texts_have_no_findings() {
        assert!(find_all("").is_empty());
        assert!(find_identifying("   ").is_none());
        assert!(find_identifying("Niente da segnalare.").is_none());
    }
}
