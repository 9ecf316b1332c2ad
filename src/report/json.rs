//! `--format json`, exactly as the contract describes.

use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::span::Span;
use crate::Report;
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
        code: d.code,
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
