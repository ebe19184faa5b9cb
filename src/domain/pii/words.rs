//! Numbers and months written in words, in English, Italian, Spanish, French and Romanian: the
//! pieces of pattern that the phone and birth-date rules share.
//!
//! Romanian is written with the comma-below letters (ș, ț) or the older cedilla ones (ş, ţ), and
//! often without diacritics at all; the patterns accept all three.

/// Month names, full and abbreviated, for dates written with a day number and a year ("12 March
/// 1990", "3 martie 1990", "1er mars 1990").
pub(super) const MONTHS: &str = concat!(
    "january|february|march|april|may|june|july|august|september|october|november|december",
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec",
    "|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre",
    "|dicembre|gen|mag|giu|lug|ago|set|ott|dic",
    "|enero|febrero|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre",
    "|ene|abr",
    "|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|d[ée]cembre",
    "|janv|f[ée]vr|avr|juil|d[ée]c",
    "|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie",
    "|ian|iun|iul",
);

/// Full month names only, for dates written in words: an abbreviation next to a number word is
/// too often something else.
pub(super) const MONTHS_FULL: &str = concat!(
    "january|february|march|april|may|june|july|august|september|october|november|december",
    "|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre",
    "|dicembre",
    "|enero|febrero|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre",
    "|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|d[ée]cembre",
    "|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie",
);

/// The day of the month in words, cardinal or ordinal ("third", "tre", "primo", "tres",
/// "premier", "trois", "întâi", "trei").
pub(super) const DAY_WORDS: &str = concat!(
    // English ordinals and cardinals.
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth",
    "|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth",
    "|twenty[\\s\\-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)",
    "|thirtieth|thirty[\\s\\-]first",
    "|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen",
    "|fifteen|sixteen|seventeen|eighteen|nineteen",
    "|twenty(?:[\\s\\-](?:one|two|three|four|five|six|seven|eight|nine))?|thirty(?:[\\s\\-]one)?",
    // Italian.
    "|primo|uno|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici",
    "|quattordici|quindici|sedici|diciassette|diciotto|diciannove|venti|ventuno|ventidue",
    "|ventitr[eé]|ventiquattro|venticinque|ventisei|ventisette|ventotto|ventinove|trenta",
    "|trentuno",
    // Spanish.
    "|primero|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince",
    "|diecis[eé]is|diecisiete|dieciocho|diecinueve|veinte|veintiuno|veintid[oó]s|veintitr[eé]s",
    "|veinticuatro|veinticinco|veintis[eé]is|veintisiete|veintiocho|veintinueve",
    "|treinta(?:\\s+y\\s+uno)?",
    // French.
    "|premier|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze",
    "|quinze|seize|dix-sept|dix-huit|dix-neuf",
    "|vingt(?:[\\s\\-]et[\\s\\-]un|-(?:deux|trois|quatre|cinq|six|sept|huit|neuf))?",
    "|trente(?:[\\s\\-]et[\\s\\-]un)?",
    // Romanian.
    "|[îi]nt[âa]i|unu|una|doi|dou[ăa]|trei|patru|cinci|[șşs]ase|[șşs]apte|opt|nou[ăa]|zece",
    "|unsprezece|doisprezece|dou[ăa]sprezece|treisprezece|paisprezece|cincisprezece",
    "|[șşs]aisprezece|[șşs]aptesprezece|optsprezece|nou[ăa]sprezece",
    "|dou[ăa]zeci(?:\\s+[șşs]i\\s+(?:unu|una|doi|dou[ăa]|trei|patru|cinci|[șşs]ase|[șşs]apte",
    "|opt|nou[ăa]))?",
    "|treizeci(?:\\s+[șşs]i\\s+(?:unu|una))?",
);

/// English 1–99 after a century word ("ninety", "ninety-two", "oh five", "twelve").
const EN_TWO: &str = concat!(
    "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)",
    "(?:[\\s\\-](?:one|two|three|four|five|six|seven|eight|nine))?",
    "|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen",
    "|(?:oh|o|zero)[\\s\\-](?:one|two|three|four|five|six|seven|eight|nine)",
    "|one|two|three|four|five|six|seven|eight|nine",
);

