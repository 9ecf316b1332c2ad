//! Small inline tests for the rules, as squawk's: a few lines in, one rule's findings
//! out. [`LINK`] and [`PARAMS`] are one complete, correct link set-up (SQL Server
//! first) and its parameters file; a rule's bad case changes the one thing the rule
//! is about (`LINK.replace(…)`), its good case keeps the rest.

use crate::codes::Code;
use crate::date::Date;
use crate::selection::RuleSelection;
use crate::{lint_sources, LintOptions, SourceInput};

/// A correct link set-up in one script: endpoint certificate, endpoint, the managed
/// instance's certificate, the database prepared, the AG and the DAG.
pub const LINK: &str = "\
USE master;
CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]
    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';
CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED
    AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
    FOR DATABASE_MIRRORING (ROLE = ALL,
        AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint],
        ENCRYPTION = REQUIRED ALGORITHM AES);
CREATE CERTIFICATE [mi-treasury.8c2e4f1a9b3d.database.windows.net] FROM BINARY = 0x3082ABCD;
ALTER DATABASE [Treasury] SET RECOVERY FULL;
BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';
CREATE AVAILABILITY GROUP [AG_Treasury]
    WITH (CLUSTER_TYPE = NONE)
    FOR DATABASE [Treasury]
    REPLICA ON N'SQLFIN01' WITH (
        ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022',
        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,
        FAILOVER_MODE = MANUAL,
        SEEDING_MODE = AUTOMATIC);
CREATE AVAILABILITY GROUP [dag-treasury]
    WITH (DISTRIBUTED)
    AVAILABILITY GROUP ON
    N'AG_Treasury' WITH (
        LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT,
        FAILOVER_MODE = MANUAL,
        SEEDING_MODE = AUTOMATIC),
    N'AG_Treasury_MI' WITH (
        LISTENER_URL = 'tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT,
        FAILOVER_MODE = MANUAL,
        SEEDING_MODE = AUTOMATIC);
";

/// The parameters file [`LINK`] was written for.
pub const PARAMS: &str = r#"
[sql_server]
name = "SQLFIN01"
fqdn = "sqlfin01.corp.example.net"
endpoint_port = 5022
version = 2022

[managed_instance]
name = "mi-treasury"
fqdn = "mi-treasury.8c2e4f1a9b3d.database.windows.net"

[link]
availability_group = "AG_Treasury"
distributed_availability_group = "dag-treasury"
instance_availability_group = "AG_Treasury_MI"
databases = ["Treasury"]
initial_primary = "sql_server"
"#;

