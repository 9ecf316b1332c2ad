//! `--format json`, exactly as the contract describes.

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::rules::Rule;
use crate::span::Span;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

/// A finding's fix: `edits` replace each location's text with `content` (an empty
/// location inserts), all together.
#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: crate::diagnostic::Applicability,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    content: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn location(files: &Files, span: Span) -> Location<'_> {
    let start = files.start(span);
    let end = files.end(span);
    Location {
        file: &files.get(span.file).name,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn diagnostic<'a>(files: &'a Files, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        message: &d.message,
        location: location(files, d.span),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                location: location(files, l.span),
                message: &l.message,
            })
            .collect(),
        help: d.help.as_deref(),
        notes: &d.notes,
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability,
            message: &f.message,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    location: location(files, e.span),
                    content: &e.content,
                })
                .collect(),
        }),
    }
}

pub fn render(report: &Report) -> String {
    let output = Output {
        version: 1,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(&report.files, d))
            .collect(),
        summary: Summary {
            files: report.scripts,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
    };
    let mut text = serde_json::to_string_pretty(&output).expect("diagnostics serialize to JSON");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct RuleList {
    version: u32,
    rules: Vec<JsonRule>,
}

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
    /// Defect IDs of the domain catalogue; empty when the rule covers none.
    catalogue: Vec<&'static str>,
    needs_params: bool,
    doc_url: String,
}

/// `milink-lint rules --format json`: every rule with its default severity, in code order.
pub fn render_rules(rules: &[&Rule]) -> String {
    let output = RuleList {
        version: 1,
        rules: rules
            .iter()
            .map(|r| JsonRule {
                code: r.code.as_str(),
                name: r.name(),
                severity: r.severity,
                summary: r.summary,
                catalogue: r
                    .catalogue
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty() && *c != "-")
                    .collect(),
                needs_params: r.needs_params,
                doc_url: super::rule_doc_url(r.code),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&output).expect("rules serialize to JSON");
    text.push('\n');
    text
}
