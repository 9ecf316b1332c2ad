//! ML208: HOST\INSTANCE written in a URL.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML208,
    severity: Severity::Error,
    summary: "a URL names a SQL Server instance (HOST\\INSTANCE) instead of a host; instances are reached by the endpoint port",
    catalogue: "U8",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, _) in link_urls(a) {
        let Some(host) = url.host.as_ref().filter(|h| h.value.contains('\\')) else {
            continue;
        };
        let machine = host.value.split('\\').next().unwrap_or_default();
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is an instance name; a URL takes a host", host.value))
                .with_primary_label("HOST\\INSTANCE")
                .with_help(format!("write TCP://{machine}:<the instance's endpoint port>; the instance is selected by the port")),
        );
    }
}
