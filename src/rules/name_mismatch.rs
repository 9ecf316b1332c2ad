//! The finding of a name that must equal another and does not: one wording for every
//! mismatch rule (ML101–ML112, ML601–ML607), which each choose the [`NameKind`]s they
//! own from the model's name checks ([`Analysis::name_checks`]).

use crate::analysis::name_checks::{Expectation, NameKind, Source};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::names::NameMatch;

/// The diagnostic for an expectation whose names really differ.
pub fn diagnostic(code: Code, e: &Expectation) -> Diagnostic {
    let context = e
        .context
        .as_deref()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let (message, label, help) = match e.source {
        Source::Params | Source::Export => (
            format!(
                "{} '{}'{context} does not match {} ('{}')",
                e.what,
                e.found.value,
                e.source.noun(),
                e.expected.value
            ),
            "expected here",
            format!(
                "rename {} to '{}', or fix {}",
                e.object,
                e.expected.value,
                e.source.noun()
            ),
        ),
        Source::Script => (
            match e.reference {
                Some(reference) => format!(
                    "{} '{}'{context} does not match {reference} ('{}')",
                    e.what, e.found.value, e.expected.value
                ),
                None => format!(
                    "{} '{}'{context} does not match '{}'",
                    e.what, e.found.value, e.expected.value
                ),
            },
            "declared here",
            format!("use the same name in both places ('{}')", e.expected.value),
        ),
    };
    let mut d = Diagnostic::new(code, code.rule().severity, e.found.span, message)
        .with_primary_label(format!("'{}'", e.found.value))
        .with_label(e.expected.span, label)
        .with_help(e.help.clone().unwrap_or(help));
    for (span, text) in &e.labels {
        d = d.with_label(*span, text.clone());
    }
    d
}

/// Report, as `code`, the names of the `kinds` a rule owns that really differ.
pub fn report(a: &Analysis, code: Code, kinds: &[NameKind], out: &mut Vec<Diagnostic>) {
    for e in a.name_checks() {
        if kinds.contains(&e.kind) && e.outcome() == NameMatch::Different {
            out.push(diagnostic(code, e));
        }
    }
}
