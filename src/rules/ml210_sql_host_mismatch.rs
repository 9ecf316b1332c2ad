//! ML210: the SQL Server host in the link's URLs is not the one the parameters give.

use super::{Check, Rule};
use crate::analysis::queries::is_loopback;
use crate::analysis::queries::{is_ip, link_urls};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML210,
    severity: Severity::Warning,
    summary: "a SQL Server URL host is neither the parameters' fqdn nor ip, or is a single-label (NetBIOS) name",
    catalogue: "U10",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let sql = a.params.as_ref().map(|p| &p.sql_server);
    let known: Vec<&crate::params::Value<String>> = sql
        .map(|s| s.fqdn.iter().chain(s.ip.iter()).collect())
        .unwrap_or_default();
    // In a multi-node AG each replica's ENDPOINT_URL is its own address, while the
    // parameters name the address the managed instance uses (often the AG listener).
    let replica_urls: std::collections::HashSet<_> = a
        .availability_groups()
        .filter(|(_, ag)| ag.replicas.len() > 1)
        .flat_map(|(_, ag)| ag.replicas.iter().filter_map(|r| r.endpoint_url.as_ref()))
        .map(|u| u.span)
        .collect();
    for (_, url, is_mi) in link_urls(a) {
        let Some(host) = url.host.as_ref().filter(|h| !h.value.trim().is_empty()) else {
            continue; // no host: ML209
        };
        if is_mi
            || is_loopback(&host.value)
            || host.value.contains('\\')
            || replica_urls.contains(&url.span)
        {
            continue;
        }
        let bare = host.value.trim_start_matches('[').trim_end_matches(']');
        if let Some(first) = known.first() {
            if !known.iter().any(|k| k.value.eq_ignore_ascii_case(bare)) {
                let expected = known
                    .iter()
                    .map(|k| format!("'{}'", k.value))
                    .collect::<Vec<_>>()
                    .join(" or ");
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, host.span, format!("SQL Server host '{}' is not the one in {} ({expected})", host.value, a.expected_source(first.span).noun()))
                        .with_label(first.span, "expected here")
                        .with_help("the managed instance connects to this host: use the address the parameters give (and that Azure's partner endpoint uses)"),
                );
            }
        } else if !is_ip(&host.value) && !host.value.contains('.') && !host.value.trim().is_empty()
        {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is a single-label host name that the managed instance's network may not resolve", host.value))
                    .with_primary_label("NetBIOS-style name")
                    .with_help("use an IP address or a fully qualified name resolvable from the managed instance's virtual network"),
            );
        }
    }
}
