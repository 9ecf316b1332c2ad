//! ML102: the SQL Server availability group name differs from the parameters file.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML102,
    severity: Severity::Error,
    summary: "the SQL Server availability group name differs from the parameters file",
    catalogue: "N2",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(
        a,
        RULE.code,
        &[NameKind::SqlMemberAg, NameKind::AgName],
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with the AG called `name` in the CREATE and in the DAG member.
    fn ag_named(name: &str) -> String {
        LINK.replace("[AG_Treasury]", &format!("[{name}]"))
            .replace("N'AG_Treasury' WITH", &format!("N'{name}' WITH"))
    }

    #[test]
    fn an_ag_named_otherwise_than_the_parameters_in_both_places() {
        let found = with_params(RULE.code, &ag_named("AG_Treasury_SQL"), PARAMS);
        assert_eq!(lines(&found), [12, 23]);
        assert_eq!(
            found[0].message,
            "availability group name 'AG_Treasury_SQL' does not match the parameters file ('AG_Treasury')"
        );
    }

    #[test]
    fn the_ag_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn only_the_dag_member_differs() {
        let bad = LINK.replace("N'AG_Treasury' WITH", "N'AG_Treasury_SQL' WITH");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [23]);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        let good = ag_named("AG_TREASURY");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        let good = ag_named("<AGNameOnSQLServer>");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_sqlcmd_variable_is_compared_with_its_value() {
        let template = ag_named("$(AgName)");
        let good = format!(":setvar AgName AG_Treasury\n{template}");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
        let bad = format!(":setvar AgName AG_Ledger\n{template}");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [13, 24]);
    }

    #[test]
    fn nothing_to_compare_without_parameters() {
        assert_eq!(script(RULE.code, &ag_named("AG_Treasury_SQL")), []);
    }
}
