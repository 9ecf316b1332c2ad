//! `--fix` and `--diff` through the real binary, on copies of the broken fixtures: a safe
//! fix makes its finding disappear and adds none, a second `--fix` changes nothing, and
//! `--diff` shows the change and writes nothing.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_milink-lint"))
}

/// The fixture's command line: its parameters file and Azure exports, a fixed date.
fn args(dir: &Path) -> Vec<String> {
    let mut args = vec![
        "check".into(),
        "--no-config".into(),
        "--today".into(),
        "2026-11-26".into(),
    ];
    for name in ["params.toml", "params.yaml", "params.json"] {
        if dir.join(name).is_file() {
            args.extend(["--params".into(), name.into()]);
            break;
        }
    }
    let mut exports: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("azure") && n.ends_with(".json"))
        .collect();
    exports.sort();
    for export in exports {
        args.extend(["--azure".into(), export]);
    }
    args
}

fn run(dir: &Path, extra: &[&str]) -> Output {
    let mut args = args(dir);
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(".".into());
    bin().args(&args).current_dir(dir).output().unwrap()
}

/// Findings as (code, file, line, column, has a safe fix).
fn findings(dir: &Path) -> Vec<(String, String, u64, u64, bool)> {
    let out = run(dir, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["fix"]["applicability"].as_str() == Some("safe"),
            )
        })
        .collect()
}

/// Every file of a folder, by name, as bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(dir) {
        files.insert(
            entry.strip_prefix(dir).unwrap().to_path_buf(),
            std::fs::read(&entry).unwrap(),
        );
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

/// The parameters file of the `dag-pay` link, in `dir`.
fn pay_params(dir: &Path) {
    std::fs::write(
        dir.join("params.toml"),
        "[link]\ndistributed_availability_group = \"dag-pay\"\n",
    )
    .unwrap();
}

/// `check --fix` of ML101 alone, against [`pay_params`] (the file to name follows).
const FIX_ML101: [&str; 7] = [
    "check",
    "--no-config",
    "--params",
    "params.toml",
    "--select",
    "ML101",
    "--fix",
];

