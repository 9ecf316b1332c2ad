//! ML004: a file of the run could not be read as a script; the others still are.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML004,
    severity: Severity::Error,
    summary: "a file could not be read as a script, so nothing in it was checked",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (file, source) in a.files.iter() {
        let Some(why) = &source.unreadable else {
            continue;
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                Span::new(file, 0..0),
                format!("this file could not be read: {}", why.cause),
            )
            .with_primary_label("not checked")
            .with_help(why.help.clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{lint_sources, LintOptions, SourceInput};

    fn codes(bytes: &[u8]) -> Vec<(&'static str, String)> {
        let sources = vec![
            SourceInput {
                name: "bad.sql".into(),
                bytes: bytes.to_vec(),
            },
            SourceInput {
                name: "good.sql".into(),
                bytes: b"CREATE ENDPOINT [e] STATE = STARTED AS TCP (LISTENER_PORT = 5022) FOR DATABASE_MIRRORING (ROLE = ALL);".to_vec(),
            },
        ];
        let report = lint_sources(sources, None, &LintOptions::default()).unwrap();
        report
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), report.files.get(d.span.file).name.clone()))
            .collect()
    }

    #[test]
    fn a_binary_file_is_a_finding_at_that_file() {
        let found = codes(b"SELECT 1;\0\0\x07garbage");
        assert_eq!(found, vec![("ML004", "bad.sql".to_string())]);
    }

    #[test]
    fn a_windows_1252_file_is_read() {
        assert!(codes(b"-- r\xE9plica\r\nSELECT 1;\r\n").is_empty());
    }
}
