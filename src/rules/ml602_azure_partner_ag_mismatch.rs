//! ML602: the partner availability group of an Azure command or export differs from SQL Server's AG.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML602,
    severity: Severity::Error,
    summary:
        "the partner availability group of an Azure command or export differs from SQL Server's AG",
    catalogue: "N2",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzurePartnerAg], out);
}
