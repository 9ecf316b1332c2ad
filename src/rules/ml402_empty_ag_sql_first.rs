//! ML402: SQL Server is the initial primary, but its availability group is created without FOR DATABASE (the managed-instance-first template).

use super::{Check, Rule};
use crate::analysis::queries::declared_direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML402,
    severity: Severity::Error,
    summary: "SQL Server is the initial primary, but its availability group is created without FOR DATABASE (the managed-instance-first template)",
    catalogue: "D2",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(dir) =
            declared_direction(a, link).filter(|d| d.value == InitialPrimary::SqlServer)
        else {
            continue;
        };
        let Some(ag) = a.ag(link) else { continue };
        if !link.databases.is_empty() || !seen.insert(ag.name.span) {
            continue;
        }
        let db = a
            .link_params(link)
            .and_then(|l| l.databases.as_ref())
            .and_then(|d| d.first())
            .map(|d| d.value.clone())
            .unwrap_or_else(|| "<database>".into());
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, ag.for_span.unwrap_or(ag.name.span), format!("availability group '{}' has no database, but SQL Server is the initial primary", ag.name.value))
                .with_primary_label("no FOR DATABASE")
                .with_label(dir.span, "SQL Server seeds the managed instance")
                .with_help(format!("write FOR DATABASE [{db}] REPLICA ON …: an empty AG gives the managed instance nothing to seed (error 47521/41977)")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, with_params, LINK, PARAMS};

    fn empty_ag() -> String {
        LINK.replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR\n    REPLICA ON")
    }

    #[test]
    fn an_empty_ag_with_sql_server_first() {
        let found = with_params(RULE.code, &empty_ag(), PARAMS);
        assert_eq!(lines(&found), [14]);
        assert_eq!(
            found[0].message,
            "availability group 'AG_Treasury' has no database, but SQL Server is the initial primary"
        );
    }

    #[test]
    fn the_ag_with_its_database() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn an_empty_ag_filled_by_a_later_add_database() {
        let good = empty_ag().replace(
            "CREATE AVAILABILITY GROUP [dag-treasury]",
            "ALTER AVAILABILITY GROUP [AG_Treasury] ADD DATABASE [Treasury];\nCREATE AVAILABILITY GROUP [dag-treasury]",
        );
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn an_empty_ag_with_the_managed_instance_first() {
        let params = PARAMS.replace("\"sql_server\"", "\"managed_instance\"");
        assert_eq!(with_params(RULE.code, &empty_ag(), &params), []);
    }
}
