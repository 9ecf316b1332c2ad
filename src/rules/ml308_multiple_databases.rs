//! ML308: the link's availability group lists several databases without multiple-database link mode.

use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StatementKind;
use crate::params::LinkMode;

pub static RULE: Rule = Rule {
    code: "ML308",
    name: "multiple-databases",
    severity: Severity::Error,
    summary:
        "the link's availability group lists several databases without multiple-database link mode",
    catalogue: "M6",
    needs_params: false,
    doc: rule_doc!("ML308"),
    check,
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if multi_database_mode(a) {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(ag) = a.ag(link) else { continue };
        // In run order: `FOR DATABASE a, b`, or a later `ADD DATABASE b`.
        let [first, second, ..] = link.databases.as_slice() else {
            continue;
        };
        if !seen.insert(second.name.span) {
            continue;
        }
        let added = second.statement != link.ag.unwrap_or(second.statement);
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            second.name.span,
            format!("availability group '{}' carries {} databases; a link replicates one", ag.name.value, link.databases.len()),
        )
        .with_primary_label(if added { "a second database, added here" } else { "a second database" })
        .with_label(first.name.span, "the first database")
        .with_help("create one AG and one DAG per database, or use the multiple-database link mode (link.mode = \"multi\" in the parameters and EXEC sys.sp_multidb_milink 1)");
        if let Some(mode) = a.link_params(link).and_then(|l| l.mode.as_ref()) {
            d = d.with_label(mode.span, "single-database mode");
        }
        out.push(d);
    }
}

/// The parameters declare multi-database mode, or the scripts enable it.
pub fn multi_database_mode(a: &Analysis) -> bool {
    let declared = a.params.as_ref().is_some_and(|p| {
        p.links
            .iter()
            .any(|l| l.mode.as_ref().is_some_and(|m| m.value == LinkMode::Multi))
    });
    declared || enables_multi_database_mode(a).is_some()
}

/// The `EXEC sys.sp_multidb_milink 1` statement, if the scripts have it.
pub fn enables_multi_database_mode(a: &Analysis) -> Option<&crate::model::Statement> {
    a.statements.iter().find(|s| match &s.kind {
        StatementKind::Exec(e) => {
            e.procedure.value.eq_ignore_ascii_case("sp_multidb_milink")
                && e.arguments.first().is_some_and(|v| v.value == "1")
        }
        _ => false,
    })
}
