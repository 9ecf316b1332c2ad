//! The Azure side: one correct set-up checked with a TOML parameters file, with each
//! export shape and with its PowerShell script gives no error; planted disagreements are
//! reported with a span on each side.

use milink_lint::date::Date;
use milink_lint::diagnostic::{Diagnostic, Severity};
use milink_lint::{lint, lint_sources, LintOptions, Report, SourceInput};
use std::ffi::OsString;
use std::path::PathBuf;

const TREASURY: &str = "fixtures/ok/sql-first-multi-file";
const TREASURY_PS: &str = "fixtures/ok/azure-powershell";
const EXPORTS: &str = "fixtures/azure-exports";

fn options(params: Option<&str>, azure: &[&str]) -> LintOptions {
    LintOptions {
        params: params.map(PathBuf::from),
        azure: azure.iter().map(PathBuf::from).collect(),
        today: Date::new(2026, 11, 26),
        ..LintOptions::default()
    }
}

fn run(paths: &[&str], options: &LintOptions) -> Report {
    let paths: Vec<OsString> = paths.iter().map(OsString::from).collect();
    lint(&paths, options).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect()
}

fn exports() -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(EXPORTS)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".json"))
        .collect();
    found.sort();
    found
}

#[test]
fn the_same_set_up_is_clean_with_toml_every_export_and_powershell() {
    let toml = format!("{TREASURY}/params.toml");
    let clean = |report: Report, how: &str| {
        assert!(errors(&report).is_empty(), "{how}: {:#?}", errors(&report));
    };
    clean(run(&[TREASURY], &options(Some(&toml), &[])), "TOML");
    let exports = exports();
    // ARM (current and 2021-11-01), az show (current and before 2.67), az list,
    // Get-AzSqlInstanceLink (Az.Sql 6 and 5), and the managed instance.
    assert!(exports.len() >= 7, "{exports:?}");
    for export in &exports {
        clean(run(&[TREASURY], &options(Some(export), &[])), export);
        clean(
            run(&[TREASURY], &options(Some(&toml), &[export])),
            &format!("TOML + {export}"),
        );
    }
    // The PowerShell script that runs the T-SQL and creates the managed instance side,
    // alone and with the parameters file.
    let report = run(&[TREASURY_PS], &options(None, &[]));
    clean(report, "PowerShell");
    let ps_toml = format!("{TREASURY_PS}/params.toml");
    let report = run(
        &[TREASURY_PS],
        &options(Some(&ps_toml), &exports_refs(&exports)),
    );
    clean(report, "PowerShell + TOML + every export");
}

fn exports_refs(exports: &[String]) -> Vec<&str> {
    exports.iter().map(String::as_str).collect()
}

fn file_of<'a>(report: &'a Report, d: &Diagnostic) -> &'a str {
    &report.files.get(d.span.file).name
}

#[test]
fn a_powershell_name_that_differs_from_the_dag_is_reported_with_both_spans() {
    let dir = "fixtures/broken/ML601-azure-link-name-mismatch";
    let report = run(&[dir], &options(None, &[]));
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML601")
        .expect("ML601");
    assert!(file_of(&report, d).ends_with("create_link.ps1"));
    assert_eq!(report.files.slice(d.span), "$LinkName");
    let labels: Vec<(&str, &str)> = d
        .labels
        .iter()
        .map(|l| {
            (
                report.files.get(l.span.file).name.as_str(),
                report.files.slice(l.span),
            )
        })
        .collect();
    assert!(
        labels
            .iter()
            .any(|(f, t)| f.ends_with("setup_link.sql") && *t == "[dag-orders]"),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|(f, t)| f.ends_with("create_link.ps1") && *t == "\"dag-order\""),
        "{labels:?}"
    );
    assert!(d.message.contains("'dag-order'") && d.message.contains("'dag-orders'"));
    assert_eq!(errors(&report).len(), 1, "{:#?}", errors(&report));
}

