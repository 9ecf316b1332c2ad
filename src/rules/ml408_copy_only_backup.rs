//! ML408: SQL Server is the initial primary and the link's database is backed up only WITH COPY_ONLY.

use super::{Check, Rule};
use crate::analysis::queries::direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Backup, StatementKind};
use crate::names::{compare, NameMatch};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML408,
    severity: Severity::Warning,
    summary:
        "SQL Server is the initial primary and the link's database is backed up only WITH COPY_ONLY",
    catalogue: "D8",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        if direction(a, link) != Some(InitialPrimary::SqlServer) {
            continue;
        }
        let Some(ag) = a.ag(link) else { continue };
        for db in &ag.databases {
            let backups: Vec<&Backup> = a
                .statements
                .iter()
                .filter_map(|s| match &s.kind {
                    StatementKind::Backup(b)
                        if !b.differential
                            && compare(&b.database.value, &db.value) != NameMatch::Different =>
                    {
                        Some(b)
                    }
                    _ => None,
                })
                .collect();
            let Some(first) = backups.first() else {
                continue;
            };
            if backups.iter().all(|b| b.copy_only) && seen.insert(first.database.span) {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, first.database.span, format!("database '{}' has only COPY_ONLY full backups", db.value))
                        .with_primary_label("WITH COPY_ONLY")
                        .with_help("take a full backup without COPY_ONLY: a copy-only backup starts no backup chain, and the link then fails with error 1475"),
                );
            }
        }
    }
}
