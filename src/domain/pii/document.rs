//! Passport, ID and other document numbers (codice fiscale, DNI/NIE with their check letter, codes
//! after a document keyword in the five languages, the Romanian identity card's "seria RX nr.
//! 123456"). The Romanian CNP and the French INSEE number are in `national_id`.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, compile, digit_count, is_year, starts_uppercase};

/// Capital words that, before a number, are a label or a currency rather
/// than the start of a passport number.
const SPACED_CODE_PREFIXES: &[&str] = &[
    "ID", "NI", "CF", "NR", "NO", "TEL", "CEL", "DNI", "NIE", "TIE", "NIF", "SSN", "NIN", "REF",
    "EUR", "USD", "GBP", "CHF", "NGN", "RON", "ALL", "CNP", "NIR", "LEI", "MDL",
];

/// The check letter of a Spanish DNI/NIE number.
fn dni_letter(number: u32) -> Option<char> {
    "TRWAGMYFPDXBNJZSQVHLCKE"
        .chars()
        .nth((number % 23) as usize)
}

/// Words that name a law or a court decision: the number after them ("Loi n° 2016-444",
/// "Legea nr. 678/2001", "decreto n. 1234") is public, not a file about a person.
const LAW_WORDS: &[&str] = &[
    "law",
    "act",
    "regulation",
    "directive",
    "legge",
    "decreto",
    "dlgs",
    "d.lgs",
    "dpr",
    "d.p.r",
    "regolamento",
    "direttiva",
    "circolare",
    "ley",
    "decreto-ley",
    "reglamento",
    "directiva",
    "orgánica",
    "organica",
    "loi",
    "décret",
    "decret",
    "ordonnance",
    "arrêté",
    "arrete",
    "circulaire",
    "règlement",
    "reglement",
    "legea",
    "lege",
    "legii",
    "ordonanța",
    "ordonanţa",
    "ordonanta",
    "oug",
    "og",
    "hg",
    "hotărârea",
    "hotărârii",
    "hotararea",
    "decizia",
    "decizie",
    "regulamentul",
    "directiva",
    "article",
    "art",
    "articolo",
    "artículo",
    "articolul",
];

/// Whether one of the two words before `at` names a law.
fn after_law_word(text: &str, at: usize) -> bool {
    text.get(..at)
        .unwrap_or("")
        .split_whitespace()
        .rev()
        .take(2)
        .any(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            LAW_WORDS.contains(&w.as_str())
        })
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

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Documents {
    /// Italian codice fiscale: 6 letters (surname, name), year, month letter,
    /// day, municipality code, check letter. Digits may be replaced by letters
    /// (omocodia), so at least three real digits are required.
    codice_fiscale: Regex,
    /// Spanish DNI: eight digits and a check letter.
    dni: Regex,
    /// Spanish NIE: X, Y or Z, seven digits and a check letter.
    nie: Regex,
    /// Any 6–12 character code of letters and digits; the checks in
    /// `looks_like_code` keep "COVID19", "A2", "3rd" or "1500euros" out.
    code_token: Regex,
    /// Passport numbers written with a space ("AA 1234567"): two or three
    /// capital letters and 6–9 digits.
    spaced_code: Regex,
    /// A code after a document keyword ("passport YA1234567", "DNI: 12345678Z",
    /// "permesso di soggiorno n. I0123456"). The generic "n." / "nr." / "numero"
    /// are keywords too, but only for longer codes.
    doc_keyword: Regex,
    /// The Romanian identity card: "seria RX nr. 123456", "CI seria XT 654321".
    ro_id_series: Regex,
}

