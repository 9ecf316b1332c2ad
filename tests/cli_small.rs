//! The small things of the command line, through the real binary: the info level's name
//! in every format, shell completions (no hidden option, rule codes after `explain`),
//! `explain` and `rules --format json`, a selection that leaves no rule, the message for
//! a folder without scripts, and "did you mean" for a misspelt suppression directive.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_milink-lint"));
    c.env_remove("MILINK_LINT_PARAMS").env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// Run in `dir` without any milink.toml above it getting in the way (`--no-config` is
/// added by the caller where it matters).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("milink-small-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A DAG whose name differs from the parameters file (ML101), preceded by `comment`.
fn link_folder(name: &str, comment: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(
        dir.join("link.sql"),
        format!(
            "{comment}CREATE AVAILABILITY GROUP [dag_pay]\n\
             WITH (DISTRIBUTED)\n\
             \x20   AVAILABILITY GROUP ON\n\
             \x20   N'AG_Pay' WITH (LISTENER_URL = 'TCP://sqlpay01.corp.example.org:5022',\n\
             \x20       AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\n\
             \x20   N'AG_Pay_MI' WITH (LISTENER_URL = 'tcp://mi-pay.0a1b2c3d4e5f.database.windows.net:5022;Server=[mi-pay]',\n\
             \x20       AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n\
             GO\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("params.toml"),
        "[link]\ndistributed_availability_group = \"dag-pay\"\n",
    )
    .unwrap();
    dir
}

/// ML101 reported at the info level, in `format`.
fn info_run(dir: &Path, format: &str) -> Output {
    run_in(
        dir,
        &[
            "check",
            "--no-config",
            "--params",
            "params.toml",
            "--select",
            "ML101",
            "--severity",
            "ML101=info",
            "--format",
            format,
            "link.sql",
        ],
    )
}

#[test]
fn the_info_level_is_info_in_human_json_and_the_summary() {
    let dir = link_folder("info", "");
    let o = info_run(&dir, "human");
    // An info never fails the run.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let human = stdout(&o);
    assert!(human.starts_with("info[ML101]: "), "{human}");
    assert!(!human.contains("note[ML101]"), "{human}");
    assert!(
        human.ends_with("0 errors, 0 warnings, 1 info in 1 file (1 fixable with --fix)\n"),
        "{human}"
    );
    insta::assert_snapshot!("info_level_human", human);

    // Colour does not change the word.
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--params",
            "params.toml",
            "--select",
            "ML101",
            "--severity",
            "ML101=info",
            "--color",
            "always",
            "link.sql",
        ],
    );
    assert!(stdout(&o).contains("info[ML101]"), "{}", stdout(&o));

    let json: serde_json::Value = serde_json::from_str(&stdout(&info_run(&dir, "json"))).unwrap();
    assert_eq!(json["diagnostics"][0]["severity"], "info");
    assert_eq!(json["summary"]["infos"], 1);

    // SARIF has no "info" level: `note` is its lowest.
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&info_run(&dir, "sarif"))).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");

    let github = stdout(&info_run(&dir, "github"));
    assert!(github.starts_with("::notice file="), "{github}");

    let gitlab: serde_json::Value =
        serde_json::from_str(&stdout(&info_run(&dir, "gitlab"))).unwrap();
    assert_eq!(gitlab[0]["severity"], "info");

    // JUnit: an info passes, with its text (severity `info`) in system-out.
    let junit = stdout(&info_run(&dir, "junit"));
    assert!(!junit.contains("<failure"), "{junit}");
    assert!(junit.contains("info[ML101]"), "{junit}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn completions_leave_out_hidden_options() {
    // Every option `check --help` shows is completed; the hidden one is not.
    let help = stdout(&run(&["check", "--help"]));
    let shown: Vec<&str> = help
        .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']' || c == '=')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        .collect();
    assert!(shown.contains(&"--stdin-filename"), "{help}");
    assert!(!help.contains("no-prefilter"));
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        assert!(!script.contains("no-prefilter"), "{shell}");
        for option in &shown {
            let long = option.trim_start_matches('-');
            assert!(script.contains(long), "{shell}: {option} missing");
        }
    }
    // The hidden option still works.
    let dir = link_folder("hidden", "");
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--no-prefilter",
            "--quiet",
            "link.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn completions_offer_rule_codes_and_names_after_explain() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&run(&["completions", shell]));
        for rule in milink_lint::rules::RULES {
            assert!(
                script.contains(rule.code.as_str()),
                "{shell}: {}",
                rule.code.as_str()
            );
            assert!(script.contains(rule.name()), "{shell}: {}", rule.name());
        }
    }
    let fish = stdout(&run(&["completions", "fish"]));
    // The lines added for `explain` use the condition clap_complete's script defines.
    assert!(fish.contains("function __fish_milink_lint_using_subcommand"));
    assert!(fish.contains(
        "complete -c milink-lint -n \"__fish_milink_lint_using_subcommand explain\" -f -a \"ML101\" -d 'dag-name-mismatch'"
    ));

    // In bash itself, when there is one: `milink-lint explain ML10<TAB>`.
    let script = stdout(&run(&["completions", "bash"]));
    let dir = temp_dir("bash");
    let file = dir.join("milink-lint.bash");
    std::fs::write(&file, script).unwrap();
    let complete = |words: &str| {
        Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); \
                 _milink__lint milink-lint \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
                 echo \"${{COMPREPLY[*]}}\"",
                file.display()
            ))
            .output()
    };
    if let Ok(o) = complete("milink-lint explain ML10") {
        if o.status.success() {
            let words = stdout(&o);
            assert!(words.split_whitespace().any(|w| w == "ML101"), "{words}");
            assert!(
                words.split_whitespace().all(|w| w.starts_with("ML10")),
                "{words}"
            );
            let o = complete("milink-lint explain dag-name").unwrap();
            assert_eq!(stdout(&o).trim(), "dag-name-mismatch");
            let o = complete("milink-lint check --no-").unwrap();
            assert!(!stdout(&o).contains("no-prefilter"), "{}", stdout(&o));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn explain_takes_codes_and_names_in_any_case() {
    for code in ["ML101", "ml101", "dag-name-mismatch", "DAG-Name-Mismatch"] {
        let o = run(&["explain", code]);
        assert_eq!(o.status.code(), Some(0), "{code}: {}", stderr(&o));
        assert!(
            stdout(&o).starts_with("# ML101 dag-name-mismatch"),
            "{code}"
        );
    }
    let o = run(&["explain", "ML1O1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: unknown rule 'ML1O1'\nhelp: did you mean `ML101`? (`milink-lint rules` lists them)\n"
    );
    let o = run(&["explain", "nothing-like-a-rule"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: unknown rule 'nothing-like-a-rule'\n"));
    // Help does not list the hundred possible values.
    let help = stdout(&run(&["explain", "--help"]));
    assert!(!help.contains("ML101,"), "{help}");
}

#[test]
fn rules_as_json_lists_every_rule() {
    let o = run(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["version"], 1);
    let listed = v["rules"].as_array().unwrap();
    assert_eq!(listed.len(), milink_lint::rules::RULES.len());
    for (entry, rule) in listed.iter().zip(milink_lint::rules::RULES) {
        assert_eq!(entry["code"], rule.code.as_str());
        assert_eq!(entry["name"], rule.name());
        assert_eq!(entry["severity"], rule.severity.as_str());
        assert_eq!(entry["summary"], rule.summary);
        assert_eq!(entry["needs_params"], rule.needs_params);
        assert_eq!(
            entry["doc_url"],
            format!(
                "https://github.com/milink-lint/milink-lint/blob/main/rules/{}.md",
                rule.code.as_str()
            )
        );
        let catalogue: Vec<&str> = entry["catalogue"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(catalogue.join(", "), rule.catalogue.replace('-', ""));
    }
    let ml101 = listed.iter().find(|r| r["code"] == "ML101").unwrap();
    assert_eq!(ml101["needs_params"], true);
    assert_eq!(ml101["catalogue"], serde_json::json!(["N3"]));
    // The table stays the default.
    let table = stdout(&run(&["rules"]));
    assert!(table.starts_with("ML001  syntax-error"), "{table}");
    assert_eq!(
        stdout(&run(&["rules", "--format", "human"])),
        table,
        "human is the table"
    );
}

#[test]
fn a_selection_without_rules_says_so_once_and_passes() {
    let dir = link_folder("norule", "");
    let o = run_in(
        &dir,
        &["check", "--no-config", "--ignore", "ALL", "link.sql"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o)
            .matches("warning: no rule is selected (--ignore ALL): nothing was checked\n")
            .count(),
        1,
        "{}",
        stderr(&o)
    );
    // In every format, on standard error only.
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--select",
            "ML1",
            "--ignore",
            "ML1",
            "--format",
            "json",
            "link.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains(
        "warning: no rule is selected (--select ML1, --ignore ML1): nothing was checked"
    ));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    // From milink.toml.
    std::fs::write(dir.join("milink.toml"), "ignore = [\"ALL\"]\n").unwrap();
    let o = run_in(&dir, &["check", "link.sql"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains(
            "warning: no rule is selected (ignore = [\"ALL\"] in milink.toml): nothing was checked"
        ),
        "{}",
        stderr(&o)
    );
    // A selection with rules says nothing of the kind.
    let o = run_in(
        &dir,
        &["check", "--no-config", "--ignore", "ML1", "link.sql"],
    );
    assert!(
        !stderr(&o).contains("no rule is selected"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_folder_without_scripts_names_what_is_looked_for() {
    let dir = temp_dir("noscript");
    std::fs::write(dir.join("notes.txt"), "not a script\n").unwrap();
    let o = run_in(&dir, &["check", "--no-config", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "error: .: no script found (looked for *.sql, *.ps1, *.psm1, *.sh, *.bash, *.cmd, *.bat in any case, or what `include` of milink.toml names)\n"
        ),
        "{err}"
    );
    // A shell script alone is found: the message did not lie.
    std::fs::write(dir.join("create_link.ps1"), "Write-Output 'hello'\n").unwrap();
    let o = run_in(&dir, &["check", "--no-config", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_misspelt_directive_gets_did_you_mean() {
    let dir = link_folder(
        "directive",
        "-- milink-lint: ignroe ML101 -- renamed by the next step\n",
    );
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--params",
            "params.toml",
            "--select",
            "ML003,ML101",
            "--format",
            "json",
            "link.sql",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ml003 = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ML003")
        .unwrap_or_else(|| panic!("ML003 reported: {json}"));
    assert_eq!(
        ml003["message"],
        "unknown `milink-lint:` directive 'ignroe': use `ignore` or `ignore-file`"
    );
    assert_eq!(ml003["help"], "did you mean `ignore`?");
    assert_eq!(
        (ml003["line"].clone(), ml003["column"].clone()),
        (1.into(), 17.into())
    );
    // The misspelt comment suppresses nothing: ML101 is still reported.
    assert!(json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "ML101"));
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--params",
            "params.toml",
            "--select",
            "ML003",
            "link.sql",
        ],
    );
    insta::assert_snapshot!("misspelt_directive_human", stdout(&o));
    let _ = std::fs::remove_dir_all(dir);
}
