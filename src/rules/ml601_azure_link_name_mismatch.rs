//! ML601: the link name of an Azure command or export differs from the DAG (or the parameters file).

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML601,
    severity: Severity::Error,
    summary:
        "the link name of an Azure command or export differs from the DAG (or the parameters file)",
    catalogue: "N3",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzureLinkName], out);
}
