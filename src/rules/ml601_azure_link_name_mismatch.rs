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

    mod fix {
        use super::{PS, RULE};
        use crate::rules::testing::{fixed_files, LINK, LINK_CLI, PARAMS};

        /// The shell script after one round of ML601's safe fixes.
        fn fixed_shell(name: &str, shell: &str) -> String {
            fixed_files(RULE.code, &[("01.sql", LINK), (name, shell)], Some(PARAMS)).remove(1)
        }

        #[test]
        fn a_variable_is_fixed_where_it_is_assigned() {
            let bad = PS.replace("\"dag-treasury\"", "\"dag_treasury\"");
            assert_eq!(fixed_shell("link.ps1", &bad), PS);
            let sh = "DAG=dag_treasury\naz sql mi link create -g rg-treasury --mi mi-treasury --name \"$DAG\" --partner-ag-name AG_Treasury --instance-ag-name AG_Treasury_MI\n";
            assert_eq!(fixed_shell("link.sh", sh), sh.replace("DAG=dag_treasury", "DAG=dag-treasury"));
        }

        #[test]
        fn an_argument_is_fixed_in_its_quotes() {
            let bad = LINK_CLI.replace("--name dag-treasury", "--name 'dag_treasury'");
            assert_eq!(fixed_shell("link.sh", &bad), LINK_CLI.replace("--name dag-treasury", "--name 'dag-treasury'"));
        }

        #[test]
        fn no_fix_for_a_piece_of_the_name_a_variable_used_elsewhere_or_a_moved_argument() {
            // `+=` builds the name: the literal holds only its start.
            let appended = PS.replace("\"dag-treasury\"\n", "\"dag\"\n$DagName += \"_x\"\n");
            assert_eq!(fixed_shell("link.ps1", &appended), appended);
            // The variable also names something in T-SQL that no check knows.
            let query = PS.replace(
                "\"dag-treasury\"\n",
                "\"dag_treasury\"\nInvoke-Sqlcmd -ServerInstance SQLFIN01 -Query \"ALTER AVAILABILITY GROUP [$DagName] SET (ROLE = SECONDARY)\"\n",
            );
            assert_eq!(fixed_shell("link.ps1", &query), query);
            // A placeholder sh reads as a redirection moves the arguments: ML501 first.
            let moved = LINK_CLI.replace("--name dag-treasury", "--name <DAGName>");
            assert_eq!(fixed_shell("link.sh", &moved), moved);
        }

        #[test]
        fn no_fix_for_a_variable_of_two_names() {
            // One variable for the link and its partner AG: no one right value.
            let shared = PS
                .replace("\"dag-treasury\"", "\"AG_Treasury\"")
                .replace("-PartnerAvailabilityGroupName AG_Treasury", "-PartnerAvailabilityGroupName $DagName");
            let files = [("01.sql", LINK), ("link.ps1", shared.as_str())];
            assert_eq!(crate::rules::testing::findings(RULE.code, &files, Some(PARAMS)).len(), 1);
            assert_eq!(fixed_shell("link.ps1", &shared), shared);
        }
    }
}
