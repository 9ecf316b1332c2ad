//! Inline suppressions in real scripts: which statement a comment covers, through GO
//! batches and SQLCMD, and what is reported as ML003.

use milink_lint::date::Date;
use milink_lint::selection::RuleSelection;
use milink_lint::{lint_sources, LintOptions, Report, SourceInput};

/// A correct SQL-Server-first set-up whose DAG name is wrong twice over: ML101 (differs
/// from the parameters) and ML116 (underscore in a link name), both on line `DAG_LINE`.
const DAG: &str = "CREATE AVAILABILITY GROUP [dag_orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
";

const BEFORE: &str = "\
:setvar Db Orders
CREATE CERTIFICATE [Cert_SQL01_endpoint] WITH SUBJECT = N'endpoint', EXPIRY_DATE = '2032-01-01';
CREATE CERTIFICATE [mi-a.zone1.database.windows.net] FROM BINARY = 0x3082AA;
CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
  FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES);
ALTER DATABASE [$(Db)] SET RECOVERY FULL;
BACKUP DATABASE [$(Db)] TO DISK = N'D:\\b\\Orders.bak';
CREATE AVAILABILITY GROUP [AG_Orders] WITH (CLUSTER_TYPE = NONE) FOR DATABASE [$(Db)]
  REPLICA ON N'SQL01' WITH (ENDPOINT_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
GO
";

const PARAMS: &str = "\
[sql_server]
name = \"SQL01\"
fqdn = \"sql01.corp.example\"
endpoint_port = 5022
[managed_instance]
name = \"mi-a\"
fqdn = \"mi-a.zone1.database.windows.net\"
[link]
availability_group = \"AG_Orders\"
distributed_availability_group = \"dag-orders\"
instance_availability_group = \"AG_Orders_MI\"
databases = [\"Orders\"]
";

fn lint(script: &str, rules: RuleSelection) -> Report {
    let input = |name: &str, text: &str| SourceInput {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    lint_sources(
        vec![input("setup.sql", script)],
        Some(input("params.toml", PARAMS)),
        &LintOptions {
            today: Date::new(2026, 11, 26),
            rules,
            ..LintOptions::default()
        },
    )
    .unwrap()
}

/// `(code, line)` of every finding, and the suppressed count.
fn found(script: &str) -> (Vec<(&'static str, u32)>, usize) {
    let report = lint(script, RuleSelection::default());
    let list = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), report.files.start(d.span).line))
        .collect();
    (list, report.suppressed)
}

fn script(between: &str) -> String {
    format!("{BEFORE}{between}{DAG}")
}

/// The line of the DAG's name in `script(between)`.
fn dag_line(between: &str) -> u32 {
    (BEFORE.lines().count() + between.lines().count() + 1) as u32
}

#[test]
fn without_suppression_both_findings_are_reported() {
    let (list, suppressed) = found(&script(""));
    assert_eq!(list, [("ML101", dag_line("")), ("ML116", dag_line(""))]);
    assert_eq!(suppressed, 0);
}

#[test]
fn a_comment_covers_only_the_rules_it_names() {
    let between = "-- milink-lint: ignore ML116 -- underscores allowed here (DBA-2207)\n";
    let (list, suppressed) = found(&script(between));
    assert_eq!(list, [("ML101", dag_line(between))]);
    assert_eq!(suppressed, 1);
}

#[test]
fn rule_names_and_codes_mix() {
    let between = "-- milink-lint: ignore azure-name-rules, ML101\n";
    assert_eq!(found(&script(between)), (vec![], 2));
}

#[test]
fn guards_go_lines_and_other_comments_between_do_not_matter() {
    let between = "/* milink-lint: ignore ML101 ML116\n   the DAG is renamed by step 9 */\nGO\n-- 7. the link\nIF NOT EXISTS (SELECT 1 FROM sys.availability_groups WHERE name = N'dag_orders')\n";
    assert_eq!(found(&script(between)), (vec![], 2));
}

#[test]
fn a_suppression_covers_only_the_next_statement() {
    // Placed before the AG, it does not reach the DAG: both findings stay, and the
    // suppression itself is reported as unused.
    let marked = BEFORE.replace(
        "CREATE AVAILABILITY GROUP [AG_Orders]",
        "-- milink-lint: ignore ML101\nCREATE AVAILABILITY GROUP [AG_Orders]",
    );
    let text = format!("{marked}{DAG}");
    let (list, suppressed) = found(&text);
    let codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, ["ML003", "ML101", "ML116"]);
    assert_eq!(suppressed, 0);
}

