//! ML210: the SQL Server host in the link's URLs is not the one the parameters give.

use super::ml207_sql_host_loopback::is_loopback;
use super::support::{is_ip, link_urls};
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML210",
    name: "sql-host-mismatch",
    severity: Severity::Warning,
    summary: "a SQL Server URL host is neither the parameters' fqdn nor ip, or is a single-label (NetBIOS) name",
    catalogue: "U10",
    needs_params: false,
    doc: rule_doc!("ML210"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let sql = a.params.as_ref().map(|p| &p.sql_server);
    let known: Vec<&crate::params::Value<String>> = sql
        .map(|s| s.fqdn.iter().chain(s.ip.iter()).collect())
        .unwrap_or_default();
    for (_, url, is_mi) in link_urls(a) {
        let Some(host) = url.host.as_ref() else {
            continue;
        };
        if is_mi || is_loopback(&host.value) || host.value.contains('\\') {
            continue;
        }
        if let Some(first) = known.first() {
            if !known
                .iter()
                .any(|k| k.value.eq_ignore_ascii_case(&host.value))
            {
                let expected = known
                    .iter()
                    .map(|k| format!("'{}'", k.value))
                    .collect::<Vec<_>>()
                    .join(" or ");
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, host.span, format!("SQL Server host '{}' is not the one in the parameters file ({expected})", host.value))
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
