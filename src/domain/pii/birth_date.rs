//! Full dates near a birth word: dates of birth, written with numbers or in words, in English,
//! Italian, Spanish, French and Romanian.

use regex::Regex;

use super::words::{DAY_WORDS, MONTHS, MONTHS_FULL, year_words};
use super::{Hit, PatternError, PiiKind, compile, is_date_triple, split_groups};

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

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct BirthDates {
    /// A full numeric date: d/m/y, d.m.y, d-m-y, "d m yyyy" or y-m-d.
    date_numeric: Regex,
    /// "12 March 1990", "1° marzo 1990", "12 de marzo de 1990".
    date_day_month: Regex,
    /// "March 12, 1990", "March 12th 1990".
    date_month_day: Regex,
    /// A date with the day or the year in words: "the third of March nineteen ninety", "tre
    /// marzo millenovecentonovanta", "tres de marzo de mil novecientos noventa", "trois mars
    /// mille neuf cent quatre-vingt-dix", "trei martie o mie nouă sute nouăzeci".
    date_words: Regex,
    /// The English order in words: "March the third, nineteen ninety".
    date_words_month_first: Regex,
    /// Words that put a date in a birth context, in English, Italian, Spanish, French, Romanian.
    birth_word: Regex,
    /// "n." (Romanian "născută"), a birth word only right before a full date.
    born_abbreviation: Regex,
    /// Words between a birth word and a date that tie the date to something
    /// else ("born in Lagos, arrived 12/03/2015", "date of birth unknown,
    /// entered the shelter on 12/03/2024").
    other_event: Regex,
}

impl BirthDates {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let date_numeric = {
            compile(
                "DATE_NUMERIC",
                r"\b(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|\d{1,2} \d{1,2} \d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2})\b",
            )
        }?;
        let date_day_month = {
            compile(
                "DATE_DAY_MONTH",
                &format!(
                    r"(?i)\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|°|ª)?\s+(?:de\s+|of\s+)?(?:{MONTHS})\.?,?\s+(?:del?\s+)?\d{{4}}\b"
                ),
            )
        }?;
        let date_month_day = {
            compile(
                "DATE_MONTH_DAY",
                &format!(r"(?i)\b(?:{MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+\d{{4}}\b"),
            )
        }?;
        let years = year_words();
        let date_words = compile(
            "DATE_WORDS",
            &format!(
                r"(?i)\b(?P<d>{DAY_WORDS}|\d{{1,2}}(?:st|nd|rd|th|er|º|°|ª)?)\s+(?:(?:of|de|di)\s+)?(?:{MONTHS_FULL})\b\.?,?\s+(?:(?:of|de|del|din|in)\s+)?(?:\d{{4}}|{years})\b"
            ),
        )?;
        let date_words_month_first = compile(
            "DATE_WORDS_MONTH_FIRST",
            &format!(
                r"(?i)\b(?:{MONTHS_FULL})\s+(?:the\s+)?(?P<d>{DAY_WORDS}|\d{{1,2}}(?:st|nd|rd|th)?)\s*,?\s+(?:\d{{4}}|{years})\b"
            ),
        )?;
        let birth_word = {
            compile(
                "BIRTH_WORD",
                r"(?i)\b(?:born|birth\w*|dob|d\.\s?o\.\s?b|nat[aoie]|nascita|compleanno|nacid[ao]s?|naci[óo]|nacimiento|nac|fdn|f\.\s?d\.\s?n|cumpleaños|né\s+(?:le|à|en|au|aux|vers|dans)|né\(e|née|nés|nées|naissance|anniversaire|n[ăa]scu[țţt]i|n[ăa]scut[ăae]?|na[șşs]terii|na[șşs]tere|zi(?:ua)?\s+de\s+na[șşs]tere)\b",
            )
        }?;
        let born_abbreviation = compile("BORN_ABBREVIATION", r"\bn\.")?;
        let other_event = {
            compile(
                "OTHER_EVENT",
                r"(?i)\b(?:unknown|not\s+known|arriv\w*|entered|moved|appointment|visit\w*|meeting|hearing|sconosciut\w*|ignot\w*|non\s+not\w*|arrivat\w*|ingress\w*|appuntament\w*|colloqui\w*|udienza|desconocid\w*|lleg\w*|ingres\w*|cita|entrevista|inconnue?|rendez-vous|rdv|entr[ée]e|audience|convocation|necunoscut\w*|sosi\w*|intrat\w*|intrare|programare|[îi]nt[âa]lnire|audiere)\b",
            )
        }?;
        Ok(Self {
            date_numeric,
            date_day_month,
            date_month_day,
            date_words,
            date_words_month_first,
            birth_word,
            born_abbreviation,
            other_event,
        })
    }

    fn in_birth_context(
        &self,
        text: &str,
        start: usize,
        end: usize,
        birth_words: &[(usize, usize)],
    ) -> bool {
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
                    && self.other_event.find_iter(b).next().is_none()
            })
        })
    }
    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        let birth_words: Vec<(usize, usize)> = self
            .birth_word
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        // "n. 3 martie 1990", "n. 03.03.1990": the Romanian abbreviation of "născută", only
        // right before a full date ("n." is also "number").
        let born_abbreviations: Vec<usize> = self
            .born_abbreviation
            .find_iter(text)
            .map(|m| m.end())
            .collect();
        if birth_words.is_empty() && born_abbreviations.is_empty() {
            return; // a date alone (an appointment) is fine
        }
        let mut dates: Vec<(usize, usize)> = Vec::new();
        for m in self.date_numeric.find_iter(text) {
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
        for c in self
            .date_day_month
            .captures_iter(text)
            .chain(self.date_month_day.captures_iter(text))
            .chain(self.date_words.captures_iter(text))
            .chain(self.date_words_month_first.captures_iter(text))
        {
            let (Some(all), Some(day)) = (c.get(0), c.name("d")) else {
                continue;
            };
            let digits: String = day
                .as_str()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            // A day in words is 1–31 by construction; a day in digits is checked.
            let day_ok =
                digits.is_empty() || digits.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
            if day_ok {
                dates.push((all.start(), all.end()));
            }
        }
        for (start, end) in dates {
            let after_abbreviation = born_abbreviations.iter().any(|&a| {
                a <= start
                    && text
                        .get(a..start)
                        .is_some_and(|gap| gap.len() <= 1 && gap.trim().is_empty())
            });
            if after_abbreviation || self.in_birth_context(text, start, end, &birth_words) {
                hits.push(Hit::new(start, end, PiiKind::BirthDate));
            }
        }
    }
}
