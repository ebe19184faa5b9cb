//! Street addresses with a house number, in English, Italian, Spanish, French and Romanian, and
//! the Romanian block, staircase and flat ("bl. 4 sc. B ap. 12").

use regex::{Captures, Regex};

use super::{
    Hit, PatternError, PiiKind, char_after, char_before, compile, is_year, starts_uppercase,
};

/// Street types that mean nothing else, so a lower-case name is accepted.
const UNAMBIGUOUS_STREET_TYPES: &[&str] = &[
    "viale",
    "v.le",
    "c.so",
    "piazzale",
    "p.za",
    "p.zza",
    "vicolo",
    "lungomare",
    "contrada",
    "avenida",
    "avda.",
    "av.",
    "pza.",
    "ctra.",
    "c/",
    "pº",
    "p.º",
    "glorieta",
    "travesía",
    "travesia",
    "rambla",
    "carretera",
    "rue",
    "boulevard",
    "bd.",
    "allée",
    "allee",
    "str.",
    "b-dul",
    "bdul",
    "bdul.",
    "bulevardul",
    "aleea",
    "șos.",
    "şos.",
    "sos.",
];

/// Small words inside street names ("Via dei Mille", "Paseo de Gracia").
const STREET_PARTICLES: &[&str] = &[
    "di", "de", "del", "della", "dei", "degli", "delle", "dello", "da", "dal", "dalla", "la",
    "las", "los", "el", "le", "lo", "san", "santa", "santo", "s.", "du", "des", "d'", "d’", "l'",
    "l’", "les", "saint", "sainte",
];

/// "contacted via WhatsApp 3 times": channels, not streets.
const NOT_STREET_NAMES: &[&str] = &[
    "whatsapp",
    "facebook",
    "telegram",
    "skype",
    "zoom",
    "teams",
    "messenger",
    "instagram",
    "signal",
    "viber",
    "email",
    "e-mail",
    "mail",
    "phone",
    "telephone",
    "telefono",
    "teléfono",
    "sms",
    "text",
    "google",
    "meet",
    "internet",
    "web",
    "app",
    "chat",
    "post",
    "posta",
    "correo",
    "video",
    "videocall",
    "the",
    "a",
    "an",
    "her",
    "his",
    "their",
];

/// Words after the number that make it a count, not a house number
/// ("vivió en la calle Mayor 5 años").
const COUNT_WORDS: &[&str] = &[
    "times",
    "time",
    "volte",
    "volta",
    "veces",
    "vez",
    "days",
    "day",
    "giorni",
    "giorno",
    "días",
    "dias",
    "día",
    "dia",
    "hours",
    "hour",
    "ore",
    "ora",
    "horas",
    "hora",
    "weeks",
    "week",
    "settimane",
    "settimana",
    "semanas",
    "semana",
    "months",
    "month",
    "mesi",
    "mese",
    "meses",
    "mes",
    "years",
    "year",
    "anni",
    "anno",
    "años",
    "año",
    "anos",
    "sessions",
    "session",
    "sedute",
    "seduta",
    "sesiones",
    "sesión",
    "people",
    "persone",
    "personas",
    "children",
    "kids",
    "figli",
    "figlie",
    "hijos",
    "hijas",
    "women",
    "donne",
    "mujeres",
    "girls",
    "ragazze",
    "chicas",
    "euro",
    "euros",
    "eur",
    "minutes",
    "minuti",
    "minutos",
    "min",
    "am",
    "pm",
    "h",
    "x",
    // French.
    "fois",
    "jours",
    "jour",
    "heures",
    "heure",
    "semaines",
    "semaine",
    "mois",
    "ans",
    "an",
    "années",
    "année",
    "enfants",
    "personnes",
    "femmes",
    "filles",
    "séances",
    "séance",
    // Romanian.
    "ori",
    "zile",
    "zi",
    "ore",
    "oră",
    "săptămâni",
    "săptămână",
    "luni",
    "lună",
    "ani",
    "copii",
    "persoane",
    "femei",
    "fete",
    "lei",
    "ședințe",
    "şedinţe",
];

/// French street types that mean nothing else, so a lower-case name is accepted after a house
/// number ("12 rue de la paix"); the others need a capitalised name, since they are also English
/// words ("1 avenue of support", "1 impasse after another", "3 bd apartment", "12 square metres").
const FRENCH_UNAMBIGUOUS: &[&str] = &["rue", "allée", "allee", "chemin", "quai"];