#[test]
fn a_trailing_comment_covers_the_statement_ending_on_its_line() {
    let dag = DAG.trim_end().to_string() + " -- milink-lint: ignore ML101, ML116\n";
    assert_eq!(found(&format!("{BEFORE}{dag}")), (vec![], 2));
}

#[test]
fn ignore_file_covers_the_whole_file_from_anywhere() {
    let text = format!("{}\n-- milink-lint: ignore-file ML116\n", script(""));
    let (list, suppressed) = found(&text);
    assert_eq!(list, [("ML101", dag_line(""))]);
    assert_eq!(suppressed, 1);
}

#[test]
fn a_suppression_before_a_sqlcmd_line_covers_that_line() {
    // The :setvar is the next command: nothing there to suppress.
    let text = format!("-- milink-lint: ignore ML101\n{}", script(""));
    let (list, _) = found(&text);
    assert_eq!(list.first().map(|f| f.0), Some("ML003"));
}

#[test]
fn typos_are_reported_and_silence_nothing() {
    let between = "-- milink-lint: ignore ML1O1, dag-name-mismach\n";
    let (list, suppressed) = found(&script(between));
    let codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, ["ML003", "ML003", "ML101", "ML116"]);
    assert_eq!(suppressed, 0);
}

#[test]
fn unused_is_not_reported_for_a_rule_that_did_not_run() {
    let between = "-- milink-lint: ignore ML116\n";
    let rules = RuleSelection::new(&["ALL"], &["ML116"], &[]).unwrap();
    let report = lint(&script(between), rules);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["ML101"]);
}

#[test]
fn ml003_itself_can_be_switched_off() {
    let between = "-- milink-lint: ignore ML1O1\n";
    let rules = RuleSelection::new(&["ALL"], &["unused-suppression"], &[]).unwrap();
    let report = lint(&script(between), rules);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["ML101", "ML116"]);
}

#[test]
fn an_unmodeled_statement_is_the_whole_scope() {
    // Only the first PRINT is covered; the second still reports its undefined variable.
    let text = ":setvar Known 1\n-- milink-lint: ignore ML502\nPRINT '$(Undefined1)'\nPRINT '$(Undefined2)'\n";
    let (list, suppressed) = found(text);
    assert_eq!(list, [("ML502", 4)]);
    assert_eq!(suppressed, 1);
}

#[test]
fn a_suppression_does_not_jump_over_unmodeled_statements() {
    let between = "-- milink-lint: ignore ML101\nPRINT 'creating the link'\nGO\nSELECT 1\nGO\n";
    let (list, _) = found(&script(between));
    let codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, ["ML003", "ML101", "ML116"]);
}

#[test]
fn a_trailing_comment_covers_a_finding_on_its_own_line() {
    let dag = DAG.replacen(
        "WITH (DISTRIBUTED)",
        "-- milink-lint: ignore ML116, ML101\nWITH (DISTRIBUTED)",
        1,
    );
    assert_eq!(found(&format!("{BEFORE}{dag}")), (vec![], 2));
}

#[test]
fn an_identical_copy_does_not_make_the_suppression_unused() {
    let text = script("-- milink-lint: ignore ML116 -- accepted\n");
    let input = |name: &str, text: &str| SourceInput {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let report = lint_sources(
        vec![input("setup.sql", &text), input("archive/setup.sql", &text)],
        Some(input("params.toml", PARAMS)),
        &LintOptions {
            today: Date::new(2026, 11, 26),
            ..LintOptions::default()
        },
    )
    .unwrap();
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["ML101"]);
}
