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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const GRANT: &str = "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\n";

    /// LINK as Microsoft's managed-instance-first template: an empty AG, no database
    /// steps, `;Database=[…]` in the managed instance's URL (line numbers kept).
    fn mi_first() -> String {
        LINK.replace(
            "ALTER DATABASE [Treasury] SET RECOVERY FULL;\n",
            "-- the database comes from the managed instance\n",
        )
        .replace(
            "BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n",
            "--\n",
        )
        .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR\n    REPLICA ON")
        .replace(";Server=[mi-treasury]'", ";Server=[mi-treasury];Database=[Treasury]'")
    }

    /// `sql` with `grant` run right after the AG is created.
    fn granted(sql: &str, grant: &str) -> String {
        sql.replace(
            "CREATE AVAILABILITY GROUP [dag-treasury]",
            &format!("{grant}CREATE AVAILABILITY GROUP [dag-treasury]"),
        )
    }

    #[test]
    fn the_managed_instance_first_template_without_the_grant() {
        let found = script(RULE.code, &mi_first());
        assert_eq!(lines(&found), [12]);
        assert_eq!(
            found[0].message,
            "availability group 'AG_Treasury' is never granted CREATE ANY DATABASE"
        );
    }

    #[test]
    fn the_managed_instance_first_template_with_the_grant() {
        assert_eq!(script(RULE.code, &granted(&mi_first(), GRANT)), []);
        let lower_case = GRANT.replace("[AG_Treasury]", "[ag_treasury]");
        assert_eq!(script(RULE.code, &granted(&mi_first(), &lower_case)), []);
    }

    #[test]
    fn the_parameters_declare_the_managed_instance_first() {
        let params = PARAMS.replace("\"sql_server\"", "\"managed_instance\"");
        // Even without the template's ;Database=[…].
        let bad = mi_first().replace(";Database=[Treasury]", "");
        assert_eq!(lines(&with_params(RULE.code, &bad, &params)), [12]);
        assert_eq!(
            with_params(RULE.code, &granted(&bad, GRANT), &params),
            []
        );
    }

    #[test]
    fn a_grant_to_the_dag_does_not_count() {
        let to_dag = GRANT.replace("[AG_Treasury]", "[dag-treasury]");
        assert_eq!(lines(&script(RULE.code, &granted(&mi_first(), &to_dag))), [12]);
    }

    #[test]
    fn sql_server_first_needs_no_grant() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn an_empty_ag_without_database_in_the_url_settles_no_direction() {
        let unknown = mi_first().replace(";Database=[Treasury]", "");
        assert_eq!(script(RULE.code, &unknown), []);
    }
}
