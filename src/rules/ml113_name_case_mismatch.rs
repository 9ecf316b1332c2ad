//! ML113: two occurrences of a name differ only in letter case.

use super::{Check, Rule};
use crate::analysis::name_checks::{NameKind, Source};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::NameMatch;

pub static RULE: Rule = Rule {
    code: Code::ML113,
    severity: Severity::Warning,
    summary:
        "a name differs only in letter case from the parameters file or from its other occurrence",
    catalogue: "N13",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for e in a.name_checks() {
        // Host names are DNS names: letter case never matters there.
        if e.outcome() != NameMatch::CaseOnly || e.kind == NameKind::MiHost {
            continue;
        }
        let where_ = match e.source {
            Source::Params | Source::Export => e.source.noun(),
            Source::Script => "its declaration",
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                e.found.span,
                format!(
                    "{} '{}' differs only in letter case from {where_} ('{}')",
                    e.what, e.found.value, e.expected.value
                ),
            )
            .with_primary_label(format!("'{}'", e.found.value))
            .with_label(e.expected.span, format!("'{}'", e.expected.value))
            .with_help(format!(
                "write '{}' everywhere: a case-sensitive collation or the Azure side can treat them as different names",
                e.expected.value
            )),
        );
    }
}