/// Italian 1–99, also glued to the hundreds ("novanta", "novantadue", "ottantuno").
const IT_TWO: &str = concat!(
    "(?:venti|vent|trenta|trent|quaranta|quarant|cinquanta|cinquant|sessanta|sessant|settanta",
    "|settant|ottanta|ottant|novanta|novant)",
    "(?:uno|due|tr[eé]|quattro|cinque|sei|sette|otto|nove)?",
    "|dieci|undici|dodici|tredici|quattordici|quindici|sedici|diciassette|diciotto|diciannove",
    "|uno|due|tre|quattro|cinque|sei|sette|otto|nove",
);

/// Spanish 1–99 ("noventa", "noventa y dos", "veintidós").
const ES_TWO: &str = concat!(
    "(?:treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)",
    "(?:\\s+y\\s+(?:uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?",
    "|veinte|veinti(?:uno|d[oó]s|tr[eé]s|cuatro|cinco|s[eé]is|siete|ocho|nueve)",
    "|diez|once|doce|trece|catorce|quince|diecis[eé]is|diecisiete|dieciocho|diecinueve",
    "|uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve",
);

/// French 1–99 ("quatre-vingt-dix", "soixante-dix-huit", "vingt et un").
const FR_TWO: &str = concat!(
    "(?:quatre[\\s\\-]vingts?|soixante|cinquante|quarante|trente|vingt)",
    "(?:[\\s\\-]+(?:et[\\s\\-]+)?(?:dix[\\s\\-](?:sept|huit|neuf)|dix|onze|douze|treize",
    "|quatorze|quinze|seize|un|deux|trois|quatre|cinq|six|sept|huit|neuf))?",
    "|dix[\\s\\-](?:sept|huit|neuf)|dix|onze|douze|treize|quatorze|quinze|seize",
    "|un|deux|trois|quatre|cinq|six|sept|huit|neuf",
);

/// Romanian 1–99 ("nouăzeci", "optzeci și cinci", "doisprezece").
const RO_TWO: &str = concat!(
    "(?:dou[ăa]zeci|treizeci|patruzeci|cincizeci|[șşs]aizeci|[șşs]aptezeci|optzeci|nou[ăa]zeci)",
    "(?:\\s+[șşs]i\\s+(?:unu|una|doi|dou[ăa]|trei|patru|cinci|[șşs]ase|[șşs]apte|opt|nou[ăa]))?",
    "|zece|unsprezece|doisprezece|dou[ăa]sprezece|treisprezece|paisprezece|cincisprezece",
    "|[șşs]aisprezece|[șşs]aptesprezece|optsprezece|nou[ăa]sprezece",
    "|unu|una|doi|dou[ăa]|trei|patru|cinci|[șşs]ase|[șşs]apte|opt|nou[ăa]",
);

/// A year of the 19th, 20th or 21st century in words, in any of the five languages ("nineteen
/// ninety", "two thousand and two", "millenovecentonovanta", "mil novecientos noventa", "mille
/// neuf cent quatre-vingt-dix", "o mie nouă sute nouăzeci").
pub(super) fn year_words() -> String {
    format!(
        concat!(
            "(?:nineteen|eighteen|twenty)[\\s\\-]+(?:hundred(?:\\s+and)?\\s+)?(?:{en})",
            "|two\\s+thousand(?:\\s+and)?(?:\\s+(?:{en}))?",
            // "cento" loses its "o" before "otto" and "ottanta": "millenovecentottantanove".
            "|mille\\s*(?:nove|otto)cent(?:ottant[aoi]?(?:{it_unit})?|otto|o(?:\\s*(?:e\\s+)?(?:{it}))?)",
            "|duemila(?:\\s*(?:e\\s+)?(?:{it}))?",
            "|mil\\s+(?:novecientos|ochocientos)(?:\\s+(?:{es}))?",
            "|dos\\s+mil(?:\\s+(?:{es}))?",
            "|(?:mille|mil)[\\s\\-]+(?:neuf|huit)[\\s\\-]+cents?(?:[\\s\\-]+(?:{fr}))?",
            "|dix[\\s\\-]+(?:neuf|huit)[\\s\\-]+cents?(?:[\\s\\-]+(?:{fr}))?",
            "|deux[\\s\\-]+milles?(?:[\\s\\-]+(?:{fr}))?",
            "|o\\s+mie\\s+(?:nou[ăa]|opt)\\s+sute(?:\\s+(?:{ro}))?",
            "|dou[ăa]\\s+mii(?:\\s+(?:{ro}))?",
        ),
        en = EN_TWO,
        it = IT_TWO,
        it_unit = "uno|due|tr[eé]|quattro|cinque|sei|sette|otto|nove",
        es = ES_TWO,
        fr = FR_TWO,
        ro = RO_TWO,
    )
}

