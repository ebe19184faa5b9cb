//! Bank account numbers (IBAN), checked by length per country and the mod-97 checksum.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, compile};

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

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Ibans {
    /// Country code, two check digits and 11–30 letters or digits, with optional
    /// spaces or dashes. The regex may run into the next word; the length table
    /// and the mod-97 checksum decide where the IBAN really ends, and random
    /// text passes the checksum only about once in a hundred.
    iban: Regex,
}

impl Ibans {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let iban = compile("IBAN", r"(?i)\b[a-z]{2}\d{2}(?:[ \-]?[a-z0-9]){11,30}\b")?;
        Ok(Self { iban })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.iban.find_iter(text) {
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
}
