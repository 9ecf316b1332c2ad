//! ML407: ALTER DATABASE … SET HADR AVAILABILITY GROUP joins a database to the link's AG by hand (a manual-seeding step).

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterDatabaseAction, StatementKind};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML407,
    severity: Severity::Warning,
    summary: "ALTER DATABASE … SET HADR AVAILABILITY GROUP joins a database to the link's AG by hand (a manual-seeding step)",
    catalogue: "D7",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for s in &a.statements {
        let StatementKind::AlterDatabase(d) = &s.kind else {
            continue;
        };
        let AlterDatabaseAction::SetHadr {
            availability_group: Some(ag),
        } = &d.action
        else {
            continue;
        };
        let link_ag = a
            .links
            .iter()
            .filter_map(|l| a.ag(l))
            .find(|g| compare(&g.name.value, &ag.value) != NameMatch::Different);
        let Some(link_ag) = link_ag else { continue };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, s.span, format!("database '{}' is joined to '{}' by hand", d.name.value, ag.value))
                .with_primary_label("manual-seeding step")
                .with_label(link_ag.name.span, "the link's availability group")
                .with_help("remove it: the link seeds automatically; SET HADR belongs to secondaries of an ordinary AG with manual seeding"),
        );
    }
}
