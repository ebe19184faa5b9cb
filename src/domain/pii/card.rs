//! Payment card numbers, checked with the Luhn checksum.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, char_before, compile, split_groups};

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

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Cards {
    /// 13–19 digits with optional single spaces or dashes.
    card: Regex,
}

impl Cards {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let card = compile("CARD", r"\b\d(?:[ \-]?\d){12,18}\b")?;
        Ok(Self { card })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.card.find_iter(text) {
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
}
