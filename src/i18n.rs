//! Translations: Fluent messages (`fluent-bundle`), one `.ftl` file per language and area under
//! `i18n/`, compiled in and checked at start (every message of English in every language of its
//! area, nothing extra). Values inserted into a message are wrapped in Unicode isolation marks, so
//! a code or a name in another script cannot reorder the sentence around it.
//!
//! The pseudo-locale (tests only) shows every message as English wrapped in `⟦…⟧`: a page rendered in
//! it shows any text that does not come from here.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub mod lang;

pub use lang::Lang;

/// Where each area's messages are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Pages, messages and errors: English, Italian, Spanish, French.
    Pages,
    /// The client copy: also Romanian.
    ClientCopy,
}

impl Area {
    /// The languages an area must be complete in.
    pub fn languages(self) -> &'static [Lang] {
        match self {
            Area::Pages => &Lang::PAGES,
            Area::ClientCopy => &Lang::CLIENT_COPY,
        }
    }
}

/// Every message file: language, file name, area, source.
macro_rules! ftl {
    ($($lang:ident $name:literal $area:ident),+ $(,)?) => {
        &[$((Lang::$lang, $name, Area::$area, include_str!(concat!("i18n/", $name)))),+]
    };
}

/// The message files compiled in.
pub const FILES: &[(Lang, &str, Area, &str)] = ftl![
    En "en/common.ftl" Pages,
    It "it/common.ftl" Pages,
    Es "es/common.ftl" Pages,
    Fr "fr/common.ftl" Pages,
    En "en/account.ftl" Pages,
    It "it/account.ftl" Pages,
    Es "es/account.ftl" Pages,
    Fr "fr/account.ftl" Pages,
    En "en/cases.ftl" Pages,
    It "it/cases.ftl" Pages,
    Es "es/cases.ftl" Pages,
    Fr "fr/cases.ftl" Pages,
    En "en/assessments.ftl" Pages,
    It "it/assessments.ftl" Pages,
    Es "es/assessments.ftl" Pages,
    Fr "fr/assessments.ftl" Pages,
    En "en/pages.ftl" Pages,
    It "it/pages.ftl" Pages,
    Es "es/pages.ftl" Pages,
    Fr "fr/pages.ftl" Pages,
    En "en/admin.ftl" Pages,
    It "it/admin.ftl" Pages,
    Es "es/admin.ftl" Pages,
    Fr "fr/admin.ftl" Pages,
    En "en/pdf.ftl" ClientCopy,
    It "it/pdf.ftl" ClientCopy,
    Es "es/pdf.ftl" ClientCopy,
    Fr "fr/pdf.ftl" ClientCopy,
    Ro "ro/pdf.ftl" ClientCopy,
];

struct Catalog {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    /// Every message that takes no value, formatted once per language: most of a page's words
    /// (a checklist step asks for some 350), each then a hash lookup rather than a Fluent pass.
    /// (foldhash: these are looked up hundreds of times per page and never keyed by a visitor.)
    plain: HashMap<Lang, PlainMessages, foldhash::fast::FixedState>,
}

type PlainMessages = HashMap<String, String, foldhash::fast::FixedState>;

static CATALOG: LazyLock<Result<Catalog, String>> = LazyLock::new(build);

fn build() -> Result<Catalog, String> {
    let mut bundles: HashMap<Lang, FluentBundle<FluentResource>> = HashMap::new();
    for (lang, name, _, source) in FILES {
        let resource = FluentResource::try_new((*source).to_owned())
            .map_err(|(_, errors)| format!("{name} does not parse: {errors:?}"))?;
        let bundle = bundles.entry(*lang).or_insert_with(|| {
            let id: unic_langid::LanguageIdentifier = lang.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(true);
            bundle
        });
        bundle
            .add_resource(resource)
            .map_err(|errors| format!("{name} repeats a message: {errors:?}"))?;
    }
    let mut catalog = Catalog {
        bundles,
        plain: HashMap::default(),
    };
    catalog.check()?;
    catalog.plain = catalog.format_plain_messages();
    Ok(catalog)
}

