//! ML607: an Azure command or export names another managed instance than the link's.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML607,
    severity: Severity::Error,
    summary: "an Azure command or export names another managed instance than the link's",
    catalogue: "N8",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzureInstance], out);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS};

    /// The Azure side of LINK, created with the Azure CLI.
    const SH: &str = "\
MI=mi-treasury
az sql mi link create -g rg-treasury --mi \"$MI\" --name dag-treasury \\
  --partner-ag-name AG_Treasury --instance-ag-name AG_Treasury_MI --databases \"['Treasury']\" \\
  --partner-endpoint tcp://sqlfin01.corp.example.net:5022
";

    /// SQL Server's certificate uploaded to the managed instance.
    const TRUST: &str = "New-AzSqlInstanceServerTrustCertificate -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name Cert_SQLFIN01_endpoint -PublicKey $PublicKey\n";

    fn azure(shell: (&str, &str), params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", LINK), shell], params)
    }

    #[test]
    fn the_link_created_on_another_managed_instance() {
        let sh = SH.replace("MI=mi-treasury", "MI=mi-treasury-02");
        let found = azure(("link.sh", &sh), None);
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "managed instance name 'mi-treasury-02' in az sql mi link create does not match the DAG's Server=[…] ('mi-treasury')");
        let found = azure(("link.sh", &sh), Some(PARAMS));
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "managed instance name 'mi-treasury-02' in az sql mi link create does not match the parameters file ('mi-treasury')");
    }

    #[test]
    fn the_link_created_on_the_dag_s_managed_instance() {
        assert_eq!(azure(("link.sh", SH), None), []);
        assert_eq!(azure(("link.sh", SH), Some(PARAMS)), []);
    }

    #[test]
    fn the_certificate_uploaded_to_another_managed_instance() {
        let other = TRUST.replace("-InstanceName mi-treasury", "-InstanceName mi-treasury-02");
        assert_eq!(lines(&azure(("trust.ps1", &other), Some(PARAMS))), [1]);
        assert_eq!(azure(("trust.ps1", TRUST), Some(PARAMS)), []);
    }
}
