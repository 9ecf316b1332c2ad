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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, with_params, LINK, PARAMS};

    fn mi_first_params() -> String {
        PARAMS.replace("\"sql_server\"", "\"managed_instance\"")
    }

    /// Microsoft's managed-instance-first template: no database steps, an empty AG and
    /// the grant, `;Database=[…]` in the managed instance's URL.
    fn mi_first() -> String {
        LINK.replace("ALTER DATABASE [Treasury] SET RECOVERY FULL;\n", "")
            .replace(
                "BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n",
                "",
            )
            .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR\n    REPLICA ON")
            .replace(
                "CREATE AVAILABILITY GROUP [dag-treasury]",
                "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\nCREATE AVAILABILITY GROUP [dag-treasury]",
            )
            .replace(";Server=[mi-treasury]'", ";Server=[mi-treasury];Database=[Treasury]'")
    }

    #[test]
    fn the_sql_server_first_script_with_the_managed_instance_first() {
        let found = with_params(RULE.code, LINK, &mi_first_params());
        // The AG's FOR DATABASE (error), the recovery and backup steps (warnings).
        assert_eq!(lines(&found), [10, 11, 14]);
        let ag = found.iter().find(|f| f.line == 14).unwrap();
        assert_eq!(
            ag.message,
            "availability group 'AG_Treasury' lists databases, but the managed instance is the initial primary"
        );
        let backup = found.iter().find(|f| f.line == 11).unwrap();
        assert_eq!(
            backup.message,
            "database 'Treasury' is prepared on SQL Server, but the managed instance is the initial primary"
        );
    }

    #[test]
    fn the_managed_instance_first_template() {
        assert_eq!(with_params(RULE.code, &mi_first(), &mi_first_params()), []);
    }

    #[test]
    fn a_database_added_to_the_empty_ag_later() {
        let bad = format!("{}ALTER AVAILABILITY GROUP [AG_Treasury] ADD DATABASE [Treasury];\n", mi_first());
        let found = with_params(RULE.code, &bad, &mi_first_params());
        assert_eq!(lines(&found), [32]);
        assert_eq!(
            found[0].message,
            "database 'Treasury' is added to availability group 'AG_Treasury', but the managed instance is the initial primary"
        );
    }

    #[test]
    fn a_backup_of_another_database_is_not_a_link_step() {
        let good = mi_first().replacen(
            "USE master;\n",
            "USE master;\nBACKUP DATABASE [Staging] TO DISK = N'D:\\Backup\\Staging.bak';\n",
            1,
        );
        assert_eq!(with_params(RULE.code, &good, &mi_first_params()), []);
    }

    #[test]
    fn sql_server_first_prepares_the_database() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }
}