/// The Azure side of [`LINK`], created with PowerShell (`link.ps1`).
pub const LINK_PS: &str = "\
New-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name dag-treasury `
    -PartnerAvailabilityGroupName AG_Treasury -InstanceAvailabilityGroupName AG_Treasury_MI `
    -Database Treasury -PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\"
";

/// The Azure side of [`LINK`], created with the Azure CLI (`link.sh`).
pub const LINK_CLI: &str = "\
az sql mi link create -g rg-treasury --mi mi-treasury --name dag-treasury \\
  --partner-ag-name AG_Treasury --instance-ag-name AG_Treasury_MI --databases \"['Treasury']\" \\
  --partner-endpoint tcp://sqlfin01.corp.example.net:5022
";

/// One finding: its 1-based line and column (in its file), file name and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The findings of rule `code` on `files` (name, text), with an optional parameters
/// file (TOML), on 2026-11-26.
pub fn findings(code: Code, files: &[(&str, &str)], params: Option<&str>) -> Vec<Finding> {
    findings_with_rules(&[code], code, files, params)
}

/// The findings of rule `code` when the rules `running` run (for a rule whose findings
/// depend on others', such as ML003 on the findings a suppression silences).
pub fn findings_with_rules(
    running: &[Code],
    code: Code,
    files: &[(&str, &str)],
    params: Option<&str>,
) -> Vec<Finding> {
    let report = report(running, files, params);
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let at = report.files.start(d.span);
            Finding {
                file: report.files.get(d.span.file).name.clone(),
                line: at.line,
                column: at.column,
                message: d.message.clone(),
            }
        })
        .collect()
}

/// The report of a run of the rules `running` on `files`, as [`findings_with_rules`].
fn report(running: &[Code], files: &[(&str, &str)], params: Option<&str>) -> crate::report::Report {
    let selected: Vec<&str> = running.iter().map(|c| c.as_str()).collect();
    let options = LintOptions {
        rules: RuleSelection::new(&selected, &[], &[]).unwrap(),
        today: Some(Date::new(2026, 11, 26).unwrap()),
        ..LintOptions::default()
    };
    let input = |(name, text): (&str, &str)| SourceInput {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    let sources = files.iter().map(|&f| input(f)).collect();
    let params = params.map(|p| input(("params.toml", p)));
    lint_sources(sources, params, &options).expect("the run starts")
}

/// The fixes offered with rule `code`'s findings on `files` (None for a finding
/// without one), in report order.
pub fn offered(
    code: Code,
    files: &[(&str, &str)],
    params: Option<&str>,
) -> Vec<Option<crate::diagnostic::Fix>> {
    let report = report(&[code], files, params);
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.fix.clone())
        .collect()
}

/// The findings of `code` on one script (`01.sql`), without a parameters file.
pub fn script(code: Code, sql: &str) -> Vec<Finding> {
    findings(code, &[("01.sql", sql)], None)
}

/// The findings of `code` on one script (`01.sql`) checked against `params`.
pub fn with_params(code: Code, sql: &str, params: &str) -> Vec<Finding> {
    findings(code, &[("01.sql", sql)], Some(params))
}

/// `sql` (one script, `01.sql`) after the safe fixes of rule `code`'s findings, as
/// `--fix` applies them in one round; `params` as in [`with_params`].
pub fn fixed(code: Code, sql: &str, params: Option<&str>) -> String {
    fixed_with(code, sql, params, false)
}

/// [`fixed`] with the unsafe fixes too, as `--fix --unsafe-fixes` applies them.
pub fn fixed_unsafe(code: Code, sql: &str, params: Option<&str>) -> String {
    fixed_with(code, sql, params, true)
}

fn fixed_with(code: Code, sql: &str, params: Option<&str>, unsafe_fixes: bool) -> String {
    fixed_files_with(code, &[("01.sql", sql)], params, unsafe_fixes).remove(0)
}

/// Every file of `files` after one round of the safe fixes of rule `code`'s findings.
pub fn fixed_files(code: Code, files: &[(&str, &str)], params: Option<&str>) -> Vec<String> {
    fixed_files_with(code, files, params, false)
}

fn fixed_files_with(
    code: Code,
    files: &[(&str, &str)],
    params: Option<&str>,
    unsafe_fixes: bool,
) -> Vec<String> {
    let report = report(&[code], files, params);
    let plan = crate::fix::plan(&report, crate::fix::Selection { unsafe_fixes });
    files
        .iter()
        .map(|(name, text)| {
            plan.files
                .iter()
                .find(|f| report.files.get(f.file).name == *name)
                .map_or(text.to_string(), |f| crate::fix::apply(text, &f.edits))
        })
        .collect()
}

/// The lines of the findings.
pub fn lines(found: &[Finding]) -> Vec<u32> {
    found.iter().map(|f| f.line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_set_up_is_clean_under_every_rule() {
        for &code in Code::ALL {
            assert_eq!(with_params(code, LINK, PARAMS), [], "{code}");
            for shell in [("link.ps1", LINK_PS), ("link.sh", LINK_CLI)] {
                let files = [("01.sql", LINK), shell];
                assert_eq!(
                    findings(code, &files, Some(PARAMS)),
                    [],
                    "{code} {}",
                    shell.0
                );
                assert_eq!(findings(code, &files, None), [], "{code} {}", shell.0);
            }
        }
    }
}