/// The message ids of one file.
pub fn ids_of(source: &str) -> BTreeSet<String> {
    let Ok(resource) = FluentResource::try_new(source.to_owned()) else {
        return BTreeSet::new();
    };
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

impl Catalog {
    /// Every English file's ids exist in the same file of every language of its area, and no file
    /// holds an id its English file lacks.
    fn check(&self) -> Result<(), String> {
        for (lang, name, area, source) in FILES.iter().filter(|f| f.0 == Lang::En) {
            let english = ids_of(source);
            let area_name = name.trim_start_matches("en/");
            for other in area.languages().iter().filter(|l| **l != *lang) {
                let Some((_, other_name, _, other_source)) = FILES
                    .iter()
                    .find(|f| f.0 == *other && f.1.ends_with(&format!("/{area_name}")))
                else {
                    return Err(format!("{area_name} has no {} file", other.tag()));
                };
                let theirs = ids_of(other_source);
                if let Some(missing) = english.difference(&theirs).next() {
                    return Err(format!("{other_name} lacks {missing}"));
                }
                if let Some(extra) = theirs.difference(&english).next() {
                    return Err(format!("{other_name} has {extra}, which English lacks"));
                }
            }
        }
        Ok(())
    }

    /// Every message of every language that formats without values (one that needs a value
    /// reports an error without it, and is left to Fluent).
    fn format_plain_messages(&self) -> HashMap<Lang, PlainMessages, foldhash::fast::FixedState> {
        let mut plain: HashMap<Lang, PlainMessages, foldhash::fast::FixedState> =
            HashMap::default();
        for (lang, _, _, source) in FILES {
            for id in ids_of(source) {
                if let Some(text) = self.format(*lang, &id, None) {
                    plain.entry(*lang).or_default().insert(id, text);
                }
            }
        }
        plain
    }

    fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundles.get(&lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }
}

/// Checks every message file at start: a missing translation stops the start, like a broken
/// checklist.
pub fn ready() -> Result<(), String> {
    CATALOG.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Checks that every id in `ids` (the answer lists' messages, which the lists name themselves) is
/// in the catalogue; the first missing one is the error.
pub fn check_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let catalog = CATALOG.as_ref().map_err(Clone::clone)?;
    match ids
        .into_iter()
        .find(|id| catalog.format(Lang::En, id, None).is_none())
    {
        Some(id) => Err(format!("no message {id} for an answer of a closed list")),
        None => Ok(()),
    }
}

/// The message `id` in `lang` (English where a language lacks it; the id itself if nothing has it).
pub fn t(lang: Lang, id: &str) -> String {
    text(lang, id).into_owned()
}

/// `t`, borrowed from the catalogue when the message takes no values (most of a page's words):
/// for templates, which only print it.
pub fn text(lang: Lang, id: &str) -> std::borrow::Cow<'static, str> {
    if let Ok(catalog) = CATALOG.as_ref()
        && let Some(text) = catalog.plain.get(&lang).and_then(|m| m.get(id))
    {
        return std::borrow::Cow::Borrowed(text.as_str());
    }
    std::borrow::Cow::Owned(lookup(lang, id, None))
}

/// The message `id` in `lang` with the named values `args`.
pub fn t_with(lang: Lang, id: &str, args: &[(&str, Value)]) -> String {
    // The same message with the same numbers comes back often (a checklist page asks for
    // "3 studies" once per factor): those are formatted once. Messages with text values are
    // not kept: the text may come from a case (a comment, a code), which must not outlive it.
    if args.iter().any(|(_, v)| matches!(v, Value::Text(_))) {
        return format_with(lang, id, args);
    }
    use std::fmt::Write as _;
    let mut memo_key = format!("{}\0{id}", lang.tag());
    for (name, value) in args {
        if let Value::Number(n) = value {
            let _ = write!(memo_key, "\0{name}\0{n}");
        }
    }
    let mut memo = FORMATTED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(text) = memo.get(&memo_key) {
        return text.clone();
    }
    drop(memo);
    let text = format_with(lang, id, args);
    memo = FORMATTED.lock().unwrap_or_else(|p| p.into_inner());
    if memo.len() >= FORMATTED_MAX {
        memo.clear();
    }
    memo.insert(memo_key, text.clone());
    text
}

/// A message worded once with a marker for each of some text values (a date, a code: a case's
/// data, which must not be kept) that `fill` then puts in, for a line repeated on a page with
/// different values. Fluent's formatting of "last time" lines was a tenth of a checklist page's
/// time. Only for values no selector of the message looks at.
#[derive(Debug, Clone)]
pub struct Wording(String);

impl Wording {
    /// Message `id` with `kept` values (numbers, or the checklist's own words) and a marker for
    /// each name in `filled`, in that order.
    pub fn new(lang: Lang, id: &str, kept: &[(&str, Value)], filled: &[&str]) -> Self {
        let mut args = kept.to_vec();
        for (i, name) in filled.iter().enumerate() {
            args.push((*name, Value::Text(marker(i).to_string())));
        }
        Self(format_with(lang, id, &args))
    }

    /// The message with `values` in place of the markers, in the order of `filled`.
    pub fn fill(&self, values: &[&str]) -> String {
        let mut text = self.0.clone();
        for (i, value) in values.iter().enumerate() {
            text = text.replace(marker(i), value);
        }
        text
    }
}

/// The marker of the `i`-th filled value: a character of Unicode's private use area, which no
/// message contains.
fn marker(i: usize) -> char {
    char::from_u32(0xE000 + u32::try_from(i).unwrap_or(0)).unwrap_or('\u{E000}')
}

fn format_with(lang: Lang, id: &str, args: &[(&str, Value)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.to_fluent());
    }
    lookup(lang, id, Some(&fluent))
}

