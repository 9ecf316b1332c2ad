//! ML307: the mirroring endpoint is a WITNESS only, is not STARTED (CREATE ENDPOINT defaults to STOPPED), or the link's endpoint is not FOR DATABASE_MIRRORING.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, mirroring_endpoints, set_later_on_endpoint};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML307,
    severity: Severity::Error,
    summary: "the mirroring endpoint is a WITNESS only, is not STARTED (CREATE ENDPOINT defaults to STOPPED), or the link's endpoint is not FOR DATABASE_MIRRORING",
    catalogue: "M5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (index, e) in mirroring_endpoints(a) {
        if let Some(role) = e.role.as_ref().filter(|r| r.value == "WITNESS") {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    role.span,
                    format!("endpoint '{}' can only be a witness", e.name.value),
                )
                .with_primary_label("ROLE = WITNESS")
                .with_help("write ROLE = ALL: the endpoint must carry the link's replication"),
            );
        }
        // A later ALTER ENDPOINT … STATE = … decides the state instead.
        if set_later_on_endpoint(a, index, e, |x| x.state.is_some()) {
            continue;
        }
        match &e.state {
            Some(state) if state.value != "STARTED" => out.push(
                Diagnostic::new(RULE.code, RULE.severity, state.span, format!("endpoint '{}' is {}", e.name.value, state.value))
                    .with_primary_label("not listening")
                    .with_help("write STATE = STARTED; a stopped endpoint refuses the managed instance's connection"),
            ),
            None if !e.is_alter => out.push(
                Diagnostic::new(RULE.code, RULE.severity, e.name.span, format!("endpoint '{}' has no STATE, so it is created STOPPED", e.name.value))
                    .with_primary_label("STATE missing")
                    .with_help("add STATE = STARTED (or start it later with ALTER ENDPOINT … STATE = STARTED)"),
            ),
            _ => {}
        }
    }
    // A link whose scripts create only endpoints for something else.
    let any_mirroring = mirroring_endpoints(a).next().is_some();
    if !any_mirroring && !a.links.is_empty() {
        for (_, e) in a.endpoints() {
            let Some(payload) = &e.payload else { continue };
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, payload.span, format!("endpoint '{}' is FOR {}, but the link needs a DATABASE_MIRRORING endpoint", e.name.value, payload.value))
                    .with_primary_label("wrong endpoint type")
                    .with_help("create the endpoint FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE …, ENCRYPTION = REQUIRED ALGORITHM AES)"),
            );
        }
    }
}
