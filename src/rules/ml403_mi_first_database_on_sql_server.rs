//! ML403: the managed instance is the initial primary, but the scripts put the database in the SQL Server AG (error) or back it up / set its recovery on SQL Server (warning).

use super::{Check, Rule};
use crate::analysis::queries::declared_direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterDatabaseAction, StatementKind};
use crate::names::{compare, NameMatch};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML403,
    severity: Severity::Error,
    summary: "the managed instance is the initial primary, but the scripts put the database in the SQL Server AG (error) or back it up / set its recovery on SQL Server (warning)",
    catalogue: "D3",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(dir) =
            declared_direction(a, link).filter(|d| d.value == InitialPrimary::ManagedInstance)
        else {
            continue;
        };
        let mut link_dbs: Vec<String> = a
            .link_params(link)
            .and_then(|l| l.databases.as_ref())
            .map(|d| d.iter().map(|v| v.value.clone()).collect())
            .unwrap_or_default();
        if let Some(db) = a
            .mi_member(link)
            .listener_url
            .as_ref()
            .and_then(|u| u.database.as_ref())
        {
            link_dbs.push(db.value.clone());
        }
        // `FOR DATABASE`, or a later `ADD DATABASE` of the set-up.
        if let (Some(ag), Some(first)) = (a.ag(link), link.databases.first()) {
            let added = link.ag != Some(first.statement);
            if seen.insert(ag.name.span) {
                let (span, message, label) = if added {
                    (first.name.span, format!("database '{}' is added to availability group '{}', but the managed instance is the initial primary", first.name.value, ag.name.value), "ADD DATABASE")
                } else {
                    (ag.for_span.unwrap_or(ag.name.span), format!("availability group '{}' lists databases, but the managed instance is the initial primary", ag.name.value), "FOR DATABASE")
                };
                out.push(
                    Diagnostic::new(RULE.code, Severity::Error, span, message)
                        .with_primary_label(label)
                        .with_label(dir.span, "the managed instance seeds SQL Server")
                        .with_help("create the AG with FOR REPLICA ON … and add no database: the database comes from the managed instance, and a database of the same name on SQL Server blocks seeding"),
                );
            }
        }
        // Only the set-up's own scripts: a maintenance script may back the database up
        // once the link has seeded it.
        for s in a.statements.iter().filter(|s| link.has_file(s.file)) {
            let db = match &s.kind {
                StatementKind::Backup(b) => &b.database,
                StatementKind::AlterDatabase(d)
                    if matches!(d.action, AlterDatabaseAction::SetRecovery(_)) =>
                {
                    &d.name
                }
                _ => continue,
            };
            let in_link = link_dbs
                .iter()
                .any(|l| compare(&db.value, l) != NameMatch::Different);
            if in_link && seen.insert(db.span) {
                out.push(
                    Diagnostic::new(RULE.code, Severity::Warning, s.span, format!("database '{}' is prepared on SQL Server, but the managed instance is the initial primary", db.value))
                        .with_primary_label("SQL-Server-first step")
                        .with_label(dir.span, "the managed instance seeds SQL Server")
                        .with_help("drop this step: the database does not exist on SQL Server yet; the managed instance backs it up itself"),
                );
            }
        }
    }
}
