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
    pub fn t(&self, id: &str) -> String {
        i18n::t(self.lang, id)
    }

    /// The message `id` with the number `n` as `name` (plurals follow it).
    pub fn t_num(&self, id: &str, name: &str, n: &usize) -> String {
        i18n::t_with(self.lang, id, &[(name, (*n).into())])
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
