//! ML115: a look-alike or invisible character in a name, URL or parameters value.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, link_urls, model_names, params_strings};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::{confusable, describe_char};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML115,
    severity: Severity::Error,
    summary: "a name, URL or parameters value contains a look-alike or invisible character (Cyrillic/Greek letter, NBSP, zero-width, dash)",
    catalogue: "N15, H4 (part)",
    needs_params: false,
    check: Check::Model(check),
};

/// Spans whose source text is checked character by character.
fn checked_spans(a: &Analysis) -> Vec<(Span, &'static str)> {
    let mut spans: Vec<(Span, &'static str)> = model_names(a)
        .into_iter()
        .map(|(n, w)| (n.span, w))
        .collect();
    spans.extend(link_urls(a).into_iter().map(|(_, u, _)| (u.span, "URL")));
    // Values of :setvar, which names written as $(VAR) come from.
    for script in &a.scripts {
        spans.extend(
            script
                .script
                .setvars
                .iter()
                // Those a file includes are checked in their own file.
                .filter(|v| v.span.file == script.file)
                .map(|v| (v.value_span, "SQLCMD variable")),
        );
    }
    spans.extend(
        params_strings(a)
            .into_iter()
            .map(|(v, what)| (v.span, what)),
    );
    spans.extend(
        crate::analysis::azure_links::azure_strings(a)
            .into_iter()
            .map(|(_, span, what)| (span, what)),
    );
    spans.sort();
    spans.dedup_by_key(|(s, _)| *s);
    spans
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (span, what) in checked_spans(a) {
        let text = a.files.slice(span);
        for (i, c) in text.char_indices() {
            // A stray BOM is ML504's finding.
            if c == '\u{FEFF}' {
                continue;
            }
            let Some(info) = confusable(c) else { continue };
            let at = Span {
                file: span.file,
                start: span.start + i as u32,
                end: span.start + (i + c.len_utf8()) as u32,
            };
            let looks_like = match info.ascii {
                Some(ascii) => format!("looks like '{ascii}'"),
                None => "is invisible".to_string(),
            };
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    at,
                    format!("{what} contains {} which {looks_like}", describe_char(c)),
                )
                .with_primary_label(describe_char(c))
                .with_help(match info.ascii {
                    Some(ascii) if ascii != ' ' => format!("retype it as the ASCII character '{ascii}'; names that look the same are different names for SQL Server and Azure"),
                    _ => "delete it; names that look the same are different names for SQL Server and Azure".to_string(),
                }),
            );
        }
    }
}
