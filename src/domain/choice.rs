//! Closed lists of answers (age bands, regions, stages…): one macro gives each list its stable ids
//! for forms and storage, its labels for people, and parsing that refuses anything else.

/// A closed set of answers with stable ids and human labels.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    /// Every answer, in display order.
    const ALL: &'static [Self];
    /// The stable id used in forms and storage.
    fn id(self) -> &'static str;
    /// The label people see (English; pages use `message_id`).
    fn label(self) -> &'static str;
    /// The id of its label among the translated messages: `choice-<Enum>-<id>`.
    fn message_id(self) -> &'static str;
    /// Parses an id from a form.
    fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.id() == id)
    }
}

/// Declares a `Choice` enum: `choice! { pub enum Name { Variant = ("id", "Label"), ... } }`.
#[macro_export]
macro_rules! choice {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($id:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $id)] $variant),+
        }

        impl $crate::domain::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            fn message_id(self) -> &'static str {
                match self { $($name::$variant => concat!("choice-", stringify!($name), "-", $id)),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::Choice::label(*self))
            }
        }
    };
}
