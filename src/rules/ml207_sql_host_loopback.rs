//! ML207: a SQL Server URL of the link points at the local machine.

use super::{Check, Rule};
use crate::analysis::queries::is_loopback;
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML207,
    severity: Severity::Error,
    summary: "a SQL Server URL of the link uses localhost, 127.0.0.1, ::1, '.' or (local), which the managed instance cannot reach",
    catalogue: "U7",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        let Some(host) = url
            .host
            .as_ref()
            .filter(|h| !is_mi && is_loopback(&h.value))
        else {
            continue;
        };
        let suggestion = a
            .params
            .as_ref()
            .and_then(|p| p.sql_server.fqdn.as_ref().or(p.sql_server.ip.as_ref()))
            .map(|v| format!("'{}'", v.value))
            .unwrap_or_else(|| {
                "an IP address or a host name the managed instance's network resolves".into()
            });
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is this machine; the managed instance connects to SQL Server through this URL", host.value))
                .with_primary_label("unreachable from Azure")
                .with_help(format!("use {suggestion}")),
        );
    }
}
