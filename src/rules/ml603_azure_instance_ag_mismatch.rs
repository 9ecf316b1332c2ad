//! ML603: the instance availability group of an Azure command or export differs from the DAG's managed-instance member.

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML603",
    name: "azure-instance-ag-mismatch",
    severity: Severity::Error,
    summary: "the instance availability group of an Azure command or export differs from the DAG's managed-instance member",
    catalogue: "N4",
    needs_params: false,
    doc: rule_doc!("ML603"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
