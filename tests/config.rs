//! The repository layout in fixtures/config-repo, run through the real binary from its
//! `link/` subfolder: milink.toml is found in the parent, its `params`, `exclude`,
//! `ignore`, `[severity]` and `fail-on` apply, the .gitignore'd scratch file is skipped,
//! and the inline suppression silences exactly its finding.

use std::path::Path;
use std::process::{Command, Output};

const SUBFOLDER: &str = "fixtures/config-repo/link";

fn run_in(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .env_remove("MILINK_LINT_PARAMS")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// `(code, severity, file, line)` of every finding in the JSON output.
fn findings(o: &Output) -> Vec<(String, String, String, u64)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn finding(code: &str, severity: &str, file: &str, line: u64) -> (String, String, String, u64) {
    (code.into(), severity.into(), file.into(), line)
}

#[test]
fn run_from_a_subfolder_gives_exactly_the_expected_findings() {
    let o = run_in(SUBFOLDER, &["check", "--format", "json"]);
    // Not: ML116 (suppressed inline), ML503 (ignored in milink.toml), the wrong AG name in
    // scratch.local.sql (.gitignore) or the wrong database in old/ (exclude).
    assert_eq!(
        findings(&o),
        [finding("ML101", "error", "milink_orders.sql", 100)]
    );
    assert_eq!(o.status.code(), Some(1));
    let summary = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        summary,
        "1 error, 0 warnings in 1 file (1 suppressed; 1 fixable with --fix)\n"
    );
    // The parameters file named in milink.toml is shown relative to where we run.
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["labels"][0]["file"], "params.toml");
}

#[test]
fn the_same_from_the_repository_root() {
    let o = run_in("fixtures/config-repo", &["check", "--format", "json"]);
    assert_eq!(
        findings(&o),
        [finding("ML101", "error", "link/milink_orders.sql", 100)]
    );
}

#[test]
fn no_ignore_lints_the_gitignored_file() {
    let o = run_in(SUBFOLDER, &["check", "--format", "json", "--no-ignore"]);
    let files: Vec<String> = findings(&o).into_iter().map(|f| f.2).collect();
    assert!(files.iter().any(|f| f == "scratch.local.sql"), "{files:?}");
}

#[test]
fn explicit_files_are_linted_even_if_gitignored_or_excluded() {
    for file in ["scratch.local.sql", "old/milink_orders_2024.sql"] {
        let o = run_in(SUBFOLDER, &["check", "--format", "json", file]);
        let codes: Vec<String> = findings(&o).into_iter().map(|f| f.0).collect();
        assert!(!codes.is_empty(), "{file}: nothing reported");
    }
}

