//! ML114: a name starts or ends with whitespace.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, model_names, params_strings, url_names};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML114,
    severity: Severity::Error,
    summary: "a name has leading or trailing whitespace inside its quotes or brackets",
    catalogue: "N14",
    needs_params: false,
    check: Check::Model(check),
};

/// Whitespace, except the look-alike kinds (NBSP, …) that ML115 names precisely.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && crate::names::confusable(c).is_none()
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    let names = model_names(a)
        .into_iter()
        .map(|(n, what)| (n.value.as_str(), n.span, what))
        .chain(
            url_names(a)
                .into_iter()
                .map(|(s, what)| (s.value.as_str(), s.span, what)),
        )
        .chain(
            params_strings(a)
                .into_iter()
                .map(|(v, what)| (v.value.as_str(), v.span, what)),
        )
        .chain(crate::analysis::azure_links::azure_strings(a));
    for (value, span, what) in names {
        if value.is_empty() || value.trim_matches(is_blank) == value || !seen.insert(span) {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                whitespace_span(a, span),
                format!("{what} '{value}' has leading or trailing whitespace"),
            )
            .with_primary_label("whitespace inside the name")
            .with_help(format!(
                "remove it: '{}' and '{value}' are different names for the managed instance and Azure",
                value.trim_matches(is_blank)
            )),
        );
    }
}

/// The blanks at the start or end of the quoted text, when the span shows them.
fn whitespace_span(a: &Analysis, span: Span) -> Span {
    let text = a.files.slice(span);
    let open = if text.starts_with("N'") || text.starts_with("n'") {
        2
    } else {
        usize::from(text.starts_with(['\'', '[', '"']))
    };
    let inner = &text[open..];
    let lead = inner.len() - inner.trim_start_matches(is_blank).len();
    if lead > 0 {
        return Span {
            file: span.file,
            start: span.start + open as u32,
            end: span.start + (open + lead) as u32,
        };
    }
    let close = text.trim_end_matches([']', '\'', '"']).len();
    let body = &text[..close];
    let trail = body.len() - body.trim_end_matches(is_blank).len();
    if trail > 0 && close > open {
        return Span {
            file: span.file,
            start: span.start + (close - trail) as u32,
            end: span.start + close as u32,
        };
    }
    span
}
