//! T-SQL held in a shell script (`Invoke-Sqlcmd -Query`, `sqlcmd -Q`), inline or in a
//! variable assigned earlier, is reported at its place in the shell script: the path as
//! given, the line and column in that file (the JSON contract), through the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

const MI_MEMBER: &str = "N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("milink-shellq-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `check` in `dir` on `args` (relative paths), with `--format` `format`.
fn check(dir: &Path, format: &str, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .env_remove("MILINK_LINT_PARAMS")
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(["check", "--format", format])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Writes the files into a fresh folder and lints them (JSON).
fn lint(name: &str, files: &[(&str, &str)]) -> serde_json::Value {
    let dir = temp_dir(name);
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    let out = check(&dir, "json", &paths);
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&out).unwrap()
}

/// Line, column, end line, end column of the `nth` occurrence of `needle` in `text`
/// (1-based, columns in characters).
fn place(text: &str, needle: &str, nth: usize) -> (u64, u64, u64, u64) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the text"))
        .0;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() as u64 + 1;
    let column = text[line_start..at].chars().count() as u64 + 1;
    (line, column, line, column + needle.chars().count() as u64)
}

fn position(d: &serde_json::Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| d[k].as_u64().unwrap();
    (n("line"), n("column"), n("end_line"), n("end_column"))
}

/// The one diagnostic of `code`.
fn only<'a>(v: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    let found: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect();
    assert_eq!(found.len(), 1, "{code} in {v:#}");
    found[0]
}

fn all<'a>(v: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// Every `file` of the output (diagnostics and labels) is one of `paths`.
fn files_are(v: &serde_json::Value, paths: &[&str]) {
    for d in v["diagnostics"].as_array().unwrap() {
        let labels = d["labels"].as_array().cloned().unwrap_or_default();
        for f in std::iter::once(&d["file"]).chain(labels.iter().map(|l| &l["file"])) {
            let f = f.as_str().unwrap();
            assert!(paths.contains(&f), "file {f:?} is not a path given: {d:#}");
        }
    }
}

/// The issue's case: a here-string in a variable, run with `-Query $dag`.
const HERE_STRING_IN_VARIABLE: &str = r#"param([string]$Server = "SQL01")
$DAGName = "dag-orders"
$port = 1433

# The distributed availability group.
$dag = @"
CREATE AVAILABILITY GROUP [$DAGName]
WITH (DISTRIBUTED)
AVAILABILITY GROUP ON
  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:$port', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = AUTOMATIC, SEEDING_MODE = AUTOMATIC),
  MI_MEMBER;
"@

Invoke-Sqlcmd -ServerInstance $Server -Query $dag
"#;

#[test]
fn a_here_string_in_a_variable_is_reported_where_it_is_written() {
    let ps = HERE_STRING_IN_VARIABLE.replace("MI_MEMBER", MI_MEMBER);
    let v = lint("here", &[("a.ps1", &ps)]);
    files_are(&v, &["a.ps1"]);
    // A finding in a substituted piece points at the substitution…
    let port = only(&v, "ML202");
    assert_eq!(port["file"], "a.ps1");
    assert_eq!(position(port), (10, 63, 10, 68));
    assert_eq!(position(port), place(&ps, "$port'", 0).shrink(1));
    // …and one in written text after it on the same line at its own column.
    let failover = only(&v, "ML302");
    assert_eq!(failover["file"], "a.ps1");
    assert_eq!(
        position(failover),
        place(&ps, "AUTOMATIC, SEEDING", 0).shrink(9)
    );
}

#[test]
fn a_name_from_a_variable_is_checked_at_the_variable() {
    let ps = HERE_STRING_IN_VARIABLE
        .replace("MI_MEMBER", MI_MEMBER)
        .replace("AUTOMATIC, SEEDING", "MANUAL, SEEDING")
        .replace("$port = 1433", "$port = 5022");
    let params = "[link]\ndistributed_availability_group = \"dag-ledger\"\n";
    let dir = temp_dir("params");
    std::fs::write(dir.join("a.ps1"), &ps).unwrap();
    std::fs::write(dir.join("params.toml"), params).unwrap();
    let out = check(&dir, "json", &["--params", "params.toml", "a.ps1"]);
    let _ = std::fs::remove_dir_all(&dir);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    files_are(&v, &["a.ps1", "params.toml"]);
    let d = only(&v, "ML101");
    assert_eq!(d["file"], "a.ps1");
    assert_eq!(position(d), place(&ps, "[$DAGName]", 0));
    assert_eq!(position(d), (7, 27, 7, 37));
}

trait Shrink {
    /// The same place without the last `n` characters.
    fn shrink(self, n: u64) -> Self;
}

