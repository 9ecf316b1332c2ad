//! ML603: the instance availability group of an Azure command or export differs from the DAG's managed-instance member.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML603,
    severity: Severity::Error,
    summary: "the instance availability group of an Azure command or export differs from the DAG's managed-instance member",
    catalogue: "N4",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::AzureInstanceAg], out);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS, LINK_PS};

    fn azure(ps1: &str, params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", LINK), ("link.ps1", ps1)], params)
    }

    #[test]
    fn the_instance_ag_named_after_the_managed_instance() {
        // What the 2022–2023 documentation did, while the DAG names AG_Treasury_MI.
        let ps1 = LINK_PS.replace(
            "-InstanceAvailabilityGroupName AG_Treasury_MI",
            "-InstanceAvailabilityGroupName mi-treasury",
        );
        let found = azure(&ps1, None);
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "instance availability group 'mi-treasury' in New-AzSqlInstanceLink does not match the DAG's managed-instance member ('AG_Treasury_MI')");
        assert_eq!(lines(&azure(&ps1, Some(PARAMS))), [2]);
    }

    #[test]
    fn the_instance_ag_of_the_dag() {
        assert_eq!(azure(LINK_PS, None), []);
        assert_eq!(azure(LINK_PS, Some(PARAMS)), []);
    }

    #[test]
    fn either_name_works_when_both_sides_agree() {
        let sql = LINK.replace("N'AG_Treasury_MI'", "N'mi-treasury'");
        let ps1 = LINK_PS.replace(
            "-InstanceAvailabilityGroupName AG_Treasury_MI",
            "-InstanceAvailabilityGroupName mi-treasury",
        );
        let found = findings(RULE.code, &[("01.sql", &sql), ("link.ps1", &ps1)], None);
        assert_eq!(found, []);
    }
}
