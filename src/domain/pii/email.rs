//! E-mail addresses, plain and written out to dodge a filter ("maria at gmail dot com",
//! "maria(at)gmail(dot)com", "maria chiocciola gmail punto it", "maria arroba gmail punto com",
//! "marie arobase gmail point fr", "maria a rond yahoo punct ro").

use regex::Regex;

use super::{Hit, PatternError, PiiKind, compile};

/// "at" written out or in brackets, in English, Italian, Spanish, French and Romanian. The plain
/// English "at" is captured as `plain`, because it is also an ordinary word.
const AT: &str = concat!(
    r"(?:\s*[\[({<]\s*(?:at|@|arroba|chiocciola|arobase|a[\s\-]?rond)\s*[\])}>]\s*",
    r"|\s+(?P<plain>at)\s+",
    r"|\s+(?:@|arroba|chiocciola|arobase|a[\s\-]?rond)\s+)",
);

/// "dot" written out or in brackets ("dot", "punto", "point", "punct"), or a real dot.
const DOT: &str = concat!(
    r"(?:\s*[\[({<]\s*(?:dot|punto|point|punct|\.)\s*[\])}>]\s*",
    r"|\s+(?:dot|punto|point|punct)\s+",
    r"|\s+\.\s+|\.)",
);

/// Top-level domains that end a written-out address.
const TLDS: &str = "com|net|org|info|biz|eu|it|es|uk|fr|de|be|ch|pt|nl|io|me|ng|gh|ro|md|al|ru|ua";

/// Mail providers whose name alone ends an address ("maria at gmail"). Names that are also
/// ordinary words or employers ("orange", "free", "live") are left out.
const PROVIDERS: &str = "gmail|googlemail|yahoo|ymail|hotmail|outlook|libero|icloud|protonmail|proton|yandex|gmx|aol|wanadoo|laposte|tiscali|virgilio";

/// Words that stand before an ordinary "at" ("her account at gmail", "she is at yahoo", "worked
/// at hotmail"): not the local part of an address.
const NOT_LOCAL_PARTS: &[&str] = &[
    "account",
    "accounts",
    "address",
    "adresse",
    "adresa",
    "indirizzo",
    "email",
    "e-mail",
    "mail",
    "inbox",
    "registered",
    "signed",
    "logged",
    "up",
    "in",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "she",
    "he",
    "her",
    "his",
    "it",
    "its",
    "me",
    "we",
    "they",
    "them",
    "you",
    "also",
    "only",
    "still",
    "work",
    "works",
    "worked",
    "working",
    "job",
    "employed",
    "interview",
    "and",
    "or",
    "but",
    "not",
    "the",
    "a",
    "an",
    "one",
    "someone",
    "cuenta",
    "correo",
    "compte",
    "cont",
    "lives",
    "lived",
    "living",
    "stays",
    "stayed",
    "staying",
    "studies",
    "studied",
    "studying",
    "met",
    "meet",
    "meets",
    "arrived",
    "arrives",
    "left",
    "seen",
    "waited",
    "waiting",
    "slept",
];

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Emails {
    /// A plain address: local part, "@", a domain with at least one dot and a
    /// letters-only top-level domain (so "3@4.5" or "@ 10.30" do not match).
    email: Regex,
    /// A written-out address that ends in a known top-level domain ("maria dot rossi at gmail
    /// dot com", "maria[at]yahoo[dot]it", "maria (at) libero.it"): the ending keeps ordinary
    /// phrases such as "met at home" out.
    written_tld: Regex,
    /// A written-out address that ends in a known mail provider ("maria at gmail", "maria
    /// chiocciola libero").
    written_provider: Regex,
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
        let word = r"[\p{L}\p{N}_%+\-]+";
        let local = format!(r"(?P<local>{word}(?:{DOT}{word})*)");
        let written_tld = compile(
            "EMAIL_WRITTEN_TLD",
            &format!(
                r"(?i)\b{local}{AT}[\p{{L}}\p{{N}}\-]+(?:{DOT}[\p{{L}}\p{{N}}\-]+)*?{DOT}(?:{TLDS})\b"
            ),
        )?;
        let written_provider = compile(
            "EMAIL_WRITTEN_PROVIDER",
            &format!(r"(?i)\b{local}{AT}(?:{PROVIDERS})\b"),
        )?;
        Ok(Self {
            email,
            written_tld,
            written_provider,
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.email.find_iter(text) {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::Email));
        }
        for c in self
            .written_tld
            .captures_iter(text)
            .chain(self.written_provider.captures_iter(text))
        {
            let (Some(all), Some(local)) = (c.get(0), c.name("local")) else {
                continue;
            };
            if c.name("plain").is_some() {
                let last = local
                    .as_str()
                    .split(|ch: char| !ch.is_alphanumeric() && ch != '-')
                    .rfind(|w| !w.is_empty())
                    .unwrap_or("")
                    .to_lowercase();
                if NOT_LOCAL_PARTS.contains(&last.as_str()) {
                    continue;
                }
            }
            hits.push(Hit::new(all.start(), all.end(), PiiKind::Email));
        }
    }
}