impl Documents {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let codice_fiscale = {
            compile(
                "CODICE_FISCALE",
                r"(?i)\b[a-z]{6}[0-9lmnpqrstuv]{2}[abcdehlmprst][0-9lmnpqrstuv]{2}[a-z][0-9lmnpqrstuv]{3}[a-z]\b",
            )
        }?;
        let dni = compile("DNI", r"\b(\d{8})([ \-]?)([A-Za-z])\b")?;
        let nie = compile("NIE", r"\b([XYZxyz])([ \-]?)(\d{7})([ \-]?)([A-Za-z])\b")?;
        let code_token = compile("CODE_TOKEN", r"\b[A-Za-z0-9]{6,12}\b")?;
        let spaced_code = compile("SPACED_CODE", r"\b([A-Z]{2,3})[ \-]\d{6,9}\b")?;
        let doc_keyword = {
            compile(
                "DOC_KEYWORD",
                r"(?x)
        (?:
            \b(?i:passport|passaporto|pasaporte
                |carta\s+d['’]\s?identit[àa]|carta\s+di\s+identit[àa]
                |documento(?:\s+di\s+identit[àa]|\s+de\s+identidad|\s+nacional\s+de\s+identidad)?
                |permesso\s+di\s+soggiorno|permiso\s+de\s+residencia|tarjeta\s+de\s+residencia
                |residence\s+permit|document\s+number|identity\s+card|id\s+card
                |codice\s+fiscale|tessera\s+sanitaria|tarjeta\s+sanitaria
                |national\s+insurance(?:\s+number)?|social\s+security(?:\s+number)?
                |passeport|carte\s+d['’]\s?identit[ée]|carte\s+de\s+s[ée]jour|titre\s+de\s+s[ée]jour
                |r[ée]c[ée]piss[ée]|carte\s+vitale
                |pa[șşs]aport(?:ul)?|carte(?:a)?\s+de\s+identitate|buletin(?:ul)?
                |permis(?:ul)?\s+de\s+[șşs]edere|cod(?:ul)?\s+numeric\s+personal)\b
          | \b(?:ID|DNI|NIE|TIE|NIF|CF|SSN|NIN|CNP|NIR|INSEE|CI)\b
          | (?P<generic>\b(?i:n|nr|num|núm|no)\.|\b(?i:n)[º°]|\b(?i:numero|número|numéro|num[ăa]r(?:ul)?)\b)
        )
        (?:\s*(?:(?i:number|numero|número|numéro|num[ăa]r(?:ul)?|nr|num|núm|no|n)(?:\.|\b)|(?i:n)[º°]|\#|:|-|=))*
        \s*
        (?P<code>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\b
        ",
            )
        }?;
        let ro_id_series = compile(
            "RO_ID_SERIES",
            r"(?i)\bseri[ae]\s*:?\s*[A-Z]{2}\s*,?\s*(?:(?:nr|num[ăa]r(?:ul)?)\.?\s*:?\s*)?\d{6}\b",
        )?;
        Ok(Self {
            ro_id_series,
            codice_fiscale,
            dni,
            nie,
            code_token,
            spaced_code,
            doc_keyword,
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.ro_id_series.find_iter(text) {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::DocumentNumber));
        }
        for m in self.codice_fiscale.find_iter(text) {
            if digit_count(m.as_str()) >= 3 {
                hits.push(Hit::new(m.start(), m.end(), PiiKind::DocumentNumber));
            }
        }
        for c in self.dni.captures_iter(text) {
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
        for c in self.nie.captures_iter(text) {
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
        for m in self.code_token.find_iter(text) {
            if looks_like_code(m.as_str()) {
                hits.push(Hit::new(m.start(), m.end(), PiiKind::DocumentNumber));
            }
        }
        for c in self.spaced_code.captures_iter(text) {
            let (Some(all), Some(prefix)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if !SPACED_CODE_PREFIXES.contains(&prefix.as_str()) {
                hits.push(Hit::new(all.start(), all.end(), PiiKind::DocumentNumber));
            }
        }
        for c in self.doc_keyword.captures_iter(text) {
            let Some(code) = c.name("code") else {
                continue;
            };
            let s = code.as_str();
            let digits = digit_count(s);
            // "0745-123-456" is all digits too: the dashes only group them.
            let all_digits = digits == s.chars().filter(|&ch| ch != '-').count();
            let generic = c.name("generic");
            if generic.is_some_and(|g| after_law_word(text, g.start())) {
                continue;
            }
            let generic = generic.is_some();
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
}