fn plausible_romance_street(text: &str, c: &Captures<'_>) -> bool {
    let (Some(kind), Some(name), Some(num)) = (c.name("type"), c.name("name"), c.name("num"))
    else {
        return false;
    };
    // A four-digit year is not a house number ("corso di italiano 2024").
    if is_year(num.as_str()) {
        return false;
    }
    let end = c.get(0).map_or(num.end(), |m| m.end());
    // "12345" cut to "1234", "14:30", "45%", "3,5": not a house number.
    match char_after(text, end) {
        Some(ch) if ch.is_alphanumeric() || ch == ':' || ch == '%' => return false,
        Some(',' | '.')
            if text
                .get(end + 1..)
                .and_then(|r| r.chars().next())
                .is_some_and(|d| d.is_ascii_digit()) =>
        {
            return false;
        }
        _ => {}
    }
    let next_word: String = text
        .get(end..)
        .unwrap_or("")
        .trim_start()
        .chars()
        .take_while(|ch| ch.is_alphanumeric() || *ch == '€')
        .collect::<String>()
        .to_lowercase();
    if COUNT_WORDS.contains(&next_word.as_str()) || next_word.starts_with('€') {
        return false;
    }
    // The first word of the name that is not a particle.
    let content = name.as_str().split_whitespace().find(|w| {
        let lw = w.to_lowercase();
        !STREET_PARTICLES.contains(&lw.as_str())
    });
    let Some(content) = content else {
        return false;
    };
    // "dell'Amore", "d'Azeglio": look at the word after the apostrophe.
    let core = content.rsplit(['\'', '’']).next().unwrap_or(content);
    if NOT_STREET_NAMES.contains(&core.trim_end_matches('.').to_lowercase().as_str()) {
        return false;
    }
    let kind_lower = kind.as_str().to_lowercase();
    // "c/o Caritas": care of, not calle.
    if kind_lower == "c/" && name.as_str().to_lowercase().starts_with("o ") {
        return false;
    }
    // Street names are capitalised ("via Roma 12"); a lower-case word after
    // "via", "piazza", "plaza" is ordinary prose ("via phone 3 times",
    // "Piazza con 3 amiche", "plaza de acogida 3"). Only types that mean
    // nothing else accept a lower-case name ("viale monza 100").
    starts_uppercase(core) || UNAMBIGUOUS_STREET_TYPES.contains(&kind_lower.as_str())
}

/// This kind's patterns, compiled once (see `pii::ready`).
pub(super) struct Streets {
    /// English order: house number, capitalised street name, street type
    /// ("12 Baker Street", "221B Baker St", "Flat 3, 45 High Road"). The name
    /// must be capitalised, so "2 young street workers" does not match. "Court"
    /// is left out because of "Family Court".
    street_en: Regex,
    /// Italian and Spanish order: street type, name, house number ("Via Roma
    /// 12", "via Garibaldi, 5", "C/ Alcalá 23", "Avenida de la Constitución
    /// 12"). A street word alone ("in strada", "la calle") has no number and
    /// passes; `plausible_romance_street` handles "via" as an English word.
    street_romance: Regex,
    /// French order: house number (with "bis", "ter"), street type, name ("12 rue de la Paix",
    /// "3 bis avenue Jean Jaurès", "45, boulevard Voltaire"). The name is capitalised, or one
    /// lower-case word after a type that means nothing else ("rue de la paix").
    street_fr: Regex,
    /// A Romanian block of flats: block, staircase, floor and flat ("bl. 4 sc. B ap. 12",
    /// "bloc A2, ap. 7"): a block and a flat at least.
    block: Regex,
}

