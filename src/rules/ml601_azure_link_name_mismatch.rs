//! ML601: the link name of an Azure command or export differs from the DAG (or the parameters file).

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML601",
    name: "azure-link-name-mismatch",
    severity: Severity::Error,
    summary:
        "the link name of an Azure command or export differs from the DAG (or the parameters file)",
    catalogue: "N3",
    needs_params: false,
    doc: rule_doc!("ML601"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
