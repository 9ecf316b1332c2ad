//! ML607: an Azure command or export names another managed instance than the link's.

use super::expectations::report_mismatches;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML607",
    name: "azure-instance-mismatch",
    severity: Severity::Error,
    summary: "an Azure command or export names another managed instance than the link's",
    catalogue: "N8",
    needs_params: false,
    doc: rule_doc!("ML607"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    report_mismatches(a, RULE.code, out);
}
