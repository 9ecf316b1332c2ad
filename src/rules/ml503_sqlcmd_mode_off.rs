//! ML503: $(VAR) is used in a file with no SQLCMD command, so it is probably run in SSMS without SQLCMD mode.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::FileId;

pub static RULE: Rule = Rule {
    code: Code::ML503,
    severity: Severity::Warning,
    summary: "$(VAR) is used in a file with no SQLCMD command, so it is probably run in SSMS without SQLCMD mode",
    catalogue: "H3",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let scripts = a
        .scripts
        .iter()
        .filter(|s| !s.script.has_sqlcmd_commands && !runs_in_sqlcmd_mode(a, s.file));
    for s in scripts.filter(|s| crate::analysis::queries::in_link_scope(a, s.file)) {
        let unresolved: Vec<_> = s
            .script
            .var_uses
            .iter()
            .filter(|u| !u.resolved && !u.in_comment)
            .collect();
        let Some(first) = unresolved.first() else {
            continue;
        };
        let mut names: Vec<&str> = unresolved.iter().map(|u| u.name.as_str()).collect();
        names.sort_by_key(|n| n.to_ascii_lowercase());
        names.dedup_by(|x, y| x.eq_ignore_ascii_case(y));
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, first.span, format!("$({}) is a SQLCMD variable, but this file defines none and has no SQLCMD command", first.name))
                .with_primary_label("taken literally without SQLCMD mode")
                .with_help(format!(
                    "run it with sqlcmd -v (check with --var NAME=VALUE), turn on SQLCMD mode in SSMS, or add :setvar lines; variables used: {}",
                    names.join(", ")
                )),
        );
    }
}

/// A script that a master script includes with `:r`, or that a shell script runs with
/// `sqlcmd -i` / `Invoke-Sqlcmd -InputFile`, certainly runs in SQLCMD mode.
fn runs_in_sqlcmd_mode(a: &Analysis, file: FileId) -> bool {
    a.includes.iter().any(|edge| edge.target == file)
        || a.script_runs.iter().any(|(run, _)| *run == file)
}
