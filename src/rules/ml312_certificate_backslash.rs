//! ML312: a certificate name contains a backslash (e.g. built from @@SERVERNAME of a named instance).

use super::{Check, Rule};
use crate::analysis::queries::in_scope;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::SERVERNAME_MARKER;

pub static RULE: Rule = Rule {
    code: Code::ML312,
    severity: Severity::Error,
    summary:
        "a certificate name contains a backslash (e.g. built from @@SERVERNAME of a named instance)",
    catalogue: "M10",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    let server = a.server_name();
    for (_, cert) in a.certificates() {
        let Some(name) = cert.name.resolve(server) else {
            continue;
        };
        if crate::analysis::queries::has_placeholder(&name) {
            continue;
        }
        if !name.contains('\\') {
            continue;
        }
        let fixed = name.replace('\\', "_");
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            cert.name.span,
            format!("certificate name '{name}' contains a backslash"),
        )
        .with_primary_label("'\\' is not allowed here")
        .with_help(format!(
            "name it without the backslash, e.g. '{fixed}', and use that name in the endpoint"
        ));
        if cert.name.value.contains(SERVERNAME_MARKER) {
            d = d.with_note(
                "the name is built from @@SERVERNAME, which is HOST\\INSTANCE on a named instance",
            );
        }
        out.push(d);
    }
}