#[test]
fn an_export_that_disagrees_with_the_toml_points_into_both() {
    let text = std::fs::read_to_string(format!("{EXPORTS}/az-link-show.json"))
        .unwrap()
        .replace("\"AG_Treasury_MI\"", "\"mi-alder-treasury-neu\"");
    let dir = tempfile_dir("disagree");
    let export = dir.join("link.json");
    std::fs::write(&export, text).unwrap();
    let toml = format!("{TREASURY}/params.toml");
    let report = run(
        &[TREASURY],
        &options(Some(&toml), &[export.to_str().unwrap()]),
    );
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML603")
        .expect("ML603");
    assert!(file_of(&report, d).ends_with("link.json"));
    assert_eq!(report.files.slice(d.span), "\"mi-alder-treasury-neu\"");
    assert_eq!(report.files.get(d.labels[0].span.file).name, toml);
    // The statement the export must match is shown too: the DAG's managed-instance member,
    // which agrees with the TOML.
    assert!(
        d.labels.iter().any(|l| {
            !report.files.get(l.span.file).name.ends_with(".toml")
                && report.files.slice(l.span).contains("AG_Treasury_MI")
                && l.message.contains("is 'AG_Treasury_MI' here")
        }),
        "{:#?}",
        d.labels
    );
    // The T-SQL agrees with the TOML: no other error.
    assert_eq!(errors(&report).len(), 1, "{:#?}", errors(&report));
    // Without the TOML, the export is compared with the T-SQL (ML104 against the export).
    let report = run(&[TREASURY], &options(Some(export.to_str().unwrap()), &[]));
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML104")
        .unwrap_or_else(|| panic!("{:#?}", errors(&report)));
    // The message names where the expected value comes from, the first time.
    assert!(
        d.message.contains("does not match the Azure export")
            && d.help
                .as_deref()
                .is_some_and(|h| h.contains("fix the Azure export")),
        "{d:#?}"
    );
}