impl Streets {
    /// Compiles every pattern, or says which one does not compile.
    pub(super) fn compile() -> Result<Self, PatternError> {
        let street_en = {
            compile(
                "STREET_EN",
                r"\b(?:(?i:flat|apartment|apt|unit)\.?\s+\d{1,4}[A-Za-z]?,?\s+)?(?P<num>\d{1,4})[A-Za-z]?,?\s+(?:\p{Lu}[\p{L}'’\-]*\s+){1,3}(?i:street|road|avenue|lane|drive|close|place|square|terrace|crescent|grove|gardens|boulevard|way|mews|st|rd|ave|ln|blvd)\b",
            )
        }?;
        let street_romance = {
            compile(
                "STREET_ROMANCE",
                r"\b(?P<type>(?i:via|viale|corso|piazza|piazzale|largo|vicolo|strada|contrada|lungomare|borgo|calle|avenida|plaza|paseo|camino|carretera|ronda|traves[ií]a|glorieta|rambla|rue|avenue|boulevard|impasse|all[ée]e|chemin|quai|bulevardul|bulevard|b-dul|bdul|calea|aleea|[șşs]oseaua|splaiul|pia[țţt]a|intrarea|prelungirea)\b|(?i:v\.le|c\.so|p\.zza|p\.za|c/|avda\.|av\.|pza\.|ctra\.|pº|p\.º|str\.|bd\.|bdul\.|[șşs]os\.))\s*(?P<name>\p{L}[\p{L}'’\-]*\.?(?:\s+\p{L}[\p{L}'’\-]*\.?){0,3})\s*,?\s*(?:(?i:nr\.?|num[ăa]rul|nº|n°|n\.|no\.|num\.|núm\.)\s*)?(?P<num>\d{1,4})(?:[A-Za-z]\b|\s?/\s?[A-Za-z0-9]{1,3}\b)?",
            )
        }?;
        let particles =
            r"(?:(?i:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’]|saint|sainte)\s*)";
        let street_fr = compile(
            "STREET_FR",
            &format!(
                r"\b(?P<num>\d{{1,4}})(?:\s*(?i:bis|ter|quater)\b|[A-Da-d]\b)?\s*,?\s+(?P<type>(?i:rue|avenue|boulevard|bd|bld|impasse|all[ée]e|chemin|quai|place|route|passage|square|sentier|faubourg)\b|(?i:av\.|bd\.|bld\.|rte\.))\s*(?P<name>{particles}*(?:\p{{Lu}}[\p{{L}}'’\-]*(?:\s+{particles}*\p{{Lu}}[\p{{L}}'’\-]*){{0,3}}|(?P<lower>\p{{Ll}}[\p{{L}}'’\-]*)))"
            ),
        )?;
        let block = compile(
            "BLOCK",
            r"(?i)\b(?:bl|bloc(?:ul)?)\.?\s*[A-Z0-9]{1,4}\b\s*,?\s*(?:(?:sc|scara)\.?\s*[A-Z0-9]{1,2}\b\s*,?\s*)?(?:(?:et|etaj)\.?\s*\d{1,2}\b\s*,?\s*)?(?:ap|apt|apartament(?:ul)?)\.?\s*\d{1,4}\b",
        )?;
        Ok(Self {
            street_en,
            street_romance,
            street_fr,
            block,
        })
    }

    pub(super) fn detect(&self, text: &str, hits: &mut Vec<Hit>) {
        for c in self.street_en.captures_iter(text) {
            let (Some(all), Some(num)) = (c.get(0), c.name("num")) else {
                continue;
            };
            if !is_year(num.as_str()) {
                hits.push(Hit::new(all.start(), all.end(), PiiKind::StreetAddress));
            }
        }
        for c in self.street_romance.captures_iter(text) {
            let Some(all) = c.get(0) else {
                continue;
            };
            if plausible_romance_street(text, &c) {
                hits.push(Hit::new(all.start(), all.end(), PiiKind::StreetAddress));
            }
        }
        for c in self.street_fr.captures_iter(text) {
            let (Some(all), Some(num), Some(kind), Some(name)) =
                (c.get(0), c.name("num"), c.name("type"), c.name("name"))
            else {
                continue;
            };
            // "en 2019 rue …", "1,5 rue": a year or the end of a decimal is not a house number.
            if is_year(num.as_str())
                || char_before(text, num.start()).is_some_and(|ch| matches!(ch, ',' | '.' | '/'))
            {
                continue;
            }
            let kind_lower = kind.as_str().to_lowercase();
            if c.name("lower").is_some() && !FRENCH_UNAMBIGUOUS.contains(&kind_lower.as_str()) {
                continue;
            }
            let last = name.as_str().split_whitespace().last().unwrap_or("");
            if NOT_STREET_NAMES.contains(&last.to_lowercase().as_str()) {
                continue;
            }
            hits.push(Hit::new(all.start(), all.end(), PiiKind::StreetAddress));
        }
        for m in self.block.find_iter(text) {
            hits.push(Hit::new(m.start(), m.end(), PiiKind::StreetAddress));
        }
    }
}
