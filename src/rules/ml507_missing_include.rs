//! ML507: a SQLCMD `:r` names a file that does not exist (or cannot be read), so sqlcmd stops there.

use super::{Check, Rule};
use crate::analysis::queries::in_link_scope;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::include::IncludeProblem;

pub static RULE: Rule = Rule {
    code: Code::ML507,
    severity: Severity::Error,
    summary: "a SQLCMD :r names a file that does not exist or cannot be read, so sqlcmd stops there and the steps after it never run",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A deployment script of another kind (an SSDT post-deployment script whose steps
    // are generated) is not this tool's subject: see `in_link_scope`.
    for missing in &a.missing_includes {
        if !in_link_scope(a, missing.command.file) {
            continue;
        }
        let name = &missing.argument;
        let d = match &missing.problem {
            IncludeProblem::NotFound { tried } => Diagnostic::new(
                RULE.code,
                RULE.severity,
                missing.command,
                format!("`:r` names {name}, which does not exist"),
            )
            .with_primary_label("file not found")
            .with_note(format!("looked for {}", tried.join(" and ")))
            .with_help("sqlcmd stops with a fatal error at this line, before the steps after it: fix the path (relative to this script's folder, or to the folder sqlcmd runs in)"),
            IncludeProblem::Outside => Diagnostic::new(
                RULE.code,
                Severity::Info,
                missing.command,
                format!("`:r` names {name}, a path of the machine that runs sqlcmd: its statements are not checked"),
            )
            .with_primary_label("not read")
            .with_help("use a path relative to this script (`:r .\\steps\\02_link.sql`) so the steps travel with the repository and are linted with it"),
            IncludeProblem::Unreadable(why) => Diagnostic::new(
                RULE.code,
                RULE.severity,
                missing.command,
                format!("`:r` names {name}, which cannot be read as a script"),
            )
            .with_primary_label("not a script")
            .with_note(why.clone())
            .with_help("sqlcmd stops at this line: include the T-SQL script meant here"),
        };
        out.push(d);
    }
}
