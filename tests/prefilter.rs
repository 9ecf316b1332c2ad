//! The prefilter loses nothing: every fixture gives the same output with and without it,
//! and keywords that are split by comments or come from SQLCMD variables are still seen.

use milink_lint::date::Date;
use milink_lint::{lint, lint_sources, report, LintOptions, Report, SourceInput};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn params_of(dir: &Path) -> Option<PathBuf> {
    ["params.toml", "params.yaml", "params.json"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
}

fn options(no_prefilter: bool, params: Option<PathBuf>) -> LintOptions {
    LintOptions {
        params,
        today: Date::new(2026, 11, 26),
        no_prefilter,
        ..LintOptions::default()
    }
}

fn rendered(report: &Report) -> String {
    format!(
        "{}{}",
        report::json::render(report),
        report::human::render_plain(report, false)
    )
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("examples/ledger-link"),
        PathBuf::from("fixtures/config-repo/link"),
    ];
    for group in ["fixtures/ok", "fixtures/broken"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(group)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

#[test]
fn every_fixture_gives_the_same_output_with_and_without_the_prefilter() {
    let dirs = fixture_dirs();
    assert!(dirs.len() > 60);
    for dir in dirs {
        let paths = [OsString::from(&dir)];
        let with = lint(&paths, &options(false, params_of(&dir))).unwrap();
        let without = lint(&paths, &options(true, params_of(&dir))).unwrap();
        assert_eq!(rendered(&with), rendered(&without), "{}", dir.display());
    }
}

fn lint_texts(files: &[(&str, &str)], no_prefilter: bool) -> String {
    let sources = files
        .iter()
        .map(|(name, text)| SourceInput {
            name: (*name).into(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let report = lint_sources(sources, None, &options(no_prefilter, None)).unwrap();
    rendered(&report)
}

/// A DAG whose member URL misses `;Server=[…]`: ML204 if the statement is seen at all.
const DAG_TAIL: &str = " [dag-a] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG_A' WITH (LISTENER_URL = 'tcp://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), N'AG_A_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\nGO\n";

fn check_same_and_found(files: &[(&str, &str)], code: &str) {
    let with = lint_texts(files, false);
    let without = lint_texts(files, true);
    assert_eq!(with, without);
    assert!(with.contains(code), "{code} not found:\n{with}");
}

#[test]
fn a_keyword_pair_split_by_a_comment_is_seen() {
    let text = format!("SELECT 1;\nGO\nCREATE /* the link */ AVAILABILITY /* … */ GROUP{DAG_TAIL}");
    check_same_and_found(&[("a.sql", &text)], "ML204");
}

#[test]
fn a_keyword_that_comes_from_a_variable_is_seen() {
    // The batch holds no link word before `$(Kind)` is substituted.
    let text = format!(":setvar Kind \"AVAILABILITY GROUP\"\nGO\nCREATE $(Kind){DAG_TAIL}");
    check_same_and_found(&[("a.sql", &text)], "ML204");
}

#[test]
fn a_step_file_with_only_variables_is_read_with_its_includer() {
    // The step file alone has no link word at all; its includer defines the words.
    let master = ":setvar Kind \"AVAILABILITY GROUP\"\n:r steps/dag.sql\n";
    let step = format!("CREATE $(Kind){DAG_TAIL}");
    check_same_and_found(
        &[("run_all.sql", master), ("steps/dag.sql", &step)],
        "ML204",
    );
}

#[test]
fn ordinary_files_are_counted_but_not_read_further() {
    let files = [
        ("proc.sql", "CREATE PROCEDURE dbo.p AS SELECT 1;\nGO\n"),
        ("table.sql", "CREATE TABLE dbo.t (Id int);\n"),
    ];
    let with = lint_texts(&files, false);
    assert_eq!(with, lint_texts(&files, true));
    assert!(with.contains("\"files\": 2"), "{with}");
}
