//! PII guard for free-text fields.
//!
//! Social workers write notes, actions, reasons and comments about women
//! leaving sex trafficking. Those texts are stored next to the assessment,
//! and a leaked database must not say who anyone is: not the woman, not her
//! children, not the people around her. This module looks for identifying
//! details (e-mail addresses, phone numbers, bank and card numbers, document
//! and national ID numbers, dates of birth, street addresses, web addresses and
//! social media handles) in English, Italian, Spanish, French and Romanian
//! formats, so that the service can refuse the text and ask the worker to
//! rephrase it. The language of the text does not matter: every rule runs on
//! every text.
//!
//! It also catches the usual ways of dodging a filter, in the five languages:
//! an e-mail address written out ("maria at gmail dot com", "maria(at)gmail(dot)com",
//! "chiocciola … punto", "arroba … punto", "arobase … point", "a rond … punct"),
//! a phone number split into pairs or single digits ("34 71 23 45 67") or spelled
//! out in words ("zero sette due…", "six un deux…", "zero șapte doi…"), and a
//! date of birth in words ("nata il tre marzo millenovecentonovanta").
//!
//! The rules lean towards few false positives: ordinary notes ("3 children",
//! "since 2019", "worked on the street for 2 years", "contacted via phone"),
//! public hotlines ("1522", "3919", "0800 500 333"), amounts, ages, times,
//! appointment dates and article numbers of the law must pass, otherwise
//! workers learn to ignore the guard. Numbers that carry a checksum (IBAN,
//! payment cards, Spanish DNI/NIE, Romanian CNP, French INSEE number) are
//! validated, and the weaker patterns need context (a birth word near a date,
//! a house number next to a street name, a document keyword before a short
//! code, a mail provider or top-level domain after a written-out "at", a whole
//! national number or a phone word for digits split into short groups).
//!
//! It cannot catch everything: names of people and places, or a detail
//! described in words, pass. It is a safety net, not an anonymiser.
//!
//! One file per kind of detail, each with its patterns and their checks. The patterns are compiled
//! once, on first use; `ready` (called at start-up) reports one that does not compile, and the
//! service refuses to start. Should that ever be skipped, the guard fails closed: no free text
//! can be saved (`find_identifying` returns the error), rather than letting everything through.

mod birth_date;
mod card;
mod document;
mod email;
mod handle;
mod iban;
mod national_id;
mod phone;
mod street;
mod web_address;
mod words;

use std::sync::LazyLock;

use regex::Regex;

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

/// A pattern of the guard that does not compile: a bug in this build, found at start-up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the check for identifying details cannot run: its pattern {name} does not compile ({message})"
)]
pub struct PatternError {
    name: &'static str,
    message: String,
}

/// Compiles one named pattern.
fn compile(name: &'static str, pattern: &str) -> Result<Regex, PatternError> {
    Regex::new(pattern).map_err(|e| PatternError {
        name,
        message: e.to_string(),
    })
}

/// Every kind's compiled patterns.
struct Guard {
    emails: email::Emails,
    web_addresses: web_address::WebAddresses,
    ibans: iban::Ibans,
    cards: card::Cards,
    documents: document::Documents,
    national_ids: national_id::NationalIds,
    birth_dates: birth_date::BirthDates,
    phones: phone::Phones,
    streets: street::Streets,
    handles: handle::Handles,
}

impl Guard {
    fn compile() -> Result<Self, PatternError> {
        Ok(Self {
            emails: email::Emails::compile()?,
            web_addresses: web_address::WebAddresses::compile()?,
            ibans: iban::Ibans::compile()?,
            cards: card::Cards::compile()?,
            documents: document::Documents::compile()?,
            national_ids: national_id::NationalIds::compile()?,
            birth_dates: birth_date::BirthDates::compile()?,
            phones: phone::Phones::compile()?,
            streets: street::Streets::compile()?,
            handles: handle::Handles::compile()?,
        })
    }
}

static GUARD: LazyLock<Result<Guard, PatternError>> = LazyLock::new(Guard::compile);

/// Compiles the patterns now; an error means the guard cannot work and the service must not
/// start.
pub fn ready() -> Result<(), PatternError> {
    GUARD.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The first identifying detail in `text`, in order of position, or None. Fails (closed) when
/// the patterns do not compile.
pub fn find_identifying(text: &str) -> Result<Option<PiiMatch>, PatternError> {
    Ok(find_all(text)?.into_iter().next())
}

/// Every identifying detail in `text`, in order of position, non-overlapping.
pub fn find_all(text: &str) -> Result<Vec<PiiMatch>, PatternError> {
    let guard = GUARD.as_ref().map_err(Clone::clone)?;
    let mut hits = Vec::new();
    guard.emails.detect(text, &mut hits);
    guard.web_addresses.detect(text, &mut hits);
    guard.ibans.detect(text, &mut hits);
    guard.cards.detect(text, &mut hits);
    guard.documents.detect(text, &mut hits);
    guard.national_ids.detect(text, &mut hits);
    guard.birth_dates.detect(text, &mut hits);
    guard.phones.detect(text, &mut hits);
    guard.streets.detect(text, &mut hits);
    guard.handles.detect(text, &mut hits);
    Ok(resolve(text, hits))
}

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
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_five_languages;
