//! Failed sign-ins per client address, in a sliding window, across all usernames: stops one address
//! from guessing many accounts' passwords without locking each. In memory on purpose: it only has
//! to hold between restarts of one process, and the per-account lock (stored) covers the rest.
//! (Rate-limit crates such as governor count every request; here only failures count.)

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Remembers recent failures per address.
#[derive(Debug, Default)]
pub struct IpThrottle {
    failures: Mutex<HashMap<IpAddr, VecDeque<OffsetDateTime>>>,
}

impl IpThrottle {
    /// Whether `ip` has used up its failures for the window ending at `now`.
    pub fn is_blocked(
        &self,
        ip: IpAddr,
        now: OffsetDateTime,
        limit: usize,
        window: Duration,
    ) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(&ip) else {
            return false;
        };
        while times.front().is_some_and(|t| *t <= now - window) {
            times.pop_front();
        }
        let blocked = times.len() >= limit;
        if times.is_empty() {
            map.remove(&ip);
        }
        blocked
    }

    /// Counts a failure from `ip`.
    pub fn record_failure(&self, ip: IpAddr, now: OffsetDateTime) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound memory if a flood comes from many addresses: forget the quietest ones.
        if map.len() > 100_000 {
            map.retain(|_, times| times.len() > 1);
        }
        map.entry(ip).or_default().push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_at_the_limit_and_released_after_the_window() {
        let t = IpThrottle::default();
        let ip: IpAddr = [192, 0, 2, 1].into();
        let other: IpAddr = [192, 0, 2, 2].into();
        let start = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let window = Duration::minutes(15);
        for i in 0..3 {
            assert!(!t.is_blocked(ip, start, 3, window));
            t.record_failure(ip, start + Duration::seconds(i));
        }
        assert!(t.is_blocked(ip, start + Duration::minutes(1), 3, window));
        assert!(!t.is_blocked(other, start + Duration::minutes(1), 3, window));
        assert!(!t.is_blocked(ip, start + Duration::minutes(16), 3, window));
    }
}
