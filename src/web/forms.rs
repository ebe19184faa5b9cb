//! Form errors as templates show them: a message next to each field and a summary at the top that
//! links to the fields.

/// Errors found in a submitted form, in field order.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    /// Records an error for `field` (the input's id).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
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
    pub fn all(&self) -> &[(&'static str, String)] {
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
) -> Option<crate::domain::Password> {
    if password != confirmation {
        errors.add(confirm_field, "The two passwords are not the same");
    }
    match crate::domain::Password::parse(password) {
        Ok(p) if errors.get(confirm_field).is_none() => Some(p),
        Ok(_) => None,
        Err(e) => {
            errors.add(field, format!("Password: {e}"));
            None
        }
    }
}

/// Checks a username, recording an error against `field`.
pub fn username(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
) -> Option<crate::domain::Username> {
    crate::domain::Username::parse(raw)
        .map_err(|e| errors.add(field, format!("Username: {e}")))
        .ok()
}
