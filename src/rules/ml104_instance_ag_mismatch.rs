//! ML104: the DAG's managed-instance member name differs from the parameters file.

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML104",
    name: "instance-ag-mismatch",
    severity: Severity::Error,
    summary: "the DAG's managed-instance member name differs from the parameters file",
    catalogue: "N4",
    needs_params: true,
    doc: rule_doc!("ML104"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
