//! ML608: an Azure command uses a parameter name that current Az.Sql / Azure CLI versions removed.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML608,
    severity: Severity::Warning,
    summary:
        "an Azure command uses a parameter name that current Az.Sql / Azure CLI versions removed",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.azure.links {
        for old in &link.old_names {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    old.span,
                    format!("{} was {}; the parameter is now {}", old.old, old.removed_in, old.new),
                )
                .with_primary_label(format!("use {}", old.new))
                .with_help(format!(
                    "write {} (same value): with a current module the command stops with an unknown-parameter error and the managed instance side of the link is never created",
                    old.new
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, LINK};

    /// LINK's Azure side with the parameter names of Az.Sql before 6.0.0.
    const OLD_PS: &str = "\
New-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name dag-treasury `
    -PrimaryAvailabilityGroupName AG_Treasury -SecondaryAvailabilityGroupName AG_Treasury_MI `
    -TargetDatabase Treasury -SourceEndpoint \"TCP://sqlfin01.corp.example.net:5022\"
";

    /// LINK's Azure side with the parameter names of Azure CLI before 2.67.0.
    const OLD_SH: &str = "\
az sql mi link create -g rg-treasury --mi mi-treasury --name dag-treasury \\
  --primary-availability-group-name AG_Treasury --secondary-availability-group-name AG_Treasury_MI \\
  --target-database Treasury --source-endpoint tcp://sqlfin01.corp.example.net:5022
";

    #[test]
    fn the_old_powershell_parameter_names() {
        let found = findings(RULE.code, &[("01.sql", LINK), ("link.ps1", OLD_PS)], None);
        assert_eq!(lines(&found), [2, 2, 3, 3]);
        assert_eq!(found[0].message, "-PrimaryAvailabilityGroupName was removed in Az.Sql 6.0.0 (Az 13.0.0); the parameter is now -PartnerAvailabilityGroupName");
    }

    #[test]
    fn the_old_cli_parameter_names() {
        let found = findings(RULE.code, &[("01.sql", LINK), ("link.sh", OLD_SH)], None);
        assert_eq!(lines(&found), [2, 2, 3, 3]);
        assert_eq!(found[2].message, "--target-database was removed in Azure CLI 2.67.0; the parameter is now --databases");
    }

    #[test]
    fn the_current_parameter_names() {
        let ps1 = OLD_PS
            .replace("-PrimaryAvailabilityGroupName", "-PartnerAvailabilityGroupName")
            .replace("-SecondaryAvailabilityGroupName", "-InstanceAvailabilityGroupName")
            .replace("-TargetDatabase", "-Database")
            .replace("-SourceEndpoint", "-PartnerEndpoint");
        assert_eq!(findings(RULE.code, &[("01.sql", LINK), ("link.ps1", &ps1)], None), []);
        let sh = OLD_SH
            .replace("--primary-availability-group-name", "--partner-ag-name")
            .replace("--secondary-availability-group-name", "--instance-ag-name")
            .replace("--target-database Treasury", "--databases \"['Treasury']\"")
            .replace("--source-endpoint", "--partner-endpoint");
        assert_eq!(findings(RULE.code, &[("01.sql", LINK), ("link.sh", &sh)], None), []);
    }
}
