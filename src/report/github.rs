//! `--format github`: GitHub Actions workflow commands, one line per diagnostic, which
//! the runner turns into annotations on the pull request:
//! `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`.
//!
//! No summary line: the binary prints the summary on standard error.

use super::Report;
use super::{detail_lines, portable_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;

/// The message part: `%`, CR and LF would end or corrupt the command.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property value: as data, and `:` and `,` separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn line(files: &Files, d: &Diagnostic) -> String {
    let start = files.start(d.span);
    let end = files.end(d.span);
    let title = format!("{} {}", d.code, d.code.name());
    // GitHub ignores endColumn when endLine differs from line; it is harmless to send.
    let mut message = d.message.clone();
    for detail in detail_lines(files, d) {
        message.push('\n');
        message.push_str(&detail);
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        command(d.severity),
        escape_property(&portable_path(&files.get(d.span.file).name)),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&title),
        escape_data(&message),
    )
}

pub fn render(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| line(&report.files, d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::span::Span;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a\r\nb: c,d"), "100%25 a%0D%0Ab: c,d");
        assert_eq!(
            escape_property("C:\\x,y%\n"),
            "C%3A\\x%2Cy%25%0A".to_string()
        );
        // '%' is escaped first: an existing "%3A" stays literal.
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn one_line_per_diagnostic_with_labels_in_another_file() {
        let mut files = Files::new();
        let script = files.add(
            "dir,1/a:b.sql",
            "SELECT 1;\nCREATE AVAILABILITY GROUP [dag_x]\n".into(),
        );
        let params = files.add("params.toml", "[link]\nname = \"dag-x\"\n".into());
        let error = Diagnostic::new(
            Code::ML101,
            Severity::Error,
            Span::new(script, 36..43),
            "name 'dag_x' differs: 100%",
        )
        .with_label(Span::new(params, 14..21), "expected here")
        .with_help("rename it,\nor fix the parameters");
        let info = Diagnostic::new(Code::ML504, Severity::Info, Span::new(script, 0..6), "bom");
        let report = Report {
            files,
            diagnostics: vec![error, info],
            scripts: 1,
            params_given: true,
            links: 1,
            notes: Vec::new(),
            suppressed: 0,
            secret_values: Default::default(),
            fixed: 0,
        };
        assert_eq!(
            render(&report),
            "::error file=dir%2C1/a%3Ab.sql,line=2,col=27,endLine=2,endColumn=34,\
             title=ML101 dag-name-mismatch::name 'dag_x' differs: 100%25\
             %0Ahelp: rename it,%0Aor fix the parameters\
             %0A  note: expected here at params.toml:2:8\n\
             ::notice file=dir%2C1/a%3Ab.sql,line=1,col=1,endLine=1,endColumn=7,\
             title=ML504 stray-bom::bom\n"
        );
    }
}
