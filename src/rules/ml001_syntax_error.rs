//! ML001: the tokenizer could not read a batch.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML001,
    severity: Severity::Error,
    summary: "a batch cannot be read (unterminated string, bracket or comment); the rest of that batch is not checked",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A script that is not part of a link set-up is not this tool's subject.
    for script in a
        .scripts
        .iter()
        .filter(|s| crate::analysis::queries::in_link_scope(a, s.file))
    {
        for e in &script.facts.lex_errors {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, e.span, e.message.clone())
                    .with_primary_label("the batch cannot be read from here")
                    .with_help("close the string, bracket or comment; statements after this point in the batch were not checked"),
            );
        }
        for span in &script.facts.unclosed {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, *span, "this ( is never closed before the link statement that follows")
                    .with_primary_label("never closed")
                    .with_help("close it: SQL Server rejects the whole batch, and the link statements in it never run (they were checked as if it were closed)"),
            );
        }
    }
}
