//! ML612: a command that creates the link leaves out a mandatory parameter.

use super::azure::{is_create, origin_name};
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML612",
    name: "azure-incomplete-create",
    severity: Severity::Error,
    summary: "a command that creates the link leaves out a mandatory parameter (often a line continuation that did not continue)",
    catalogue: "-",
    needs_params: false,
    doc: rule_doc!("ML612"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in a
        .azure
        .links
        .iter()
        .filter(|l| is_create(l) && !l.missing.is_empty())
    {
        let missing = link.missing.join(", ");
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            link.head,
            format!("{} is called without {missing}", origin_name(link)),
        )
        .with_primary_label("the call stops here with an error")
        .with_help("give every mandatory parameter; if they are on the next lines, check that each line ends with its continuation character (` in PowerShell, \\ in sh, ^ in cmd) and nothing after it, not even a space");
        if let Some(at) = link.broken_continuation {
            d = d
                .with_label(at, "the command ends here: the continuation is followed by a space")
                .with_note("the lines after it run as separate commands, so the parameters on them are never passed");
        }
        out.push(d);
    }
}
