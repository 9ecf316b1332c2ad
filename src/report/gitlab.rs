//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), a
//! JSON array of Code Climate issues with the fields GitLab reads.

use super::Report;
use super::{fingerprints, portable_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use serde::Serialize;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// GitLab's scale is info, minor, major, critical, blocker. An error here means the link
/// set-up fails and is `major`, like ESLint's and other linters' GitLab formatters map
/// their errors; `critical`/`blocker` are conventionally kept for security and crash
/// findings, and using them would make a lint job look like an incident in the merge
/// request widget. Warnings are `minor`, infos `info`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn issue<'a>(files: &Files, d: &'a Diagnostic, fingerprint: String) -> Issue<'a> {
    let start = files.start(d.span);
    let end = files.end(d.span);
    // Our end is exclusive: a span ending just after a line break ends on the line before.
    let last = if end.column == 1 && end.line > start.line {
        end.line - 1
    } else {
        end.line
    };
    Issue {
        description: format!("{}: {}", d.code, d.message),
        check_name: d.code.as_str(),
        fingerprint,
        severity: severity(d.severity),
        location: Location {
            path: portable_path(&files.get(d.span.file).name),
            lines: Lines {
                begin: start.line,
                end: last,
            },
        },
    }
}

pub fn render(report: &Report) -> String {
    let prints = fingerprints(&report.files, &report.diagnostics);
    let issues: Vec<Issue> = report
        .diagnostics
        .iter()
        .zip(prints)
        .map(|(d, print)| issue(&report.files, d, print))
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("issues serialize to JSON");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::report::fingerprint;
    use crate::span::Span;

    /// A report with one ML303 warning per `(start, end)` byte span.
    fn report(text: &str, spans: &[(usize, usize)]) -> Report {
        let mut files = Files::new();
        let file = files.add("scripts/02_dag.sql", text.to_string());
        Report {
            diagnostics: spans
                .iter()
                .map(|r| {
                    Diagnostic::new(
                        Code::ML303,
                        Severity::Warning,
                        Span::new(file, r.0..r.1),
                        "synchronous",
                    )
                })
                .collect(),
            files,
            scripts: 1,
            params_given: false,
            links: 1,
            notes: Vec::new(),
            suppressed: 0,
            secret_values: Default::default(),
            fixed: 0,
        }
    }

    #[test]
    fn fingerprint_is_stable() {
        // A fixed input and its fingerprint: a change here changes every fingerprint users
        // have stored (GitLab would show all findings as new), so it must be deliberate.
        let r = report("x  SYNCHRONOUS_COMMIT\n", &[(3, 21)]);
        assert_eq!(
            fingerprint(&r.files, &r.diagnostics[0], 0),
            "7997dec667666805736f0ce3f2e9f947"
        );
    }

    #[test]
    fn fingerprints_ignore_lines_and_whitespace_but_count_occurrences() {
        let a = report(
            "SYNCHRONOUS_COMMIT\nSYNCHRONOUS_COMMIT\n",
            &[(0, 18), (19, 37)],
        );
        let b = report(
            "\n\n-- moved\nSYNCHRONOUS_COMMIT\nSYNCHRONOUS_COMMIT\n",
            &[(11, 29), (30, 48)],
        );
        let pa = fingerprints(&a.files, &a.diagnostics);
        let pb = fingerprints(&b.files, &b.diagnostics);
        assert_ne!(pa[0], pa[1], "two identical findings in one file differ");
        assert_eq!(pa, pb, "inserting lines above keeps the fingerprints");
        let c = report("EXEC  x\n", &[(0, 7)]);
        let d = report("EXEC\n\tx\n", &[(0, 7)]);
        assert_eq!(
            fingerprints(&c.files, &c.diagnostics),
            fingerprints(&d.files, &d.diagnostics)
        );
    }

    #[test]
    fn code_quality_issue() {
        let r = report("a\nSYNCHRONOUS_COMMIT\nb", &[(2, 20)]);
        let json: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
        let issue = &json[0];
        assert_eq!(issue["description"], "ML303: synchronous");
        assert_eq!(issue["check_name"], "ML303");
        assert_eq!(issue["severity"], "minor");
        assert_eq!(issue["location"]["path"], "scripts/02_dag.sql");
        assert_eq!(issue["location"]["lines"]["begin"], 2);
        assert_eq!(issue["location"]["lines"]["end"], 2);
        // Ending after the line break still ends on line 2.
        let r = report("a\nSYNCHRONOUS_COMMIT\nb", &[(2, 21)]);
        let json: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
        assert_eq!(json[0]["location"]["lines"]["end"], 2);
        assert_eq!(render(&report("", &[])), "[]\n");
    }
}
