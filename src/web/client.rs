//! Who a request comes from: the client address (through trusted proxies only) and the browser
//! family. The guard resolves the address once per request and keeps it in the request's
//! extensions; the throttle, sign-in and the audit log all use that one value.
//!
//! Written here rather than taken from actix-web's `ConnectionInfo::realip_remote_addr`, which
//! believes `Forwarded` and `X-Forwarded-For` from anyone: a client could then pick its own
//! address and walk around the per-address throttle.

use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::header::{HeaderMap, USER_AGENT};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use ipnet::IpNet;

use crate::error::AppError;

/// The client address of a request, as resolved by the guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl FromRequest for ClientAddr {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let resolved = req.extensions().get::<ClientAddr>().copied();
        // Every request passes the guard; the fallback only serves handlers tested without it.
        ready(Ok(
            resolved.unwrap_or_else(|| ClientAddr(peer_ip(req.peer_addr())))
        ))
    }
}

/// The address of the connection itself (`0.0.0.0` when there is none, as in unit tests).
pub fn peer_ip(peer: Option<SocketAddr>) -> IpAddr {
    peer.map_or(Ipv4Addr::UNSPECIFIED.into(), |a| a.ip())
}

/// The client address of a request from `peer` with `headers`. Only when `peer` is one of the
/// `trusted` proxies are `Forwarded` (preferred) or `X-Forwarded-For` read: walking the chain of
/// hops from the nearest, trusted proxies are skipped and the first other address is the client.
pub fn resolve(peer: Option<SocketAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = unmap(peer_ip(peer));
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded_for(headers).unwrap_or_else(|| x_forwarded_for(headers));
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            // An address the proxies did not know ("unknown", an obfuscated name): the client is
            // beyond what anyone here can vouch for; the last known hop stands for it.
            None => break,
            Some(ip) => {
                client = unmap(*ip);
                if !is_trusted(&client) {
                    break;
                }
            }
        }
    }
    client
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) as plain IPv4, so ranges match either way.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The `for=` hops of every `Forwarded` header (RFC 7239), nearest last; `None` if there is none.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    let mut any = false;
    for value in headers.get_all("forwarded") {
        any = true;
        let Ok(value) = value.to_str() else {
            hops.push(None);
            continue;
        };
        for element in value.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"'))
            });
            if let Some(node) = node {
                hops.push(parse_node(node));
            }
        }
    }
    any.then_some(hops)
}

/// The hops of every `X-Forwarded-For` header, nearest last.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .flat_map(|v| {
            v.to_str()
                .map(|s| s.split(',').map(|n| parse_node(n.trim())).collect())
                .unwrap_or_else(|_| vec![None])
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = node.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.split(']').next())
        .and_then(|inner| inner.parse().ok())
}

/// The browser family and system of a request ("Firefox on Linux"), for the user's list of
/// sessions; never the whole User-Agent string.
pub fn browser_family(req: &HttpRequest) -> Option<String> {
    let agent = req.headers().get(USER_AGENT)?.to_str().ok()?;
    let parsed = woothee::parser::Parser::new().parse(agent)?;
    let name = if parsed.name == "UNKNOWN" {
        "Unknown browser"
    } else {
        parsed.name
    };
    let family = if parsed.os == "UNKNOWN" {
        name.to_owned()
    } else {
        format!("{name} on {}", parsed.os)
    };
    Some(family.chars().take(60).collect())
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 40_000))
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=198.51.100.1"),
        ]);
        assert_eq!(resolve(peer("192.0.2.7"), &h, &[]), ip("192.0.2.7"));
        assert_eq!(
            resolve(peer("192.0.2.7"), &h, &nets(&["10.0.0.0/8"])),
            ip("192.0.2.7")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_spoofed_hops_before_it_do_not_count() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client sent its own X-Forwarded-For; the proxy appended the real address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(resolve(peer("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        // Two proxies in a row, both trusted.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 10.0.0.5")]);
        assert_eq!(resolve(peer("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        // No header: the proxy itself.
        assert_eq!(
            resolve(peer("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn forwarded_is_preferred_and_its_forms_are_read() {
        let trusted = nets(&["10.0.0.0/8", "2001:db8:ffff::/48"]);
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            (
                "forwarded",
                "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"",
            ),
        ]);
        assert_eq!(
            resolve(peer("10.0.0.2"), &h, &trusted),
            ip("2001:db8:cafe::17")
        );
        let h = headers(&[("forwarded", "For=\"192.0.2.43:47011\"")]);
        assert_eq!(resolve(peer("10.1.1.1"), &h, &trusted), ip("192.0.2.43"));
        // An unknown hop: the nearest known address stands for the client.
        let h = headers(&[("forwarded", "for=unknown, for=10.0.0.9")]);
        assert_eq!(resolve(peer("10.1.1.1"), &h, &trusted), ip("10.0.0.9"));
        // A trusted peer written as IPv4-mapped IPv6.
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            resolve(peer("::ffff:10.0.0.2"), &h, &trusted),
            ip("203.0.113.9")
        );
    }
}
