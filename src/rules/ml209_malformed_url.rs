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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    const REPLICA_URL: &str = "ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022'";
    const MI_URL: &str = "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]";

    /// [`LINK`] with `url` as the replica's ENDPOINT_URL (line 16).
    fn replica_url(url: &str) -> String {
        LINK.replace(REPLICA_URL, &format!("ENDPOINT_URL = '{url}'"))
    }

    #[test]
    fn a_misspelt_scheme() {
        let found = script(RULE.code, &replica_url("TPC://sqlfin01.corp.example.net:5022"));
        assert_eq!(lines(&found), [16]);
        assert_eq!(found[0].message, "URL scheme 'TPC' is not TCP");
    }

    #[test]
    fn well_formed_urls() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(script(RULE.code, &replica_url("tcp://sqlfin01.corp.example.net:5022")), []);
    }

    #[test]
    fn each_first_problem() {
        let cases = [
            ("sqlfin01.corp.example.net:5022", "'sqlfin01.corp.example.net:5022' has no scheme"),
            ("http://sqlfin01.corp.example.net:5022", "URL scheme 'http' is not TCP"),
            ("TCP://:5022", "'TCP://:5022' has no host"),
            ("TCP://sqlfin01.corp.example.net", "'TCP://sqlfin01.corp.example.net' has no port"),
            ("TCP://sqlfin01.corp.example.net:70000", "'70000' is not a valid port"),
            ("TCP://sqlfin01.corp.example.net:5022/hadr", "unexpected '/hadr' in URL 'TCP://sqlfin01.corp.example.net:5022/hadr'"),
        ];
        for (url, message) in cases {
            let found = script(RULE.code, &replica_url(url));
            assert_eq!(lines(&found), [16], "{url}");
            assert_eq!(found[0].message, message);
        }
    }

    #[test]
    fn an_unknown_key_in_the_managed_instance_url() {
        let bad = LINK.replace(MI_URL, &format!("{MI_URL};Encrypt=true"));
        assert_eq!(lines(&script(RULE.code, &bad)), [29]);
    }

    #[test]
    fn what_the_parser_accepts_on_purpose() {
        for mi in [
            format!("{MI_URL};"),
            MI_URL.replace("Server=[mi-treasury]", "Server=mi-treasury"),
            format!("{MI_URL};Database=[Treasury]"),
        ] {
            assert_eq!(script(RULE.code, &LINK.replace(MI_URL, &mi)), [], "{mi}");
        }
    }

    #[test]
    fn an_instance_name_is_left_to_ml208() {
        let other = replica_url("TCP://SQLFIN01\\LINK");
        assert_eq!(script(RULE.code, &other), []);
    }
}
