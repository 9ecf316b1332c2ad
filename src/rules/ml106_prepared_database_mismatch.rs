//! ML106: ALTER DATABASE / BACKUP DATABASE prepare a database that is not in the link.

use super::support::quoted_list;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterDatabaseAction, Name, StatementKind};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: "ML106",
    name: "prepared-database-mismatch",
    severity: Severity::Warning,
    summary: "SET RECOVERY FULL or BACKUP DATABASE names a database that is not in the link's availability group",
    catalogue: "N6",
    needs_params: false,
    doc: rule_doc!("ML106"),
    check,
};

/// Databases prepared for the link: `SET RECOVERY FULL` and full (not differential)
/// backups of user databases.
fn prepared(a: &Analysis) -> Vec<&Name> {
    a.statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::AlterDatabase(d) => match &d.action {
                AlterDatabaseAction::SetRecovery(model) if model.value == "FULL" => Some(&d.name),
                _ => None,
            },
            StatementKind::Backup(b) if !b.differential => Some(&b.database),
            _ => None,
        })
        .filter(|n| !is_system_database(&n.value) && !is_unresolved_variable(n))
        .collect()
}

fn is_system_database(name: &str) -> bool {
    ["master", "msdb", "model", "tempdb"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
}

/// `$(Db)` left as written (undefined variable) is reported by ML502 instead.
fn is_unresolved_variable(name: &Name) -> bool {
    name.value.contains("$(")
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let in_links: Vec<&Name> = a
        .links
        .iter()
        .filter_map(|l| a.ag(l))
        .flat_map(|ag| ag.databases.iter())
        .collect();
    if in_links.is_empty() {
        return;
    }
    let prepared = prepared(a);
    let same = |x: &str, y: &str| compare(x, y) != NameMatch::Different;
    // A database of the link that nothing prepares makes a stray preparation an error:
    // the preparation was almost certainly meant for it.
    let unprepared: Vec<&&Name> = in_links
        .iter()
        .filter(|db| !prepared.iter().any(|p| same(&p.value, &db.value)))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for p in &prepared {
        if in_links.iter().any(|db| same(&p.value, &db.value)) || !seen.insert(p.span) {
            continue;
        }
        let severity = if unprepared.is_empty() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let mut d = Diagnostic::new(
            RULE.code,
            severity,
            p.span,
            format!(
                "database '{}' is prepared for the link but is not in its availability group ({})",
                p.value,
                quoted_list(in_links.iter().map(|d| d.value.as_str()))
            ),
        )
        .with_primary_label(format!("'{}'", p.value))
        .with_label(in_links[0].span, "the availability group's database");
        // The parameters file may say which side is right: then the AG is the one to fix.
        let expected_by_params = a.params.iter().flat_map(|params| &params.links).any(|l| {
            l.databases
                .iter()
                .flatten()
                .any(|db| same(&db.value, &p.value))
        });
        d = if let (true, Some(db)) = (expected_by_params, unprepared.first()) {
            d.with_help(format!(
                "the parameters file names '{}': fix the availability group's database '{}' instead",
                p.value, db.value
            ))
        } else if let Some(db) = unprepared.first() {
            d.with_help(format!(
                "'{}' is never set to FULL recovery or backed up: did you mean '{}' here?",
                db.value, db.value
            ))
        } else {
            d.with_help("check that this database is meant to be prepared in the link scripts")
        };
        out.push(d);
    }
}