fn tempfile_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("milink-azure-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn input(name: &str, text: &str) -> SourceInput {
    SourceInput {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

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

/// Codes reported for the set-up next to one shell script.
fn codes_with(shell_name: &str, shell: &str) -> Vec<&'static str> {
    let report = lint_sources(
        vec![input("setup.sql", SETUP), input(shell_name, shell)],
        None,
        &options(None, &[]),
    )
    .unwrap();
    let mut codes: Vec<&'static str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.dedup();
    codes
}

const CREATE_OK: &str =
    "New-AzSqlInstanceLink -ResourceGroupName rg -InstanceName mi-a -Name dag-orders `
  -PartnerAvailabilityGroupName AG_Orders -InstanceAvailabilityGroupName AG_Orders_MI `
  -Database Orders -PartnerEndpoint 'TCP://sql01.corp.example:5022'
";

#[test]
fn a_correct_create_call_in_each_shell_is_clean() {
    assert_eq!(codes_with("link.ps1", CREATE_OK), Vec::<&str>::new());
    // Removing an older link is not a mismatch.
    let remove = format!("Remove-AzSqlInstanceLink -ResourceGroupName rg -InstanceName mi-a -Name dag-orders-old -Force\n{CREATE_OK}");
    assert_eq!(codes_with("link.ps1", &remove), Vec::<&str>::new());
    let sh = "RG=rg\nMI=mi-a\naz sql mi link create -g $RG --mi \"$MI\" -n dag-orders \\\n  --partner-ag-name AG_Orders --instance-ag-name AG_Orders_MI \\\n  --databases '[\"Orders\"]' --partner-endpoint tcp://sql01.corp.example:5022\n";
    assert_eq!(codes_with("link.sh", sh), Vec::<&str>::new());
    let cmd = "@echo off\r\nset MI=mi-a\r\naz sql mi link create -g rg --mi %MI% --link dag-orders ^\r\n  --partner-availability-group-name AG_Orders --instance-availability-group-name AG_Orders_MI ^\r\n  --databases Orders --partner-endpoint tcp://sql01.corp.example:5022\r\n";
    assert_eq!(codes_with("link.cmd", cmd), Vec::<&str>::new());
}

#[test]
fn each_planted_difference_gives_its_rule() {
    let cases = [
        ("-Name dag-orders", "-Name dag-order", "ML601"),
        (
            "-PartnerAvailabilityGroupName AG_Orders",
            "-PartnerAvailabilityGroupName AG_Order",
            "ML602",
        ),
        (
            "-InstanceAvailabilityGroupName AG_Orders_MI",
            "-InstanceAvailabilityGroupName mi-a",
            "ML603",
        ),
        ("-Database Orders", "-Database Order", "ML604"),
        (
            "sql01.corp.example:5022",
            "sql02.corp.example:5022",
            "ML605",
        ),
        (
            "sql01.corp.example:5022",
            "sql01.corp.example:5023",
            "ML605",
        ),
        (
            "'TCP://sql01.corp.example:5022'",
            "'sql01.corp.example:5022'",
            "ML605",
        ),
        (
            "-Database Orders",
            "-Database Orders -InstanceLinkRole Primary",
            "ML606",
        ),
        ("-InstanceName mi-a", "-InstanceName mi-b", "ML607"),
        (
            "-PartnerAvailabilityGroupName",
            "-PrimaryAvailabilityGroupName",
            "ML608",
        ),
        ("-Name dag-orders", "-Name $Unknown", "ML609"),
        ("-Database Orders", "-Database Orders, Archive", "ML611"),
        (
            "-Database Orders -PartnerEndpoint 'TCP://sql01.corp.example:5022'",
            "-Database Orders",
            "ML612",
        ),
        // PowerShell's unambiguous prefixes and the -LinkName alias are parameters too.
        ("-Name dag-orders", "-LinkName dag-order", "ML601"),
        (
            "-PartnerAvailabilityGroupName AG_Orders",
            "-PartnerAv AG_Order",
            "ML602",
        ),
    ];
    for (from, to, code) in cases {
        assert!(CREATE_OK.contains(from), "{from}");
        let codes = codes_with("link.ps1", &CREATE_OK.replace(from, to));
        assert!(codes.contains(&code), "{to}: {codes:?}");
    }
}

#[test]
fn a_script_run_on_the_managed_instance_is_the_wrong_replica() {
    let ps = "$mi = 'mi-a.zone1.database.windows.net'\nInvoke-Sqlcmd -ServerInstance $mi -InputFile \"$PSScriptRoot\\setup.sql\"\n";
    assert!(codes_with("deploy.ps1", ps).contains(&"ML405"));
    let ps = "Invoke-Sqlcmd -ServerInstance SQL01 -InputFile .\\setup.sql\n";
    assert_eq!(codes_with("deploy.ps1", ps), Vec::<&str>::new());
    let sh = "sqlcmd -S tcp:mi-a.zone1.database.windows.net,1433 -G -i setup.sql\n";
    assert!(codes_with("deploy.sh", sh).contains(&"ML405"));
    // go-sqlcmd's long flags, and a connection string.
    let sh = "sqlcmd --server mi-a.zone1.database.windows.net --input-file setup.sql\n";
    assert!(codes_with("deploy.sh", sh).contains(&"ML405"));
    let ps = "Invoke-Sqlcmd -ConnectionString 'Server=tcp:mi-a.zone1.database.windows.net,1433;Authentication=Active Directory Default' -InputFile setup.sql\n";
    assert!(codes_with("deploy.ps1", ps).contains(&"ML405"));
}

#[test]
fn exports_that_are_not_links_fail_the_run_with_a_location() {
    let dir = tempfile_dir("bad-export");
    let cut = dir.join("cut.json");
    std::fs::write(
        &cut,
        "{\n  \"Name\": \"dag-x\",\n  \"PartnerAvailabilityGroupName\": \"AG\",\n  \"Databases\": [\"Microsoft.Azure.Management.Sql.Models.DistributedAvailabilityGroupDatabase\"]\n}\n",
    )
    .unwrap();
    let paths = [OsString::from(TREASURY)];
    let e = lint(&paths, &options(None, &[cut.to_str().unwrap()])).unwrap_err();
    assert!(e.message.contains("cut.json:4:"), "{}", e.message);
    assert!(e.help.unwrap_or_default().contains("-Depth"));
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{ \"partnerEndpoint\": \"tcp://x:5022\", }").unwrap();
    let e = lint(&paths, &options(Some(broken.to_str().unwrap()), &[])).unwrap_err();
    assert!(e.message.contains("broken.json:1:"), "{}", e.message);
}

#[test]
fn shell_scripts_never_leak_secrets() {
    // Every line also holds a finding (ML405, or ML601 for -Name dag-wrong), so its snippet is shown.
    let wrong = "New-AzSqlInstanceLink -Name dag-wrong -InstanceName mi-a";
    let ps = format!("$SqlPassword = 'Hunter2-Vault!99'\nInvoke-Sqlcmd -ServerInstance mi-a.zone1.database.windows.net -Username sa -Password $SqlPassword -InputFile setup.sql\n\
$s = ConvertTo-SecureString -AsPlainText 'Hunter2-B6' -Force; {wrong}\n\
$s = 'Hunter2-B7' | ConvertTo-SecureString -AsPlainText -Force; {wrong}\n\
New-AzSqlInstance -AdministratorCredential (New-Object PSCredential('sa', (ConvertTo-SecureString 'Hunter2-B9' -AsPlainText -Force))); {wrong}\n\
$t = 'Hunter2-C2'; Connect-Thing -ClientSecret $t; {wrong}\n");
    let report = lint_sources(
        vec![
            input("setup.sql", SETUP),
            input("deploy.ps1", &ps),
            input(
                "deploy.sh",
                "az sql mi create -u sa -p Hunter2-A3 --admin-password 'Hunter2-H8'; az sql mi link create -g rg --mi mi-a -n dag-wrong\ncurl -u admin:Hunter2-A8 https://x; az sql mi link show -g rg --mi mi-a -n dag-wrong\n",
            ),
        ],
        None,
        &options(None, &[]),
    )
    .unwrap();
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "ML405"));
    assert!(
        report
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "ML601")
            .count()
            >= 6
    );
    let json = milink_lint::report::json::render(&report)
        + &milink_lint::report::sarif::render(&report)
        + &milink_lint::report::github::render(&report)
        + &milink_lint::report::gitlab::render(&report)
        + &milink_lint::report::junit::render(&report);
    let mut human = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    milink_lint::report::human::render(&report, &mut human, false).unwrap();
    let human = String::from_utf8(human.into_inner()).unwrap();
    for out in [json, human] {
        assert!(!out.contains("Hunter2"), "{out}");
    }
}

#[test]
fn variables_passed_by_the_runner_resolve_the_script() {
    let script = SETUP.replace("[dag-orders]", "[$(DagName)]");
    let run = |shell_name: &str, shell: &str| -> Vec<&'static str> {
        let report = lint_sources(
            vec![input("setup.sql", &script), input(shell_name, shell)],
            None,
            &options(None, &[]),
        )
        .unwrap();
        report.diagnostics.iter().map(|d| d.code.as_str()).collect()
    };
    // Without the runner, $(DagName) is taken literally (no SQLCMD mode).
    assert!(run("notes.txt.ps1", "Write-Host hi\n").contains(&"ML503"));
    let sh = "sqlcmd -S SQL01 -E -i setup.sql -v DagName=\"dag-orders\" Other=1\n";
    assert_eq!(run("deploy.sh", sh), Vec::<&str>::new());
    let ps = "$dag = 'dag-orders'\nInvoke-Sqlcmd -ServerInstance SQL01 -InputFile .\\setup.sql -Variable \"DagName=$dag\", 'X=1'\n";
    assert_eq!(run("deploy.ps1", ps), Vec::<&str>::new());
    // The value reaches the checks: a wrong one is a mismatch with the Azure call.
    let ps = format!("Invoke-Sqlcmd -ServerInstance SQL01 -InputFile setup.sql -Variable 'DagName=dag-order'\n{CREATE_OK}");
    assert!(run("deploy.ps1", &ps).contains(&"ML601"));
}

#[test]
fn inline_queries_are_linted_where_they_are_written() {
    let dag = "CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:1433', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);";
    let lint_ps =
        |ps: &str| lint_sources(vec![input("deploy.ps1", ps)], None, &options(None, &[])).unwrap();
    // A literal here-string: the finding is at its line and column in the .ps1.
    let ps = format!("$s = 'SQL01'\nInvoke-Sqlcmd -ServerInstance $s -Query @'\n{dag}\n'@\n");
    let report = lint_ps(&ps);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML202")
        .expect("ML202");
    assert_eq!(report.files.get(d.span.file).name, "deploy.ps1");
    let at = report.files.start(d.span);
    assert_eq!((at.line, report.files.slice(d.span)), (4, "1433"));
    // With a variable in it: the line as run, at the same line number.
    let ps = format!(
        "$port = 1433\nInvoke-Sqlcmd -ServerInstance SQL01 -Query @\"\n{}\n\"@\n",
        dag.replace(":1433'", ":$port'")
    );
    let report = lint_ps(&ps);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML202")
        .expect("ML202");
    assert_eq!(report.files.start(d.span).line, 4);
    // A query run on the managed instance is the wrong replica; a SELECT is not linted.
    let ps = format!("Invoke-Sqlcmd -ServerInstance mi-a.zone1.database.windows.net -Query \"{}\"\nsqlcmd -S SQL01 -Q \"SELECT 1\"\n", dag.replace('\n', " ").replace(":1433", ":5022"));
    let codes: Vec<&str> = lint_ps(&ps)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["ML405"]);
}

#[test]
fn milink_toml_names_exports_and_the_binary_reads_them() {
    let dir = tempfile_dir("config");
    for entry in std::fs::read_dir(TREASURY).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let export = std::fs::read_to_string(format!("{EXPORTS}/powershell.json"))
        .unwrap()
        .replace(
            "\"Name\": \"dag-treasury\"",
            "\"Name\": \"dag-treasury-01\"",
        );
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    std::fs::write(dir.join("exports/link.json"), export).unwrap();
    std::fs::write(
        dir.join("milink.toml"),
        "params = \"params.toml\"\nazure = [\"exports/link.json\"]\nignore = [\"ML505\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_milink-lint"))
            .current_dir(&dir)
            .env_remove("MILINK_LINT_PARAMS")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "ML601");
    assert_eq!(d["file"], "exports/link.json");
    assert_eq!(d["labels"][0]["file"], "params.toml");
    // The command line wins over milink.toml.
    let clean = dir.join("clean.json");
    std::fs::copy(format!("{EXPORTS}/arm.json"), &clean).unwrap();
    let out = run(&["check", "--azure", clean.to_str().unwrap(), "-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn review_regressions_stay_fixed() {
    // An IP endpoint with only a host name in the parameters: not comparable, no finding.
    let params = "[sql_server]\nfqdn = \"sql01.corp.example\"\nendpoint_port = 5022\n";
    let ps = CREATE_OK.replace("sql01.corp.example:5022", "10.1.2.3:5022");
    let report = lint_sources(
        vec![input("setup.sql", SETUP), input("link.ps1", &ps)],
        Some(input("params.toml", params)),
        &options(None, &[]),
    )
    .unwrap();
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(!codes.contains(&"ML605"), "{codes:?}");
    // A deployment run on the SQL Server machine itself (localhost) is not the wrong replica.
    let ps =
        "Invoke-Sqlcmd -ServerInstance localhost -InputFile setup.sql\nsqlcmd -S . -i setup.sql\n";
    assert_eq!(codes_with("deploy.ps1", ps), Vec::<&str>::new());
    // "value set here" only for a word that is one variable: not for the host of
    // "TCP://${Host}:$Port" when the port is wrong.
    let ps = format!(
        "$H = 'sql01.corp.example'\n$P = 5023\n{}",
        CREATE_OK.replace("'TCP://sql01.corp.example:5022'", "\"TCP://${H}:$P\"")
    );
    let report = lint_sources(
        vec![input("setup.sql", SETUP), input("link.ps1", &ps)],
        None,
        &options(None, &[]),
    )
    .unwrap();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML605")
        .expect("ML605");
    assert!(
        d.labels.iter().all(|l| l.message != "value set here"),
        "{d:?}"
    );
    // A list export whose other links belong to other set-ups: only the matching one counts.
    let one = std::fs::read_to_string(format!("{EXPORTS}/az-link-show.json")).unwrap();
    let other = one
        .replace("dag-treasury", "dag-payroll")
        .replace("AG_Treasury", "AG_Payroll")
        .replace("\"Treasury\"", "\"Payroll\"")
        .replace("sqlfin01", "sqlpay02");
    let dir = tempfile_dir("list");
    let list = dir.join("list.json");
    std::fs::write(&list, format!("[{other},{one}]")).unwrap();
    let toml = format!("{TREASURY}/params.toml");
    for (params, azure) in [
        (Some(toml.as_str()), vec![list.to_str().unwrap()]),
        (None, vec![list.to_str().unwrap()]),
        (Some(list.to_str().unwrap()), vec![]),
    ] {
        let report = run(&[TREASURY], &options(params, &azure));
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.code.as_str() == "ML505"),
            "{params:?} {azure:?}: {:#?}",
            errors(&report)
        );
    }
}

#[test]
fn second_review_regressions_stay_fixed() {
    // A role that is written but not known is not the default Secondary.
    let ps = CREATE_OK.replace(
        "-Database Orders",
        "-Database Orders -InstanceLinkRole $cfg.Role",
    );
    let codes = codes_with("link.ps1", &ps);
    assert!(
        !codes.contains(&"ML606") && codes.contains(&"ML609"),
        "{codes:?}"
    );
    // A list export for two set-ups: an entry with a wrong AG stays paired with its own
    // link (by name), in both the --azure and the --params form.
    let dir = "fixtures/ok/multi-link";
    let params = format!("{dir}/params.toml");
    let text = std::fs::read_to_string(format!("{EXPORTS}/az-link-show.json")).unwrap();
    let entry = |dag: &str, ag: &str, db: &str| {
        text.replace("dag-treasury", dag)
            .replace("mi-alder-treasury-neu", "mi-veldt-crm-uks")
            .replace(
                "sqlfin01.corp.alderbank.net",
                "sqlcrm03.int.veldt-insurance.co.uk",
            )
            .replace("\"AG_Treasury_MI\"", &format!("\"AG_{db}_MI\""))
            .replace("\"AG_Treasury\"", &format!("\"{ag}\""))
            .replace("\"Treasury\"", &format!("\"{db}\""))
    };
    // The second link's entry names the first link's AG.
    let list = format!(
        "[{},{}]",
        entry("dag-contacts", "AG_Contacts", "Contacts"),
        entry("dag-campaigns", "AG_Contacts", "Campaigns")
    );
    let tmp = tempfile_dir("multi");
    let export = tmp.join("list.json");
    std::fs::write(&export, list).unwrap();
    let report = run(&[dir], &options(Some(&params), &[export.to_str().unwrap()]));
    let found: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .filter(|c| *c != "ML505")
        .collect();
    assert!(found.contains(&"ML602"), "{:#?}", errors(&report));
    assert!(
        !found
            .iter()
            .any(|c| ["ML601", "ML603", "ML604"].contains(c)),
        "{:#?}",
        errors(&report)
    );
    // A database in another letter case is ML113, whichever way the export is given.
    let case = text.replace(
        "\"databaseName\": \"Treasury\"",
        "\"databaseName\": \"TREASURY\"",
    );
    let export = tmp.join("case.json");
    std::fs::write(&export, case).unwrap();
    let toml = format!("{TREASURY}/params.toml");
    let report = run(
        &[TREASURY],
        &options(Some(&toml), &[export.to_str().unwrap()]),
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "ML113"),
        "{:#?}",
        report.diagnostics
    );
}
