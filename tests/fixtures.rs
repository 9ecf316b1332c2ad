//! Snapshot tests over fixtures/: for every case, the rendered human output and the
//! JSON output are snapshotted, correct cases must have no error-level finding, and
//! every broken case must trigger the rule its folder is named after.

use codespan_reporting::term::termcolor::NoColor;
use milink_lint::date::Date;
use milink_lint::diagnostic::Severity;
use milink_lint::{lint, report, LintOptions, Report};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn params_of(dir: &Path) -> Option<PathBuf> {
    ["params.toml", "params.yaml", "params.json"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
}

/// Azure exports checked with `--azure`: `azure*.json` in the case's folder.
fn azure_of(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("azure") && name.ends_with(".json")
        })
        .collect();
    found.sort();
    found
}

fn run(dir: &Path) -> Report {
    let options = LintOptions {
        params: params_of(dir),
        azure: azure_of(dir),
        // Certificate expiry is checked against a fixed date so snapshots stay stable.
        today: Date::new(2026, 11, 26),
        ..LintOptions::default()
    };
    lint(&[OsString::from(dir)], &options).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn human(report: &Report) -> String {
    let mut out = NoColor::new(Vec::new());
    report::human::render(report, &mut out, false).unwrap();
    String::from_utf8(out.into_inner()).unwrap()
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

fn snapshot(group: &str, dir: &Path, report: &Report) {
    let name = format!("{group}__{}", dir.file_name().unwrap().to_string_lossy());
    insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("{name}__human"), human(report));
        insta::assert_snapshot!(format!("{name}__json"), report::json::render(report));
    });
}

#[test]
fn correct_fixtures_have_no_error() {
    let dirs = cases("ok");
    assert!(
        dirs.len() >= 4,
        "expected the correct set-ups in fixtures/ok"
    );
    for dir in dirs {
        let report = run(&dir);
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code.as_str(), d.message))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
        snapshot("ok", &dir, &report);
    }
}

#[test]
fn every_broken_fixture_triggers_its_rule() {
    let dirs = cases("broken");
    for dir in &dirs {
        let folder = dir.file_name().unwrap().to_string_lossy().to_string();
        let code = folder.split('-').next().unwrap();
        let report = run(dir);
        assert!(
            report.diagnostics.iter().any(|d| d.code.as_str() == code),
            "{folder}: {code} not reported; got {:?}",
            report
                .diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>()
        );
        snapshot("broken", dir, &report);
    }
    // Every rule has a broken fixture.
    for rule in milink_lint::rules::RULES {
        assert!(
            dirs.iter().any(|d| d
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(rule.code.as_str())),
            "no broken fixture for {}",
            rule.code.as_str()
        );
    }
}

#[test]
fn every_rule_is_silent_on_every_correct_fixture() {
    // None of the correct set-ups triggers any rule (warnings included), except ML505:
    // like Microsoft's own scripts, most of them write the master key password into the
    // script, a hygiene warning that does not break the link.
    let mut fired = std::collections::BTreeSet::new();
    for dir in cases("ok") {
        for d in run(&dir).diagnostics {
            if d.code.as_str() != "ML505" {
                fired.insert(d.code.as_str());
            }
        }
    }
    assert!(
        fired.is_empty(),
        "rules firing on correct fixtures: {fired:?}"
    );
}
