//! ML602: the partner availability group of an Azure command or export differs from SQL Server's AG.

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML602",
    name: "azure-partner-ag-mismatch",
    severity: Severity::Error,
    summary:
        "the partner availability group of an Azure command or export differs from SQL Server's AG",
    catalogue: "N2",
    needs_params: false,
    doc: rule_doc!("ML602"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
