//! `--format junit`: JUnit XML, for CI systems that show test reports (Jenkins, Azure
//! DevOps, GitLab `artifacts:reports:junit`).
//!
//! Layout: one `<testsuite>` per linted script, plus one for any other file (the
//! parameters file) that has findings. Scripts are the files with a decoded encoding;
//! the parameters file has none. Each finding is a `<testcase name="CODE message">`
//! (` (2)`, ` (3)` … for repeats in a file; no position, so names survive moved lines):
//! errors and warnings hold a `<failure>` (warnings are worth fixing, and a report that
//! shows them green would hide them), infos pass and carry their text in
//! `<system-out>`. A script without findings has one passing `<testcase name="milink-lint">`,
//! so clean files show up as passed rather than missing.

use super::detail_lines;
use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use quick_xml::escape::partial_escape;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Writer;
use std::borrow::Cow;
use std::io;

/// XML 1.0 cannot carry most control characters, not even as references: they become U+FFFD.
fn xml_safe(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.contains(bad) {
        Cow::Owned(text.replace(bad, "\u{FFFD}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// An attribute, escaped here rather than by quick-xml: values are in double quotes, so
/// `'` stays readable, and line breaks and tabs must be character references, or every
/// XML parser turns them into spaces.
fn attribute<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    let escaped = partial_escape(xml_safe(value).as_ref())
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;");
    Attribute {
        key: QName(key),
        value: Cow::Owned(escaped),
    }
}

/// Text content: `<`, `&`, `>` (and CR) escaped; quotes need no escaping there.
fn text(content: &str) -> BytesText<'static> {
    BytesText::from_escaped(partial_escape(xml_safe(content).as_ref()).into_owned())
}

/// `file:line:col: severity[CODE]: message`, then help, labels and notes, one per line.
fn describe(files: &Files, d: &Diagnostic) -> String {
    let at = files.start(d.span);
    let mut out = format!(
        "{}:{}:{}: {}[{}]: {}",
        files.get(d.span.file).name,
        at.line,
        at.column,
        d.severity.as_str(),
        d.code,
        d.message
    );
    for line in detail_lines(files, d) {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

struct Suite<'a> {
    name: &'a str,
    diagnostics: Vec<&'a Diagnostic>,
}

impl Suite<'_> {
    fn tests(&self) -> usize {
        self.diagnostics.len().max(1)
    }

    fn failures(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .count()
    }
}

fn suites(report: &Report) -> Vec<Suite<'_>> {
    report
        .files
        .iter()
        .filter_map(|(id, file)| {
            let diagnostics: Vec<&Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| d.span.file == id)
                .collect();
            let script = file.encoding.is_some();
            (script || !diagnostics.is_empty()).then_some(Suite {
                name: &file.name,
                diagnostics,
            })
        })
        .collect()
}

fn write_case<W: io::Write>(
    w: &mut Writer<W>,
    files: &Files,
    suite: &str,
    name: &str,
    d: &Diagnostic,
) -> io::Result<()> {
    let case = w
        .create_element("testcase")
        .with_attribute(attribute("name", name))
        .with_attribute(attribute("classname", suite));
    let description = describe(files, d);
    if d.severity == Severity::Info {
        case.write_inner_content(|w| {
            w.create_element("system-out")
                .write_text_content(text(&description))?;
            Ok(())
        })?;
    } else {
        case.write_inner_content(|w| {
            w.create_element("failure")
                .with_attribute(attribute("message", &d.message))
                .with_attribute(attribute("type", d.code.as_str()))
                .write_text_content(text(&description))?;
            Ok(())
        })?;
    }
    Ok(())
}

