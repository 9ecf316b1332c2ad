//! ML209: a URL of the link does not follow TCP://host:port[;Server=[..][;Database=[..]]].

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Url;
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML209,
    severity: Severity::Error,
    summary:
        "an ENDPOINT_URL or LISTENER_URL of the link is malformed (scheme, host, port, extra text)",
    catalogue: "U9",
    needs_params: false,
    check: Check::Model(check),
};

/// The first problem of a URL: (span, message, help).
fn problem(url: &Url) -> Option<(Span, String, String)> {
    match &url.scheme {
        None => {
            return Some((
                url.value_span,
                format!("'{}' has no scheme", url.text),
                "start the URL with TCP://".into(),
            ))
        }
        Some(s) if !s.value.eq_ignore_ascii_case("tcp") => {
            return Some((
                s.span,
                format!("URL scheme '{}' is not TCP", s.value),
                "database mirroring URLs start with TCP://".into(),
            ))
        }
        _ => {}
    }
    let Some(host) = url.host.as_ref().filter(|h| !h.value.trim().is_empty()) else {
        return Some((
            url.value_span,
            format!("'{}' has no host", url.text),
            "write TCP://<host>:<port>".into(),
        ));
    };
    if host.value.contains('\\') {
        return None; // ML208
    }
    if host.value.contains(char::is_whitespace) {
        return Some((
            host.span,
            format!("host '{}' contains whitespace", host.value),
            "remove the spaces".into(),
        ));
    }
    match &url.port {
        None => {
            return Some((
                url.value_span,
                format!("'{}' has no port", url.text),
                "add the endpoint port, e.g. :5022".into(),
            ))
        }
        Some(p) if p.value.is_none() => {
            return Some((
                p.span,
                format!(
                    "'{}' is not a valid port",
                    url.port_text.as_deref().unwrap_or("")
                ),
                "use a number from 1 to 65535".into(),
            ))
        }
        _ => {}
    }
    url.junk.first().map(|j| (j.span, format!("unexpected '{}' in URL '{}'", j.value, url.text), "remove it: the URL is TCP://host:port, plus ;Server=[…] (and ;Database=[…]) for the managed instance".into()))
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, _) in link_urls(a) {
        if let Some((span, message, help)) = problem(url) {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, span, message)
                    .with_primary_label("malformed URL")
                    .with_help(help),
            );
        }
    }
}
