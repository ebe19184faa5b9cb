//! What every page template knows besides its own content: who is signed in (for the navigation)
//! and the CSRF token for its forms.

use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::i18n::{self, Lang};

/// Context shared by every page.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    /// The signed-in user's name and role, for the navigation.
    pub user: Option<(String, Role)>,
    /// The token every form on the page carries.
    pub csrf: String,
    /// The page's own path, to mark the current navigation link.
    pub path: String,
    /// Show the "Demo data" banner.
    pub demo: bool,
    /// Show the "saving is paused" banner: the store cannot write.
    pub read_only: bool,
    /// The language of the page.
    pub lang: Lang,
    /// The user must set up two-step sign-in first: the navigation is hidden (its links would
    /// lead back to the set-up page anyway).
    pub enrolling: bool,
}

impl PageContext {
    /// Context for a signed-in page.
    pub fn signed_in(current: &CurrentUser, path: &str) -> Self {
        Self {
            user: Some((current.user.username.to_string(), current.user.role)),
            csrf: current.session.csrf_token.clone(),
            path: path.to_owned(),
            demo: current.demo,
            read_only: current.read_only,
            enrolling: current.must_enrol,
            lang: current.lang,
        }
    }

    /// Context for a page shown before sign-in.
    pub fn anonymous(csrf: String, path: &str, demo: bool, read_only: bool, lang: Lang) -> Self {
        Self {
            user: None,
            csrf,
            path: path.to_owned(),
            demo,
            read_only,
            enrolling: false,
            lang,
        }
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> std::borrow::Cow<'static, str> {
        i18n::text(self.lang, id)
    }

    /// The message `id` with the number `n` as `name` (plurals follow it).
    pub fn t_num(&self, id: &str, name: &str, n: impl Count) -> String {
        i18n::t_with(self.lang, id, &[(name, n.count().into())])
    }

    /// The message `id` with the text `value` as `name`.
    pub fn t_text(&self, id: &str, name: &str, value: &str) -> String {
        i18n::t_with(self.lang, id, &[(name, value.into())])
    }

    /// The message `id` with a text and a number.
    pub fn t_text_num(&self, id: &str, text: &(&str, &str), num: &(&str, usize)) -> String {
        i18n::t_with(
            self.lang,
            id,
            &[(text.0, text.1.into()), (num.0, num.1.into())],
        )
    }

    /// The message `id` with two numbers.
    pub fn t_nums(&self, id: &str, a: &(&str, usize), b: &(&str, usize)) -> String {
        i18n::t_with(self.lang, id, &[(a.0, a.1.into()), (b.0, b.1.into())])
    }

    /// The message `id` with two texts.
    pub fn t_texts(&self, id: &str, a: &(&str, &str), b: &(&str, &str)) -> String {
        i18n::t_with(self.lang, id, &[(a.0, a.1.into()), (b.0, b.1.into())])
    }

    /// A month as the page's language writes it ("March 2024").
    pub fn month(&self, month: &crate::domain::Month) -> String {
        i18n::format_month(self.lang, month.year(), month.month())
    }

    /// A moment as the page's language writes it, in UTC.
    pub fn date_time(&self, at: &time::OffsetDateTime) -> String {
        i18n::format_date_time(self.lang, *at)
    }

    /// The label of a closed-list answer in the page's language.
    pub fn choice(&self, c: impl ChoiceLabel) -> String {
        i18n::t(self.lang, c.label_id())
    }

    /// Whether the signed-in user has at least `role` (for showing links; handlers check for real).
    fn can(&self, role: Role) -> bool {
        self.user.as_ref().is_some_and(|(_, r)| *r >= role)
    }

    /// Whether to show supervisor links.
    pub fn is_supervisor(&self) -> bool {
        self.can(Role::Supervisor)
    }

    /// Whether to show admin links.
    pub fn is_admin(&self) -> bool {
        self.can(Role::Admin)
    }

    /// Whether the navigation link to `prefix` is the current page.
    pub fn current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        }
    }
}

/// A number a template passes to a message (askama hands over values or references, as it likes).
pub trait Count {
    fn count(&self) -> usize;
}

impl Count for usize {
    fn count(&self) -> usize {
        *self
    }
}

impl Count for u8 {
    fn count(&self) -> usize {
        usize::from(*self)
    }
}

impl Count for u64 {
    fn count(&self) -> usize {
        usize::try_from(*self).unwrap_or(usize::MAX)
    }
}

impl Count for u32 {
    fn count(&self) -> usize {
        usize::try_from(*self).unwrap_or(usize::MAX)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> usize {
        (**self).count()
    }
}

/// An answer of a closed list, as askama hands it to a method (a reference to a binding of a
/// reference).
pub trait ChoiceLabel {
    fn label_id(&self) -> &'static str;
}

impl<C: crate::domain::Choice> ChoiceLabel for &&C {
    fn label_id(&self) -> &'static str {
        self.message_id()
    }
}
