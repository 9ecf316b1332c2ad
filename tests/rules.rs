//! Focused regressions for rule interplay: each case changes one thing in a correct
//! set-up and checks exactly which rules speak.

use milink_lint::date::Date;
use milink_lint::{lint_sources, LintOptions, SourceInput};

const SETUP: &str = "\
CREATE CERTIFICATE [Cert_SQL01_endpoint] WITH SUBJECT = N'endpoint', EXPIRY_DATE = '2032-01-01';
CREATE CERTIFICATE [mi-a.zone1.database.windows.net] FROM BINARY = 0x3082AA;
CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
  FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES);
ALTER DATABASE [Orders] SET RECOVERY FULL;
BACKUP DATABASE [Orders] TO DISK = N'D:\\b\\Orders.bak';
CREATE AVAILABILITY GROUP [AG_Orders] WITH (CLUSTER_TYPE = NONE) FOR DATABASE [Orders]
  REPLICA ON N'SQL01' WITH (ENDPOINT_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
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

/// The codes reported for the set-up after `script_edit` and `params_edit`.
fn codes(script: &str, params: &str) -> Vec<&'static str> {
    let input = |name: &str, text: &str| SourceInput {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let report = lint_sources(
        vec![input("setup.sql", script)],
        Some(input("params.toml", params)),
        &LintOptions {
            today: Date::new(2026, 11, 26),
            ..LintOptions::default()
        },
    )
    .unwrap();
    report.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn the_base_setup_is_clean() {
    assert_eq!(codes(SETUP, PARAMS), Vec::<&str>::new());
}

#[test]
fn a_trailing_space_in_a_parameters_value_is_reported() {
    let params = PARAMS.replace("\"dag-orders\"", "\"dag-orders \"");
    assert_eq!(codes(SETUP, &params), vec!["ML114"]);
}

#[test]
fn a_database_differing_only_in_case_is_a_warning() {
    let params = PARAMS.replace("[\"Orders\"]", "[\"orders\"]");
    assert_eq!(codes(SETUP, &params), vec!["ML113"]);
}

#[test]
fn a_later_alter_endpoint_sets_the_port_in_force() {
    let script = format!(
        "{}ALTER ENDPOINT [Hadr_endpoint] AS TCP (LISTENER_PORT = 5023);\n",
        SETUP.replace("sql01.corp.example:5022'", "sql01.corp.example:5023'")
    );
    let params = PARAMS.replace("endpoint_port = 5022", "endpoint_port = 5023");
    assert_eq!(codes(&script, &params), Vec::<&str>::new());
}

#[test]
fn the_endpoint_cannot_use_the_managed_instance_public_key() {
    let script = SETUP.replace(
        "AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint]",
        "AUTHENTICATION = CERTIFICATE [mi-a.zone1.database.windows.net]",
    );
    assert_eq!(codes(&script, PARAMS), vec!["ML111"]);
}

#[test]
fn a_public_endpoint_host_is_reported_once() {
    let script = SETUP.replace("tcp://mi-a.zone1.", "tcp://mi-a.public.zone1.");
    assert_eq!(codes(&script, PARAMS), vec!["ML205"]);
}

#[test]
fn a_no_break_space_is_a_look_alike_not_whitespace() {
    let script = SETUP.replace("N'AG_Orders_MI'", "N'AG_Orders_MI\u{00A0}'");
    assert_eq!(codes(&script, PARAMS), vec!["ML115"]);
}

#[test]
fn other_replicas_of_a_multi_node_ag_are_not_this_server() {
    let script = SETUP.replace(
        "SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-orders]",
        "SEEDING_MODE = AUTOMATIC),\n  N'SQL02' WITH (ENDPOINT_URL = 'TCP://sql02.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-orders]",
    );
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
}

#[test]
fn only_full_recovery_and_full_backups_count_as_preparation() {
    let script = format!("ALTER DATABASE [Staging] SET RECOVERY SIMPLE;\nBACKUP DATABASE [msdb] TO DISK = N'x';\n{SETUP}");
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
}

#[test]
fn sql_server_urls_agree_with_each_other_without_an_endpoint_or_parameters() {
    let script = SETUP
        .replace("CREATE ENDPOINT", "-- CREATE ENDPOINT")
        .replace("  FOR DATABASE_MIRRORING", "--  FOR DATABASE_MIRRORING")
        .replacen(
            "TCP://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNC",
            "TCP://sql01.corp.example:5023', AVAILABILITY_MODE = ASYNC",
            1,
        );
    let params = PARAMS.replace("endpoint_port = 5022\n", "");
    assert_eq!(codes(&script, &params), vec!["ML201"]);
}

#[test]
fn without_the_alter_endpoint_the_moved_urls_disagree() {
    let script = SETUP.replace("sql01.corp.example:5022'", "sql01.corp.example:5023'");
    let params = PARAMS.replace("endpoint_port = 5022", "endpoint_port = 5023");
    assert!(codes(&script, &params).contains(&"ML201"));
}

#[test]
fn an_ordinary_ag_beside_the_link_gets_no_finding() {
    let plain = "\
CREATE AVAILABILITY GROUP [AG_Reporting] WITH (AUTOMATED_BACKUP_PREFERENCE = SECONDARY)
FOR DATABASE [Reports], [Archive]
REPLICA ON N'SQL01' WITH (ENDPOINT_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = AUTOMATIC, SEEDING_MODE = MANUAL),
  N'SQL02' WITH (ENDPOINT_URL = 'TCP://sql02.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = AUTOMATIC),
  N'SQL03' WITH (ENDPOINT_URL = 'TCP://sql03:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL);
ALTER DATABASE [Reports] SET HADR AVAILABILITY GROUP = [AG_Reporting];
";
    assert_eq!(
        codes(&format!("{SETUP}{plain}"), PARAMS),
        Vec::<&str>::new()
    );
}

#[test]
fn the_managed_instance_first_template_is_checked_against_the_declared_direction() {
    let params = format!("{PARAMS}initial_primary = \"managed_instance\"\n");
    let found = codes(SETUP, &params);
    for code in ["ML206", "ML401", "ML403"] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
}

#[test]
fn a_connect_with_protocol_and_port_names_the_same_server() {
    let script = format!(":connect tcp:sql01.corp.example,1433\n{SETUP}");
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
}

#[test]
fn a_connect_to_the_managed_instance_is_the_wrong_replica() {
    let script = format!(":connect mi-a.zone1.database.windows.net\n{SETUP}");
    assert_eq!(codes(&script, PARAMS), vec!["ML405"]);
}

#[test]
fn a_password_protected_certificate_does_not_need_the_master_key_first() {
    let script = format!(
        "CREATE CERTIFICATE [Backup_cert] ENCRYPTION BY PASSWORD = 'x' WITH SUBJECT = N'b', EXPIRY_DATE = '2032-01-01';\nCREATE MASTER KEY ENCRYPTION BY PASSWORD = 'x';\n{SETUP}"
    );
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
    let unprotected = script.replace("ENCRYPTION BY PASSWORD = 'x' ", "");
    assert_eq!(codes(&unprotected, PARAMS), vec!["ML406"]);
}

#[test]
fn a_later_alter_endpoint_fixes_what_create_endpoint_got_wrong() {
    let script = SETUP.replace(
        "STATE = STARTED AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)\n  FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES);",
        "AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)\n  FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = WINDOWS NEGOTIATE, ENCRYPTION = REQUIRED ALGORITHM RC4);",
    );
    let mut found = codes(&script, PARAMS);
    found.sort();
    assert_eq!(found, vec!["ML305", "ML306", "ML307"]);
    let fixed = format!(
        "{script}ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED FOR DATABASE_MIRRORING (AUTHENTICATION = WINDOWS NEGOTIATE CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES);\n"
    );
    assert_eq!(codes(&fixed, PARAMS), Vec::<&str>::new());
}

#[test]
fn the_managed_instance_first_template_needs_the_grant_even_without_a_declared_direction() {
    let script = SETUP
        .replace("FOR DATABASE [Orders]\n  REPLICA ON", "FOR REPLICA ON")
        .replace("Server=[mi-a]'", "Server=[mi-a];Database=[Orders]'")
        .replace("ALTER DATABASE [Orders] SET RECOVERY FULL;\n", "")
        .replace(
            "BACKUP DATABASE [Orders] TO DISK = N'D:\\b\\Orders.bak';\n",
            "",
        );
    assert_eq!(codes(&script, PARAMS), vec!["ML401"]);
    let granted =
        format!("{script}ALTER AVAILABILITY GROUP [AG_Orders] GRANT CREATE ANY DATABASE;\n");
    assert_eq!(codes(&granted, PARAMS), Vec::<&str>::new());
}

fn codes_of_files(files: &[(&str, &str)], params: &str) -> Vec<(String, &'static str, usize)> {
    let input = |name: &str, text: &str| SourceInput {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let report = lint_sources(
        files.iter().map(|(n, t)| input(n, t)).collect(),
        Some(input("params.toml", params)),
        &LintOptions::default(),
    )
    .unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                report.files.get(d.span.file).name.clone(),
                d.code.as_str(),
                d.labels
                    .iter()
                    .filter(|l| l.message.contains("copy"))
                    .count(),
            )
        })
        .collect()
}

#[test]
fn an_archived_copy_repeats_a_finding_once_at_the_live_file() {
    let broken = SETUP.replace("[dag-orders]", "[dag-order]");
    let found = codes_of_files(
        &[
            ("archive/setup.sql", &broken.to_uppercase()),
            ("live/setup.sql", &broken),
        ],
        PARAMS,
    );
    let ml101: Vec<_> = found.iter().filter(|(_, c, _)| *c == "ML101").collect();
    assert_eq!(ml101.len(), 1, "{found:?}");
    assert_eq!(ml101[0].0, "live/setup.sql");
    assert_eq!(ml101[0].2, 1, "the copy is a label of the finding");
}

#[test]
fn the_same_mistake_in_two_different_scripts_is_reported_twice() {
    let one = SETUP.replace(
        "SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag",
        "SEEDING_MODE = MANUAL);\nCREATE AVAILABILITY GROUP [dag",
    );
    let two = one
        .replace("Orders", "Invoices")
        .replace("orders", "invoices");
    let found = codes_of_files(&[("a.sql", &one), ("b.sql", &two)], PARAMS);
    assert_eq!(
        found.iter().filter(|(_, c, _)| *c == "ML301").count(),
        2,
        "{found:?}"
    );
}

#[test]
fn a_later_modify_to_manual_seeding_is_reported_but_a_sync_switch_is_not() {
    let modify = format!(
        "{SETUP}ALTER AVAILABILITY GROUP [dag-orders] MODIFY AVAILABILITY GROUP ON N'AG_Orders_MI' WITH (SEEDING_MODE = MANUAL);\n"
    );
    assert_eq!(codes(&modify, PARAMS), vec!["ML301"]);
    let to_sync = format!(
        "{SETUP}ALTER AVAILABILITY GROUP [dag-orders] MODIFY AVAILABILITY GROUP ON N'AG_Orders' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT), N'AG_Orders_MI' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);\n"
    );
    assert_eq!(codes(&to_sync, PARAMS), Vec::<&str>::new());
}

#[test]
fn replicas_of_a_multi_node_ag_may_fail_over_automatically() {
    let script = SETUP.replace(
        "FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-orders]",
        "FAILOVER_MODE = AUTOMATIC, SEEDING_MODE = AUTOMATIC),\n  N'SQL02' WITH (ENDPOINT_URL = 'TCP://sql02.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = AUTOMATIC, SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-orders]",
    );
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
}

#[test]
fn ssms_data_mirroring_spelling_is_a_mirroring_endpoint() {
    let script = SETUP.replace("FOR DATABASE_MIRRORING", "FOR DATA_MIRRORING");
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
}

#[test]
fn an_included_step_file_uses_the_variables_of_its_master_script() {
    let step = SETUP.replace("[dag-orders]", "[$(DagName)]");
    let master = ":setvar DagName \"dag-orders\"\n:on error exit\n:r .\\steps\\s1.sql\n";
    let found = codes_of_files(
        &[("repo/run_all.sql", master), ("repo/steps/s1.sql", &step)],
        PARAMS,
    );
    assert!(found.is_empty(), "{found:?}");
    let wrong = master.replace("\"dag-orders\"", "\"dag-order\"");
    let found = codes_of_files(
        &[("repo/run_all.sql", &wrong), ("repo/steps/s1.sql", &step)],
        PARAMS,
    );
    assert!(
        found
            .iter()
            .any(|(f, c, _)| *c == "ML101" && f == "repo/steps/s1.sql"),
        "{found:?}"
    );
}

#[test]
fn a_placeholder_in_a_printed_message_is_harmless() {
    let script =
        format!("{SETUP}PRINT 'Next: New-AzSqlInstanceLink -Name <DAGName> on the Azure side';\n");
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
}

#[test]
fn a_certificate_name_built_with_replace_and_quotename_is_resolved() {
    let script = SETUP.replace(
        "CREATE CERTIFICATE [Cert_SQL01_endpoint] WITH SUBJECT = N'endpoint', EXPIRY_DATE = '2032-01-01';",
        "DECLARE @n sysname = N'Cert_' + REPLACE(@@SERVERNAME, N'\\', N'_') + N'_endpoint';\nDECLARE @sql nvarchar(max) = N'CREATE CERTIFICATE ' + QUOTENAME(@n) + N' WITH SUBJECT = N''endpoint'', EXPIRY_DATE = ''2032-01-01'';';\nEXEC sp_executesql @sql;",
    );
    assert_eq!(codes(&script, PARAMS), Vec::<&str>::new());
    let named = PARAMS.replace("name = \"SQL01\"", "name = \"SQL01\\\\PROD\"");
    let endpoint = script.replace("[Cert_SQL01_endpoint]", "[Cert_SQL01_PROD_endpoint]");
    let found = codes(&endpoint, &named);
    assert!(
        !found.contains(&"ML111") && !found.contains(&"ML312"),
        "{found:?}"
    );
}

/// The codes reported for scripts on disk (`:r` reads from disk), without parameters.
fn codes_on_disk(tag: &str, files: &[(&str, &str)]) -> Vec<(&'static str, String)> {
    let dir = std::env::temp_dir().join(format!("milink-rules-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let report = milink_lint::lint(
        &[dir.clone().into_os_string()],
        &LintOptions {
            today: Date::new(2026, 11, 26),
            ..LintOptions::default()
        },
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let prefix = format!("{}/", dir.display());
    report
        .diagnostics
        .iter()
        .map(|d| {
            let name = &report.files.get(d.span.file).name;
            (
                d.code.as_str(),
                name.trim_start_matches(&prefix).to_string(),
            )
        })
        .collect()
}

/// The set-up's DAG as a step that takes its name from a variable.
fn dag_step() -> String {
    SETUP.replace("[dag-orders]", "[$(DagName)]")
}

#[test]
fn a_step_with_variables_alone_is_sqlcmd_mode_off() {
    let found = codes_on_disk("ml503-alone", &[("link/02_dag.sql", &dag_step())]);
    assert!(
        found.contains(&("ML503", "link/02_dag.sql".into())),
        "{found:?}"
    );
}

#[test]
fn a_step_included_by_a_master_script_runs_in_sqlcmd_mode() {
    let found = codes_on_disk(
        "ml503-master",
        &[
            ("link/02_dag.sql", &dag_step()),
            (
                "link/run_all.sql",
                ":setvar DagName dag-orders\n:r 02_dag.sql\n",
            ),
        ],
    );
    assert!(found.iter().all(|(code, _)| *code != "ML503"), "{found:?}");
}

#[test]
fn a_step_run_by_sqlcmd_or_invoke_sqlcmd_runs_in_sqlcmd_mode() {
    for runner in [
        "Invoke-Sqlcmd -ServerInstance sql01 -InputFile .\\02_dag.sql -Variable \"DagName=dag-orders\"\n",
        "Invoke-Sqlcmd -ServerInstance sql01 -InputFile .\\02_dag.sql\n",
    ] {
        let found = codes_on_disk(
            "ml503-ps",
            &[("link/02_dag.sql", &dag_step()), ("link/deploy.ps1", runner)],
        );
        assert!(found.iter().all(|(code, _)| *code != "ML503"), "{runner}: {found:?}");
    }
    let found = codes_on_disk(
        "ml503-sh",
        &[
            ("link/02_dag.sql", &dag_step()),
            (
                "link/deploy.sh",
                "sqlcmd -S sql01 -i 02_dag.sql -v DagName=dag-orders\n",
            ),
        ],
    );
    assert!(found.iter().all(|(code, _)| *code != "ML503"), "{found:?}");
}

#[test]
fn an_unknown_server_is_said_only_for_a_run_of_a_link_script() {
    let unrelated = "param($server)\nInvoke-Sqlcmd -ServerInstance $server -Query \"SELECT name FROM sys.databases\"\nInvoke-Sqlcmd -ServerInstance $server -InputFile .\\report.sql\n";
    let found = codes_on_disk(
        "ml609-unrelated",
        &[
            ("tools/report.sql", "SELECT 1;\n"),
            ("tools/check.ps1", unrelated),
        ],
    );
    assert!(found.iter().all(|(code, _)| *code != "ML609"), "{found:?}");
    let runner = "param($server)\nInvoke-Sqlcmd -ServerInstance $server -InputFile .\\setup.sql\n";
    let found = codes_on_disk(
        "ml609-link",
        &[("link/setup.sql", SETUP), ("link/deploy.ps1", runner)],
    );
    assert!(
        found.contains(&("ML609", "link/deploy.ps1".into())),
        "{found:?}"
    );
}
