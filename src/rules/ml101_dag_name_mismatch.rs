//! ML101: the distributed availability group (link) name differs from the parameters file.

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML101",
    name: "dag-name-mismatch",
    severity: Severity::Error,
    summary: "the distributed availability group (link) name differs from the parameters file",
    catalogue: "N3",
    needs_params: true,
    doc: rule_doc!("ML101"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
