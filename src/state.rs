//! What every handler, extractor and middleware can reach through `web::Data<AppState>`: the store,
//! the clock, the policy, the checklist, and the in-memory guards of this process (per-address
//! throttle, refusal counts, the key for anonymous form tokens). It depends on nothing of the web
//! layer, so `auth`, `web` and `routes` can all use it without an import circle.

mod refusals;
mod rendered;
mod throttle;

use std::sync::{Arc, Mutex};

use rand::RngCore;

pub use refusals::Refusals;
pub use rendered::{Rendered, RenderedKey};
pub use throttle::IpThrottle;

use crate::clock::Clock;
use crate::configuration::SecurityPolicy;
use crate::instrument::Instrument;
use crate::store::Store;

/// Shared state every handler can reach through `web::Data<AppState>`.
pub struct AppState {
    /// The durable store.
    pub store: Store,
    /// The source of time.
    pub clock: Arc<dyn Clock>,
    /// Security limits.
    pub policy: SecurityPolicy,
    /// The active checklist (new assessments use it).
    pub instrument: Arc<Instrument>,
    /// Every checklist version this build carries (an assessment keeps the one it was made with).
    pub instruments: crate::instrument::Instruments,
    /// Whether cookies are always marked `Secure`.
    pub secure_cookies: bool,
    /// Proxies whose forwarding headers name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Whether the tests' pseudo-locale may be asked for.
    pub pseudo_locale: bool,
    /// Key for anonymous form tokens.
    pub anonymous_key: AnonymousKey,
    /// The first-run setup token, while no admin exists and it has not been used.
    pub setup_token: Mutex<Option<String>>,
    /// Failed sign-ins and refused requests per client address.
    pub throttle: IpThrottle,
    /// Refused anonymous requests, summarised into the audit once a minute.
    pub refusals: Refusals,
    /// Whether the store holds demo data.
    pub demo: bool,
    /// Backups made by this server (scheduled and on demand).
    pub backups: crate::backup::service::Backups,
    /// Parts of pages rendered once per checklist version and language.
    pub rendered: Rendered,
}

impl AppState {
    /// Whether cookies for this request get the `Secure` flag: always when configured (TLS proxy in
    /// front), and whenever the connection itself is TLS.
    pub fn secure_cookies_for(&self, req: &actix_web::HttpRequest) -> bool {
        self.secure_cookies || req.app_config().secure()
    }

    /// The refusals counted since the last call, as audit entries (addresses as the settings say).
    pub fn refusal_summaries(&self) -> Vec<crate::domain::AuditEvent> {
        self.refusals.summaries(self.full_audit_addresses())
    }

    fn full_audit_addresses(&self) -> bool {
        self.store
            .settings()
            .map(|s| s.audit_full_addresses)
            .unwrap_or(false)
    }

    /// `ip` as the audit log keeps it: truncated to its network unless an admin asked for whole
    /// addresses (see `domain::audit::client_address`).
    pub fn audit_address(&self, ip: std::net::IpAddr) -> String {
        crate::domain::audit::client_address(ip, self.full_audit_addresses())
    }
}

/// The per-process secret that anonymous form tokens are made with (see `auth::csrf`).
#[derive(Clone)]
pub struct AnonymousKey([u8; 32]);

impl AnonymousKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// The key's bytes, for the HMAC.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}
