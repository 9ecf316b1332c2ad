//! The Azure side read as written in real scripts, through the real binary: the Azure
//! CLI's list forms for `--databases` (shorthand syntax, JSON, partial values, several
//! words, `@file`), broken line continuations on every link command, and documentation
//! placeholders left in shell values.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The T-SQL of a link set-up whose AG carries one database, `[Orders]`.
const SETUP: &str = "fixtures/broken/ML604-azure-database-mismatch/setup_link.sql";

/// A fresh folder holding the set-up's T-SQL and `files`.
fn case(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("milink-azure-syntax-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(SETUP, dir.join("setup_link.sql")).unwrap();
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `milink-lint check .` in `dir` (ML505 ignored: the set-up's master key password is
/// written out on purpose).
fn check(dir: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(dir)
        .args([
            "check", ".", "--ignore", "ML505", "--color", "never", "--format", format,
        ])
        .env_remove("MILINK_LINT_PARAMS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// (code, severity, file, line, message) of every finding, from the JSON report.
fn findings(dir: &Path) -> Vec<(String, String, String, u64, String)> {
    let out = check(dir, "json");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn codes(dir: &Path) -> Vec<String> {
    findings(dir).into_iter().map(|f| f.0).collect()
}

fn human(dir: &Path) -> String {
    let out = check(dir, "human");
    String::from_utf8(out.stdout).unwrap()
}

/// `az sql mi link create` for the set-up, with `databases` as the last argument (sh).
fn az_create(databases: &str) -> String {
    format!(
        "#!/bin/sh\naz sql mi link create -g rg-orders-weu --mi mi-orders-weu --name dag-orders \\\n  --partner-ag-name AG_Orders --instance-ag-name AG_Orders_MI \\\n  --partner-endpoint TCP://sqlord01.sales.example.net:5022 \\\n  --databases {databases}\n"
    )
}

#[test]
fn every_written_form_of_the_right_database_is_clean() {
    let forms = [
        ("shorthand-object-list", r#""[{database-name:Orders}]""#),
        (
            "shorthand-trailing-comma",
            r#""[{database-name:'Orders'},]""#,
        ),
        ("shorthand-key-case", r#""[{Database-Name:Orders}]""#),
        ("shorthand-one-object", r#""{database-name:Orders}""#),
        ("shorthand-string-list", r#""['Orders']""#),
        ("json-objects", r#"'[{"databaseName":"Orders"}]'"#),
        ("json-strings", r#"'["Orders"]'"#),
        ("partial-value", "[0].database-name=Orders"),
        ("separate-words", "Orders"),
        ("at-file", "@databases.json"),
        ("bare-yaml-file", "databases.yaml"),
    ];
    for (name, databases) in forms {
        let dir = case(
            name,
            &[
                ("create_link.sh", &az_create(databases)),
                ("databases.json", r#"[{"database-name": "Orders"}]"#),
                ("databases.yaml", "- database-name: Orders\n"),
            ],
        );
        assert_eq!(codes(&dir), Vec::<String>::new(), "{name}: {databases}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_wrong_name_in_shorthand_syntax_points_at_the_name() {
    let dir = case(
        "shorthand-wrong",
        &[("create_link.sh", &az_create(r#""[{database-name:Order}]""#))],
    );
    let found = findings(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, severity, file, line, message) = &found[0];
    assert_eq!((code.as_str(), severity.as_str()), ("ML604", "error"));
    assert_eq!((file.as_str(), *line), ("create_link.sh", 5));
    // The name itself, not the whole shorthand expression.
    assert!(
        message.starts_with("database 'Order' in az sql mi link create"),
        "{message}"
    );
    insta::assert_snapshot!("shorthand_wrong_database", human(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn several_databases_in_each_form_are_all_read() {
    for (name, databases) in [
        (
            "two-objects",
            r#""[{database-name:Orders},{database-name:OrdersArchive}]""#,
        ),
        (
            "two-partials",
            "[0].database-name=Orders [1].database-name=OrdersArchive",
        ),
        ("two-words", "Orders OrdersArchive"),
        (
            "two-json",
            r#"'[{"database_name":"Orders"},{"database_name":"OrdersArchive"}]'"#,
        ),
    ] {
        let dir = case(name, &[("create_link.sh", &az_create(databases))]);
        let found = findings(&dir);
        // The extra database is named, and the single-database mode with two databases too.
        assert!(
            found
                .iter()
                .any(|f| f.0 == "ML604" && f.4.contains("'OrdersArchive'")),
            "{name}: {found:?}"
        );
        assert!(found.iter().any(|f| f.0 == "ML611"), "{name}: {found:?}");
        // `Orders` itself is read as the database it is.
        assert!(
            !found.iter().any(|f| f.4.starts_with("database 'Orders' ")),
            "{name}: {found:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_database_file_is_read_next_to_the_script() {
    let dir = case(
        "at-file-wrong",
        &[
            ("create_link.sh", &az_create("@lists/dbs.json")),
            // In a sub-folder of the script's folder, in shorthand syntax.
            ("lists/dbs.json", "[{database-name:OrdersDB}]"),
        ],
    );
    let found = findings(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "ML604");
    insta::assert_snapshot!("at_file_wrong_database", human(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_database_file_is_one_calm_note_and_exit_zero() {
    let dir = case(
        "at-file-missing",
        &[("create_link.sh", &az_create("@absent.json"))],
    );
    let found = findings(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, severity, _, _, message) = &found[0];
    assert_eq!((code.as_str(), severity.as_str()), ("ML609", "info"));
    assert!(
        message.contains("`absent.json` is not found next to the script"),
        "{message}"
    );
    let out = check(&dir, "human");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("at_file_missing", String::from_utf8(out.stdout).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_form_that_is_not_read_is_named_not_guessed() {
    for (name, databases, why) in [
        (
            "unknown-key",
            r#""[{name:Orders}]""#,
            "no `database-name` key",
        ),
        ("unclosed", r#""[{database-name:Orders}""#, "never closed"),
    ] {
        let dir = case(name, &[("create_link.sh", &az_create(databases))]);
        let found = findings(&dir);
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1.as_str()),
            ("ML609", "info")
        );
        assert!(found[0].4.contains(why), "{name}: {}", found[0].4);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_broken_continuation_is_found_on_every_link_command() {
    let ps = [
        "Update-AzSqlInstanceLink -ResourceGroupName rg-orders-weu -InstanceName mi-orders-weu ` ",
        "    -Name dag-orders -ReplicationMode Sync",
        "Get-AzSqlInstanceLink -ResourceGroupName rg-orders-weu -InstanceName mi-orders-weu `\t",
        "    -Name dag-orders",
        "Remove-AzSqlInstanceLink -ResourceGroupName rg-orders-weu -InstanceName mi-orders-weu ` ",
        "    -Name dag-orders -Force",
        "Invoke-Sqlcmd -ServerInstance SQLORD01 ` ",
        "    -InputFile \"$PSScriptRoot\\setup_link.sql\"",
        "",
    ]
    .join("\n");
    let sh = "az sql mi link update -g rg-orders-weu --mi mi-orders-weu \\ \n  -n dag-orders --replication-mode Sync\naz sql mi link delete -g rg-orders-weu --mi mi-orders-weu \\ \n  -n dag-orders --yes\n";
    let cmd = "az sql mi link show -g rg-orders-weu --mi mi-orders-weu ^ \r\n  -n dag-orders\r\n";
    let dir = case(
        "continuations",
        &[("link.ps1", &ps), ("link.sh", sh), ("link.cmd", cmd)],
    );
    let found: Vec<(String, u64)> = findings(&dir)
        .into_iter()
        .filter(|f| f.0 == "ML612")
        .map(|f| (f.2, f.3))
        .collect();
    assert_eq!(
        found,
        [
            ("link.cmd".to_string(), 1),
            ("link.ps1".to_string(), 1),
            ("link.ps1".to_string(), 3),
            ("link.ps1".to_string(), 5),
            ("link.ps1".to_string(), 7),
            ("link.sh".to_string(), 1),
            ("link.sh".to_string(), 3),
        ]
    );
    insta::assert_snapshot!("broken_continuations", human(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pipes_good_continuations_and_other_scripts_are_not_broken_continuations() {
    let ps = [
        // A pipe at the end of a line continues, blanks after it or not.
        "Get-AzSqlInstanceLink -ResourceGroupName rg-orders-weu -InstanceName mi-orders-weu -Name dag-orders | ",
        "    Format-List",
        "Update-AzSqlInstanceLink -ResourceGroupName rg-orders-weu -InstanceName mi-orders-weu `",
        "    -Name dag-orders -ReplicationMode Async",
        "",
    ]
    .join("\n");
    // A runner of a script that is not part of the link, in a script without link work.
    let other = "Invoke-Sqlcmd -ServerInstance SQLRPT01 ` \n    -InputFile nightly_report.sql\n";
    let dir = case(
        "good-continuations",
        &[
            ("link.ps1", &ps),
            ("reports/run_reports.ps1", other),
            ("reports/nightly_report.sql", "SELECT 1;\n"),
        ],
    );
    assert_eq!(codes(&dir), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn placeholders_in_shell_values_are_reported_like_those_in_t_sql() {
    let ps = [
        "# Replace <DAGName> and <ManagedInstanceName> below.",
        "<# Documentation: <AGName> is SQL Server's AG #>",
        "$DAGName = \"<DAGName>\"",
        "$MI = \"mi-orders-weu\"",
        "tnc <ManagedInstanceFQDN> -port 5022",
        "if ($retries -lt 3) { Get-Date 2>$null > last_run.txt }",
        "$m = [regex]::Match($url, 'tcp://(?<Host>[^:]+):(?<Port>\\d+)')",
        "Get-AzSqlInstanceLink -ResourceGroupName rg-orders-weu -InstanceName $MI -Name $DAGName",
        "",
    ]
    .join("\n");
    let sh = "#!/bin/sh\n# <MI name> is the short name\naz sql mi link show -g rg-orders-weu --instance-name \"<MI name>\" -n dag-orders\n";
    let dir = case("placeholders", &[("link.ps1", &ps), ("show.sh", sh)]);
    let found: Vec<(String, String, u64)> = findings(&dir)
        .into_iter()
        .map(|f| (f.0, f.2, f.3))
        .collect();
    assert_eq!(
        found,
        [
            ("ML501".to_string(), "link.ps1".to_string(), 3),
            ("ML501".to_string(), "link.ps1".to_string(), 5),
            ("ML501".to_string(), "show.sh".to_string(), 3),
        ]
    );
    insta::assert_snapshot!("shell_placeholders", human(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_shell_script_without_link_work_is_not_read_for_placeholders() {
    // Mentions `sqlcmd` (so the tool reads it) but runs no script of the link.
    let other = "$Server = \"<ServerName>\"\nsqlcmd -S $Server -Q \"SELECT 1\"\n";
    let dir = case("no-link-work", &[("maintenance.ps1", other)]);
    assert_eq!(codes(&dir), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}
