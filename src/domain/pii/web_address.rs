//! Web addresses: with a scheme or `www.`, or a bare domain on a short list of top-level domains.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, char_before, compile};

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

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct WebAddresses {
    /// Anything that starts with a scheme or "www." is a web address.
    url_scheme: Regex,
    /// A bare domain ("example.com/path", "t.me/xyz"). Only a short list of
    /// common top-level domains, written in lower case, is accepted, so
    /// abbreviations ("e.g.", "etc.", "a.m.") and a missing space after a full
    /// stop ("home.It was late") do not match.
    url_bare: Regex,
}

impl WebAddresses {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let url_scheme = compile(
            "URL_SCHEME",
            r#"(?i)\b(?:https?://|www\.)[^\s<>"'“”‘’\[\]{}|\\^`]+"#,
        )?;
        let url_bare = {
            compile(
                "URL_BARE",
                r#"\b(?i:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:com|net|org|info|biz|io|me|co|tv|app|dev|xyz|online|site|club|live|link|ly|eu|it|es|uk|fr|ng|gh|ro|ua|ru|pt|nl|ch|pl|br|ar|mx|ca|cat|ie)\b(?:/[^\s<>"'“”‘’]*)?"#,
            )
        }?;
        Ok(Self {
            url_scheme,
            url_bare,
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for m in self.url_scheme.find_iter(text) {
            let end = trim_url_end(text, m.start(), m.end());
            hits.push(Hit::new(m.start(), end, PiiKind::Url));
        }
        for m in self.url_bare.find_iter(text) {
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
}
