//! ML603: the instance availability group of an Azure command or export differs from the DAG's managed-instance member.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML603,
    severity: Severity::Error,
    summary: "the instance availability group of an Azure command or export differs from the DAG's managed-instance member",
    catalogue: "N4",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzureInstanceAg], out);
}
