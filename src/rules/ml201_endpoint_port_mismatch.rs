//! ML201: the endpoint's LISTENER_PORT differs from the port in the link's URLs or the parameters.

use super::{Check, Rule};
use crate::analysis::name_checks::Source;
use crate::analysis::queries::{
    client_ports, link_urls, mirroring_endpoints, set_later_on_endpoint, EndpointPorts,
};
use crate::analysis::{Analysis, EndpointSetting};
use crate::analysis::LinkSetup;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML201,
    severity: Severity::Error,
    summary: "the mirroring endpoint's LISTENER_PORT, the SQL Server URLs and the parameters' endpoint_port disagree",
    catalogue: "U1",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let params_port = a
        .params
        .as_ref()
        .and_then(|p| p.sql_server.endpoint_port.as_ref());
    // A LISTENER_PORT that is no port: the endpoint cannot be created.
    if crate::analysis::queries::in_scope(a) {
        for (_, e) in mirroring_endpoints(a) {
            let Some(port) = e.port.as_ref().filter(|p| p.value.is_none()) else {
                continue;
            };
            // In dynamic SQL the span is the EXEC argument, not the value.
            let written = if e.name.dynamic {
                String::new()
            } else {
                format!(" {}", a.files.slice(port.span))
            };
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, port.span, format!("LISTENER_PORT{written} is not a port number (1–65535)"))
                    .with_primary_label("not a port")
                    .with_help("SQL Server rejects the endpoint: write the database mirroring endpoint's port (5022 unless the parameters file says otherwise)"),
            );
        }
    }
    // Every CREATE / ALTER ENDPOINT that sets a port, on its own: in an `IF NOT EXISTS
    // … CREATE … ELSE ALTER …` the CREATE's port counts even if the ALTER sets none,
    // and each of several set-ups' copies of the endpoint script is checked.
    if let Some(expected) = params_port {
        for (index, e) in mirroring_endpoints(a) {
            let Some((port, span)) = e.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span)))
            else {
                continue;
            };
            // A later ALTER ENDPOINT that runs after this one sets the port in force.
            if set_later_on_endpoint(a, index, EndpointSetting::Port) {
                continue;
            }
            if port != expected.value {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, span, format!("endpoint LISTENER_PORT {port} does not match {} ({})", a.expected_source(expected.span).noun(), expected.value))
                        .with_primary_label(format!("port {port}"))
                        .with_label(expected.span, "expected here")
                        .with_help("the partner endpoint given to Azure uses the parameters' port; make them the same")
                        .with_fix_if(super::fixes::port(a, span, expected.value).map(|mut fix| {
                            // An Azure export as the reference may be the one that is wrong.
                            if a.expected_source(expected.span) != crate::analysis::name_checks::Source::Params {
                                fix.applicability = crate::diagnostic::Applicability::Unsafe;
                            }
                            fix
                        })),
                );
            }
        }
    }
    // Every SQL Server URL of a link, against the port its set-up's endpoint listens on.
    let client = client_ports(a);
    let ports = EndpointPorts::new(a);
    let mut reference: std::collections::HashMap<usize, Option<Reference>> = Default::default();
    for (link, url, is_mi) in link_urls(a) {
        if is_mi {
            continue;
        }
        let Some((url_port, url_span)) =
            url.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span)))
        else {
            continue;
        };
        let expected = reference
            .entry(link.dag)
            .or_insert_with(|| link_reference(a, &ports, link, &client));
        let Some(expected) = expected else {
            continue;
        };
        // 1433 or the AG listener's port: ML202 says why that port is wrong.
        if expected.ports.iter().any(|(p, _)| *p == url_port) || client.contains(&url_port) {
            continue;
        }
        let port = expected.ports[0].0;
        let source = expected.source;
        let written = expected
            .ports
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>()
            .join(" or ");
        let mut d = Diagnostic::new(RULE.code, RULE.severity, url_span, format!("port {url_port} in '{}' does not match {source} ({written})", url.text))
            .with_primary_label(format!("port {url_port}"))
            .with_help(format!("use the database mirroring endpoint port {port}; nothing listens on {url_port} for the link"));
        for (p, span) in &expected.ports {
            d = d.with_label(*span, format!("{source} is {p}"));
        }
        // One port to write: safe when the parameters give it; from the set-up's endpoint
        // or another URL, the URL may be the right one (unsafe).
        if let [(only, _)] = expected.ports.as_slice() {
            d = d.with_fix_if(super::fixes::port(a, url_span, *only).map(|mut fix| {
                if !expected.from_params {
                    fix.applicability = crate::diagnostic::Applicability::Unsafe;
                }
                fix
            }));
        }
        out.push(d);
    }
}

/// What a link's SQL Server URLs must match: one port, or (when the arms of an IF create
/// the endpoint on different ports and no parameters file says which) any of them.
struct Reference {
    ports: Vec<(u16, Span)>,
    source: &'static str,
    /// The parameters file gives the port (not an export, not the scripts).
    from_params: bool,
}

