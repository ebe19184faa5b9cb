//! Requests refused before anyone signed in (protected pages, forms without a token, unknown
//! session cookies, throttled sign-ins) are counted here, in memory, and summarised into the audit
//! log at most once a minute per address and kind: a flood costs no disk. Bounded: past
//! `MAX_ADDRESSES` addresses in one minute, the rest are counted together.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;

use time::OffsetDateTime;

use crate::domain::audit::client_address;
use crate::domain::{AuditAction, AuditEvent, Outcome};

/// Most addresses counted one by one per minute.
const MAX_ADDRESSES: usize = 10_000;
/// Stands for every address past `MAX_ADDRESSES`.
const OTHERS: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

#[derive(Debug)]
struct Tally {
    count: u64,
    first: OffsetDateTime,
    last: OffsetDateTime,
    /// The route of the first request (a pattern such as `/cases/{code}`, never a query).
    example: String,
}

/// Refusals counted since the last summary.
#[derive(Debug, Default)]
pub struct Refusals {
    tallies: Mutex<HashMap<(IpAddr, AuditAction), Tally>>,
}

impl Refusals {
    /// Counts one refused request of kind `action` from `ip` to `route`.
    pub fn count(&self, ip: IpAddr, action: AuditAction, route: &str, now: OffsetDateTime) {
        let mut tallies = self.tallies.lock().unwrap_or_else(|p| p.into_inner());
        let ip = if tallies.len() >= MAX_ADDRESSES && !tallies.contains_key(&(ip, action)) {
            OTHERS
        } else {
            ip
        };
        let tally = tallies.entry((ip, action)).or_insert_with(|| Tally {
            count: 0,
            first: now,
            last: now,
            example: route.to_owned(),
        });
        tally.count += 1;
        tally.last = now;
    }

    /// One audit entry per address and kind counted since the last call, and a fresh count. The
    /// address is written whole only with `full_addresses` (see `domain::audit::client_address`).
    pub fn summaries(&self, full_addresses: bool) -> Vec<AuditEvent> {
        let drained = std::mem::take(&mut *self.tallies.lock().unwrap_or_else(|p| p.into_inner()));
        let mut events: Vec<AuditEvent> = drained
            .into_iter()
            .map(|((ip, action), t)| {
                let from = if ip == OTHERS {
                    "other addresses".to_owned()
                } else {
                    client_address(ip, full_addresses)
                };
                let seconds = (t.last - t.first).whole_seconds();
                let mut event = AuditEvent::new(t.first, None, action, Outcome::Denied);
                if ip != OTHERS {
                    event.address = Some(from.clone());
                }
                event.on(format!(
                    "{from}: {} request{} in {seconds} s, e.g. {}",
                    t.count,
                    if t.count == 1 { "" } else { "s" },
                    t.example
                ))
            })
            .collect();
        events.sort_by_key(|e| e.at);
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_becomes_one_entry_per_address_and_kind() {
        let refusals = Refusals::default();
        let t = OffsetDateTime::UNIX_EPOCH;
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        for i in 0..5000 {
            refusals.count(
                a,
                AuditAction::UnauthenticatedAccess,
                "/cases",
                t + time::Duration::milliseconds(i * 10),
            );
        }
        refusals.count(b, AuditAction::CsrfRejected, "/sign-in", t);
        let events = refusals.summaries(true);
        assert_eq!(events.len(), 2);
        let flood = events
            .iter()
            .find(|e| e.action == AuditAction::UnauthenticatedAccess)
            .unwrap();
        assert_eq!(
            flood.target.as_deref(),
            Some("192.0.2.1: 5000 requests in 49 s, e.g. /cases")
        );
        assert!(refusals.summaries(true).is_empty(), "counted afresh");
        refusals.count(a, AuditAction::CsrfRejected, "/sign-in", t);
        let cut = refusals.summaries(false);
        assert_eq!(
            cut[0].target.as_deref(),
            Some("192.0.2.0/24: 1 request in 0 s, e.g. /sign-in")
        );
        assert_eq!(cut[0].address.as_deref(), Some("192.0.2.0/24"));
    }

    #[test]
    fn past_the_address_cap_the_rest_are_counted_together() {
        let refusals = Refusals::default();
        let t = OffsetDateTime::UNIX_EPOCH;
        for i in 0..(MAX_ADDRESSES as u32 + 50) {
            let ip: IpAddr = Ipv4Addr::from(0x0a00_0000 + i).into();
            refusals.count(ip, AuditAction::UnauthenticatedAccess, "/", t);
        }
        let events = refusals.summaries(true);
        assert_eq!(events.len(), MAX_ADDRESSES + 1);
        assert!(events.iter().any(|e| {
            e.target.as_deref() == Some("other addresses: 50 requests in 0 s, e.g. /")
        }));
    }
}