fn write(report: &Report, out: &mut Vec<u8>) -> io::Result<()> {
    let suites = suites(report);
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests: usize = suites.iter().map(Suite::tests).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    w.create_element("testsuites")
        .with_attribute(attribute("name", "milink-lint"))
        .with_attribute(attribute("tests", &tests.to_string()))
        .with_attribute(attribute("failures", &failures.to_string()))
        .write_inner_content(|w| {
            for suite in &suites {
                w.create_element("testsuite")
                    .with_attribute(attribute("name", suite.name))
                    .with_attribute(attribute("tests", &suite.tests().to_string()))
                    .with_attribute(attribute("failures", &suite.failures().to_string()))
                    .write_inner_content(|w| {
                        if suite.diagnostics.is_empty() {
                            w.create_element("testcase")
                                .with_attribute(attribute("name", "milink-lint"))
                                .with_attribute(attribute("classname", suite.name))
                                .write_empty()?;
                        }
                        let mut seen = std::collections::HashMap::new();
                        for d in &suite.diagnostics {
                            // Named by rule and message, not position, so a test keeps its
                            // name when lines move (CI tools compare tests by name).
                            let base = format!("{} {}", d.code, d.message);
                            let count: &mut usize = seen.entry(base.clone()).or_default();
                            *count += 1;
                            let name = match *count {
                                1 => base,
                                n => format!("{base} ({n})"),
                            };
                            write_case(w, &report.files, suite.name, &name, d)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory cannot fail");
    let mut text = String::from_utf8(out).expect("the XML writer writes the UTF-8 it is given");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::source::decode_owned;
    use crate::span::{FileId, Span};

    fn report() -> Report {
        let mut files = Files::new();
        let script = files.add_decoded(
            "lien_é<1>.sql",
            decode_owned(b"CREATE AVAILABILITY GROUP [dag_\xc3\xa9]\n".to_vec()).unwrap(),
        );
        files.add_decoded("clean.sql", decode_owned(b"SELECT 1;\n".to_vec()).unwrap());
        let params = files.add("params.toml", "[link]\nname = \"dag-é\"\n".into());
        let error = Diagnostic::new(
            Code::ML101,
            Severity::Error,
            Span::new(script, 26..34),
            "name 'dag_é' differs from \"dag-é\" <&>\n\u{1}",
        )
        .with_label(Span::new(params, 14..22), "expected here")
        .with_help("rename it & retry");
        let info = Diagnostic::new(Code::ML504, Severity::Info, Span::new(script, 0..6), "bom");
        Report {
            files,
            diagnostics: vec![error, info],
            scripts: 2,
            params_given: true,
            links: 1,
            notes: Vec::new(),
            suppressed: 0,
            secret_values: Default::default(),
            fixed: 0,
        }
    }

    #[test]
    fn layout_and_escaping() {
        let xml = render(&report());
        assert_eq!(
            xml,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="milink-lint" tests="3" failures="1">
  <testsuite name="lien_é&lt;1&gt;.sql" tests="2" failures="1">
    <testcase name="ML101 name 'dag_é' differs from &quot;dag-é&quot; &lt;&amp;&gt;&#10;�" classname="lien_é&lt;1&gt;.sql">
      <failure message="name 'dag_é' differs from &quot;dag-é&quot; &lt;&amp;&gt;&#10;�" type="ML101">lien_é&lt;1&gt;.sql:1:27: error[ML101]: name 'dag_é' differs from "dag-é" &lt;&amp;&gt;
�
help: rename it &amp; retry
  note: expected here at params.toml:2:8</failure>
    </testcase>
    <testcase name="ML504 bom" classname="lien_é&lt;1&gt;.sql">
      <system-out>lien_é&lt;1&gt;.sql:1:1: info[ML504]: bom</system-out>
    </testcase>
  </testsuite>
  <testsuite name="clean.sql" tests="1" failures="0">
    <testcase name="milink-lint" classname="clean.sql"/>
  </testsuite>
</testsuites>
"#
        );
    }

    #[test]
    fn attributes_round_trip_through_an_xml_parser() {
        let xml = render(&report());
        let mut reader = quick_xml::Reader::from_str(&xml);
        let message = loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.name().as_ref() == "failure" => {
                    let attr = e.try_get_attribute("message").unwrap().unwrap();
                    break attr
                        .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned();
                }
                Event::Eof => panic!("no failure"),
                _ => {}
            }
        };
        assert_eq!(message, "name 'dag_é' differs from \"dag-é\" <&>\n\u{FFFD}");
    }

    #[test]
    fn parameters_file_with_findings_gets_a_suite() {
        let mut r = report();
        let params = FileId(2);
        r.diagnostics.push(Diagnostic::new(
            Code::ML114,
            Severity::Warning,
            Span::new(params, 14..22),
            "whitespace",
        ));
        let xml = render(&r);
        assert!(
            xml.contains(r#"<testsuite name="params.toml" tests="1" failures="1">"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<testsuites name="milink-lint" tests="4" failures="2">"#));
    }
}
