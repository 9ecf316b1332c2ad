//! ML203: the managed-instance listener URL does not use port 5022.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML203,
    severity: Severity::Error,
    summary: "the managed-instance listener URL does not use port 5022",
    catalogue: "U3",
    needs_params: false,
    check: Check::Model(check),
};

/// The public endpoint's port: ML205 reports it with the right explanation.
const PUBLIC_ENDPOINT_PORT: u16 = 3342;

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        let Some(port) = url.port.as_ref() else {
            continue;
        };
        match port.value {
            // No valid number: ML209 says so.
            None | Some(5022) | Some(PUBLIC_ENDPOINT_PORT) => continue,
            _ if !is_mi => continue,
            _ => {}
        }
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, port.span, format!("managed instance listener URL uses port {}; the managed instance side of the link is always 5022", url.port_text.as_deref().unwrap_or("?")))
                .with_primary_label("must be 5022")
                .with_help("write tcp://<managed instance FQDN>:5022;Server=[<name>]"),
        );
    }
}
