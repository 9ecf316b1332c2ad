//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning, Azure DevOps and IDE viewers.
//!
//! Hand-written structs: only the properties this tool fills in (the `serde-sarif` crate
//! costs a build-time code generator for the same JSON). The output is validated
//! against the official schema in `tests/formats.rs`.

use super::Report;
use super::{fingerprints, portable_path, REPOSITORY_URL};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::rules::{Rule, RULES};
use crate::span::Span;
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of `partialFingerprints`: versioned, so a new algorithm can get a new key.
const FINGERPRINT_KEY: &str = "milinkLint/v1";

#[derive(Serialize)]
struct Sarif {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// SARIF counts columns in UTF-16 code units unless told otherwise; ours are chars.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    help_uri: String,
    default_configuration: Configuration,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

/// SARIF's `fix` (§3.55): a description and the replacements, grouped by file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: InsertedContent,
}

#[derive(Serialize)]
struct InsertedContent {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    /// Exclusive, like ours.
    end_column: u32,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph of the doc's "What it finds" section as plain text (one line, no
/// Markdown emphasis or code marks). A paragraph ending in ':' introduces a list: the
/// list is kept too, else the description would stop mid-sentence.
fn full_description(doc: &str) -> String {
    let Some(start) = doc.find("## What it finds") else {
        return String::new();
    };
    let section = doc[start..].lines().skip(1);
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in section {
        if line.starts_with("## ") {
            break;
        }
        if line.trim().is_empty() {
            if !blocks.last().is_some_and(Vec::is_empty) {
                blocks.push(Vec::new());
            }
        } else {
            blocks.last_mut().expect("one block").push(line);
        }
    }
    let mut blocks = blocks.into_iter().filter(|b| !b.is_empty());
    let mut words: Vec<&str> = Vec::new();
    fn add<'a>(words: &mut Vec<&'a str>, block: &[&'a str]) {
        for line in block {
            let line = line.trim();
            words.extend(line.strip_prefix("- ").unwrap_or(line).split_whitespace());
        }
    }
    let is_list = |line: &str| {
        let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
        line.starts_with("- ") || (digits.len() < line.len() && digits.starts_with(". "))
    };
    let mut ends_in_colon = false;
    if let Some(first) = blocks.next() {
        add(&mut words, &first);
        ends_in_colon = first.last().is_some_and(|l| l.trim_end().ends_with(':'));
        if ends_in_colon {
            if let Some(list) = blocks.next().filter(|b| is_list(b[0])) {
                add(&mut words, &list);
                ends_in_colon = false;
            }
        }
    }
    let mut text = words.join(" ").replace("**", "").replace('`', "");
    if ends_in_colon {
        // What follows is not a list (a table): end the sentence here.
        text.pop();
        text.push('.');
    }
    text
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let tags: Vec<String> = rule
        .catalogue
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "-")
        .map(|c| format!("catalogue:{c}"))
        .collect();
    ReportingDescriptor {
        id: rule.code.as_str(),
        name: rule.name(),
        short_description: Message {
            text: rule.summary.to_string(),
        },
        full_description: Message {
            text: full_description(rule.doc()),
        },
        help: MultiformatMessage {
            text: rule.doc(),
            markdown: rule.doc(),
        },
        help_uri: super::rule_doc_url(rule.code),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: (!tags.is_empty()).then_some(Properties { tags }),
    }
}

/// The `artifactLocation.uri` of a display path: a relative URI reference with forward
/// slashes, or a `file:` URI for an absolute path. Everything but unreserved characters
/// and `/` is percent-encoded (UTF-8), so spaces, `%`, `#`, `?` and non-ASCII names give
/// a valid reference, and a ':' in the first segment cannot pass for a scheme.
///
/// Standard input (`-`) becomes `stdin`: a bare `-` is a valid reference too, but it
/// reads as a broken path in a viewer; neither names a file in the repository.
fn uri(name: &str) -> String {
    if name == "-" {
        return "stdin".to_string();
    }
    let path = portable_path(name);
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1..3] == *b":/";
    let (prefix, path) = if drive {
        ("file:///", path.as_str()) // C:/scripts/a.sql
    } else if let Some(rest) = path.strip_prefix("//") {
        ("file://", rest) // a UNC path: //server/share/a.sql
    } else if path.starts_with('/') {
        ("file://", path.as_str())
    } else {
        ("", path.as_str())
    };
    let mut out = String::from(prefix);
    for (i, byte) in path.bytes().enumerate() {
        let drive_colon = !prefix.is_empty() && i == 1 && byte == b':';
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || drive_colon {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical_location(files: &Files, span: Span) -> PhysicalLocation {
    let start = files.start(span);
    let end = files.end(span);
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&files.get(span.file).name),
        },
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        },
    }
}

/// Viewers show `message.text` only: help and notes go into it, one per line.
/// Labels are `relatedLocations`.
fn message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    for note in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    text
}

