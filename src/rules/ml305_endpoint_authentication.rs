//! ML305: the database mirroring endpoint does not authenticate with a certificate.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, mirroring_endpoints, set_later_on_endpoint};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML305,
    severity: Severity::Error,
    summary: "the database mirroring endpoint does not authenticate with a certificate",
    catalogue: "M5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (index, e) in mirroring_endpoints(a) {
        if set_later_on_endpoint(a, index, e, |x| x.authentication.is_some()) {
            continue;
        }
        let d = match &e.authentication {
            Some(auth) if auth.certificate.is_some() => continue,
            Some(auth) => Diagnostic::new(
                RULE.code,
                RULE.severity,
                auth.span,
                format!(
                    "endpoint '{}' authenticates with Windows only",
                    e.name.value
                ),
            )
            .with_primary_label("no CERTIFICATE"),
            None if !e.is_alter => Diagnostic::new(
                RULE.code,
                RULE.severity,
                e.name.span,
                format!(
                    "endpoint '{}' has no AUTHENTICATION clause, so it uses Windows authentication",
                    e.name.value
                ),
            )
            .with_primary_label("AUTHENTICATION missing"),
            None => continue,
        };
        out.push(d.with_help("the managed instance can only authenticate with certificates: write AUTHENTICATION = CERTIFICATE [<cert>] (or WINDOWS NEGOTIATE CERTIFICATE [<cert>] when an existing AG still needs Windows)"));
    }
}
