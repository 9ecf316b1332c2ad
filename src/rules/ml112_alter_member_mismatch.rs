//! ML112: ALTER AVAILABILITY GROUP [dag] MODIFY/JOIN names a member the DAG does not have.

use super::{Check, Rule};
use crate::analysis::queries::{link_of_alter, params_name_of_a_wrong_member, quoted_list};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterAgAction, StatementKind};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML112,
    severity: Severity::Error,
    summary: "ALTER AVAILABILITY GROUP ... MODIFY/JOIN AVAILABILITY GROUP ON names a member that the DAG does not have",
    catalogue: "N12",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for s in &a.statements {
        let StatementKind::AlterAg(alter) = &s.kind else {
            continue;
        };
        let members = match &alter.action {
            AlterAgAction::ModifyMembers { members } | AlterAgAction::Join { members } => members,
            _ => continue,
        };
        // Only a link's DAG: one between two SQL Servers is not this tool's subject.
        let Some(link) = link_of_alter(a, s, &alter.name.value) else {
            continue;
        };
        let dag = a.dag(link);
        for m in members {
            let known = dag
                .members
                .iter()
                .any(|d| compare(&d.name.value, &m.name.value) != NameMatch::Different);
            // The name the parameters give, where the CREATE has another: ML102 / ML104
            // report the CREATE and show this statement.
            if known || params_name_of_a_wrong_member(a, link, &m.name.value) {
                continue;
            }
            let names = quoted_list(dag.members.iter().map(|d| d.name.value.as_str()));
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    m.name.span,
                    format!("'{}' is not a member of distributed availability group '{}' (members: {names})", m.name.value, dag.name.value),
                )
                .with_primary_label("unknown member")
                .with_label(dag.name.span, "the DAG is created here")
                .with_help("use the member names exactly as in CREATE AVAILABILITY GROUP … AVAILABILITY GROUP ON; with the 2024+ naming the managed-instance member is its own AG name, not the instance name"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    /// The failover page's switch to synchronous commit, naming `sql` and `mi`
    /// (lines 33–36 after [`LINK`]).
    fn modify(sql: &str, mi: &str) -> String {
        format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]
MODIFY AVAILABILITY GROUP ON
    '{sql}' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT),
    '{mi}' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);
"
        )
    }

    #[test]
    fn the_instance_name_for_the_managed_instance_member() {
        let found = script(RULE.code, &modify("AG_Treasury", "mi-treasury"));
        assert_eq!(lines(&found), [36]);
        assert_eq!(
            found[0].message,
            "'mi-treasury' is not a member of distributed availability group 'dag-treasury' (members: 'AG_Treasury', 'AG_Treasury_MI')"
        );
    }

    #[test]
    fn the_members_of_the_dag() {
        assert_eq!(script(RULE.code, &modify("AG_Treasury", "AG_Treasury_MI")), []);
    }

    #[test]
    fn a_join_with_an_unknown_member() {
        let join = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]
JOIN AVAILABILITY GROUP ON
    'AG_Treasury' WITH (LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
    'AG_Treasury_MI2' WITH (LISTENER_URL = 'tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
"
        );
        assert_eq!(lines(&script(RULE.code, &join)), [37]);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        assert_eq!(script(RULE.code, &modify("ag_treasury", "AG_TREASURY_MI")), []);
    }

    #[test]
    fn a_failover_script_alone_is_not_compared() {
        let failover = &modify("AG_Treasury", "mi-treasury")[LINK.len()..];
        assert_eq!(findings(RULE.code, &[("05_failover.sql", failover)], None), []);
    }

    #[test]
    fn the_parameters_name_so_ml104_reports_the_create() {
        let sql = modify("AG_Treasury", "AG_Treasury_MI")
            .replace("N'AG_Treasury_MI' WITH", "N'mi-treasury' WITH");
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
        assert_eq!(lines(&script(RULE.code, &sql)), [36]);
    }

    #[test]
    fn a_dag_between_two_sql_servers_is_not_a_link() {
        let sql = "CREATE AVAILABILITY GROUP [dag-dr] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
    N'AG_A' WITH (LISTENER_URL = 'TCP://sqla.corp.example.net:5022',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
    N'AG_B' WITH (LISTENER_URL = 'TCP://sqlb.corp.example.net:5022',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
ALTER AVAILABILITY GROUP [dag-dr] MODIFY AVAILABILITY GROUP ON
    'AG_C' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);
";
        assert_eq!(findings(RULE.code, &[("01.sql", LINK), ("dr/01.sql", sql)], None), []);
    }
}
