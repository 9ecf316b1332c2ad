//! ML609: a value of an Azure or sqlcmd call cannot be known from the script, so it is not checked.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML609,
    severity: Severity::Info,
    summary:
        "a value of an Azure or sqlcmd call cannot be known from the script, so it is not checked",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A sqlcmd / Invoke-Sqlcmd call matters only when it runs a script of a link set-up
    // (a repository's test and maintenance scripts run queries on many servers).
    let runs_link_script: std::collections::BTreeSet<usize> = a
        .script_runs
        .iter()
        .filter(|(file, _)| a.link_files.contains(file))
        .map(|(_, run)| *run)
        .collect();
    let link_runs = runs_link_script
        .iter()
        .filter_map(|&index| a.azure.runs.get(index))
        .flat_map(|run| &run.unresolved);
    for u in a.azure.unresolved.iter().chain(link_runs) {
        if u.why.starts_with(crate::azure::cli_value::NOT_READ) {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    u.span,
                    format!("{}: the value is not known ({}), so it is not checked", u.what, u.why),
                )
                .with_primary_label("not checked")
                .with_help("write the list in the Azure CLI's shorthand syntax (`\"[{database-name:Db1},{database-name:Db2}]\"`, `\"['Db1','Db2']\"`) or as JSON, and milink-lint compares it with the T-SQL"),
            );
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                u.span,
                format!("{}: the value is not known ({}), so it is not checked", u.what, u.why),
            )
            .with_primary_label("not checked")
            .with_help("assign the value in the script (`$Name = \"…\"`, `NAME=…`, `set NAME=…`) or give the parameter a default, and milink-lint compares it with the T-SQL"),
        );
    }
    // `--databases @dbs.json` whose file is not there (or not readable): said once, calmly.
    for link in crate::analysis::azure_links::relevant_links(a) {
        let Some((file, why)) = crate::analysis::azure_links::unread_databases_file(a, link) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                file.span,
                format!(
                    "{} --databases: the value is not known ({why}), so it is not checked",
                    crate::analysis::azure_links::origin_name(link)
                ),
            )
            .with_primary_label("not checked")
            .with_help("milink-lint reads the file next to the shell script, as the script's folder holds it; keep the file in the repository, or write the list inline (`--databases \"[{database-name:Db1}]\"`)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK};

    /// The Azure side of LINK, as its PowerShell script creates it, with the link name
    /// as a script parameter.
    const PS: &str = "\
param([string]$DagName = \"dag-treasury\")
New-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name $DagName `
    -PartnerAvailabilityGroupName AG_Treasury -InstanceAvailabilityGroupName AG_Treasury_MI `
    -Database Treasury -PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\"
";

    fn azure(shell: (&str, &str)) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", LINK), shell], None)
    }

    #[test]
    fn a_mandatory_script_parameter_without_default() {
        let ps1 = PS.replace(
            "param([string]$DagName = \"dag-treasury\")",
            "param([Parameter(Mandatory)][string]$DagName)",
        );
        let found = azure(("link.ps1", &ps1));
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink -Name: the value is not known (`$DagName` is a script parameter without a default), so it is not checked");
    }

    #[test]
    fn a_script_parameter_with_a_default() {
        assert_eq!(azure(("link.ps1", PS)), []);
    }

    #[test]
    fn a_server_unknown_to_the_script_runs_a_link_script() {
        let run = "Invoke-Sqlcmd -ServerInstance $env:SQL_SERVER -InputFile .\\01.sql\n";
        let found = azure(("deploy.ps1", run));
        assert_eq!(lines(&found), [1]);
        // Scripts that are not part of the link are not this tool's subject.
        let other = "Invoke-Sqlcmd -ServerInstance $env:SQL_SERVER -InputFile .\\02_reports.sql\n";
        let found = findings(
            RULE.code,
            &[("01.sql", LINK), ("02_reports.sql", "SELECT name FROM sys.databases;\n"), ("deploy.ps1", other)],
            None,
        );
        assert_eq!(found, []);
    }

    #[test]
    fn a_databases_file_that_is_not_there() {
        let sh = "az sql mi link create -g rg-treasury --mi mi-treasury --name dag-treasury \\\n  --partner-ag-name AG_Treasury --instance-ag-name AG_Treasury_MI --databases @no-such-dbs.json \\\n  --partner-endpoint tcp://sqlfin01.corp.example.net:5022\n";
        let found = azure(("link.sh", sh));
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "az sql mi link create --databases: the value is not known (`no-such-dbs.json` is not found next to the script), so it is not checked");
    }
}
