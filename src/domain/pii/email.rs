//! E-mail addresses, plain and obfuscated.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, compile};

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Emails {
    /// A plain address: local part, "@", a domain with at least one dot and a
    /// letters-only top-level domain (so "3@4.5" or "@ 10.30" do not match).
    email: Regex,
    /// An obfuscated address ("maria at gmail dot com", "maria[at]yahoo[dot]it",
    /// "maria (at) libero.it"). It must end in a known top-level domain, which
    /// keeps ordinary phrases such as "met at home" out.
    email_obfuscated: Regex,
}

impl Emails {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let email = {
            compile(
                "EMAIL",
                r"\b[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}\b",
            )
        }?;
        let email_obfuscated = {
            compile(
                "EMAIL_OBFUSCATED",
                r"(?i)\b[\p{L}\p{N}._%+\-]+\s*(?:[\[({<]\s*(?:at|@)\s*[\])}>]|\s+at\s+)\s*[\p{L}\p{N}\-]+(?:\s*(?:[\[({<]\s*(?:dot|\.)\s*[\])}>]|\s+dot\s+|\.)\s*[\p{L}\p{N}\-]+)*?\s*(?:[\[({<]\s*(?:dot|\.)\s*[\])}>]|\s+dot\s+|\.)\s*(?:com|net|org|info|biz|eu|it|es|uk|fr|de|io|me|ng|gh|ro|al|ru|ua)\b",
            )
        }?;
        Ok(Self {
            email,
            email_obfuscated,
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self
            .email
            .find_iter(text)
            .chain(self.email_obfuscated.find_iter(text))
        {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::Email));
        }
    }
}
