//! The languages of the service: those its pages are in, those a client copy can be printed in, and
//! reading a browser's `Accept-Language`.

use serde::{Deserialize, Serialize};

/// A language the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    It,
    Es,
    Fr,
    /// Only for the client copy a woman takes home.
    Ro,
    /// Tests only: every message wrapped in markers, to catch text that is not translated.
    #[serde(skip)]
    Pseudo,
}

impl Lang {
    /// The languages of the pages, and of the full summary and the dashboard report.
    pub const PAGES: [Lang; 4] = [Lang::En, Lang::It, Lang::Es, Lang::Fr];
    /// The languages a client copy can be printed in.
    pub const CLIENT_COPY: [Lang; 5] = [Lang::En, Lang::It, Lang::Es, Lang::Fr, Lang::Ro];

    /// The BCP 47 tag (`<html lang>`, forms, storage).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Ro => "ro",
            // A private-use tag: screen readers read it as English, which it is, decorated.
            Lang::Pseudo => "en-x-pseudo",
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::It => "Italiano",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::Ro => "Română",
            Lang::Pseudo => "Pseudo",
        }
    }

    /// A language from its tag (`it`, `it-IT`, `IT`); the pseudo-locale only by its full tag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == Lang::Pseudo.tag() {
            return Some(Lang::Pseudo);
        }
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::CLIENT_COPY.into_iter().find(|l| l.tag() == primary)
    }

    /// The page language a browser prefers most, by the quality values of its `Accept-Language`
    /// (RFC 9110); `None` if it names none of them.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            if !Lang::PAGES.contains(&lang) {
                continue;
            }
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), parse_quality);
            let Some(q) = q.filter(|q| *q > 0) else {
                continue;
            };
            // Equal quality: the earlier one wins.
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// A quality value ("0.8", "1", "0.125") in thousandths.
fn parse_quality(text: &str) -> Option<u16> {
    let value: f32 = text.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_preference_is_read_by_quality_then_order() {
        assert_eq!(Lang::negotiate("it-IT,it;q=0.9,en;q=0.8"), Some(Lang::It));
        assert_eq!(Lang::negotiate("de-DE,fr;q=0.7,es;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("fr, es"), Some(Lang::Fr), "equal: first");
        assert_eq!(Lang::negotiate("de, pl"), None);
        assert_eq!(Lang::negotiate("it;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(
            Lang::negotiate("ro"),
            None,
            "Romanian is for the client copy only"
        );
        assert_eq!(Lang::negotiate(""), None);
        assert_eq!(Lang::negotiate("en-x-pseudo"), None, "never negotiated");
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::CLIENT_COPY {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("ES-mx"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("de"), None);
    }
}
