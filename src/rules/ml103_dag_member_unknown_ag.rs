//! ML103: the DAG's SQL Server member names an availability group the scripts never create.

use super::{Check, Rule};
use crate::analysis::queries::{params_name_of_a_wrong_member, setup_availability_groups};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::similarity;

pub static RULE: Rule = Rule {
    code: Code::ML103,
    severity: Severity::Error,
    summary:
        "the DAG's SQL Server member names an availability group that the scripts do not create",
    catalogue: "N1",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(member) = a.sql_member(link) else {
            continue;
        };
        if link.ag.is_some() {
            continue;
        }
        // The AGs of the set-up (of no set-up, when its scripts create none). When the
        // scripts create no AG at all, it may exist already: nothing to compare.
        let candidates = setup_availability_groups(a, link);
        // The AG is created under the name the parameters give, and the DAG's member is
        // the odd one out: ML102 reports the member and shows the AG.
        if candidates
            .iter()
            .any(|ag| params_name_of_a_wrong_member(a, link, &ag.name.value))
        {
            continue;
        }
        let closest = candidates.into_iter().max_by(|x, y| {
            similarity(&x.name.value, &member.name.value)
                .total_cmp(&similarity(&y.name.value, &member.name.value))
        });
        let Some(closest) = closest else { continue };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                member.name.span,
                format!(
                    "the DAG's SQL Server member '{}' is not an availability group created in these scripts",
                    member.name.value
                ),
            )
            .with_primary_label("no availability group has this name")
            .with_label(closest.name.span, format!("the availability group created here is '{}'", closest.name.value))
            .with_help(format!(
                "the first member of AVAILABILITY GROUP ON must be the SQL Server availability group: use '{}', or rename the availability group",
                closest.name.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with the DAG's SQL Server member called `name`.
    fn member_named(name: &str) -> String {
        LINK.replace("N'AG_Treasury' WITH", &format!("N'{name}' WITH"))
    }

    #[test]
    fn a_member_that_is_no_created_ag() {
        let found = script(RULE.code, &member_named("AG_Treasur"));
        assert_eq!(lines(&found), [23]);
        assert_eq!(
            found[0].message,
            "the DAG's SQL Server member 'AG_Treasur' is not an availability group created in these scripts"
        );
    }

    #[test]
    fn the_member_is_the_created_ag() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn the_ag_in_another_script_of_the_set_up() {
        let cut = LINK.find("CREATE AVAILABILITY GROUP [dag-").unwrap();
        let (ag, dag) = LINK.split_at(cut);
        assert_eq!(findings(RULE.code, &[("01_ag.sql", ag), ("02_dag.sql", dag)], None), []);
        let wrong = dag.replace("N'AG_Treasury' WITH", "N'AG_Treasur' WITH");
        let found = findings(RULE.code, &[("01_ag.sql", ag), ("02_dag.sql", &wrong)], None);
        assert_eq!(lines(&found), [4]);
        assert_eq!(found[0].file, "02_dag.sql");
    }

    #[test]
    fn no_ag_created_at_all_may_exist_already() {
        let sql = member_named("AG_Existing");
        let dag_only = &sql[sql.find("CREATE AVAILABILITY GROUP [dag-").unwrap()..];
        assert_eq!(script(RULE.code, dag_only), []);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        assert_eq!(script(RULE.code, &member_named("ag_treasury")), []);
    }

    #[test]
    fn the_ag_has_the_parameters_name_so_ml102_reports_the_member() {
        let bad = member_named("AG_Treasur");
        assert_eq!(with_params(RULE.code, &bad, PARAMS), []);
    }
}
