//! ML113: two occurrences of a name differ only in letter case.

use super::expectations::{expectations, Source};
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::NameMatch;

pub static RULE: Rule = Rule {
    code: "ML113",
    name: "name-case-mismatch",
    severity: Severity::Warning,
    summary:
        "a name differs only in letter case from the parameters file or from its other occurrence",
    catalogue: "N13",
    needs_params: false,
    doc: rule_doc!("ML113"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for e in expectations(a) {
        // Host names are DNS names: letter case never matters there.
        if e.outcome() != NameMatch::CaseOnly || e.code == "ML109" {
            continue;
        }
        let where_ = match e.source {
            Source::Params => "the parameters file",
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
