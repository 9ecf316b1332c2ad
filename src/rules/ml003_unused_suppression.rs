//! ML003: a `milink-lint:` suppression comment that suppresses nothing.
//!
//! The findings come from [`crate::suppress`], which runs after every other rule: only
//! then is it known which suppressions were used. `check` has nothing to do.

use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "ML003",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "a `milink-lint: ignore` comment names an unknown rule or suppresses no finding",
    catalogue: "-",
    needs_params: false,
    doc: rule_doc!("ML003"),
    check,
};

fn check(_: &Analysis, _: &mut Vec<Diagnostic>) {}