#[test]
fn force_exclude_drops_excluded_files_named_explicitly() {
    let o = run_in(
        SUBFOLDER,
        &["check", "--force-exclude", "old/milink_orders_2024.sql"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "0 errors, 0 warnings in 0 files\n"
    );
}

#[test]
fn command_line_overrides_the_file() {
    // --ignore replaces the file's `ignore`: ML503 is back, ML101 is gone.
    let o = run_in(
        SUBFOLDER,
        &["check", "--format", "json", "--ignore", "dag-name-mismatch"],
    );
    let codes: Vec<String> = findings(&o).into_iter().map(|f| f.0).collect();
    assert!(!codes.contains(&"ML101".to_string()), "{codes:?}");
    // --severity overrides [severity]; fail-on = "warning" of the file still fails the run.
    let o = run_in(
        SUBFOLDER,
        &["check", "--format", "json", "--severity", "ML101=warning"],
    );
    assert_eq!(
        findings(&o),
        [finding("ML101", "warning", "milink_orders.sql", 100)]
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "fail-on = \"warning\" in milink.toml"
    );
    let o = run_in(
        SUBFOLDER,
        &[
            "check",
            "--severity",
            "ML101=warning",
            "--fail-on",
            "error",
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn no_config_ignores_the_file() {
    // No parameters file any more: ML101 cannot run; ML503's `ignore` is gone too.
    let o = run_in(SUBFOLDER, &["check", "--format", "json", "--no-config"]);
    let codes: Vec<String> = findings(&o).into_iter().map(|f| f.0).collect();
    assert!(!codes.contains(&"ML101".to_string()), "{codes:?}");
}

#[test]
fn a_broken_config_is_a_run_error_with_its_location() {
    let dir = std::env::temp_dir().join(format!("milink-config-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("milink.toml"), "selct = [\"ML1\"]\n").unwrap();
    std::fs::write(dir.join("a.sql"), "SELECT 1;\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(&dir)
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: milink.toml:1:1: unknown key 'selct'\nhelp: did you mean `select`?\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stdin_filename_names_standard_input() {
    use std::io::Write;
    let text = std::fs::read(Path::new(SUBFOLDER).join("milink_orders.sql")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(SUBFOLDER))
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "link/orders.sql",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        findings(&o),
        [finding("ML101", "error", "link/orders.sql", 100)]
    );
}

/// A fresh folder with `files` (path → text), removed by the caller.
fn tree(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("milink-config-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn run_at(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn globs_are_relative_to_a_config_in_the_current_folder() {
    let dir = tree(
        "globs",
        &[
            ("tmp/deep/4.sql", "SELECT 1;\n"),
            ("a/Archive/x/1.sql", "SELECT 1;\n"),
            ("a/2.sql", "SELECT 1;\n"),
            ("a/3.tsql", "SELECT 1;\n"),
        ],
    );
    let cases = [
        ("exclude = [\"/tmp\", \"a/Archive/x/1.sql\"]\n", "1 file"),
        ("exclude = [\"archive/\"]\n", "2 files"),
        ("include = [\"a/*.tsql\"]\n", "1 file"),
        // `tmp` as a folder name above the configuration is not matched.
        ("exclude = [\"tmp/\"]\n", "2 files"),
    ];
    for (config, expected) in cases {
        std::fs::write(dir.join("milink.toml"), config).unwrap();
        for args in [
            &["check", "-q"][..],
            &["check", "-q", "--config", "milink.toml"],
        ] {
            let o = run_at(&dir, args);
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(
                text.ends_with(&format!("in {expected}\n")),
                "{config} {args:?}: {text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn force_exclude_applies_to_the_stdin_filename() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(SUBFOLDER))
        .args([
            "check",
            "-q",
            "--force-exclude",
            "--stdin-filename",
            "old/x.sql",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The excluded input is never read: the tool may exit before the write (EPIPE).
    let written = child
        .stdin
        .take()
        .unwrap()
        .write_all(b"CREATE AVAILABILITY GROUP [dag_x\n");
    assert!(
        written.as_ref().is_ok()
            || written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    );
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "0 errors, 0 warnings in 0 files\n"
    );
}

#[test]
fn a_gitignore_above_the_repository_is_not_git_s_business() {
    let dir = tree(
        "gitroot",
        &[
            (".gitignore", "deep/\n"),
            ("repo/deep/a.sql", "SELECT 1;\n"),
            ("repo/b.sql", "SELECT 1;\n"),
            ("repo/.gitignore", "*.tmp.sql\n"),
            ("repo/c.tmp.sql", "SELECT 1;\n"),
            ("plain/deep/a.sql", "SELECT 1;\n"),
        ],
    );
    std::fs::create_dir_all(dir.join("repo/.git")).unwrap();
    let o = run_at(&dir.join("repo"), &["check", "-q", "--no-config"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "0 errors, 0 warnings in 2 files\n"
    );
    let o = run_at(&dir.join("plain"), &["check", "-q", "--no-config"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "0 errors, 0 warnings in 1 file\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn machine_formats_say_on_stderr_that_parameter_checks_were_skipped() {
    let o = run_in(SUBFOLDER, &["check", "--format", "sarif", "--no-config"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with(
            "note: no --params file given: the checks against the parameters file were skipped\n"
        ),
        "{stderr}"
    );
}