/// Lower case, without accents, cedillas or commas below: "Șapte", "şapte" and "sapte" all fold
/// to "sapte".
pub(super) fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            'ă' | 'â' | 'à' | 'á' | 'ä' => 'a',
            'î' | 'í' | 'ì' | 'ï' => 'i',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            other => other,
        })
        .collect()
}

/// The digit a word stands for when a number is read out one digit at a time, in any of the five
/// languages.
pub(super) fn digit_word(word: &str) -> Option<u8> {
    let digit = match fold(word).as_str() {
        "zero" | "cero" => 0,
        "one" | "uno" | "un" | "une" | "unu" | "una" => 1,
        "two" | "due" | "dos" | "deux" | "doi" | "doua" => 2,
        "three" | "tre" | "tres" | "trois" | "trei" => 3,
        "four" | "quattro" | "cuatro" | "quatre" | "patru" => 4,
        "five" | "cinque" | "cinco" | "cinq" | "cinci" => 5,
        "six" | "sei" | "seis" | "sase" => 6,
        "seven" | "sette" | "siete" | "sept" | "sapte" => 7,
        "eight" | "otto" | "ocho" | "huit" | "opt" => 8,
        "nine" | "nove" | "nueve" | "neuf" | "noua" => 9,
        _ => return None,
    };
    Some(digit)
}

/// A word of a number read out in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberWord {
    /// 0–9 ("zero", "sette", "cinco", "huit", "șapte").
    Unit(u8),
    /// 10–19 ("twelve", "dodici", "doce", "douze", "doisprezece").
    Teen(u8),
    /// 20, 30 … 90 ("thirty", "trenta", "treinta", "trente", "treizeci").
    Tens(u8),
    /// 21–99 in one word ("trentaquattro", "ventuno", "veintidós").
    Compound(u8),
    /// "and" between tens and units ("vingt et un", "treinta y dos", "douăzeci și doi").
    And,
    /// "double", "triple": the next digit is said two or three times.
    Repeat(usize),
}

fn teen(folded: &str) -> Option<u8> {
    let value = match folded {
        "ten" | "dieci" | "diez" | "dix" | "zece" => 10,
        "eleven" | "undici" | "once" | "onze" | "unsprezece" => 11,
        "twelve" | "dodici" | "doce" | "douze" | "doisprezece" | "douasprezece" => 12,
        "thirteen" | "tredici" | "trece" | "treize" | "treisprezece" => 13,
        "fourteen" | "quattordici" | "catorce" | "quatorze" | "paisprezece" => 14,
        "fifteen" | "quindici" | "quince" | "quinze" | "cincisprezece" => 15,
        "sixteen" | "sedici" | "dieciseis" | "seize" | "saisprezece" => 16,
        "seventeen" | "diciassette" | "diecisiete" | "saptesprezece" => 17,
        "eighteen" | "diciotto" | "dieciocho" | "optsprezece" => 18,
        "nineteen" | "diciannove" | "diecinueve" | "nouasprezece" => 19,
        _ => return None,
    };
    Some(value)
}

fn tens(folded: &str) -> Option<u8> {
    let value = match folded {
        "twenty" | "venti" | "veinte" | "vingt" | "vingts" | "douazeci" => 20,
        "thirty" | "trenta" | "treinta" | "trente" | "treizeci" => 30,
        "forty" | "quaranta" | "cuarenta" | "quarante" | "patruzeci" => 40,
        "fifty" | "cinquanta" | "cincuenta" | "cinquante" | "cincizeci" => 50,
        "sixty" | "sessanta" | "sesenta" | "soixante" | "saizeci" => 60,
        "seventy" | "settanta" | "setenta" | "saptezeci" => 70,
        "eighty" | "ottanta" | "ochenta" | "optzeci" => 80,
        "ninety" | "novanta" | "noventa" | "nouazeci" => 90,
        _ => return None,
    };
    Some(value)
}

