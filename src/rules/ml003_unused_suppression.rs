//! ML003: a `milink-lint:` suppression comment that cannot be read or suppresses
//! nothing.
//!
//! The suppression stage ([`crate::suppress`]) runs after every other rule: only then is
//! it known which suppressions were used. It hands this rule what it found
//! ([`SuppressionIssue`]); the rule words the findings.

use super::{Check, Rule, SuppressionIssue};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML003,
    severity: Severity::Warning,
    summary: "a `milink-lint: ignore` comment names an unknown rule or suppresses no finding",
    catalogue: "-",
    needs_params: false,
    check: Check::Suppressions(check),
};

const HELP: &str =
    "remove it, or name the rule whose finding it is meant to silence (`milink-lint rules`)";

fn check(issues: &[SuppressionIssue], out: &mut Vec<Diagnostic>) {
    for issue in issues {
        let (span, message, help) = match issue {
            SuppressionIssue::Malformed {
                span,
                problem,
                help,
            } => (*span, problem.clone(), help.as_deref().unwrap_or(HELP)),
            SuppressionIssue::Unused { span, code } => (
                *span,
                format!("suppression of {code} ({}) suppresses nothing", code.name()),
                HELP,
            ),
        };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, span, message)
                .with_primary_label("this suppression")
                .with_help(help),
        );
    }
}
