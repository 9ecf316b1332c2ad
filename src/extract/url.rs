//! Parsing of endpoint and listener URLs: `TCP://host:port[;Server=[name][;Database=[db]]]`.
//!
//! Works on the unescaped string value and returns byte ranges into it, so the caller
//! can map every part to a span of the original file. Lenient on purpose: it finds
//! the parts where a DBA would have put them and reports the rest as junk, and the
//! rules decide what is wrong.

use std::ops::Range;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: Option<Range<usize>>,
    pub host: Option<Range<usize>>,
    pub port: Option<Range<usize>>,
    pub server: Option<Range<usize>>,
    pub database: Option<Range<usize>>,
    pub junk: Vec<Range<usize>>,
}

/// `key=[value]` or `key=value` after a `;`: returns (key range, value range, end).
fn key_value(text: &str, start: usize) -> (Range<usize>, Range<usize>, usize) {
    let rest = &text[start..];
    let key_end = rest.find(['=', ';']).unwrap_or(rest.len());
    let key = start..start + key_end;
    if !rest[key_end..].starts_with('=') {
        return (key.clone(), key.end..key.end, key.end);
    }
    let value_start = key.end + 1;
    let after = &text[value_start..];
    if let Some(inner) = after.strip_prefix('[') {
        let close = inner.find(']').map(|i| value_start + 1 + i);
        return match close {
            Some(c) => (key, value_start + 1..c, c + 1),
            None => (key, value_start + 1..text.len(), text.len()),
        };
    }
    let end = after
        .find(';')
        .map(|i| value_start + i)
        .unwrap_or(text.len());
    (key, value_start..end, end)
}

pub fn parse_url(text: &str) -> UrlParts {
    let mut parts = UrlParts::default();
    let mut pos = 0;
    if let Some(i) = text.find("://") {
        parts.scheme = Some(0..i);
        pos = i + 3;
    }
    // Authority: up to the first `;` (or end), then split host and port at the last `:`
    // that is not inside an IPv6 `[..]` literal.
    let authority_end = text[pos..].find(';').map(|i| pos + i).unwrap_or(text.len());
    let authority = &text[pos..authority_end];
    let (host_part, port_part) = split_host_port(authority);
    let host_range = pos..pos + host_part.len();
    // Anything after the port that is not digits (a path, spaces) is junk.
    if !host_part.is_empty() {
        let path_at = host_part
            .find(['/', ' '])
            .filter(|_| !host_part.starts_with('['));
        match path_at {
            Some(p) => {
                parts.host = Some(pos..pos + p);
                parts.junk.push(pos + p..host_range.end);
            }
            None => parts.host = Some(host_range.clone()),
        }
    }
    if let Some(port) = port_part {
        let port_start = host_range.end + 1;
        let digits = port.bytes().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            parts.port = Some(port_start..port_start + port.len());
        } else {
            parts.port = Some(port_start..port_start + digits);
            if digits < port.len() {
                parts
                    .junk
                    .push(port_start + digits..port_start + port.len());
            }
        }
    }
    pos = authority_end;
    while pos < text.len() {
        // Skip the `;`.
        pos += 1;
        if pos >= text.len() {
            break;
        }
        let (key, value, end) = key_value(text, pos);
        match text[key.clone()].trim().to_ascii_lowercase().as_str() {
            "server" if parts.server.is_none() => parts.server = Some(value),
            "database" if parts.database.is_none() => parts.database = Some(value),
            _ => parts.junk.push(key.start..end),
        }
        // Text between a `]` and the next `;` is junk too.
        let next = text[end..].find(';').map(|i| end + i).unwrap_or(text.len());
        if next > end {
            parts.junk.push(end..next);
        }
        pos = next;
    }
    parts
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        if let Some(close) = authority.find(']') {
            let rest = &authority[close + 1..];
            return match rest.strip_prefix(':') {
                Some(port) => (&authority[..close + 1], Some(port)),
                None => (authority, None),
            };
        }
    }
    match authority.rfind(':') {
        Some(i) => (&authority[..i], Some(&authority[i + 1..])),
        None => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part<'a>(text: &'a str, r: &Option<Range<usize>>) -> &'a str {
        r.clone().map(|r| &text[r]).unwrap_or("<none>")
    }

    #[test]
    fn mi_listener_url() {
        let t = "tcp://mi1.abc.database.windows.net:5022;Server=[mi1];Database=[Sales]";
        let p = parse_url(t);
        assert_eq!(part(t, &p.scheme), "tcp");
        assert_eq!(part(t, &p.host), "mi1.abc.database.windows.net");
        assert_eq!(part(t, &p.port), "5022");
        assert_eq!(part(t, &p.server), "mi1");
        assert_eq!(part(t, &p.database), "Sales");
        assert!(p.junk.is_empty());
    }

    #[test]
    fn sql_url_without_port_and_with_path() {
        let t = "TCP://sql01/extra";
        let p = parse_url(t);
        assert_eq!(part(t, &p.host), "sql01");
        assert_eq!(p.port, None);
        assert_eq!(&t[p.junk[0].clone()], "/extra");
    }

    #[test]
    fn named_instance_and_bad_port() {
        let t = "TCP://HOST\\INST:50x22";
        let p = parse_url(t);
        assert_eq!(part(t, &p.host), "HOST\\INST");
        assert_eq!(part(t, &p.port), "50");
        assert_eq!(&t[p.junk[0].clone()], "x22");
    }

    #[test]
    fn ipv6_host() {
        let t = "tcp://[fe80::1]:5022";
        let p = parse_url(t);
        assert_eq!(part(t, &p.host), "[fe80::1]");
        assert_eq!(part(t, &p.port), "5022");
    }

    #[test]
    fn no_scheme_unknown_key_unclosed_bracket() {
        let t = "mi1.x.database.windows.net:5022;Srv=[mi1];Server=[mi";
        let p = parse_url(t);
        assert_eq!(p.scheme, None);
        assert_eq!(part(t, &p.server), "mi");
        assert_eq!(&t[p.junk[0].clone()], "Srv=[mi1]");
    }
}
