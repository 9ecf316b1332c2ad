//! ML609: a value of an Azure or sqlcmd call cannot be known from the script, so it is not checked.

use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML609",
    name: "azure-unresolved-value",
    severity: Severity::Info,
    summary:
        "a value of an Azure or sqlcmd call cannot be known from the script, so it is not checked",
    catalogue: "-",
    needs_params: false,
    doc: rule_doc!("ML609"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for u in &a.azure.unresolved {
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                u.span,
                format!("{}: the value is not known ({}), so it is not checked", u.what, u.why),
            )
            .with_primary_label("not checked")
            .with_help("assign the value in the script (`$Name = \"…\"`, `NAME=…`, `set NAME=…`) or give the parameter a default, and milink-lint compares it with the T-SQL"),
        );
    }
}
