//! ML104: the DAG's managed-instance member name differs from the parameters file.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML104,
    severity: Severity::Error,
    summary: "the DAG's managed-instance member name differs from the parameters file",
    catalogue: "N4",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::MiMember], out);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, with_params, LINK, PARAMS};

    /// [`LINK`] with the DAG's managed-instance member called `name`.
    fn mi_member_named(name: &str) -> String {
        LINK.replace("N'AG_Treasury_MI'", &format!("N'{name}'"))
    }

    #[test]
    fn the_instance_name_as_member_against_a_separate_ag_name() {
        let found = with_params(RULE.code, &mi_member_named("mi-treasury"), PARAMS);
        assert_eq!(lines(&found), [28]);
        assert_eq!(
            found[0].message,
            "managed instance member name in the DAG 'mi-treasury' does not match the parameters file ('AG_Treasury_MI')"
        );
    }

    #[test]
    fn the_member_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn the_older_convention_when_both_sides_use_it() {
        let params = PARAMS.replace(
            "instance_availability_group = \"AG_Treasury_MI\"",
            "instance_availability_group = \"mi-treasury\"",
        );
        assert_eq!(with_params(RULE.code, &mi_member_named("mi-treasury"), &params), []);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        let good = mi_member_named("AG_TREASURY_MI");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        let good = mi_member_named("<AGNameOnSQLMI>");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }
}
