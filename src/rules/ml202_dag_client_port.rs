//! ML202: a SQL Server URL of the link uses the client port (1433 or the AG listener's port).

use super::{Check, Rule};
use crate::analysis::queries::{client_ports, link_urls, EndpointPorts};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML202,
    severity: Severity::Error,
    summary: "a SQL Server ENDPOINT_URL/LISTENER_URL of the link uses the client port (1433 or the AG listener port) instead of the mirroring endpoint port",
    catalogue: "U2",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let client = client_ports(a);
    let ports = EndpointPorts::new(a);
    for (link, url, is_mi) in link_urls(a) {
        if is_mi {
            continue;
        }
        let endpoint = ports.for_link(Some(link));
        let Some((port, span)) = url.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span)))
        else {
            continue;
        };
        if !client.contains(&port) || endpoint.is_some_and(|(e, _, _)| e == port) {
            continue;
        }
        let mut d = Diagnostic::new(RULE.code, RULE.severity, span, format!("'{}' uses client port {port}; the link connects to the database mirroring endpoint", url.text))
            .with_primary_label("a client connection port");
        d = match endpoint {
            Some((e, espan, _)) => d
                .with_label(espan, format!("the mirroring endpoint listens on {e}"))
                .with_help(format!("use port {e}")),
            None => d.with_help(
                "use the LISTENER_PORT of the database mirroring endpoint (usually 5022)",
            ),
        };
        out.push(d);
    }
}
