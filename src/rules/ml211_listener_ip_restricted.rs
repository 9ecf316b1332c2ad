//! ML211: the mirroring endpoint listens on one address only.

use super::{Check, Rule};
use crate::analysis::queries::mirroring_endpoints;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML211,
    severity: Severity::Warning,
    summary:
        "the database mirroring endpoint's LISTENER_IP is restricted to one address instead of ALL",
    catalogue: "U11",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !crate::analysis::queries::in_scope(a) {
        return;
    }
    for (_, e) in mirroring_endpoints(a) {
        let Some(ip) = e.listener_ip.as_ref().filter(|ip| {
            ip.value != "ALL" && !crate::analysis::queries::has_placeholder(&ip.value)
        }) else {
            continue;
        };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, ip.span, format!("endpoint '{}' listens only on {}", e.name.value, ip.value))
                .with_primary_label("restricted listener")
                .with_help("use LISTENER_IP = ALL: a distributed availability group may connect through another address"),
        );
    }
}
