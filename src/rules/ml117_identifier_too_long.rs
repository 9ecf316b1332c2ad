//! ML117: a name longer than sysname allows.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, model_names};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML117,
    severity: Severity::Error,
    summary: "a name is longer than 128 characters (sysname)",
    catalogue: "N17",
    needs_params: false,
    check: Check::Model(check),
};

const SYSNAME_MAX: usize = 128;

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (name, what) in model_names(a) {
        // A name built from @@SERVERNAME counts with the server's name when it is known.
        let Some(resolved) = name.resolve(a.server_name()) else {
            continue;
        };
        let length = resolved.chars().count();
        if length <= SYSNAME_MAX {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                name.span,
                format!("{what} name is {length} characters long; SQL Server names are at most {SYSNAME_MAX}"),
            )
            .with_primary_label(format!("{length} characters"))
            .with_help("shorten the name (and the matching parameters value)"),
        );
    }
}