/// [`FIX_ML101`] on `file` in `dir`.
fn fix_ml101(dir: &Path, file: &str) -> Output {
    bin()
        .args(FIX_ML101)
        .arg(file)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// The lines `similar` finds removed from `old` and added in `new`, in order.
fn changed_lines(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(old, new);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches(['\n', '\r']).to_string();
        match change.tag() {
            similar::ChangeTag::Delete => removed.push(line),
            similar::ChangeTag::Insert => added.push(line),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

/// The part of a unified diff about `file`, its `---`/`+++` lines first.
fn diff_section<'d>(diff: &'d str, file: &str) -> &'d str {
    let start = diff
        .find(&format!("--- a/{file}\n"))
        .unwrap_or_else(|| panic!("{file} not in the diff"));
    let rest = &diff[start..];
    let end = rest[1..].find("\n--- a/").map_or(rest.len(), |i| i + 2);
    &rest[..end]
}

/// Lines equal but where the shown line has `*` (a masked secret).
fn same_masked(shown: &[String], real: &[String]) -> bool {
    shown.len() == real.len()
        && shown.iter().zip(real).all(|(s, r)| {
            s.chars().count() == r.chars().count()
                && s.chars().zip(r.chars()).all(|(a, b)| a == b || a == '*')
        })
}

#[test]
fn safe_fixes_of_the_broken_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/broken");
    let scratch = tempfile::tempdir().unwrap();
    let mut fixed_cases = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let code = name.split('-').next().unwrap().to_string();
        let dir = scratch.path().join(&name);
        copy(&case, &dir);
        let before = findings(&dir);
        let fixable: Vec<_> = before
            .iter()
            .filter(|f| f.0 == code && f.4)
            .cloned()
            .collect();
        if fixable.is_empty() {
            continue;
        }
        fixed_cases.push(code.clone());
        let original = snapshot(&dir);

        // --diff: exit 1, a diff that names the changed files, nothing written.
        let diff = run(&dir, &["--diff"]);
        assert_eq!(
            diff.status.code(),
            Some(1),
            "{name}: {}",
            String::from_utf8_lossy(&diff.stderr)
        );
        let diff_text = String::from_utf8(diff.stdout).unwrap();
        assert_eq!(snapshot(&dir), original, "{name}: --diff wrote a file");

        // --fix: the fixable findings of the rule are gone, no new finding appeared.
        let fix = run(&dir, &["--fix"]);
        assert_ne!(
            fix.status.code(),
            Some(2),
            "{name}: {}",
            String::from_utf8_lossy(&fix.stderr)
        );
        let after = findings(&dir);
        for f in &fixable {
            assert!(
                !after.iter().any(|a| a.0 == f.0 && a.1 == f.1 && a.2 == f.2),
                "{name}: {f:?} still reported after --fix"
            );
        }
        let old_codes: Vec<(&str, &str)> = before
            .iter()
            .map(|f| (f.0.as_str(), f.1.as_str()))
            .collect();
        for a in &after {
            assert!(
                old_codes.contains(&(a.0.as_str(), a.1.as_str())),
                "{name}: --fix added {a:?}"
            );
        }

        // The diff showed exactly the change --fix made.
        let fixed = snapshot(&dir);
        for (file, bytes) in &fixed {
            let changed = original.get(file) != Some(bytes);
            let shown = diff_text.contains(&format!("+++ b/{}\n", file.display()));
            assert_eq!(
                changed,
                shown,
                "{name}: {} changed {changed}, in the diff {shown}",
                file.display()
            );
            if changed {
                // Its section of the diff removes and adds exactly the lines that differ
                // (a masked secret shows as `*`).
                let old = String::from_utf8_lossy(&original[file]).into_owned();
                let new = String::from_utf8_lossy(bytes).into_owned();
                let (removed, added) = changed_lines(&old, &new);
                let section = diff_section(&diff_text, &file.display().to_string());
                let lines_with = |sign: char| -> Vec<String> {
                    section
                        .lines()
                        .skip(2)
                        .filter_map(|l| l.strip_prefix(sign))
                        .map(str::to_string)
                        .collect()
                };
                assert!(same_masked(&lines_with('-'), &removed), "{name}: {section}");
                assert!(same_masked(&lines_with('+'), &added), "{name}: {section}");
            }
        }

        // A second --fix changes nothing.
        run(&dir, &["--fix"]);
        assert_eq!(
            snapshot(&dir),
            fixed,
            "{name}: a second --fix changed a file"
        );
    }
    // Every rule with a safe fix has a broken fixture it fixes.
    assert_eq!(
        fixed_cases,
        [
            "ML101", "ML102", "ML104", "ML107", "ML108", "ML109", "ML114", "ML115", "ML203",
            "ML204", "ML301", "ML302", "ML303", "ML306", "ML307", "ML501", "ML504",
        ]
    );
}

#[test]
fn a_setvar_name_is_fixed_at_its_definition_only() {
    let dir = tempfile::tempdir().unwrap();
    let script = ":setvar DagName dag_pay\nCREATE AVAILABILITY GROUP [$(DagName)]\nWITH (DISTRIBUTED)\nAVAILABILITY GROUP ON\nN'AG_Pay' WITH (LISTENER_URL = N'TCP://sql01.contoso.com:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\nN'AG_Pay_MI' WITH (LISTENER_URL = N'TCP://mi.abc.database.windows.net:5022;Server=[mi]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n";
    std::fs::write(dir.path().join("link.sql"), script).unwrap();
    pay_params(dir.path());
    let out = fix_ml101(dir.path(), "link.sql");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let fixed = std::fs::read_to_string(dir.path().join("link.sql")).unwrap();
    assert_eq!(
        fixed,
        script.replacen(":setvar DagName dag_pay", ":setvar DagName dag-pay", 1)
    );
}

