//! ML206: ;Database=[...] in the MI URL does not fit the link's direction.

use super::{Check, Rule};
use crate::analysis::queries::direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML206,
    severity: Severity::Error,
    summary: "the managed-instance URL lacks ;Database=[...] when the managed instance is the initial primary (error), or has it when SQL Server is (warning)",
    catalogue: "U6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(url) = &a.mi_member(link).listener_url else {
            continue;
        };
        let declared = a.link_params(link).and_then(|l| l.initial_primary.as_ref());
        let Some(dir) = direction(a, link) else {
            continue;
        };
        let db = a
            .link_params(link)
            .and_then(|l| l.databases.as_ref())
            .and_then(|d| d.first())
            .map(|d| d.value.clone())
            .unwrap_or_else(|| "<database>".into());
        let mut d = match (dir, &url.database) {
            (InitialPrimary::ManagedInstance, None) if url.server.is_some() => Diagnostic::new(
                RULE.code, Severity::Error, url.value_span,
                "the managed instance is the initial primary, but its listener URL has no ;Database=[…]",
            )
            .with_primary_label("missing ;Database=[…]")
            .with_help(format!("append ;Database=[{db}]: when the managed instance seeds SQL Server, the URL names the database")),
            (InitialPrimary::SqlServer, Some(database)) => Diagnostic::new(
                RULE.code, Severity::Warning, database.span,
                format!("SQL Server is the initial primary, but the managed instance URL names database '{}' (the managed-instance-first template)", database.value),
            )
            .with_primary_label("only for a managed-instance-first link")
            .with_help("remove ;Database=[…] from the URL, or declare initial_primary = \"managed_instance\""),
            _ => continue,
        };
        if let Some(ip) = declared {
            d = d.with_label(ip.span, "direction declared here");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// The parameters of a managed-instance-first link.
    fn mi_first_params() -> String {
        PARAMS.replace(
            "initial_primary = \"sql_server\"",
            "initial_primary = \"managed_instance\"",
        )
    }

    /// [`LINK`] turned into the managed-instance-first template (an AG without
    /// databases and GRANT CREATE ANY DATABASE), with `suffix` after `Server=[…]` in
    /// the managed instance's URL (line 27).
    fn mi_first(suffix: &str) -> String {
        LINK.replace("ALTER DATABASE [Treasury] SET RECOVERY FULL;\n", "")
            .replace("BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n", "")
            .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR REPLICA ON")
            .replace(
                "CREATE AVAILABILITY GROUP [dag-",
                "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\nCREATE AVAILABILITY GROUP [dag-",
            )
            .replace("Server=[mi-treasury]'", &format!("Server=[mi-treasury]{suffix}'"))
    }

    #[test]
    fn managed_instance_first_without_database() {
        let found = with_params(RULE.code, &mi_first(""), &mi_first_params());
        assert_eq!(lines(&found), [27]);
        assert_eq!(
            found[0].message,
            "the managed instance is the initial primary, but its listener URL has no ;Database=[…]"
        );
    }

    #[test]
    fn managed_instance_first_with_database() {
        let good = mi_first(";Database=[Treasury]");
        assert_eq!(with_params(RULE.code, &good, &mi_first_params()), []);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_direction_inferred_from_the_scripts() {
        assert_eq!(lines(&script(RULE.code, &mi_first(""))), [27]);
    }

    #[test]
    fn sql_server_first_with_database() {
        let bad = LINK.replace("Server=[mi-treasury]'", "Server=[mi-treasury];Database=[Treasury]'");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "SQL Server is the initial primary, but the managed instance URL names database 'Treasury' (the managed-instance-first template)"
        );
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [29]);
    }

    #[test]
    fn sql_server_first_without_database() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn the_declared_direction_wins_over_the_scripts() {
        assert_eq!(lines(&with_params(RULE.code, LINK, &mi_first_params())), [29]);
    }

    #[test]
    fn a_missing_server_is_left_to_ml204() {
        let bad = mi_first("").replace(";Server=[mi-treasury]", "");
        assert_eq!(with_params(RULE.code, &bad, &mi_first_params()), []);
    }

    #[test]
    fn no_direction_to_go_by() {
        let unknown = mi_first("").replace(
            "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\n",
            "",
        );
        assert_eq!(script(RULE.code, &unknown), []);
    }
}