/// Messages with numbers formatted lately, at most `FORMATTED_MAX` (then it starts again).
static FORMATTED: LazyLock<std::sync::Mutex<HashMap<String, String>>> =
    LazyLock::new(Default::default);
const FORMATTED_MAX: usize = 4096;

/// A value to insert into a message.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Number(i64),
}

impl Value {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Value::Text(t) => FluentValue::from(t.clone()),
            Value::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<usize> for Value {
    fn from(value: usize) -> Self {
        Value::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

/// A date as people of `lang` write it: ISO in English (as the service always showed it, and
/// unambiguous between British and American readers), day/month/year in the other languages.
pub fn format_date(lang: Lang, date: time::Date) -> String {
    match lang {
        Lang::En | Lang::Pseudo => date.to_string(),
        Lang::It | Lang::Es | Lang::Fr | Lang::Ro => format!(
            "{:02}/{:02}/{}",
            date.day(),
            u8::from(date.month()),
            date.year()
        ),
    }
}

/// A moment as a date and a time of day in UTC ("2026-03-05 14:30 UTC", "05/03/2026 14:30 UTC").
pub fn format_date_time(lang: Lang, at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(lang, at.date()),
        at.hour(),
        at.minute()
    )
}

/// A month of a year with the month's name: "March 2024", "marzo 2024", "mars 2024".
pub fn format_month(lang: Lang, year: i32, month: time::Month) -> String {
    t_with(
        lang,
        "date-month-year",
        &[
            (
                "month",
                t(lang, MONTHS[usize::from(u8::from(month)) - 1]).into(),
            ),
            ("year", year.to_string().into()),
        ],
    )
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
    "month-9", "month-10", "month-11", "month-12",
];

fn lookup(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let Ok(catalog) = CATALOG.as_ref() else {
        return id.to_owned();
    };
    if lang == Lang::Pseudo {
        let english = catalog
            .format(Lang::En, id, args)
            .unwrap_or_else(|| id.to_owned());
        return format!("⟦{english}⟧");
    }
    catalog
        .format(lang, id, args)
        .or_else(|| catalog.format(Lang::En, id, args))
        .unwrap_or_else(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_every_language_is_complete() {
        ready().unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn plurals_follow_each_language_and_values_are_isolated() {
        let one = t_with(Lang::En, "sessions-ended", &[("count", 1usize.into())]);
        let two = t_with(Lang::En, "sessions-ended", &[("count", 2usize.into())]);
        assert!(one.contains("1\u{2069} other session was"), "{one:?}");
        assert!(two.contains("2\u{2069} other sessions were"), "{two:?}");
        let fr = t_with(Lang::Fr, "sessions-ended", &[("count", 1usize.into())]);
        assert!(fr.contains("session"), "{fr}");
        let pseudo = t(Lang::Pseudo, "nav-cases");
        assert!(pseudo.starts_with('⟦') && pseudo.ends_with('⟧'), "{pseudo}");
    }

    #[test]
    fn a_filled_value_reads_as_formatted_directly() {
        let date = "2031-07-19";
        for lang in [
            Lang::En,
            Lang::It,
            Lang::Es,
            Lang::Fr,
            Lang::Ro,
            Lang::Pseudo,
        ] {
            let direct = t_with(
                lang,
                "factor-last-time",
                &[("date", date.into()), ("rating", "2 Moderate".into())],
            );
            let wording = Wording::new(
                lang,
                "factor-last-time",
                &[("rating", "2 Moderate".into())],
                &["date"],
            );
            assert_eq!(wording.fill(&[date]), direct, "{lang:?}");
            assert!(
                direct.contains(date) && direct.contains("2 Moderate"),
                "{direct}"
            );
        }
    }
}
