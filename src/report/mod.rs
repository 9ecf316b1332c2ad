//! Output: every format renders the same sorted [`Diagnostic`]s from a [`Report`]
//! whose texts are already masked (see [`crate::secrets`]).

pub mod human;
pub mod json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::Report;

/// "3 errors, 1 warning in 4 files".
pub fn summary(report: &Report) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
    ];
    let infos = report.count(Severity::Info);
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    format!("{} in {}", parts.join(", "), plural(report.scripts, "file"))
}

/// Old copies of a set-up (archive folders) repeat the same findings: keep the first
/// of identical findings (same code, message and source text) and list the others.
pub fn collapse_duplicates(files: &Files, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = Vec::new();
    let mut index: std::collections::HashMap<(&'static str, String, String), usize> =
        Default::default();
    for d in diagnostics {
        let key = (d.code, d.message.clone(), files.slice(d.span).to_string());
        match index.get(&key) {
            Some(&i) if kept[i].span.file != d.span.file => {
                let at = files.start(d.span);
                let place = format!("{}:{}:{}", files.get(d.span.file).name, at.line, at.column);
                let note = kept[i]
                    .notes
                    .iter_mut()
                    .find(|n| n.starts_with("the same finding also in: "));
                match note {
                    Some(n) => n.push_str(&format!(", {place}")),
                    None => kept[i]
                        .notes
                        .push(format!("the same finding also in: {place}")),
                }
            }
            _ => {
                index.insert(key, kept.len());
                kept.push(d);
            }
        }
    }
    kept
}
