//! The checklist in other languages: one TOML file per language beside the instrument
//! (`exit-factors-v2.it.toml`), keyed by the instrument's stable ids, compiled in and checked at
//! start like the instrument itself. A translated instrument is a copy of the English one with its
//! texts replaced: ids, roles, citations and scoring stay the same, so answers and scores never
//! depend on the language they were entered in.
//!
//! The page languages translate every text. Romanian is only for the client copy, so its file holds
//! only what the copy prints: titles, the scale, the directions and the stages.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Instrument, InstrumentError};
use crate::i18n::Lang;

/// The translation files compiled in: instrument version, language, source.
pub(super) const BUNDLED: [(&str, Lang, &str); 4] = [
    ("2", Lang::It, include_str!("exit-factors-v2.it.toml")),
    ("2", Lang::Es, include_str!("exit-factors-v2.es.toml")),
    ("2", Lang::Fr, include_str!("exit-factors-v2.fr.toml")),
    ("2", Lang::Ro, include_str!("exit-factors-v2.ro.toml")),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    language: String,
    instrument: String,
    version: String,
    title: String,
    #[serde(default)]
    stages_credit: Option<String>,
    #[serde(default)]
    evidence_notes: Vec<String>,
    scale: BTreeMap<String, Labelled>,
    directions: BTreeMap<String, Labelled>,
    stages: BTreeMap<String, StageText>,
    levels: BTreeMap<String, LevelText>,
    factors: BTreeMap<String, FactorText>,
    #[serde(default)]
    studies: BTreeMap<String, StudyText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    label: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageText {
    title: String,
    description: String,
    summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelText {
    title: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorText {
    title: String,
    #[serde(default)]
    guidance: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StudyText {
    country: String,
    population: String,
    #[serde(default)]
    uncited: Option<String>,
}

/// Takes the text for `key` out of `map`, or says which language lacks it.
fn take<T>(map: &mut BTreeMap<String, T>, key: &str, lang: Lang) -> Result<T, String> {
    map.remove(key)
        .ok_or_else(|| format!("the {} checklist lacks {key}", lang.tag()))
}

fn filled(text: &str, what: &str, lang: Lang) -> Result<(), String> {
    if text.trim().is_empty() {
        Err(format!("the {} checklist has an empty {what}", lang.tag()))
    } else {
        Ok(())
    }
}

/// `english` in `lang`, from the TOML `source`: every id of the instrument must be there, nothing
/// else, and nothing empty. Page languages must translate the guidance, the notes and the studies
/// too; the client-copy-only language must not (nobody would read them).
pub(super) fn translate(
    english: &Instrument,
    lang: Lang,
    source: &str,
) -> Result<Instrument, InstrumentError> {
    let t: Translation = toml::from_str(source)?;
    apply(english, lang, t).map_err(InstrumentError::Invalid)
}

fn apply(english: &Instrument, lang: Lang, mut t: Translation) -> Result<Instrument, String> {
    if t.language != lang.tag() || t.instrument != english.id || t.version != english.version {
        return Err(format!(
            "the {} file says it is {} of {} {}",
            lang.tag(),
            t.language,
            t.instrument,
            t.version
        ));
    }
    let full = Lang::PAGES.contains(&lang);
    let mut out = english.clone();
    filled(&t.title, "title", lang)?;
    out.title = t.title;
    for point in &mut out.scale {
        let text = take(&mut t.scale, &point.value.to_string(), lang)?;
        filled(&text.label, "scale label", lang)?;
        point.label = text.label;
        point.description = text.description;
    }
    for direction in &mut out.directions {
        let text = take(&mut t.directions, &direction.id, lang)?;
        filled(&text.label, "direction", lang)?;
        direction.label = text.label;
        direction.description = text.description;
    }
    for stage in &mut out.stages {
        let text = take(&mut t.stages, &stage.id, lang)?;
        filled(&text.title, "stage title", lang)?;
        filled(&text.description, "stage description", lang)?;
        stage.title = text.title;
        stage.description = text.description;
        stage.summary = text.summary;
    }
    for level in &mut out.levels {
        let key = serde_json::to_value(level.id)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let text = take(&mut t.levels, &key, lang)?;
        filled(&text.title, "level title", lang)?;
        level.title = text.title;
        level.description = text.description;
        for factor in &mut level.factors {
            let text = take(&mut t.factors, factor.id.as_str(), lang)?;
            filled(&text.title, "factor title", lang)?;
            factor.title = text.title;
            match (full, text.guidance) {
                (true, Some(guidance)) => {
                    filled(&guidance, "guidance", lang)?;
                    factor.guidance = guidance;
                }
                (true, None) => {
                    return Err(format!(
                        "the {} checklist lacks the guidance of {}",
                        lang.tag(),
                        factor.id
                    ));
                }
                (false, Some(_)) => {
                    return Err(format!(
                        "the {} checklist is for the client copy and needs no guidance ({})",
                        lang.tag(),
                        factor.id
                    ));
                }
                (false, None) => {}
            }
        }
    }
    if full {
        if english.stages_credit.is_some() {
            out.stages_credit = Some(
                t.stages_credit
                    .take()
                    .ok_or_else(|| format!("the {} checklist lacks stages_credit", lang.tag()))?,
            );
        }
        if t.evidence_notes.len() != english.evidence_notes.len() {
            return Err(format!(
                "the {} checklist has {} evidence notes, English {}",
                lang.tag(),
                t.evidence_notes.len(),
                english.evidence_notes.len()
            ));
        }
        out.evidence_notes = std::mem::take(&mut t.evidence_notes);
        for study in &mut out.studies {
            let text = take(&mut t.studies, &study.key, lang)?;
            filled(&text.population, "study population", lang)?;
            study.country = text.country;
            study.population = text.population;
            if study.uncited.is_some() != text.uncited.is_some() {
                return Err(format!(
                    "the {} checklist must say why {} is uncited exactly when English does",
                    lang.tag(),
                    study.key
                ));
            }
            study.uncited = text.uncited;
        }
    } else if t.stages_credit.is_some() || !t.evidence_notes.is_empty() {
        return Err(format!(
            "the {} checklist is for the client copy and needs no notes",
            lang.tag()
        ));
    }
    let extra = t
        .scale
        .keys()
        .chain(t.directions.keys())
        .chain(t.stages.keys())
        .chain(t.levels.keys())
        .chain(t.factors.keys())
        .chain(t.studies.keys())
        .next();
    if let Some(extra) = extra {
        return Err(format!(
            "the {} checklist has {extra}, which the instrument lacks",
            lang.tag()
        ));
    }
    Ok(out)
}

/// The pseudo-locale's checklist (tests only): every text of `english` wrapped in markers, like
/// every message, so a page that shows checklist text in it shows it inside them.
pub(super) fn pseudo(english: &Instrument) -> Instrument {
    fn wrap(text: &mut String) {
        if !text.is_empty() {
            *text = format!("⟦{text}⟧");
        }
    }
    let mut out = english.clone();
    wrap(&mut out.title);
    for point in &mut out.scale {
        wrap(&mut point.label);
        wrap(&mut point.description);
    }
    for direction in &mut out.directions {
        wrap(&mut direction.label);
        wrap(&mut direction.description);
    }
    for stage in &mut out.stages {
        wrap(&mut stage.title);
        wrap(&mut stage.description);
        wrap(&mut stage.summary);
    }
    for level in &mut out.levels {
        wrap(&mut level.title);
        wrap(&mut level.description);
        for factor in &mut level.factors {
            wrap(&mut factor.title);
            wrap(&mut factor.guidance);
        }
    }
    if let Some(credit) = &mut out.stages_credit {
        wrap(credit);
    }
    out.evidence_notes.iter_mut().for_each(wrap);
    for study in &mut out.studies {
        wrap(&mut study.country);
        wrap(&mut study.population);
        if let Some(uncited) = &mut study.uncited {
            wrap(uncited);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Instrument {
        Instrument::bundled().unwrap()
    }

    fn source_of(lang: Lang) -> &'static str {
        BUNDLED.iter().find(|(_, l, _)| *l == lang).unwrap().2
    }

    #[test]
    fn every_language_translates_every_factor_and_keeps_ids_roles_and_citations() {
        let english = english();
        for (_, lang, source) in BUNDLED {
            let t = translate(&english, lang, source).unwrap_or_else(|e| panic!("{e}"));
            for ((_, a), (_, b)) in english.factors().zip(t.factors()) {
                assert_eq!(a.id, b.id);
                assert_eq!(a.role, b.role);
                assert_eq!(a.evidence, b.evidence);
                assert_ne!(
                    a.title,
                    b.title,
                    "{} in {} is untranslated",
                    a.id,
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn a_missing_factor_an_unknown_one_or_a_missing_guidance_is_refused_by_name() {
        let english = english();
        let it = source_of(Lang::It);
        let start = it.find("[factors.\"ind.spirituality\"]").unwrap();
        let end = start + it[start..].find("[factors.\"ind.life_plans\"]").unwrap();
        let without = format!("{}{}", &it[..start], &it[end..]);
        let err = translate(&english, Lang::It, &without)
            .unwrap_err()
            .to_string();
        assert!(err.contains("lacks ind.spirituality"), "{err}");

        let renamed = it.replace("[factors.\"ind.spirituality\"]", "[factors.\"ind.faith\"]");
        let err = translate(&english, Lang::It, &renamed)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ind.spirituality"), "{err}");

        let err = translate(&english, Lang::Fr, source_of(Lang::Ro))
            .unwrap_err()
            .to_string();
        assert!(err.contains("says it is ro"), "{err}");

        let ro_as_page = source_of(Lang::Ro).replace("language = \"ro\"", "language = \"it\"");
        let err = translate(&english, Lang::It, &ro_as_page)
            .unwrap_err()
            .to_string();
        assert!(err.contains("lacks the guidance"), "{err}");
    }
}