#[test]
fn copies_of_a_script_are_fixed_together_and_the_diff_shows_them_all() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    let script = dag_script("");
    for folder in ["live", "archive"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("link.sql"), &script).unwrap();
    }
    let diff = bin()
        .args(&FIX_ML101[..FIX_ML101.len() - 1])
        .args(["--diff", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("+++ b/./live/link.sql") || text.contains("+++ b/live/link.sql"),
        "{text}"
    );
    assert!(text.contains("archive/link.sql\n"), "{text}");
    let out = fix_ml101(dir.path(), ".");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(1 fixed)"));
    for folder in ["live", "archive"] {
        let after = std::fs::read_to_string(dir.path().join(folder).join("link.sql")).unwrap();
        assert_eq!(after, script.replace("[dag_pay]", "[dag-pay]"), "{folder}");
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_fixed_in_its_target_and_hard_links_keep_sharing() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    let script = dag_script("");
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::create_dir(dir.path().join("lnk")).unwrap();
    std::fs::write(dir.path().join("real/link.sql"), &script).unwrap();
    std::os::unix::fs::symlink("../real/link.sql", dir.path().join("lnk/link.sql")).unwrap();
    assert_eq!(fix_ml101(dir.path(), "lnk/link.sql").status.code(), Some(0));
    let fixed = script.replace("[dag_pay]", "[dag-pay]");
    assert!(std::fs::symlink_metadata(dir.path().join("lnk/link.sql"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real/link.sql")).unwrap(),
        fixed
    );

    std::fs::write(dir.path().join("a.sql"), &script).unwrap();
    std::fs::hard_link(dir.path().join("a.sql"), dir.path().join("b.txt")).unwrap();
    assert_eq!(fix_ml101(dir.path(), "a.sql").status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.txt")).unwrap(),
        fixed
    );
}

#[test]
fn the_report_never_replaces_a_script_or_the_parameters_file() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    let script = dag_script("");
    std::fs::write(dir.path().join("link.sql"), &script).unwrap();
    for (output, extra) in [
        ("link.sql", None),
        ("params.toml", None),
        ("link.sql", Some("--fix")),
    ] {
        let out = bin()
            .args([
                "check",
                "--no-config",
                "--params",
                "params.toml",
                "--output",
                output,
            ])
            .args(extra)
            .arg("link.sql")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{output} {extra:?}");
        assert!(String::from_utf8_lossy(&out.stderr)
            .contains("--output names a script or a file this run reads"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("link.sql")).unwrap(),
            script
        );
    }
}

#[test]
fn utf16_crlf_and_windows_1252_files_keep_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "-- café\r\nCREATE AVAILABILITY GROUP [dag_pay]\r\nWITH (DISTRIBUTED)\r\nAVAILABILITY GROUP ON\r\nN'AG_Pay' WITH (LISTENER_URL = N'TCP://sql01.contoso.com:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\r\nN'AG_Pay_MI' WITH (LISTENER_URL = N'TCP://mi.abc.database.windows.net:5022;Server=[mi]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\r\n";
    let utf16 = |t: &str| {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let ansi = |t: &str| encoding_rs_like_1252(t);
    std::fs::write(dir.path().join("u16.sql"), utf16(text)).unwrap();
    std::fs::write(dir.path().join("ansi.sql"), ansi(text)).unwrap();
    pay_params(dir.path());
    for (file, encode) in [
        ("u16.sql", &utf16 as &dyn Fn(&str) -> Vec<u8>),
        ("ansi.sql", &ansi),
    ] {
        let out = fix_ml101(dir.path(), file);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let expected = encode(&text.replace("[dag_pay]", "[dag-pay]"));
        assert_eq!(
            std::fs::read(dir.path().join(file)).unwrap(),
            expected,
            "{file}"
        );
    }
}

/// Windows-1252 bytes of a text whose only non-ASCII character is é.
fn encoding_rs_like_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'é' => 0xE9,
            c if c.is_ascii() => c as u8,
            c => panic!("{c} is not in this test's Windows-1252"),
        })
        .collect()
}

