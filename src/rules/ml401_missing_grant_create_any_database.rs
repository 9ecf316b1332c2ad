//! ML401: the managed instance is the initial primary, but the SQL Server AG is never granted CREATE ANY DATABASE.

use super::{Check, Rule};
use crate::analysis::queries::{declared_direction, direction, grants_create_any_database};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML401,
    severity: Severity::Error,
    summary: "the managed instance is the initial primary, but the SQL Server AG is never granted CREATE ANY DATABASE",
    catalogue: "D1",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        // Declared, or shown by the template (an empty AG with ;Database=[…] in the URL).
        if direction(a, link) != Some(InitialPrimary::ManagedInstance) {
            continue;
        }
        let why = match declared_direction(a, link) {
            Some(d) => (d.span, "the managed instance seeds SQL Server"),
            None => match a
                .mi_member(link)
                .listener_url
                .as_ref()
                .and_then(|u| u.database.as_ref())
            {
                Some(db) => (db.span, "the managed-instance-first template"),
                None => continue,
            },
        };
        let Some(member) = a.sql_member(link) else {
            continue;
        };
        let ag_name = a.ag(link).map(|ag| &ag.name).unwrap_or(&member.name);
        if grants_create_any_database(a, &ag_name.value) || !seen.insert(ag_name.span) {
            continue;
        }
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, ag_name.span, format!("availability group '{}' is never granted CREATE ANY DATABASE", ag_name.value))
                .with_primary_label("automatic seeding cannot create the database here")
                .with_label(why.0, why.1)
                .with_help(format!("add ALTER AVAILABILITY GROUP [{}] GRANT CREATE ANY DATABASE; after creating the AG: without it the seeded database is never created on SQL Server (error 41977)", ag_name.value)),
        );
    }
}