/// Italian tens glued to a unit ("trentaquattro", "ventuno", "novantotto") and Spanish
/// "veintiuno" to "veintinueve".
fn compound(folded: &str) -> Option<u8> {
    const IT_STEMS: &[(&str, u8)] = &[
        ("venti", 20),
        ("vent", 20),
        ("trenta", 30),
        ("trent", 30),
        ("quaranta", 40),
        ("quarant", 40),
        ("cinquanta", 50),
        ("cinquant", 50),
        ("sessanta", 60),
        ("sessant", 60),
        ("settanta", 70),
        ("settant", 70),
        ("ottanta", 80),
        ("ottant", 80),
        ("novanta", 90),
        ("novant", 90),
    ];
    const IT_UNITS: &[&str] = &[
        "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove",
    ];
    const ES_UNITS: &[&str] = &[
        "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
    ];
    for &(stem, value) in IT_STEMS {
        if let Some(rest) = folded.strip_prefix(stem)
            && let Some(unit) = IT_UNITS.iter().position(|u| *u == rest)
        {
            return u8::try_from(unit + 1).ok().map(|u| value + u);
        }
    }
    let rest = folded.strip_prefix("veinti")?;
    let unit = ES_UNITS.iter().position(|u| *u == rest)?;
    u8::try_from(unit + 1).ok().map(|u| 20 + u)
}

/// What `word` is in a number read out in words, in any of the five languages.
pub(super) fn number_word(word: &str) -> Option<NumberWord> {
    let folded = fold(word);
    let folded = folded.as_str();
    if let Some(d) = digit_word(folded) {
        return Some(NumberWord::Unit(d));
    }
    if let Some(v) = teen(folded) {
        return Some(NumberWord::Teen(v));
    }
    if let Some(v) = tens(folded) {
        return Some(NumberWord::Tens(v));
    }
    if let Some(v) = compound(folded) {
        return Some(NumberWord::Compound(v));
    }
    match folded {
        "and" | "et" | "y" | "si" | "e" => Some(NumberWord::And),
        "double" | "doppio" | "doble" | "dublu" => Some(NumberWord::Repeat(2)),
        "triple" | "triplo" | "triplu" => Some(NumberWord::Repeat(3)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_words_fold_diacritics_in_every_language() {
        for (word, digit) in [
            ("Șapte", 7),
            ("şapte", 7),
            ("sapte", 7),
            ("nouă", 9),
            ("zéro", 0),
            ("SIX", 6),
            ("cero", 0),
            ("quattro", 4),
            ("eight", 8),
        ] {
            assert_eq!(digit_word(word), Some(digit), "{word}");
        }
        assert_eq!(digit_word("station"), None);
    }

    #[test]
    fn two_digit_words_are_read_in_every_language() {
        assert_eq!(number_word("trentaquattro"), Some(NumberWord::Compound(34)));
        assert_eq!(number_word("ventuno"), Some(NumberWord::Compound(21)));
        assert_eq!(number_word("novantotto"), Some(NumberWord::Compound(98)));
        assert_eq!(number_word("veintidós"), Some(NumberWord::Compound(22)));
        assert_eq!(number_word("douze"), Some(NumberWord::Teen(12)));
        assert_eq!(number_word("Douăzeci"), Some(NumberWord::Tens(20)));
        assert_eq!(number_word("soixante"), Some(NumberWord::Tens(60)));
        assert_eq!(number_word("și"), Some(NumberWord::And));
        assert_eq!(number_word("double"), Some(NumberWord::Repeat(2)));
        assert_eq!(number_word("venticello"), None);
    }

    #[test]
    fn the_shared_patterns_compile() {
        for pattern in [
            MONTHS.to_string(),
            MONTHS_FULL.to_string(),
            DAY_WORDS.to_string(),
            year_words(),
        ] {
            assert!(regex::Regex::new(&format!("(?i)^(?:{pattern})$")).is_ok());
        }
    }
}
