//! ML601: the link name of an Azure command or export differs from the DAG (or the parameters file).

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML601,
    severity: Severity::Error,
    summary:
        "the link name of an Azure command or export differs from the DAG (or the parameters file)",
    catalogue: "N3",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzureLinkName], out);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS, LINK_CLI};

    /// The Azure side of LINK, as its PowerShell script creates it.
    const PS: &str = "\
$DagName = \"dag-treasury\"
New-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name $DagName `
    -PartnerAvailabilityGroupName AG_Treasury -InstanceAvailabilityGroupName AG_Treasury_MI `
    -Database Treasury -PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\"
";

    fn azure(shell: (&str, &str), params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", LINK), shell], params)
    }

    #[test]
    fn the_powershell_link_name_differs_from_the_dag() {
        let ps1 = PS.replace("\"dag-treasury\"", "\"dag-treasury-01\"");
        let found = azure(("link.ps1", &ps1), None);
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].file, "link.ps1");
        assert_eq!(found[0].message, "link name 'dag-treasury-01' in New-AzSqlInstanceLink does not match the DAG ('dag-treasury')");
    }

    #[test]
    fn the_cli_link_name_differs_from_the_parameters() {
        let sh = LINK_CLI.replace("--name dag-treasury", "--name dag-ledger");
        let found = azure(("link.sh", &sh), Some(PARAMS));
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "link name 'dag-ledger' in az sql mi link create does not match the parameters file ('dag-treasury')");
    }

    #[test]
    fn the_azure_side_names_the_dag() {
        assert_eq!(azure(("link.ps1", PS), None), []);
        assert_eq!(azure(("link.ps1", PS), Some(PARAMS)), []);
        assert_eq!(azure(("link.sh", LINK_CLI), Some(PARAMS)), []);
    }

    #[test]
    fn a_name_in_another_letter_case_is_ml113s() {
        let ps1 = PS.replace("\"dag-treasury\"", "\"DAG-Treasury\"");
        assert_eq!(azure(("link.ps1", &ps1), None), []);
    }

    #[test]
    fn a_value_the_script_does_not_give_is_not_compared() {
        let ps1 = PS.replace(
            "$DagName = \"dag-treasury\"",
            "param([Parameter(Mandatory)][string]$DagName)",
        );
        assert_eq!(azure(("link.ps1", &ps1), None), []);
        let default = PS.replace(
            "$DagName = \"dag-treasury\"",
            "param([string]$DagName = \"dag-old\")",
        );
        assert_eq!(lines(&azure(("link.ps1", &default), None)), [2]);
    }
}
