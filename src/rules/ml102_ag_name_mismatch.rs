//! ML102: the SQL Server availability group name differs from the parameters file.

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML102",
    name: "ag-name-mismatch",
    severity: Severity::Error,
    summary: "the SQL Server availability group name differs from the parameters file",
    catalogue: "N2",
    needs_params: true,
    doc: rule_doc!("ML102"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
