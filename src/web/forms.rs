//! Form errors as templates show them: a message next to each field and a summary at the top that
//! links to the fields.

/// Errors found in a submitted form, in field order.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// Records an error for `field` (the input's id).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The first error for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All errors, for the summary.
    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }
}

/// Checks a new password and its confirmation, recording errors against `field` and `confirm_field`.
pub fn new_password(
    errors: &mut FieldErrors,
    field: &'static str,
    confirm_field: &'static str,
    password: String,
    confirmation: &str,
    username: &str,
    lang: crate::i18n::Lang,
) -> Option<crate::domain::Password> {
    use crate::domain::PasswordError;
    use crate::i18n::{Lang, t};
    if password != confirmation {
        errors.add(confirm_field, t(lang, "error-passwords-differ"));
    }
    match crate::domain::Password::new_for(password, username) {
        Ok(p) if errors.get(confirm_field).is_none() => Some(p),
        Ok(_) => None,
        Err(e) => {
            let message = match &e {
                // The estimator explains itself in English only: English pages keep its reason.
                PasswordError::Guessable(_) if lang == Lang::En => format!("Password: {e}"),
                PasswordError::Guessable(_) => t(lang, "error-password-guessable"),
                PasswordError::TooShort => t(lang, "error-password-short"),
                PasswordError::TooLong => t(lang, "error-password-long"),
                PasswordError::ContainsUsername => t(lang, "error-password-username"),
            };
            errors.add(field, message);
            None
        }
    }
}

/// Checks a username, recording an error against `field`.
pub fn username(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    lang: crate::i18n::Lang,
) -> Option<crate::domain::Username> {
    use crate::domain::UsernameError;
    crate::domain::Username::parse(raw)
        .map_err(|e| {
            let id = match e {
                UsernameError::Length => "error-username-length",
                UsernameError::Characters => "error-username-characters",
            };
            errors.add(field, crate::i18n::t(lang, id));
        })
        .ok()
}

/// A closed-list question as templates render it (a `<select>` or a group of radios).
#[derive(Debug, Clone)]
pub struct ChoiceField {
    /// Form field name and element id.
    pub name: String,
    /// The visible label or legend.
    pub label: String,
    /// `(id, label)` of each answer.
    pub options: Vec<(&'static str, String)>,
    /// The id of the chosen answer ("" for none).
    pub selected: String,
    /// The error shown next to it.
    pub error: Option<String>,
}

impl ChoiceField {
    /// A field for a `Choice` list, showing `selected` and any error recorded for `name`.
    pub fn new<C: crate::domain::Choice>(
        name: impl Into<String>,
        label: impl Into<String>,
        selected: &str,
        errors: &FieldErrors,
    ) -> Self {
        let name = name.into();
        let error = errors.get(&name).map(str::to_owned);
        Self {
            options: C::ALL
                .iter()
                .map(|c| (c.id(), c.label().to_owned()))
                .collect(),
            label: label.into(),
            selected: selected.to_owned(),
            error,
            name,
        }
    }

    /// `new`, with the answers' labels in `lang`.
    pub fn new_in<C: crate::domain::Choice>(
        lang: crate::i18n::Lang,
        name: impl Into<String>,
        label: impl Into<String>,
        selected: &str,
        errors: &FieldErrors,
    ) -> Self {
        let mut field = Self::new::<C>(name, label, selected, errors);
        for ((_, label), c) in field.options.iter_mut().zip(C::ALL) {
            *label = crate::i18n::t(lang, c.message_id());
        }
        field
    }

    /// Whether `id` is the chosen answer.
    pub fn is_selected(&self, id: &str) -> bool {
        self.selected == id
    }
}

/// Parses a closed-list answer, recording `message` against `field` when it is missing or unknown.
pub fn choice<C: crate::domain::Choice>(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    message: &str,
) -> Option<C> {
    let parsed = C::from_id(raw);
    if parsed.is_none() {
        errors.add(field, message);
    }
    parsed
}

/// Why free text was refused, in `lang`: too long, an identifying detail (quoted, so the user
/// sees what to rephrase), or the check cannot run.
pub fn note_error(lang: crate::i18n::Lang, error: &crate::domain::assessment::NoteError) -> String {
    use crate::domain::assessment::NoteError;
    use crate::domain::pii::PiiKind;
    use crate::i18n::{t, t_with};
    match error {
        NoteError::TooLong { max, len } => t_with(
            lang,
            "note-error-too-long",
            &[("max", (*max).into()), ("len", (*len).into())],
        ),
        NoteError::Identifying(found) => {
            let kind = match found.kind {
                PiiKind::Email => "pii-email",
                PiiKind::Phone => "pii-phone",
                PiiKind::Iban => "pii-iban",
                PiiKind::CardNumber => "pii-card",
                PiiKind::DocumentNumber => "pii-document",
                PiiKind::BirthDate => "pii-birth-date",
                PiiKind::StreetAddress => "pii-street",
                PiiKind::Url => "pii-url",
                PiiKind::SocialHandle => "pii-handle",
            };
            t_with(
                lang,
                "note-error-identifying",
                &[
                    ("fragment", found.fragment.as_str().into()),
                    ("kind", t(lang, kind).into()),
                ],
            )
        }
        NoteError::Unchecked(_) => t(lang, "note-error-unchecked"),
    }
}