impl Shrink for (u64, u64, u64, u64) {
    fn shrink(self, n: u64) -> Self {
        (self.0, self.1, self.2, self.3 - n)
    }
}

#[test]
fn a_substituted_piece_of_several_lines_points_at_its_use() {
    let ps = format!(
        "$members = @\"\n  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:1433', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\n  {MI_MEMBER}\n\"@\n$dag = @\"\nCREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON\n$members;\nALTER AVAILABILITY GROUP [dag-orders] GRANT CREATE ANY DATABASE;\n\"@\nInvoke-Sqlcmd -ServerInstance SQL01 -Query $dag\n"
    );
    let v = lint("lines", &[("deploy.ps1", &ps)]);
    files_are(&v, &["deploy.ps1"]);
    let port = only(&v, "ML202");
    assert_eq!(position(port), place(&ps, "$members;", 0).shrink(1));
    assert_eq!(position(port), (7, 1, 7, 9));
}

#[test]
fn concatenation_quoted_strings_and_crlf() {
    let ps = format!(
        "$port = 1433\r\n$head = \"CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON \"\r\n$q = $head + \"N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:\" + $port + \"', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = MANUAL), \" +\r\n  '{}'\r\nInvoke-Sqlcmd -ServerInstance SQL01 -Query $q\r\n",
        MI_MEMBER.replace('\'', "''")
    );
    let v = lint("concat", &[("c.ps1", &ps)]);
    files_are(&v, &["c.ps1"]);
    // The port comes from `" + $port + "`: the whole substitution.
    assert_eq!(
        position(only(&v, "ML202")),
        place(&ps, "\" + $port + \"", 0)
    );
    // Written text after it: exact.
    assert_eq!(
        position(only(&v, "ML301")),
        place(&ps, "MANUAL), ", 0).shrink(3)
    );
}

#[test]
fn an_inline_query_counts_columns_in_characters() {
    let dag = format!("CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:1433', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), {MI_MEMBER};");
    let ps =
        format!("$owner = 'Amélie Gérard'; Invoke-Sqlcmd -ServerInstance SQL01 -Query \"{dag}\"\n");
    let v = lint("chars", &[("é.ps1", &ps)]);
    files_are(&v, &["é.ps1"]);
    assert_eq!(position(only(&v, "ML202")), place(&ps, "1433", 0));
}

#[test]
fn two_queries_in_one_script_are_both_at_their_lines() {
    let dag = format!("CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:1433', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), {MI_MEMBER};");
    let ps = format!(
        "$first = @'\n{}\n'@\nInvoke-Sqlcmd -ServerInstance SQL01 -Query $first\nInvoke-Sqlcmd -ServerInstance SQL02 -Query '{}'\n",
        dag,
        dag.replace('\'', "''")
    );
    let v = lint("two", &[("two.ps1", &ps)]);
    files_are(&v, &["two.ps1"]);
    let ports: Vec<_> = all(&v, "ML202").into_iter().map(position).collect();
    assert_eq!(ports, [place(&ps, "1433", 0), place(&ps, "1433", 1)]);
}

#[test]
fn sh_and_cmd_variables_assigned_earlier() {
    let sh = format!(
        "#!/bin/sh\nPORT=1433\nQ=\"CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON\n  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:$PORT', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = MANUAL),\n  {MI_MEMBER};\"\nsqlcmd -S SQL01 -Q \"$Q\"\n"
    );
    let cmd = format!(
        "@echo off\r\nset PORT=1433\r\nset \"Q=CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:%PORT%', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = MANUAL), {MI_MEMBER};\"\r\nsqlcmd -S SQL01 -Q \"%Q%\"\r\n"
    );
    let v = lint("sh", &[("deploy.sh", &sh), ("deploy.cmd", &cmd)]);
    files_are(&v, &["deploy.sh", "deploy.cmd"]);
    for (file, text, port) in [
        ("deploy.sh", &sh, "$PORT'"),
        ("deploy.cmd", &cmd, "%PORT%'"),
    ] {
        let of = |code: &str| -> Vec<_> {
            all(&v, code)
                .into_iter()
                .filter(|d| d["file"] == file)
                .map(position)
                .collect()
        };
        assert_eq!(of("ML202"), [place(text, port, 0).shrink(1)], "{file}");
        assert_eq!(
            of("ML301"),
            [place(text, "MANUAL),", 0).shrink(2)],
            "{file}"
        );
    }
}

#[test]
fn human_output_shows_the_line_as_written() {
    let ps = HERE_STRING_IN_VARIABLE.replace("MI_MEMBER", MI_MEMBER);
    let dir = temp_dir("human");
    std::fs::write(dir.join("a.ps1"), &ps).unwrap();
    let out = check(&dir, "human", &["a.ps1"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.contains("query at line"), "{out}");
    insta::assert_snapshot!(out);
}
