//! ML404: the link's DAG is joined (ALTER … JOIN AVAILABILITY GROUP ON) on SQL Server instead of being created there.

use super::{Check, Rule};
use crate::analysis::looks_like_mi_host;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterAgAction, StatementKind};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML404,
    severity: Severity::Error,
    summary: "the link's DAG is joined (ALTER … JOIN AVAILABILITY GROUP ON) on SQL Server instead of being created there",
    catalogue: "D4",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for s in &a.statements {
        let StatementKind::AlterAg(alter) = &s.kind else {
            continue;
        };
        let AlterAgAction::Join { members } = &alter.action else {
            continue;
        };
        let to_mi = members.iter().any(|m| {
            m.listener_url.as_ref().is_some_and(|u| {
                u.server.is_some()
                    || u.host
                        .as_ref()
                        .is_some_and(|h| looks_like_mi_host(&h.value))
            })
        });
        let names_link = a
            .links
            .iter()
            .any(|l| compare(&a.dag(l).name.value, &alter.name.value) != NameMatch::Different);
        let named_in_params = a.params.as_ref().is_some_and(|p| {
            p.links
                .iter()
                .filter_map(|l| l.distributed_availability_group.as_ref())
                .any(|d| compare(&d.value, &alter.name.value) != NameMatch::Different)
        });
        if members.is_empty() || !(to_mi || names_link || named_in_params) {
            continue;
        }
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, s.span, format!("the link's distributed availability group '{}' is joined on SQL Server", alter.name.value))
                .with_primary_label("JOIN AVAILABILITY GROUP ON")
                .with_help("create the DAG on SQL Server with CREATE AVAILABILITY GROUP … WITH (DISTRIBUTED) AVAILABILITY GROUP ON …; the managed instance joins it through Azure (New-AzSqlInstanceLink / az sql mi link create)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    fn joined(sql: &str) -> String {
        sql.replace(
            "CREATE AVAILABILITY GROUP [dag-treasury]\n    WITH (DISTRIBUTED)\n    AVAILABILITY GROUP ON",
            "ALTER AVAILABILITY GROUP [dag-treasury]\n    JOIN\n    AVAILABILITY GROUP ON",
        )
    }

    /// LINK with its second member on another SQL Server instead of the managed instance.
    fn between_sql_servers(sql: &str) -> String {
        sql.replace(
            "'tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]'",
            "'TCP://sqldr01.corp.example.net:5022'",
        )
    }

    #[test]
    fn the_link_dag_joined_instead_of_created() {
        let found = script(RULE.code, &joined(LINK));
        assert_eq!(lines(&found), [20]);
        assert_eq!(
            found[0].message,
            "the link's distributed availability group 'dag-treasury' is joined on SQL Server"
        );
    }

    #[test]
    fn the_link_dag_created() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn a_dag_between_two_sql_servers_joined() {
        let other = joined(&between_sql_servers(LINK)).replace("dag-treasury", "dag-dr");
        assert_eq!(script(RULE.code, &other), []);
    }

    #[test]
    fn a_join_between_sql_servers_under_the_parameters_dag_name() {
        let bad = joined(&between_sql_servers(LINK));
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [20]);
    }

    #[test]
    fn a_secondary_replica_joining_an_ordinary_ag() {
        let good = format!("{LINK}ALTER AVAILABILITY GROUP [AG_Treasury] JOIN;\n");
        assert_eq!(script(RULE.code, &good), []);
    }
}
