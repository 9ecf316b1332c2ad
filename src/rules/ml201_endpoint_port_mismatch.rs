//! ML201: the endpoint's LISTENER_PORT differs from the port in the link's URLs or the parameters.

use super::support::{endpoint_port, link_urls};
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML201",
    name: "endpoint-port-mismatch",
    severity: Severity::Error,
    summary: "the mirroring endpoint's LISTENER_PORT, the SQL Server URLs and the parameters' endpoint_port disagree",
    catalogue: "U1",
    needs_params: false,
    doc: rule_doc!("ML201"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let listener_ports = super::ml202_dag_client_port::client_ports(a);
    // Without an endpoint or parameters, the link's SQL Server URLs must still agree.
    let first_url_port = || {
        link_urls(a)
            .into_iter()
            .filter(|(_, _, is_mi)| !is_mi)
            .filter_map(|(_, u, _)| u.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span))))
            .find(|(v, _)| !listener_ports.contains(v))
    };
    let (port, port_span, source, from_params) = match endpoint_port(a) {
        Some((p, span, true)) => (p, span, "the parameters file's endpoint_port", true),
        Some((p, span, false)) => (p, span, "the endpoint's LISTENER_PORT", false),
        None => match first_url_port() {
            Some((p, span)) => (p, span, "the other SQL Server URL's port", true),
            None => return,
        },
    };
    // The script's endpoint against the parameters.
    if !from_params {
        if let Some(p) = a
            .params
            .as_ref()
            .and_then(|p| p.sql_server.endpoint_port.as_ref())
        {
            if p.value != port {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, port_span, format!("endpoint LISTENER_PORT {port} does not match the parameters file ({})", p.value))
                        .with_label(p.span, "expected here")
                        .with_help("the partner endpoint given to Azure uses the parameters' port; make them the same"),
                );
            }
        }
    }
    for (_, url, is_mi) in link_urls(a) {
        if is_mi {
            continue;
        }
        let Some(url_port) = url.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span))) else {
            continue;
        };
        // 1433 or the AG listener's port: ML202 says why that port is wrong.
        if url_port.0 == port || listener_ports.contains(&url_port.0) {
            continue;
        }
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, url_port.1, format!("port {} in '{}' does not match {source} ({port})", url_port.0, url.text))
                .with_primary_label(format!("port {}", url_port.0))
                .with_label(port_span, format!("{source} is {port}"))
                .with_help(format!("use the database mirroring endpoint port {port}; nothing listens on {} for the link", url_port.0)),
        );
    }
}
