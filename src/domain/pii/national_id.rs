//! National identification numbers that carry a check: the Romanian CNP (cod numeric personal)
//! and the French INSEE number (NIR, "numéro de sécurité sociale"). A number that passes its
//! check is found anywhere; after its keyword ("CNP:", "n° de sécurité sociale") a number of the
//! right length is found even when the check fails, since a mistyped number still identifies.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, compile};

/// The CNP's control weights.
const CNP_WEIGHTS: [u32; 12] = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// The digits of `s` as numbers, if `s` holds only digits and separators.
fn digit_values(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

fn number(digits: &[u32]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + d)
}

/// A Romanian CNP: sex and century digit 1–8, a real date of birth (YYMMDD), a county code
/// (01–52) and the control digit.
fn cnp_ok(digits: &[u32]) -> bool {
    let [s, y1, y2, m1, m2, d1, d2, j1, j2, _, _, _, control] = digits else {
        return false;
    };
    let century = match s {
        1 | 2 => 1900,
        3 | 4 => 1800,
        5 | 6 => 2000,
        // Foreign residents: the century is not in the number.
        7 | 8 => 1900,
        _ => return false,
    };
    let (year, month, day) = (century + y1 * 10 + y2, m1 * 10 + m2, d1 * 10 + d2);
    if day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if !(1..=52).contains(&(j1 * 10 + j2)) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .zip(CNP_WEIGHTS)
        .map(|(d, w)| d * w)
        .sum::<u32>()
        % 11;
    let expected = if sum == 10 { 1 } else { sum };
    expected == *control
}

/// A French INSEE number (NIR): sex 1 or 2, year, month (01–12, or 20 and above when unknown),
/// department (Corsica as 2A/2B), commune, order number; with `key`, the key must be
/// 97 − (number mod 97), Corsica counted as 19 (2A) and 18 (2B).
fn nir_ok(body: &str, key: Option<u32>) -> bool {
    let chars: Vec<char> = body
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.len() != 13 {
        return false;
    }
    let digits: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match (i, c) {
            (6, 'A') => '9',
            (6, 'B') => '8',
            (5, '2') if matches!(chars.get(6), Some('A' | 'B')) => '1',
            _ => c,
        })
        .collect();
    let Ok(n) = digits.parse::<u64>() else {
        return false;
    };
    let values = digit_values(&digits);
    let (Some(sex), Some(month)) = (values.first(), values.get(3..5).map(number)) else {
        return false;
    };
    if !matches!(sex, 1 | 2) || (!(1..=12).contains(&month) && month < 20) {
        return false;
    }
    match key {
        Some(k) => u64::from(k) == 97 - n % 97,
        None => true,
    }
}

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct NationalIds {
    /// Thirteen digits, each optionally after a space, dot or dash: a CNP candidate.
    cnp: Regex,
    /// An INSEE number: sex, year, month, department (2A/2B too), commune, order and an optional
    /// key, in the printed groups ("2 84 12 75 123 456 87") or without spaces.
    nir: Regex,
    /// A national-number keyword and the number after it.
    keyword: Regex,
}

impl NationalIds {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let cnp = compile("CNP", r"\b[1-9](?:[ .\-]?\d){12}\b")?;
        let nir = compile(
            "NIR",
            r"\b(?P<body>[12][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2[ABab])[ .\-]?\d{3}[ .\-]?\d{3})(?:[ .\-]?(?P<key>\d{2}))?\b",
        )?;
        let keyword = compile(
            "NATIONAL_ID_KEYWORD",
            r"(?x)
            (?:\b(?:CNP|NIR|INSEE)\b
              | \b(?i:cod(?:ul)?\s+numeric\s+personal
                  | num[ée]ro\s+(?:d['’]\s?inscription\s+au\s+r[ée]pertoire|de\s+s[ée]cu(?:rit[ée]\s+sociale)?)
                  | n[°º]\s*(?:de\s+)?s[ée]cu(?:rit[ée]\s+sociale)?
                  | s[ée]curit[ée]\s+sociale|carte\s+vitale)\b)
            [\s:\#=\-]*(?:(?i:n[°º]|nr\.?|no\.?)\s*)?[\s:\#=\-]*
            (?P<num>[0-9](?:[\x20.\-]?[0-9ABab]){12,14})\b
            ",
        )?;
        Ok(Self { cnp, nir, keyword })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        let mut push = |start: usize, end: usize| {
            let mut hit = Hit::new(start, end, PiiKind::DocumentNumber);
            // A validated national number is named as such, not as a card number that happens to
            // pass the Luhn check too.
            hit.rank = PiiKind::CardNumber.rank().saturating_sub(1);
            hits.push(hit);
        };
        for m in self.cnp.find_iter(text) {
            if cnp_ok(&digit_values(m.as_str())) {
                push(m.start(), m.end());
            }
        }
        for c in self.nir.captures_iter(text) {
            let (Some(all), Some(body)) = (c.get(0), c.name("body")) else {
                continue;
            };
            let key = c.name("key").and_then(|k| k.as_str().parse::<u32>().ok());
            // Without its key the number is only a shape: the keyword rule below decides.
            if key.is_some() && nir_ok(body.as_str(), key) {
                push(all.start(), all.end());
            }
        }
        for c in self.keyword.captures_iter(text) {
            let Some(num) = c.name("num") else {
                continue;
            };
            let len = num
                .as_str()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .count();
            if len == 13 || len == 15 {
                push(num.start(), num.end());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cnp_control_digit_and_date_are_checked() {
        assert!(cnp_ok(&digit_values("2900303401238")));
        assert!(cnp_ok(&digit_values("1900101123457")));
        assert!(cnp_ok(&digit_values("6010215404562")));
        // Wrong control digit, 30 February, county 99, first digit 9.
        assert!(!cnp_ok(&digit_values("2900303401239")));
        assert!(!cnp_ok(&digit_values("2900230401234")));
        assert!(!cnp_ok(&digit_values("2900303991238")));
        assert!(!cnp_ok(&digit_values("9900303401238")));
    }

    #[test]
    fn nir_key_is_checked_and_corsica_counts() {
        assert!(nir_ok("2841275123456", Some(87)));
        assert!(nir_ok("2 84 12 75 123 456", Some(87)));
        assert!(!nir_ok("2841275123456", Some(86)));
        // Sex 3 and month 13 are not a NIR.
        assert!(!nir_ok("3841275123456", None));
        assert!(!nir_ok("2841375123456", None));
        // Corsica: 2A counts as 19, 2B as 18.
        let key_2a = 97 - 2_841_219_123_456_u64 % 97;
        let key_2b = 97 - 2_841_218_123_456_u64 % 97;
        assert!(nir_ok("284122A123456", u32::try_from(key_2a).ok()));
        assert!(nir_ok("284122B123456", u32::try_from(key_2b).ok()));
        assert!(!nir_ok("284122A123456", u32::try_from(key_2b).ok()));
    }
}
