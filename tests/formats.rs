//! The machine formats over fixtures/ and examples/: every SARIF output validates against
//! the official SARIF 2.1.0 schema (a copy in tests/schemas, so no network and no checkout
//! layout is needed), and the GitHub, GitLab and JUnit outputs of every fixture are
//! snapshotted (tests/snapshots/formats).

use milink_lint::date::Date;
use milink_lint::{lint, lint_sources, report, LintOptions, Report, SourceInput};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The schema's own id: the copy is registered under it, so nothing is fetched.
const SCHEMA_URL: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new() -> Validator {
        let schema: Value =
            serde_json::from_str(include_str!("schemas/sarif-2.1.0.json")).expect("schema JSON");
        let mut compiler = boon::Compiler::new();
        // The schema declares draft-04; the default only matters if it did not.
        compiler.set_default_draft(boon::Draft::V4);
        // `format` (uri, uri-reference, date-time) is checked, not just annotated.
        compiler.enable_format_assertions();
        compiler.add_resource(SCHEMA_URL, schema).unwrap();
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile(SCHEMA_URL, &mut schemas)
            .unwrap_or_else(|e| panic!("{e:#}"));
        Validator { schemas, index }
    }

    fn validate(&self, sarif: &Value) -> Result<(), String> {
        self.schemas
            .validate(sarif, self.index)
            .map_err(|e| format!("{e:#}"))
    }
}

fn params_of(dir: &Path) -> Option<PathBuf> {
    ["params.toml", "params.yaml", "params.json"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
}

fn run(dir: &Path) -> Report {
    let options = LintOptions {
        params: params_of(dir),
        // Certificate expiry is checked against a fixed date so snapshots stay stable.
        today: Date::new(2026, 11, 26),
        ..LintOptions::default()
    };
    lint(&[OsString::from(dir)], &options).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn cases(group: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new("fixtures").join(group))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Every fixture and example, with its snapshot name prefix.
fn all_cases() -> Vec<(String, PathBuf)> {
    let mut all = Vec::new();
    for group in ["ok", "broken"] {
        for dir in cases(group) {
            let name = format!("{group}__{}", dir.file_name().unwrap().to_string_lossy());
            all.push((name, dir));
        }
    }
    all.push((
        "examples__ledger-link".to_string(),
        PathBuf::from("examples/ledger-link"),
    ));
    all
}

fn sarif_json(report: &Report) -> Value {
    let text = report::sarif::render(report);
    assert!(text.ends_with("}\n"));
    serde_json::from_str(&text).expect("SARIF is JSON")
}

/// SARIF for a snapshot: the rule table (every rule's whole documentation) and the
/// crate version are left out; `sarif_rules_describe_every_rule` checks the table.
/// Keys come out sorted (serde_json's `Value` map), not in the output's order.
fn sarif_for_snapshot(report: &Report) -> String {
    let mut sarif = sarif_json(report);
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    let rules = driver["rules"].as_array().unwrap().len();
    driver["rules"] = Value::String(format!("[{rules} rules]"));
    driver["version"] = Value::String("[version]".into());
    serde_json::to_string_pretty(&sarif).unwrap() + "\n"
}

#[test]
fn sarif_of_every_fixture_is_valid() {
    let validator = Validator::new();
    let all = all_cases();
    assert!(all.len() > 60, "fixtures not found");
    for (name, dir) in all {
        let report = run(&dir);
        let sarif = sarif_json(&report);
        if let Err(e) = validator.validate(&sarif) {
            panic!("{name}: SARIF does not validate:\n{e}");
        }
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), report.diagnostics.len(), "{name}");
    }
}

#[test]
fn sarif_with_odd_file_names_is_valid() {
    const LINK: &str = "CREATE AVAILABILITY GROUP [dag-x] WITH (DISTRIBUTED)
AVAILABILITY GROUP ON
  N'AG_X' WITH (LISTENER_URL = 'TCP://sql01:1433', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,
    FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_X_MI' WITH (LISTENER_URL = 'tcp://mi.abc.database.windows.net:5022;Server=[mi]',
    AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
";
    // Each text differs (a comment with its name): identical copies would be collapsed.
    let script = |name: &str| SourceInput {
        name: name.into(),
        bytes: format!("-- {name}\n{LINK}").into_bytes(),
    };
    let report = lint_sources(
        vec![
            script("-"),
            script("links & more/lien é #1 50%.sql"),
            script("C:\\sql\\a.sql"),
            script("/srv/sql/a.sql"),
        ],
        None,
        &LintOptions {
            today: Date::new(2026, 11, 26),
            ..LintOptions::default()
        },
    )
    .unwrap();
    assert!(!report.diagnostics.is_empty());
    let sarif = sarif_json(&report);
    Validator::new().validate(&sarif).unwrap();
    let uris: std::collections::BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris.into_iter().collect::<Vec<_>>(),
        [
            "file:///C:/sql/a.sql",
            "file:///srv/sql/a.sql",
            "links%20%26%20more/lien%20%C3%A9%20%231%2050%25.sql",
            "stdin",
        ]
    );
}

