//! ML608: an Azure command uses a parameter name that current Az.Sql / Azure CLI versions removed.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML608,
    severity: Severity::Warning,
    summary:
        "an Azure command uses a parameter name that current Az.Sql / Azure CLI versions removed",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.azure.links {
        for old in &link.old_names {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    old.span,
                    format!("{} was {}; the parameter is now {}", old.old, old.removed_in, old.new),
                )
                .with_primary_label(format!("use {}", old.new))
                .with_help(format!(
                    "write {} (same value): with a current module the command stops with an unknown-parameter error and the managed instance side of the link is never created",
                    old.new
                )),
            );
        }
    }
}
