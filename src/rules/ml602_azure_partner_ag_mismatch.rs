//! ML602: the partner availability group of an Azure command or export differs from SQL Server's AG.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML602,
    severity: Severity::Error,
    summary:
        "the partner availability group of an Azure command or export differs from SQL Server's AG",
    catalogue: "N2",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzurePartnerAg], out);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS, LINK_CLI};

    fn azure(shell: (&str, &str), params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", LINK), shell], params)
    }

    #[test]
    fn the_partner_ag_spelt_with_a_hyphen() {
        let sh = LINK_CLI.replace("--partner-ag-name AG_Treasury", "--partner-ag-name AG-Treasury");
        let found = azure(("link.sh", &sh), None);
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "partner availability group 'AG-Treasury' in az sql mi link create does not match SQL Server's availability group ('AG_Treasury')");
        assert_eq!(lines(&azure(("link.sh", &sh), Some(PARAMS))), [2]);
    }

    #[test]
    fn the_partner_ag_of_sql_server() {
        assert_eq!(azure(("link.sh", LINK_CLI), None), []);
        assert_eq!(azure(("link.sh", LINK_CLI), Some(PARAMS)), []);
    }

    #[test]
    fn the_old_parameter_name_is_compared_too() {
        let ps1 = "New-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name dag-treasury `\n    -PrimaryAvailabilityGroupName AG_Orders -SecondaryAvailabilityGroupName AG_Treasury_MI `\n    -TargetDatabase Treasury -SourceEndpoint \"TCP://sqlfin01.corp.example.net:5022\"\n";
        assert_eq!(lines(&azure(("link.ps1", ps1), None)), [2]);
        let good = ps1.replace("AG_Orders", "AG_Treasury");
        assert_eq!(azure(("link.ps1", &good), None), []);
    }

    #[test]
    fn a_command_that_only_names_the_link() {
        let show = "az sql mi link show -g rg-treasury --mi mi-treasury --name dag-treasury\n";
        assert_eq!(azure(("show.sh", show), None), []);
    }
}
