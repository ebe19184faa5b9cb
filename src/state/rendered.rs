//! Parts of pages that depend only on a checklist version and a language (a factor card's title,
//! guidance and answer buttons), rendered once per process and kept. The set of keys is finite
//! (the checklist versions this build carries × the languages × the parts), so nothing here grows
//! with use. The values are type-erased so that this layer needs to know nothing of HTML.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::i18n::Lang;

/// What a kept part was rendered from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenderedKey {
    /// Which part (a module's own name for it).
    pub kind: &'static str,
    /// The checklist's id and version.
    pub instrument: String,
    pub version: String,
    pub lang: Lang,
    /// Which one of its kind (a level, say).
    pub index: u8,
}

type Kept = Arc<dyn Any + Send + Sync>;

/// The kept parts.
#[derive(Default)]
pub struct Rendered {
    parts: Mutex<HashMap<RenderedKey, Kept>>,
}

impl Rendered {
    /// The part kept under `key`, rendering and keeping it first if it is not there. Rendering
    /// happens outside the lock: two requests that race render it twice and keep one.
    pub fn get_or_render<T: Any + Send + Sync, E>(
        &self,
        key: RenderedKey,
        render: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let kept = self
            .parts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        if let Some(part) = kept.and_then(|p| p.downcast::<T>().ok()) {
            return Ok(part);
        }
        let part = Arc::new(render()?);
        self.parts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, part.clone());
        Ok(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(lang: Lang) -> RenderedKey {
        RenderedKey {
            kind: "test",
            instrument: "i".into(),
            version: "1".into(),
            lang,
            index: 0,
        }
    }

    #[test]
    fn a_part_is_rendered_once_per_key() {
        let kept = Rendered::default();
        let mut calls = 0;
        for _ in 0..3 {
            let part = kept
                .get_or_render(key(Lang::En), || {
                    calls += 1;
                    Ok::<_, ()>(String::from("en"))
                })
                .unwrap();
            assert_eq!(*part, "en");
        }
        assert_eq!(calls, 1);
        let other = kept
            .get_or_render(key(Lang::It), || Ok::<_, ()>(String::from("it")))
            .unwrap();
        assert_eq!(*other, "it");
        let failed = kept.get_or_render(key(Lang::Fr), || Err::<String, _>("no"));
        assert_eq!(failed.err(), Some("no"));
        let after = kept
            .get_or_render(key(Lang::Fr), || Ok::<_, ()>(String::from("fr")))
            .unwrap();
        assert_eq!(*after, "fr", "a failed render is not kept");
    }
}
