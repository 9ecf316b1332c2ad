//! ML105: the link's databases differ from the parameters file.

use super::{Check, Rule};
use crate::analysis::queries::{has_placeholder, link_databases, preparations, quoted_list};
use crate::analysis::Analysis;
use crate::codes::Code;
use super::name_mismatch;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML105,
    severity: Severity::Error,
    summary: "a database of the link AG (FOR DATABASE, or Database=[...] in the MI URL) differs from the parameters file",
    catalogue: "N5",
    needs_params: true,
    check: Check::Model(check),
};

fn matches(found: &str, expected: &str) -> bool {
    compare(found, expected) != NameMatch::Different
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(lp) = a.link_params(link) else {
            continue;
        };
        let Some(expected) = &lp.databases else {
            continue;
        };
        let Some((mut found, list_span)) = link_databases(a, link) else {
            continue;
        };
        found.retain(|db| !has_placeholder(&db.value));
        if found.is_empty() {
            continue;
        }
        let expected_names = quoted_list(expected.iter().map(|e| e.value.as_str()));
        let params_span = lp.databases_span.unwrap_or(lp.span);
        let extra: Vec<_> = found
            .iter()
            .filter(|db| !expected.iter().any(|e| matches(&db.value, &e.value)))
            .collect();
        let missing: Vec<_> = expected
            .iter()
            .filter(|e| !found.iter().any(|db| matches(&db.value, &e.value)))
            .collect();
        // One name instead of another: a single finding, like the other name rules.
        if let ([db], [e]) = (extra.as_slice(), missing.as_slice()) {
            // The set-up prepares the database the parameters name: part of the picture
            // (ML106 stays silent about it).
            let prepared_here: Vec<_> = preparations(a)
                .into_iter()
                .filter(|p| link.has_file(p.file) && matches(&p.database.value, &e.value))
                .collect();
            let source = a.expected_source(e.span).noun();
            let mut d = Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    db.span,
                    format!(
                        "database '{}' does not match {source} ('{}')",
                        db.value, e.value
                    ),
                )
                .with_primary_label(format!("'{}'", db.value))
                .with_label(e.span, "expected here")
                .with_help(format!(
                    "the managed instance waits for database '{}'; any other name ends in error 41977: fix the name here or in {source}",
                    e.value
                ));
            for p in prepared_here {
                d = d.with_label(p.database.span, format!("'{}' is prepared here", e.value));
            }
            // Unsafe: the other statements of the set-up that name the database (SET
            // RECOVERY, BACKUP) still name the old one, and the server holds it.
            let fix = name_mismatch::rename(a, db.span, &db.value, &e.value, "the database", Applicability::Unsafe);
            out.push(d.with_fix_if(fix));
            continue;
        }
        let source = a.expected_source(params_span).noun();
        for db in extra {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    db.span,
                    format!(
                        "database '{}' is not in {source}'s databases ({expected_names})",
                        db.value
                    ),
                )
                .with_primary_label(format!("'{}'", db.value))
                .with_label(params_span, "expected here")
                .with_help(format!("the managed instance waits for the databases it was given; a different database ends in error 41977: fix the name here or in {source}")),
            );
        }
        for e in missing {
            let source = a.expected_source(e.span).noun();
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    list_span,
                    format!(
                        "{source} expects database '{}' in the link, but the scripts have {}",
                        e.value,
                        quoted_list(found.iter().map(|d| d.value.as_str()))
                    ),
                )
                .with_primary_label("the link's databases")
                .with_label(e.span, "expected here")
                .with_help(format!(
                    "add '{}' to the link, or remove it from {source}",
                    e.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] turned into the managed-instance-first template (an AG without
    /// databases, GRANT CREATE ANY DATABASE, `;Database=[db]` in the MI URL) and its
    /// parameters.
    fn mi_first(db: &str) -> (String, String) {
        let sql = LINK
            .replace("ALTER DATABASE [Treasury] SET RECOVERY FULL;\n", "")
            .replace("BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n", "")
            .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR REPLICA ON")
            .replace(
                "CREATE AVAILABILITY GROUP [dag-",
                "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\nCREATE AVAILABILITY GROUP [dag-",
            )
            .replace("Server=[mi-treasury]'", &format!("Server=[mi-treasury];Database=[{db}]'"));
        let params = PARAMS.replace(
            "initial_primary = \"sql_server\"",
            "initial_primary = \"managed_instance\"",
        );
        (sql, params)
    }

    #[test]
    fn an_ag_database_other_than_the_parameters() {
        let bad = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [TreasuryDB]");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [14]);
        assert_eq!(
            found[0].message,
            "database 'TreasuryDB' does not match the parameters file ('Treasury')"
        );
    }

    #[test]
    fn the_database_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn a_parameters_database_the_ag_lacks() {
        let params = PARAMS.replace(
            "databases = [\"Treasury\"]",
            "databases = [\"Treasury\", \"TreasuryArchive\"]",
        );
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [14]);
        assert_eq!(
            found[0].message,
            "the parameters file expects database 'TreasuryArchive' in the link, but the scripts have 'Treasury'"
        );
    }

    #[test]
    fn a_database_added_later_that_the_parameters_lack() {
        let bad = format!("{LINK}ALTER AVAILABILITY GROUP [AG_Treasury] ADD DATABASE [Payroll];\n");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [33]);
        assert_eq!(
            found[0].message,
            "database 'Payroll' is not in the parameters file's databases ('Treasury')"
        );
    }

    #[test]
    fn the_mi_url_database_in_the_managed_instance_first_template() {
        let (good, params) = mi_first("Treasury");
        assert_eq!(with_params(RULE.code, &good, &params), []);
        let (bad, params) = mi_first("TreasuryDB");
        assert_eq!(lines(&with_params(RULE.code, &bad, &params)), [27]);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        let good = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [TREASURY]");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        let good = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [<DatabaseName>]");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn nothing_to_compare_without_parameters() {
        let bad = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [TreasuryDB]");
        assert_eq!(script(RULE.code, &bad), []);
    }
}
