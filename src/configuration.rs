//! Settings the application is built from. The CLI fills them from flags and the environment; tests
//! build them directly (port 0, a temp data dir, a manual clock, tighter limits).

use std::path::PathBuf;
use std::sync::Arc;

use ipnet::IpNet;
use time::Duration;

use crate::clock::{Clock, SystemClock};

/// Everything `Application::build` needs.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on, `HOST:PORT` (port 0 picks a free one).
    pub addr: String,
    /// Where the sled store lives.
    pub data_dir: PathBuf,
    /// The master key file (None: `data_dir` with `.key` appended, beside it, created on the first
    /// start).
    pub key_file: Option<PathBuf>,
    /// Mark the session cookie `Secure` even on plain HTTP (when a TLS proxy sits in front).
    pub secure_cookies: bool,
    /// The source of time.
    pub clock: Arc<dyn Clock>,
    /// Limits on sign-in, sessions and requests.
    pub policy: SecurityPolicy,
    /// Scheduled backups (None: off).
    pub backup: Option<crate::backup::service::BackupConfig>,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` headers name the client (none: the headers
    /// are ignored and the connection's address is the client's).
    pub trusted_proxies: Vec<IpNet>,
    /// The most memory sled's page cache may use.
    pub cache: crate::store::CacheSize,
    /// Tests only: a request whose `Accept-Language` is `en-x-pseudo` gets the pseudo-locale.
    pub pseudo_locale: bool,
}

impl Settings {
    /// Settings with the given address and data dir and the defaults for everything else.
    pub fn new(addr: impl Into<String>, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            addr: addr.into(),
            data_dir: data_dir.into(),
            key_file: None,
            secure_cookies: false,
            clock: Arc::new(SystemClock),
            policy: SecurityPolicy::default(),
            backup: None,
            trusted_proxies: Vec::new(),
            pseudo_locale: false,
            cache: crate::store::CacheSize::default(),
        }
    }
}

/// Security limits. The defaults are the product's policy; tests may change the per-IP limit.
#[derive(Debug, Clone)]
pub struct SecurityPolicy {
    /// Failed sign-ins that lock an account.
    pub lock_after_failures: u32,
    /// How long a locked account stays locked.
    pub lock_duration: Duration,
    /// A session unused this long is over.
    pub idle_timeout: Duration,
    /// A session older than this is over, however active.
    pub absolute_timeout: Duration,
    /// How long the code of a two-step sign-in may take after the password.
    pub second_step_timeout: Duration,
    /// Failed sign-ins allowed from one client address per window, across all usernames.
    pub ip_failures_per_window: usize,
    /// The window for `ip_failures_per_window`.
    pub ip_window: Duration,
    /// Requests refused for want of a session allowed from one address per window; past it the
    /// address gets 429 and may not sign in until the window ends.
    pub refusals_per_window: u32,
    /// The window for `refusals_per_window`.
    pub refusal_window: Duration,
    /// Largest request body accepted, in bytes (413 past it).
    pub body_limit: usize,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            lock_after_failures: 6,
            lock_duration: Duration::minutes(30),
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
            second_step_timeout: Duration::minutes(5),
            ip_failures_per_window: 30,
            ip_window: Duration::minutes(15),
            refusals_per_window: 300,
            refusal_window: Duration::minutes(1),
            body_limit: 64 * 1024,
        }
    }
}

/// A trusted proxy as given on the command line: an address (`10.0.0.2`, `::1`) or a range in
/// CIDR notation (`10.0.0.0/8`, `2001:db8::/32`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| {
            format!("{text:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert_eq!(
            parse_trusted_proxy("10.0.0.2").unwrap().to_string(),
            "10.0.0.2/32"
        );
        assert_eq!(
            parse_trusted_proxy(" 10.1.2.3/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(parse_trusted_proxy("::1").unwrap().to_string(), "::1/128");
        assert!(parse_trusted_proxy("proxy.example").is_err());
        assert!(parse_trusted_proxy("10.0.0.0/33").is_err());
    }
}
