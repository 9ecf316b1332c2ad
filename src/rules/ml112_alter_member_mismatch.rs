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
