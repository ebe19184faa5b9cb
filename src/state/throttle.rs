//! Per client address, in memory: failed sign-ins in a sliding window, across all usernames (stops
//! one address from guessing many accounts' passwords without locking each), and requests refused
//! for want of a session in a fixed window (stops a scanner). An address over either limit may not
//! sign in, and its anonymous requests get 429 at once. In memory on purpose: it only has to hold
//! between restarts of one process, and the per-account lock (stored) covers the rest.
//! (Rate-limit crates such as governor count every request; here only failures and refusals count.)

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};

use time::OffsetDateTime;

use crate::configuration::SecurityPolicy;

/// Most addresses remembered; past it the quietest are forgotten.
const MAX_ADDRESSES: usize = 100_000;

/// Remembers recent failures and refusals per address.
#[derive(Debug, Default)]
pub struct IpThrottle {
    failures: Mutex<HashMap<IpAddr, VecDeque<OffsetDateTime>>>,
    /// Start of the current window and refusals in it.
    refusals: Mutex<HashMap<IpAddr, (OffsetDateTime, u32)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl IpThrottle {
    /// Whether `ip` has used up its failed sign-ins, or its refusals, for the window at `now`.
    pub fn is_blocked(&self, ip: IpAddr, now: OffsetDateTime, policy: &SecurityPolicy) -> bool {
        self.failures_exceeded(ip, now, policy) || self.refusals_exceeded(ip, now, policy)
    }

    fn failures_exceeded(&self, ip: IpAddr, now: OffsetDateTime, policy: &SecurityPolicy) -> bool {
        let mut map = lock(&self.failures);
        let Some(times) = map.get_mut(&ip) else {
            return false;
        };
        while times.front().is_some_and(|t| *t <= now - policy.ip_window) {
            times.pop_front();
        }
        let blocked = times.len() >= policy.ip_failures_per_window;
        if times.is_empty() {
            map.remove(&ip);
        }
        blocked
    }

    fn refusals_exceeded(&self, ip: IpAddr, now: OffsetDateTime, policy: &SecurityPolicy) -> bool {
        lock(&self.refusals).get(&ip).is_some_and(|(start, count)| {
            now - *start < policy.refusal_window && *count >= policy.refusals_per_window
        })
    }

    /// Counts a failed sign-in from `ip`.
    pub fn record_failure(&self, ip: IpAddr, now: OffsetDateTime) {
        let mut map = lock(&self.failures);
        if map.len() > MAX_ADDRESSES {
            map.retain(|_, times| times.len() > 1);
        }
        map.entry(ip).or_default().push_back(now);
    }

    /// Counts a request from `ip` refused for want of a session; returns whether the address is
    /// over its limit now (then it gets 429 until the window ends).
    pub fn record_refusal(&self, ip: IpAddr, now: OffsetDateTime, policy: &SecurityPolicy) -> bool {
        let mut map = lock(&self.refusals);
        if map.len() > MAX_ADDRESSES {
            map.retain(|_, (start, _)| now - *start < policy.refusal_window);
        }
        let (start, count) = map.entry(ip).or_insert((now, 0));
        if now - *start >= policy.refusal_window {
            *start = now;
            *count = 0;
        }
        *count = count.saturating_add(1);
        *count > policy.refusals_per_window
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;

    fn policy() -> SecurityPolicy {
        SecurityPolicy {
            ip_failures_per_window: 3,
            ip_window: Duration::minutes(15),
            refusals_per_window: 5,
            refusal_window: Duration::minutes(1),
            ..SecurityPolicy::default()
        }
    }

    #[test]
    fn an_address_is_blocked_at_the_limit_and_released_after_the_window() {
        let t = IpThrottle::default();
        let p = policy();
        let ip: IpAddr = [192, 0, 2, 1].into();
        let other: IpAddr = [192, 0, 2, 2].into();
        let start = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        for i in 0..3 {
            assert!(!t.is_blocked(ip, start, &p));
            t.record_failure(ip, start + Duration::seconds(i));
        }
        assert!(t.is_blocked(ip, start + Duration::minutes(1), &p));
        assert!(!t.is_blocked(other, start + Duration::minutes(1), &p));
        assert!(!t.is_blocked(ip, start + Duration::minutes(16), &p));
    }

    #[test]
    fn refused_requests_past_the_limit_block_the_address_for_the_rest_of_the_window() {
        let t = IpThrottle::default();
        let p = policy();
        let ip: IpAddr = [192, 0, 2, 1].into();
        let start = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        for i in 0..5 {
            assert!(!t.record_refusal(ip, start + Duration::seconds(i), &p));
        }
        assert!(t.is_blocked(ip, start + Duration::seconds(5), &p));
        assert!(t.record_refusal(ip, start + Duration::seconds(6), &p));
        assert!(!t.is_blocked(ip, start + Duration::seconds(61), &p));
        assert!(!t.record_refusal(ip, start + Duration::seconds(61), &p));
    }
}