fn result(files: &Files, d: &Diagnostic, fingerprint: String) -> SarifResult {
    SarifResult {
        rule_id: d.code.as_str(),
        rule_index: Some(d.code.index()),
        level: level(d.severity),
        message: Message { text: message(d) },
        locations: vec![Location {
            id: None,
            physical_location: physical_location(files, d.span),
            message: None,
        }],
        related_locations: d
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| Location {
                id: Some(i + 1),
                physical_location: physical_location(files, label.span),
                message: Some(Message {
                    text: label.message.clone(),
                }),
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        fixes: d.fix.iter().map(|f| sarif_fix(files, f)).collect(),
    }
}

fn sarif_fix(files: &Files, fix: &crate::diagnostic::Fix) -> SarifFix {
    let mut changes: Vec<ArtifactChange> = Vec::new();
    for edit in &fix.edits {
        let location = physical_location(files, edit.span);
        let replacement = Replacement {
            deleted_region: location.region,
            inserted_content: InsertedContent {
                text: edit.content.clone(),
            },
        };
        match changes
            .iter_mut()
            .find(|c| c.artifact_location.uri == location.artifact_location.uri)
        {
            Some(change) => change.replacements.push(replacement),
            None => changes.push(ArtifactChange {
                artifact_location: location.artifact_location,
                replacements: vec![replacement],
            }),
        }
    }
    SarifFix {
        description: Message {
            text: format!(
                "{} ({})",
                fix.message,
                match fix.applicability {
                    crate::diagnostic::Applicability::Safe => "safe fix",
                    crate::diagnostic::Applicability::Unsafe => "unsafe fix",
                }
            ),
        },
        artifact_changes: changes,
    }
}

pub fn render(report: &Report) -> String {
    let prints = fingerprints(&report.files, &report.diagnostics);
    let sarif = Sarif {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "milink-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: REPOSITORY_URL,
                    rules: RULES.iter().map(|r| descriptor(r)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: report
                .diagnostics
                .iter()
                .zip(prints)
                .map(|(d, print)| result(&report.files, d, print))
                .collect(),
        }],
    };
    let mut text = serde_json::to_string_pretty(&sarif).expect("SARIF serializes to JSON");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::files::Files;

    #[test]
    fn uris_are_valid_references() {
        assert_eq!(uri("scripts/02_dag.sql"), "scripts/02_dag.sql");
        assert_eq!(uri("./scripts/a b.sql"), "scripts/a%20b.sql");
        assert_eq!(uri(r"scripts\link\02.sql"), "scripts/link/02.sql");
        assert_eq!(uri("lien_é#1%.sql"), "lien_%C3%A9%231%25.sql");
        assert_eq!(uri("a:b.sql"), "a%3Ab.sql");
        assert_eq!(uri("/srv/sql/a.sql"), "file:///srv/sql/a.sql");
        assert_eq!(uri(r"C:\sql\a b.sql"), "file:///C:/sql/a%20b.sql");
        assert_eq!(uri("-"), "stdin");
    }

    #[test]
    fn full_description_is_plain_text() {
        let doc =
            "# X\n\n## What it finds\nThe **first** `CREATE`\nparagraph.\n\nSecond.\n\n## Why\n";
        assert_eq!(full_description(doc), "The first CREATE paragraph.");
        let doc = "## What it finds\nIt reports:\n\n- `a`;\n- b\n  c.\n\nMore.\n";
        assert_eq!(full_description(doc), "It reports: a; b c.");
        let doc = "## What it finds\nIn order:\n\n1. a;\n2. b.\n";
        assert_eq!(full_description(doc), "In order: 1. a; 2. b.");
        let doc = "## What it finds\nPairs:\n\n| a | b |\n|---|---|\n";
        assert_eq!(full_description(doc), "Pairs.");
        for rule in RULES {
            let text = full_description(rule.doc());
            assert!(text.len() > 20, "{}: {text:?}", rule.code);
            assert!(!text.contains('\n') && !text.contains('`'), "{}", rule.code);
        }
    }

    #[test]
    fn labels_in_another_file_are_related_locations() {
        let mut files = Files::new();
        let script = files.add("a.sql", "CREATE AVAILABILITY GROUP [dag_x]\n".into());
        let params = files.add("params.toml", "[link]\nname = \"dag-x\"\n".into());
        let d = Diagnostic::new(
            Code::ML101,
            Severity::Error,
            Span::new(script, 26..33),
            "name differs",
        )
        .with_label(Span::new(params, 14..21), "expected here")
        .with_help("rename it");
        let report = Report {
            files,
            diagnostics: vec![d],
            scripts: 1,
            params_given: true,
            links: 1,
            notes: Vec::new(),
            suppressed: 0,
            secret_values: Default::default(),
            fixed: 0,
        };
        let json: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        let run = &json["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            RULES.len()
        );
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "ML101");
        assert_eq!(
            run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "ML101"
        );
        assert_eq!(result["message"]["text"], "name differs\nhelp: rename it");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (Some(1), Some(27))
        );
        assert_eq!(region["endColumn"], 34);
        let related = &result["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert_eq!(related["message"]["text"], "expected here");
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "params.toml"
        );
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(related["physicalLocation"]["region"]["startColumn"], 8);
        assert_eq!(
            result["partialFingerprints"][FINGERPRINT_KEY]
                .as_str()
                .unwrap()
                .len(),
            32
        );
    }
}
