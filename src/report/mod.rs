//! Output: every format renders the same sorted [`Diagnostic`]s from a [`Report`]
//! whose texts are already masked (see [`crate::secrets`]).

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

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
    let mut line = format!("{} in {}", parts.join(", "), plural(report.scripts, "file"));
    if report.suppressed > 0 {
        line.push_str(&format!(" ({} suppressed)", report.suppressed));
    }
    line
}

/// A file's text for comparing copies: lower-case, whitespace runs collapsed.
fn normalized(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A path that looks like an old copy (`archive/`, `old/`, `backup/`, …).
fn looks_archived(name: &str) -> bool {
    name.split(['/', '\\']).any(|part| {
        let p = part.to_ascii_lowercase();
        [
            "archive",
            "archived",
            "old",
            "backup",
            "backups",
            "bak",
            "deprecated",
            "obsolete",
        ]
        .iter()
        .any(|a| p == *a || p.starts_with(&format!("{a}_")) || p.starts_with(&format!("{a}-")))
    })
}

/// Old copies of a set-up (archive folders) repeat the same findings. Files with the same
/// text (ignoring case and whitespace) are copies: a finding repeated in copies is
/// reported once, at the live file (not an archive-looking path), with the others listed.
/// Two different scripts with the same mistake keep both findings.
pub fn collapse_duplicates(files: &Files, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut text_of = std::collections::HashMap::new();
    let mut copy_key = |d: &Diagnostic| -> String {
        text_of
            .entry(d.span.file)
            .or_insert_with(|| normalized(&files.get(d.span.file).text))
            .clone()
    };
    let mut groups: Vec<Vec<Diagnostic>> = Vec::new();
    let mut index: std::collections::HashMap<(&'static str, String, String, String), usize> =
        Default::default();
    for d in diagnostics {
        let key = (
            d.code,
            d.message.to_lowercase(),
            files.slice(d.span).to_lowercase(),
            copy_key(&d),
        );
        match index.get(&key) {
            Some(&i) if groups[i].iter().all(|g| g.span.file != d.span.file) => groups[i].push(d),
            _ => {
                index.insert(key, groups.len());
                groups.push(vec![d]);
            }
        }
    }
    groups
        .into_iter()
        .map(|mut group| {
            let primary = group
                .iter()
                .position(|d| !looks_archived(&files.get(d.span.file).name))
                .unwrap_or(0);
            let mut kept = group.remove(primary);
            if !group.is_empty() {
                let places: Vec<String> = group
                    .iter()
                    .map(|d| {
                        let at = files.start(d.span);
                        format!("{}:{}:{}", files.get(d.span.file).name, at.line, at.column)
                    })
                    .collect();
                kept.notes.push(format!(
                    "the same finding also in copies: {}",
                    places.join(", ")
                ));
            }
            kept
        })
        .collect()
}
