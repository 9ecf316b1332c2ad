//! ML104: the DAG's managed-instance member name differs from the parameters file.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML104,
    severity: Severity::Error,
    summary: "the DAG's managed-instance member name differs from the parameters file",
    catalogue: "N4",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::MiMember], out);
}
