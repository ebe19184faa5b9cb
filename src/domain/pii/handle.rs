//! Social media handles.

use regex::Regex;

use super::{Hit, PatternError, PiiKind, compile, letter_count};

/// Keywords after a platform name that introduce the user name itself.
const NAME_KEYWORDS: &[&str] = &[
    "user", "username", "handle", "nick", "nickname", "usuario", "utente", "name", "nome",
    "nombre", "id",
];

/// Words that follow "instagram user ..." without being a handle.
const NOT_HANDLES: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "not",
    "no",
    "and",
    "or",
    "the",
    "a",
    "an",
    "è",
    "e",
    "es",
    "el",
    "la",
    "il",
    "lo",
    "di",
    "de",
    "del",
    "che",
    "que",
    "non",
    "unknown",
    "sconosciuto",
    "desconocido",
    "deleted",
    "blocked",
    "closed",
];

/// A handle that mixes in digits, underscores or dots ("maria_88"), but not
/// a count with a unit ("2x", "3rd", "10min").
fn handle_like(s: &str) -> bool {
    let number_then_unit = s.starts_with(|c: char| c.is_ascii_digit())
        && s.trim_start_matches(|c: char| c.is_ascii_digit())
            .chars()
            .all(char::is_alphabetic);
    letter_count(s) >= 2
        && !number_then_unit
        && s.chars()
            .any(|c| c.is_ascii_digit() || c == '_' || c == '.')
}

/// "@home", "@shelter": "@" used for "at" before a place.
const AT_PLACES: &[&str] = &[
    "home", "work", "school", "shelter", "office", "casa", "lavoro", "scuola", "ufficio",
    "trabajo", "escuela", "oficina", "centre", "center", "centro",
];

/// "@3pm", "@10.30": a time written with "@", not a handle.
fn time_like(s: &str) -> bool {
    let lower = s.to_lowercase();
    let rest = lower.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ':');
    rest.len() < lower.len() && matches!(rest, "" | "am" | "pm" | "h")
}

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Handles {
    /// "@name" not preceded by a word character (that would be an e-mail).
    handle_at: Regex,
    /// A platform name followed by a handle: "instagram: maria_88",
    /// "telegram @x", "tiktok user x", "su TikTok come maria_88".
    handle_platform: Regex,
    /// A word with an underscore between letters or digits ("maria_88") is a
    /// user name; ordinary prose never has one.
    handle_underscore: Regex,
}

impl Handles {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let handle_at = {
            compile(
                "HANDLE_AT",
                r"(?:^|[^\p{L}\p{N}_.@/\\])(@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)",
            )
        }?;
        let handle_platform = {
            compile(
                "HANDLE_PLATFORM",
                r"(?i)\b(?:instagram|insta|ig|facebook|fb|telegram|tg|tiktok|tik\s?tok|snapchat|snap|twitter|whatsapp|onlyfans|viber|skype|kik|linkedin|vkontakte|vk|messenger|tinder|badoo|signal)\b[ \t]*(?P<kw>(?:user(?:name)?|handle|nick(?:name)?|usuario|utente|nome\s+utente|nombre\s+de\s+usuario|name|nome|nombre|id|account|profile|profilo|perfil|cuenta|page|pagina|página)\b[ \t]*)?(?:[:=\-–][ \t]*|(?:is|è|es|come|como|as)[ \t]+)?(?P<h>@?[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)",
            )
        }?;
        let handle_underscore = compile(
            "HANDLE_UNDERSCORE",
            r"\b[\p{L}\p{N}]+(?:_+[\p{L}\p{N}]+)+\b",
        )?;
        Ok(Self {
            handle_at,
            handle_platform,
            handle_underscore,
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for c in self.handle_at.captures_iter(text) {
            let Some(h) = c.get(1) else {
                continue;
            };
            let name = h.as_str().trim_start_matches('@');
            if name.chars().count() >= 2
                && letter_count(name) >= 1
                && !time_like(name)
                && !AT_PLACES.contains(&name.to_lowercase().as_str())
            {
                hits.push(Hit::new(h.start(), h.end(), PiiKind::SocialHandle));
            }
        }
        for c in self.handle_platform.captures_iter(text) {
            let Some(h) = c.name("h") else {
                continue;
            };
            let s = h.as_str();
            let name_keyword = c.name("kw").is_some_and(|k| {
                let k = k
                    .as_str()
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                NAME_KEYWORDS.contains(&k.as_str())
            });
            let accept = if let Some(name) = s.strip_prefix('@') {
                !name.is_empty() && !time_like(name)
            } else if handle_like(s) {
                true
            } else {
                // "tiktok user maria": a plain word only after an explicit
                // user-name keyword, and not a function word.
                name_keyword
                    && letter_count(s) >= 1
                    && !NOT_HANDLES.contains(&s.to_lowercase().as_str())
            };
            if accept {
                hits.push(Hit::new(h.start(), h.end(), PiiKind::SocialHandle));
            }
        }
        for m in self.handle_underscore.find_iter(text) {
            if letter_count(m.as_str()) >= 1 {
                hits.push(Hit::new(m.start(), m.end(), PiiKind::SocialHandle));
            }
        }
    }
}