#[test]
fn without_a_fix_flag_nothing_is_written_and_diff_exits_0_when_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok/azure-powershell");
    let scratch = tempfile::tempdir().unwrap();
    copy(&root, scratch.path());
    let before = snapshot(scratch.path());
    let out = run(scratch.path(), &["--diff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    run(scratch.path(), &[]);
    assert_eq!(snapshot(scratch.path()), before);
}

mod random_edits {
    use super::*;
    use proptest::prelude::*;

    /// Broken fixtures whose finding has a safe fix.
    const CASES: &[&str] = &[
        "ML101-dag-name-mismatch",
        "ML102-ag-name-mismatch",
        "ML107-replica-name-mismatch",
        "ML108-mi-server-name-mismatch",
        "ML302-failover-mode-not-manual",
        "ML303-synchronous-dag",
        "ML501-placeholder",
    ];

    /// Pieces that disturb the lexer, the splitter and the names.
    const PIECES: &[&str] = &[
        "'",
        "[",
        "]",
        "\"",
        "/*",
        "*/",
        "--",
        "\nGO\n",
        "$(",
        ")",
        "N'",
        ";",
        "\r\n",
        "é",
        "日",
        "dag-x",
        " WITH (",
        "SEEDING_MODE = MANUAL",
        ",",
        "\u{feff}",
        "<name, sysname, x>",
        "<DAGName>",
        "<SQLServerIP>",
        "\n:setvar X \"<AGName>\"\n",
    ];

    /// The safe edits of a JSON report, by file: byte range (from 1-based line and
    /// character columns, end exclusive) and content, in report order.
    fn safe_edits(dir: &Path) -> Vec<Vec<(String, Range<usize>, String)>> {
        let out = run(dir, &["--format", "json"]);
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
            return Vec::new();
        };
        let offset = |file: &str, line: u64, column: u64| -> usize {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            let start: usize = text
                .split_inclusive('\n')
                .take(line as usize - 1)
                .map(str::len)
                .sum();
            start
                + text[start..]
                    .chars()
                    .take(column as usize - 1)
                    .map(char::len_utf8)
                    .sum::<usize>()
        };
        let mut fixes = Vec::new();
        for d in json["diagnostics"].as_array().into_iter().flatten() {
            if d["fix"]["applicability"].as_str() != Some("safe") {
                continue;
            }
            let edits = d["fix"]["edits"].as_array().into_iter().flatten().map(|e| {
                let file = e["file"].as_str().unwrap().to_string();
                let start = offset(
                    &file,
                    e["line"].as_u64().unwrap(),
                    e["column"].as_u64().unwrap(),
                );
                let end = offset(
                    &file,
                    e["end_line"].as_u64().unwrap(),
                    e["end_column"].as_u64().unwrap(),
                );
                (file, start..end, e["content"].as_str().unwrap().to_string())
            });
            fixes.push(edits.collect());
        }
        fixes
    }

    /// The texts after the fixes of one round, taken as `--fix` takes them: in report
    /// order, a fix whole or not at all, an identical edit once, an overlapping one not.
    /// Also whether a fix waited (then `--fix` runs a second round this does not predict).
    fn expected_after(
        dir: &Path,
        fixes: &[Vec<(String, Range<usize>, String)>],
    ) -> (BTreeMap<String, String>, bool) {
        let mut waited = false;
        let mut taken: BTreeMap<String, Vec<(Range<usize>, String)>> = BTreeMap::new();
        for fix in fixes {
            let clash = fix.iter().any(|(f, r, c)| {
                taken.get(f).is_some_and(|edits| {
                    edits.iter().any(|(r2, c2)| {
                        !(r2 == r && c2 == c)
                            && (r.start < r2.end && r2.start < r.end || r.start == r2.start)
                    })
                })
            });
            if clash {
                waited = true;
                continue;
            }
            for (f, r, c) in fix {
                let edits = taken.entry(f.clone()).or_default();
                if !edits.iter().any(|(r2, c2)| r2 == r && c2 == c) {
                    edits.push((r.clone(), c.clone()));
                }
            }
        }
        let mut texts = BTreeMap::new();
        for (file, mut edits) in taken {
            edits.sort_by_key(|(r, _)| r.start);
            let text = std::fs::read_to_string(dir.join(&file)).unwrap();
            let mut out = String::new();
            let mut at = 0;
            for (r, c) in edits {
                out.push_str(&text[at..r.start]);
                out.push_str(&c);
                at = r.end;
            }
            out.push_str(&text[at..]);
            texts.insert(file, out);
        }
        (texts, waited)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        /// `--fix` on a damaged copy: the run never fails (exit 2/3), and the files become
        /// exactly the damaged ones with each round's safe edits, nothing else.
        #[test]
        fn fix_changes_only_what_the_fixes_edit(
            case in 0..CASES.len(),
            edits in proptest::collection::vec((0.0f64..1.0, 0..PIECES.len()), 1..4),
        ) {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/broken").join(CASES[case]);
            let scratch = tempfile::tempdir().unwrap();
            copy(&root, scratch.path());
            let dir = scratch.path();
            let sql: Vec<PathBuf> = walk(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "sql")).collect();
            let target = &sql[0];
            let mut text = std::fs::read_to_string(target).unwrap();
            for (at, piece) in &edits {
                let mut i = ((text.len() as f64) * at) as usize;
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                text.insert_str(i, PIECES[*piece]);
            }
            std::fs::write(target, &text).unwrap();
            // The same rounds by hand on a second copy: each round's safe edits, taken as
            // --fix takes them, written, then the copy linted again.
            let shadow = tempfile::tempdir().unwrap();
            copy(dir, shadow.path());
            for _ in 0..10 {
                let (texts, _) = expected_after(shadow.path(), &safe_edits(shadow.path()));
                if texts.is_empty() {
                    break;
                }
                for (file, text) in texts {
                    std::fs::write(shadow.path().join(file), text).unwrap();
                }
            }
            let out = run(dir, &["--fix"]);
            prop_assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
            // Only the bytes of the fixes changed.
            prop_assert_eq!(snapshot(dir), snapshot(shadow.path()));
        }
    }
}