#[test]
fn sarif_schema_rejects_a_bad_level() {
    // Negative control: the validator really checks the output.
    let validator = Validator::new();
    let report = run(Path::new("fixtures/broken/ML101-dag-name-mismatch"));
    let mut sarif = sarif_json(&report);
    validator.validate(&sarif).unwrap();
    sarif["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(validator.validate(&sarif).is_err());
    // And a format assertion: a URI reference with a space.
    let mut sarif = sarif_json(&report);
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::String("a b.sql".into());
    assert!(validator.validate(&sarif).is_err());
}

#[test]
fn sarif_rules_describe_every_rule() {
    let report = run(Path::new("examples/ledger-link"));
    let sarif = sarif_json(&report);
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "milink-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], report::REPOSITORY_URL);
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), milink_lint::rules::RULES.len());
    for (descriptor, rule) in rules.iter().zip(milink_lint::rules::RULES) {
        assert_eq!(descriptor["id"], rule.code.as_str());
        assert_eq!(descriptor["name"], rule.name());
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["help"]["markdown"], rule.doc());
        assert_eq!(
            descriptor["helpUri"],
            format!(
                "{}/blob/main/rules/{}.md",
                report::REPOSITORY_URL,
                rule.code.as_str()
            )
        );
        let full = descriptor["fullDescription"]["text"].as_str().unwrap();
        assert!(
            !full.is_empty() && !full.contains('\n'),
            "{}",
            rule.code.as_str()
        );
    }
    let ml101 = rules
        .iter()
        .find(|r| r["id"] == "ML101")
        .expect("ML101 is described");
    assert_eq!(ml101["defaultConfiguration"]["level"], "error");
    assert_eq!(
        ml101["properties"]["tags"],
        serde_json::json!(["catalogue:N3"])
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn formats_of_every_fixture() {
    for (name, dir) in all_cases() {
        let report = run(&dir);
        insta::with_settings!({ snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}__github"), report::github::render(&report));
            insta::assert_snapshot!(format!("{name}__gitlab"), report::gitlab::render(&report));
            insta::assert_snapshot!(format!("{name}__junit"), report::junit::render(&report));
        });
        // GitLab: valid JSON, one issue per diagnostic, distinct fingerprints.
        let gitlab: Value = serde_json::from_str(&report::gitlab::render(&report)).unwrap();
        let issues = gitlab.as_array().unwrap();
        assert_eq!(issues.len(), report.diagnostics.len(), "{name}");
        let prints: std::collections::BTreeSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(prints.len(), issues.len(), "{name}: duplicate fingerprints");
        // GitHub: exactly one line per diagnostic.
        let github = report::github::render(&report);
        assert_eq!(github.lines().count(), report.diagnostics.len(), "{name}");
        // JUnit: one failure per error or warning.
        let junit = report::junit::render(&report);
        let failing = report
            .diagnostics
            .iter()
            .filter(|d| d.severity != milink_lint::diagnostic::Severity::Info)
            .count();
        assert_eq!(junit.matches("<failure ").count(), failing, "{name}");
        let mut messages = failure_messages(&junit);
        let mut expected: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity != milink_lint::diagnostic::Severity::Info)
            .map(|d| d.message.clone())
            .collect();
        messages.sort();
        expected.sort();
        assert_eq!(messages, expected, "{name}");
    }
}

/// Parse JUnit XML (well-formed, matching end tags) and return the `<failure message>`s.
fn failure_messages(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut messages = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) if e.name().as_ref() == "failure" => {
                let attr = e.try_get_attribute("message").unwrap().unwrap();
                messages.push(
                    attr.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned(),
                );
            }
            Ok(_) => {}
            Err(e) => panic!("JUnit XML is not well-formed: {e}\n{xml}"),
        }
    }
    messages
}

#[test]
fn sarif_snapshots() {
    for dir in [
        "examples/ledger-link",
        "fixtures/broken/ML101-dag-name-mismatch",
        "fixtures/broken/ML115-confusable-character",
    ] {
        let report = run(Path::new(dir));
        let name = dir.replace('/', "__").replace("fixtures__", "");
        insta::with_settings!({ snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}__sarif"), sarif_for_snapshot(&report));
        });
    }
}

#[test]
fn fingerprints_agree_between_sarif_and_gitlab() {
    let report = run(Path::new("examples/ledger-link"));
    let sarif = sarif_json(&report);
    let gitlab: Value = serde_json::from_str(&report::gitlab::render(&report)).unwrap();
    let from_sarif: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["partialFingerprints"]["milinkLint/v1"])
        .collect();
    let from_gitlab: Vec<&Value> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["fingerprint"])
        .collect();
    assert_eq!(from_sarif, from_gitlab);
}
