//! ML212: a named instance uses the default instance's port 5022.

use super::{Check, Rule};
use crate::analysis::queries::endpoint_port;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML212,
    severity: Severity::Warning,
    summary: "a named instance (HOST\\INSTANCE) uses endpoint port 5022, which belongs to the default instance",
    catalogue: "U12",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let Some(name) = a.params.as_ref().and_then(|p| p.sql_server.name.as_ref()) else {
        return;
    };
    if !name.value.contains('\\') {
        return;
    }
    let Some((5022, span, _)) = endpoint_port(a, None) else {
        return;
    };
    out.push(
        Diagnostic::new(RULE.code, RULE.severity, span, format!("named instance '{}' uses port 5022", name.value))
            .with_primary_label("the default instance's endpoint port")
            .with_label(name.span, "a named instance")
            .with_help("give each instance on a host its own endpoint port (e.g. 5023) and use it in every URL and in the parameters"),
    );
}
