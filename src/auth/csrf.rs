//! CSRF protection. Signed-in forms carry the synchronizer token stored in the server-side session.
//! Forms shown before sign-in (sign-in, first-run setup) have no session yet: they carry an HMAC of a
//! random pre-session cookie under a per-process key, so a cross-site page cannot forge them either.
//! `web::guard` checks the token on every state-changing request before any handler runs.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::state::AnonymousKey;

/// Name of the form field every POST form carries.
pub const FIELD: &str = "csrf";
/// Cookie holding the random value anonymous forms are bound to.
pub const PRE_SESSION_COOKIE: &str = "ef_pre";

/// Anonymous form tokens under a per-process key.
pub trait AnonymousTokens {
    /// The token that goes with a pre-session cookie value.
    fn token_for(&self, pre_session: &str) -> String;
    /// The token for an anonymous form on this request, and the cookie to set when the browser
    /// does not have one yet.
    fn token_for_request(
        &self,
        req: &HttpRequest,
        secure: bool,
    ) -> (String, Option<Cookie<'static>>);
    /// The token an anonymous form on this request must carry, if the browser has a pre-session.
    fn expected_for_request(&self, req: &HttpRequest) -> Option<String>;
}

impl AnonymousTokens for AnonymousKey {
    fn token_for(&self, pre_session: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail; fall back to an empty token that
        // never matches rather than panic.
        match Hmac::<Sha256>::new_from_slice(self.bytes()) {
            Ok(mut mac) => {
                mac.update(pre_session.as_bytes());
                hex::encode(mac.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    }

    fn token_for_request(
        &self,
        req: &HttpRequest,
        secure: bool,
    ) -> (String, Option<Cookie<'static>>) {
        if let Some(existing) = req.cookie(PRE_SESSION_COOKIE)
            && existing.value().len() == 32
        {
            return (self.token_for(existing.value()), None);
        }
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let value = hex::encode(bytes);
        let token = self.token_for(&value);
        let cookie = Cookie::build(PRE_SESSION_COOKIE, value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .finish();
        (token, Some(cookie))
    }

    fn expected_for_request(&self, req: &HttpRequest) -> Option<String> {
        req.cookie(PRE_SESSION_COOKIE)
            .filter(|c| !c.value().is_empty())
            .map(|c| self.token_for(c.value()))
    }
}

/// Compares tokens in constant time; an empty token never matches.
pub fn tokens_match(expected: &str, presented: &str) -> bool {
    !expected.is_empty() && expected.as_bytes().ct_eq(presented.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_tokens_depend_on_the_cookie_and_the_key() {
        let key = AnonymousKey::generate();
        let a = key.token_for("aaaa");
        assert_eq!(a, key.token_for("aaaa"));
        assert_ne!(a, key.token_for("aaab"));
        assert_ne!(a, AnonymousKey::generate().token_for("aaaa"));
    }

    #[test]
    fn empty_tokens_never_match() {
        assert!(!tokens_match("", ""));
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
    }
}
