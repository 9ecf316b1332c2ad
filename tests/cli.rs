//! Tests of the real binary: exit codes, the JSON contract, errors with locations,
//! `rules` and `explain`, standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_milink-lint"));
    c.env_remove("MILINK_LINT_PARAMS").env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("milink-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn json_output_follows_the_contract() {
    let o = run(&[
        "check",
        "--params",
        "fixtures/broken/ML101-dag-name-mismatch/params.toml",
        "--format",
        "json",
        "fixtures/broken/ML101-dag-name-mismatch",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["version"], 1);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ML101")
        .expect("ML101 reported");
    assert_eq!(d["severity"], "error");
    for key in [
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
    ] {
        assert!(!d[key].is_null(), "missing {key}");
    }
    let label = &d["labels"][0];
    assert_eq!(
        label["file"],
        "fixtures/broken/ML101-dag-name-mismatch/params.toml"
    );
    assert_eq!(label["message"], "expected here");
    assert!(v["summary"]["files"].as_u64().unwrap() >= 1);
    assert!(v["summary"]["errors"].as_u64().unwrap() >= 1);
}

#[test]
fn exit_zero_on_a_correct_setup() {
    let o = run(&[
        "check",
        "--params",
        "fixtures/ok/sql-first-multi-file/params.toml",
        "--ignore",
        "hard-coded-secret",
        "fixtures/ok/sql-first-multi-file",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 errors, 0 warnings in 7 files"));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir = "fixtures/broken/ML211-listener-ip-restricted";
    assert_eq!(run(&["check", dir]).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--deny-warnings", dir]).status.code(),
        Some(1)
    );
}

#[test]
fn unreadable_input_exits_two_naming_the_file() {
    let o = run(&["check", "no/such/file.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.sql"), "{}", stderr(&o));
}

#[test]
fn undecodable_file_is_a_finding_with_offset_and_the_run_goes_on() {
    let dir = temp_dir("latin1");
    let file = dir.join("bad.sql");
    std::fs::write(&file, b"SELECT 'caf\xe9'").unwrap();
    // By default an ANSI file is read as Windows-1252.
    let o = run(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // With UTF-8 named it cannot be read: a finding (exit 1), not a failed run.
    let o = run(&[
        "check",
        "--encoding",
        "utf-8",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "ML004");
    assert_eq!(
        v["diagnostics"][0]["message"],
        "this file could not be read: invalid UTF-8 at byte 11"
    );
}

#[test]
fn broken_params_file_exits_two_with_location_and_hint() {
    let dir = temp_dir("params");
    let params = dir.join("params.toml");
    std::fs::write(&params, "[link]\navailabilty_group = \"AG\"\n").unwrap();
    let o = run(&[
        "check",
        "--params",
        params.to_str().unwrap(),
        "fixtures/ok/mi-first",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("params.toml:2:1"), "{err}");
    assert!(err.contains("availability_group"), "{err}");
}

#[test]
fn params_file_that_is_a_directory_exits_two() {
    let o = run(&["check", "--params", "fixtures", "fixtures/ok/mi-first"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("directory"));
}

#[test]
fn standard_input_is_linted_as_dash() {
    let mut child = bin()
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        // A link script (a DAG with a managed-instance member), so ML502 speaks.
        .write_all(b":setvar Db \"Sales\"\nSELECT N'$(Missing)'\nCREATE AVAILABILITY GROUP [dag-a] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG_A' WITH (LISTENER_URL = 'tcp://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), N'AG_A_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["file"], "-");
    assert_eq!(v["diagnostics"][0]["code"], "ML502");
    assert_eq!(v["diagnostics"][0]["line"], 2);
    assert_eq!(v["diagnostics"][0]["column"], 10);
}

#[test]
fn rules_lists_every_rule_and_explain_prints_each_doc() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let listing = stdout(&o);
    for rule in milink_lint::rules::RULES {
        assert!(listing.contains(rule.code.as_str()) && listing.contains(rule.name()));
        let doc = run(&["explain", rule.code.as_str()]);
        assert_eq!(doc.status.code(), Some(0));
        assert!(
            stdout(&doc).starts_with(&format!("# {} {}", rule.code.as_str(), rule.name())),
            "{}",
            rule.code.as_str()
        );
    }
    assert_eq!(run(&["explain", "ML999"]).status.code(), Some(2));
}

#[test]
fn every_doc_has_a_rule_and_every_rule_a_doc() {
    let mut docs: Vec<String> = std::fs::read_dir("rules")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".md"))
        .map(|n| n.trim_end_matches(".md").to_string())
        .collect();
    docs.sort();
    let mut codes: Vec<String> = milink_lint::rules::RULES
        .iter()
        .map(|r| r.code.to_string())
        .collect();
    codes.sort();
    assert_eq!(docs, codes);
}

#[test]
fn no_secret_reaches_the_output() {
    let dir = temp_dir("secret");
    let file = dir.join("key.sql");
    std::fs::write(
        &file,
        "CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Pl4nted-Secret-7x';\nCREATE ENDPOINT [e] STATE = STARTED AS TCP (LISTENER_PORT = 5022, LISTENER_IP = (10.0.0.4)) FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [c], ENCRYPTION = REQUIRED ALGORITHM AES);\n",
    )
    .unwrap();
    let params = dir.join("p.toml");
    std::fs::write(&params, "[sql_server]\nendpoint_port = 5022\n").unwrap();
    for format in ["human", "json"] {
        let o = run(&[
            "check",
            "--params",
            params.to_str().unwrap(),
            "--format",
            format,
            file.to_str().unwrap(),
        ]);
        assert!(
            !stdout(&o).contains("Pl4nted-Secret-7x") && !stderr(&o).contains("Pl4nted-Secret-7x")
        );
    }
}

#[test]
fn a_folder_without_sql_files_exits_two() {
    let dir = temp_dir("empty");
    let o = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no script found"), "{}", stderr(&o));
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("milink-lint"), "{shell}");
        assert!(stdout(&o).contains("stdin-filename"), "{shell}");
    }
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH milink-lint 1"));
    assert!(
        page.contains("\\-\\-force\\-exclude"),
        "check's options are on the page"
    );
    let dir = temp_dir("man").join("new/folder");
    let o = run(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("milink-lint-check.1").is_file());
}

#[test]
fn version_names_the_package_version() {
    let o = run(&["--version"]);
    let text = stdout(&o);
    assert!(
        text.starts_with(concat!("milink-lint ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    for args in [&["completions", "bash"][..], &["man"], &["rules"]] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
}

/// The ML505 fixture plants unique passwords (T-SQL, a sqlcmd command line in a comment)
/// and a private-key blob: no output format may contain any of them.
#[test]
fn no_format_prints_a_planted_secret() {
    const PLANTED: &[&str] = &[
        "Dpl0y-Cl4ims-7f3a",
        "Mk-Claims-9c41e7d2!unique",
        "Pk-Claims-4b8e0a6f!unique",
        "Bk-Claims-2d6f9e13!unique",
        "308204BE020100300D06092A864886F70D0101010500048204A8308204A40201000282010100C3D7E5A9F1B2",
        "C3D7E5A9F1B2",
        "Mk2-Claims-NoEquals!unique",
        "Dyn-Claims-5e7a!unique",
        "Pos-Claims-8d1c!unique",
        "Var-Claims-0b2e!unique",
    ];
    let dir = "fixtures/broken/ML505-hard-coded-secret";
    for format in ["human", "json", "sarif", "github", "gitlab", "junit"] {
        for color in ["never", "always"] {
            let o = run(&[
                "check",
                "--format",
                format,
                "--color",
                color,
                "--var",
                "MasterKeyPassword=Var-Claims-0b2e!unique",
                dir,
            ]);
            assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
            let all = format!("{}{}", stdout(&o), stderr(&o));
            assert!(all.contains("ML505"), "{format}: the finding is reported");
            for secret in PLANTED {
                assert!(!all.contains(secret), "{format}/{color} prints {secret}");
            }
        }
    }
}

#[test]
fn bash_completion_completes_subcommand_options() {
    let o = run(&["completions", "bash"]);
    let dir = temp_dir("bash-completion");
    let script = dir.join("milink-lint.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(milink-lint check --fo); COMP_CWORD=2; _milink__lint milink-lint --fo check; echo \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let Ok(o) = Command::new("bash").args(["-c", &probe]).output() else {
        return; // no bash on this machine
    };
    assert_eq!(
        stdout(&o).trim(),
        "--format --force-exclude",
        "{}",
        stderr(&o)
    );
}

/// Linting only a master script: sqlcmd reads its `:r` steps from disk, and a `:setvar`
/// in an included file is defined for the rest of the session.
#[test]
fn a_master_script_alone_reads_its_steps_from_disk() {
    let dir = temp_dir("master");
    std::fs::create_dir_all(dir.join("Steps")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        "run_all.sql",
        ":on error exit\n:r .\\steps\\00_names.sql\n:r .\\steps\\01_dag.sql\nPRINT N'link $(DagName) created';\n",
    );
    // Letter case differs from the `:r` lines, as often in scripts written on Windows.
    write(
        "Steps/00_Names.sql",
        ":setvar AgName \"AG_Orders\"\n:setvar DagName \"dag_orders\"\n",
    );
    write(
        "Steps/01_dag.sql",
        "CREATE AVAILABILITY GROUP [$(DagName)] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
  N'$(AgName)' WITH (LISTENER_URL = N'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_Orders_MI' WITH (LISTENER_URL = N'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n",
    );
    write(
        "params.toml",
        "[link]\ndistributed_availability_group = \"dag-orders\"\navailability_group = \"AG_Orders\"\n",
    );
    // Each run: exit status and (code, file, line, column) of every finding.
    let lint = || {
        let o = bin()
            .current_dir(&dir)
            .args([
                "check",
                "--params",
                "params.toml",
                "--format",
                "json",
                "run_all.sql",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let found: Vec<(String, String, u64, u64)> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect();
        (o.status.code(), found, v["summary"]["files"].clone())
    };
    let (_, found, files) = lint();
    // The DAG name set in the included file is checked where it is used: no ML502.
    // ML116: the underscore is not allowed in an Azure link name either.
    let at = |code: &str| (code.to_string(), "Steps/01_dag.sql".to_string(), 1, 27);
    assert_eq!(found, vec![at("ML101"), at("ML116")]);
    assert_eq!(files, 3);

    // A step that includes the master script again is a cycle.
    write(
        "Steps/00_Names.sql",
        ":setvar AgName \"AG_Orders\"\n:setvar DagName \"dag-orders\"\n:r ..\\run_all.sql\n",
    );
    let (_, found, _) = lint();
    let codes: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(codes, vec!["ML506"], "{found:?}");

    // A step that is not there stops sqlcmd: ML507 at the `:r` line.
    std::fs::remove_file(dir.join("Steps/01_dag.sql")).unwrap();
    write("Steps/00_Names.sql", ":setvar DagName \"dag-orders\"\n");
    let (status, found, _) = lint();
    assert_eq!(status, Some(1));
    assert_eq!(
        found,
        vec![("ML507".to_string(), "run_all.sql".to_string(), 3, 1)]
    );
}
