//! ML607: an Azure command or export names another managed instance than the link's.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML607,
    severity: Severity::Error,
    summary: "an Azure command or export names another managed instance than the link's",
    catalogue: "N8",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzureInstance], out);
}
