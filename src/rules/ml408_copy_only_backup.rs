//! ML408: SQL Server is the initial primary and the link's database is backed up only WITH COPY_ONLY.

use super::{Check, Rule};
use crate::analysis::queries::direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Backup;
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
                .backups_of(&db.value)
                .filter(|b| !b.differential)
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const BACKUP: &str = "TO DISK = N'D:\\Backup\\Treasury.bak';";

    fn copy_only() -> String {
        LINK.replace(BACKUP, "TO DISK = N'D:\\Backup\\Treasury.bak' WITH COPY_ONLY, COMPRESSION;")
    }

    #[test]
    fn only_a_copy_only_full_backup() {
        let found = script(RULE.code, &copy_only());
        assert_eq!(lines(&found), [11]);
        assert_eq!(
            found[0].message,
            "database 'Treasury' has only COPY_ONLY full backups"
        );
        assert_eq!(lines(&with_params(RULE.code, &copy_only(), PARAMS)), [11]);
    }

    #[test]
    fn a_regular_full_backup() {
        assert_eq!(script(RULE.code, LINK), []);
        let compressed = LINK.replace(BACKUP, "TO DISK = N'D:\\Backup\\Treasury.bak' WITH COMPRESSION;");
        assert_eq!(script(RULE.code, &compressed), []);
    }

    #[test]
    fn a_regular_full_backup_next_to_the_copy_only_one() {
        let good = format!("{}BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury_2.bak';\n", copy_only());
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_differential_backup_starts_no_chain_either() {
        let bad = format!(
            "{}BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury_diff.bak' WITH DIFFERENTIAL;\n",
            copy_only()
        );
        assert_eq!(lines(&script(RULE.code, &bad)), [11]);
    }

    #[test]
    fn managed_instance_first_is_not_checked_here() {
        let params = PARAMS.replace("\"sql_server\"", "\"managed_instance\"");
        assert_eq!(with_params(RULE.code, &copy_only(), &params), []);
    }
}