/// The port a link's SQL Server URLs must have, and what says so: the parameters, its
/// set-up's endpoint (or endpoints), else its other SQL Server URL.
fn link_reference(
    a: &Analysis,
    ports: &EndpointPorts,
    link: &LinkSetup,
    client: &[u16],
) -> Option<Reference> {
    if let Some((port, span, from_params)) = ports.for_link(Some(link)) {
        let source = if from_params {
            match a.expected_source(span) {
                Source::Export => "the Azure export's endpoint_port",
                _ => "the parameters file's endpoint_port",
            }
        } else {
            "the endpoint's LISTENER_PORT"
        };
        return Some(Reference {
            ports: vec![(port, span)],
            source,
            from_params: from_params && a.expected_source(span) == Source::Params,
        });
    }
    let endpoints = ports.all_for_link(link);
    if !endpoints.is_empty() {
        return Some(Reference {
            ports: endpoints,
            source: "the endpoint's LISTENER_PORT",
            from_params: false,
        });
    }
    a.sql_side_urls(link)
        .into_iter()
        .filter_map(|u| u.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span))))
        .find(|(v, _)| !client.contains(v))
        .map(|(v, span)| Reference {
            ports: vec![(v, span)],
            source: "the other SQL Server URL's port",
            from_params: false,
        })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    const PORT: &str = "LISTENER_PORT = 5022";

    /// [`LINK`] with the endpoint listening on `port` (line 5).
    fn endpoint_on(port: &str) -> String {
        LINK.replace(PORT, &format!("LISTENER_PORT = {port}"))
    }

    /// [`LINK`] without its endpoint (the URLs then start at line 11).
    fn without_endpoint() -> String {
        let start = LINK.find("CREATE ENDPOINT").unwrap();
        let end = LINK.find("ALGORITHM AES);\n").unwrap() + "ALGORITHM AES);\n".len();
        format!("{}{}", &LINK[..start], &LINK[end..])
    }

    #[test]
    fn an_endpoint_on_another_port_than_the_urls() {
        let found = script(RULE.code, &endpoint_on("5024"));
        assert_eq!(lines(&found), [16, 24]);
        assert_eq!(
            found[0].message,
            "port 5022 in 'TCP://sqlfin01.corp.example.net:5022' does not match the endpoint's LISTENER_PORT (5024)"
        );
    }

    #[test]
    fn with_the_parameters_one_finding_at_the_endpoint() {
        let found = with_params(RULE.code, &endpoint_on("5024"), PARAMS);
        assert_eq!(lines(&found), [5]);
        assert_eq!(
            found[0].message,
            "endpoint LISTENER_PORT 5024 does not match the parameters file (5022)"
        );
    }

    #[test]
    fn one_port_everywhere() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn another_port_than_5022_used_everywhere() {
        let sql = LINK
            .replace(PORT, "LISTENER_PORT = 5023")
            .replace("sqlfin01.corp.example.net:5022", "sqlfin01.corp.example.net:5023");
        let params = PARAMS.replace("endpoint_port = 5022", "endpoint_port = 5023");
        assert_eq!(with_params(RULE.code, &sql, &params), []);
    }

    #[test]
    fn a_listener_port_that_is_no_port() {
        let found = script(RULE.code, &endpoint_on("70000"));
        assert_eq!(lines(&found), [5]);
        assert_eq!(
            found[0].message,
            "LISTENER_PORT 70000 is not a port number (1–65535)"
        );
    }

    #[test]
    fn a_later_alter_endpoint_sets_the_port_in_force() {
        let sql = format!("{}ALTER ENDPOINT [Hadr_endpoint] AS TCP (LISTENER_PORT = 5022);\n", endpoint_on("5024"));
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
    }

    #[test]
    fn the_create_of_an_if_counts_whatever_the_else_arm_says() {
        let create = "CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED";
        let guarded = endpoint_on("5024").replace(
            create,
            &format!("IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)\n{create}"),
        );
        let sql = guarded.replace(
            "ALGORITHM AES);\n",
            "ALGORITHM AES)\nELSE\n    ALTER ENDPOINT [Hadr_endpoint] AS TCP (LISTENER_PORT = 5022);\n",
        );
        assert_eq!(lines(&with_params(RULE.code, &sql, PARAMS)), [6]);
    }

    #[test]
    fn without_an_endpoint_the_urls_are_compared_with_each_other() {
        let sql = without_endpoint().replace(
            "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022'",
            "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5023'",
        );
        let found = script(RULE.code, &sql);
        assert_eq!(lines(&found), [19]);
        assert_eq!(
            found[0].message,
            "port 5023 in 'TCP://sqlfin01.corp.example.net:5023' does not match the other SQL Server URL's port (5022)"
        );
    }

    #[test]
    fn a_client_port_is_left_to_ml202() {
        let sql = LINK.replace(
            "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022'",
            "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:1433'",
        );
        assert_eq!(script(RULE.code, &sql), []);
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
    }

    #[test]
    fn the_managed_instance_url_is_not_checked_here() {
        let sql = LINK.replace("windows.net:5022", "windows.net:5023");
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
    }

    #[test]
    fn an_endpoint_script_alone_against_the_parameters() {
        let endpoint = endpoint_on("5024");
        let cut = endpoint.find("CREATE CERTIFICATE [mi-").unwrap();
        let found = findings(RULE.code, &[("01_endpoint.sql", &endpoint[..cut])], Some(PARAMS));
        assert_eq!(lines(&found), [5]);
    }
}