/// A DAG named otherwise than `dag-pay`, with `extra` lines before it.
fn dag_script(extra: &str) -> String {
    format!("{extra}CREATE AVAILABILITY GROUP [dag_pay]\nWITH (DISTRIBUTED)\nAVAILABILITY GROUP ON\nN'AG_Pay' WITH (LISTENER_URL = N'TCP://sql01.contoso.com:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\nN'AG_Pay_MI' WITH (LISTENER_URL = N'TCP://mi.abc.database.windows.net:5022;Server=[mi]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n")
}

fn config_case(config: &str, script: &str, args: &[&str]) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("link.sql"), script).unwrap();
    pay_params(dir.path());
    std::fs::write(
        dir.path().join("milink.toml"),
        format!("params = \"params.toml\"\nselect = [\"ML101\"]\n{config}"),
    )
    .unwrap();
    let out = bin()
        .arg("check")
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    (
        out,
        std::fs::read_to_string(dir.path().join("link.sql")).unwrap(),
    )
}

#[test]
fn unfixable_rules_keep_their_findings_and_fix_true_fixes_without_the_flag() {
    let script = dag_script("");
    let (out, after) = config_case("unfixable = [\"ML1\"]\n", &script, &["--fix"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(after, script);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("fixable"));
    let (out, after) = config_case("fixable = [\"ML3\"]\n", &script, &["--fix"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(after, script);
    let (out, after) = config_case("fix = true\n", &script, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(after, script.replace("[dag_pay]", "[dag-pay]"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(1 fixed)"));
}

#[test]
fn a_suppressed_finding_is_not_fixed() {
    let script = dag_script("-- milink-lint: ignore ML101\n");
    let (out, after) = config_case("", &script, &["--fix"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(after, script);
}

/// [`FIX_ML101`] (its last argument replaced by `extra`) on `paths` in `dir`, with
/// `input` piped to standard input.
fn ml101_with_stdin(dir: &Path, extra: &[&str], paths: &[&str], input: &[u8]) -> Output {
    let mut command = bin();
    command
        .args(&FIX_ML101[..FIX_ML101.len() - 1])
        .args(extra)
        .args(paths);
    piped(command, dir, input)
}

/// `command` run in `dir` with `input` on its standard input.
fn piped(mut command: Command, dir: &Path, input: &[u8]) -> Output {
    let mut child = command
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_fixed_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    // A secret and Windows line ends come back as they came in; only the name changes.
    let script = dag_script("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Xq7#pL2!vR9@';\r\n");
    let out = ml101_with_stdin(dir.path(), &["--fix"], &["-"], script.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        script.replace("[dag_pay]", "[dag-pay]")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(1 fixed)"), "{stderr}");
    assert!(!stderr.contains("Xq7#pL2!vR9@"), "{stderr}");
    // Nothing to fix: the text comes back unchanged, so an editor can always take it.
    let fixed = script.replace("[dag_pay]", "[dag-pay]");
    let out = ml101_with_stdin(dir.path(), &["--fix"], &["-"], fixed.as_bytes());
    assert_eq!(out.stdout, fixed.as_bytes());
    // --fix-only: the text, and one line on standard error.
    let out = ml101_with_stdin(dir.path(), &["--fix-only"], &["-"], script.as_bytes());
    assert_eq!(out.stdout, fixed.as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "1 fixed, 0 findings left\n"
    );
    // --diff: the change, of the masked text, and nothing else.
    let out = ml101_with_stdin(dir.path(), &["--diff"], &["-"], script.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("+++ b/-\n") && diff.contains("+CREATE AVAILABILITY GROUP [dag-pay]"),
        "{diff}"
    );
    assert!(!diff.contains("Xq7#pL2!vR9@"), "{diff}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn standard_input_named_as_a_file_never_writes_that_file() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    let script = dag_script("");
    std::fs::write(dir.path().join("link.sql"), &script).unwrap();
    let out = ml101_with_stdin(
        dir.path(),
        &["--fix", "--stdin-filename", "link.sql"],
        &["-"],
        script.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        script.replace("[dag_pay]", "[dag-pay]").as_bytes()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("link.sql")).unwrap(),
        script
    );
}

#[test]
fn standard_input_among_files_is_linted_but_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    let script = dag_script("");
    std::fs::write(dir.path().join("other.sql"), &script).unwrap();
    let out = ml101_with_stdin(
        dir.path(),
        &["--fix"],
        &["-", "other.sql"],
        script.as_bytes(),
    );
    // The file is fixed; standard input's finding stays, reported once (it is linted
    // again from what was read, not from an input read to its end).
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("error[ML101]").count(), 1, "{text}");
    assert!(text.contains("┌─ -:"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.sql")).unwrap(),
        script.replace("[dag_pay]", "[dag-pay]")
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn fix_true_in_milink_toml_never_echoes_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    pay_params(dir.path());
    std::fs::write(
        dir.path().join("milink.toml"),
        "params = \"params.toml\"\nselect = [\"ML101\"]\nfix = true\n",
    )
    .unwrap();
    let script = dag_script("CREATE LOGIN [x] WITH PASSWORD = 'Xq7#pL2!vR9@';\n");
    let mut command = bin();
    command.args(["check", "-"]);
    let out = piped(command, dir.path(), script.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[ML101]"), "{text}");
    assert!(
        !text.contains("Xq7#pL2!vR9@") && !text.contains("WITH (DISTRIBUTED)\n"),
        "{text}"
    );
}

#[test]
fn a_read_only_file_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let script = dag_script("");
    let path = dir.path().join("link.sql");
    std::fs::write(&path, &script).unwrap();
    pay_params(dir.path());
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let out = fix_ml101(dir.path(), "link.sql");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("link.sql: not fixed: the file is read-only"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), script);
}
