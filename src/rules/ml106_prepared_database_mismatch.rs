//! ML106: ALTER DATABASE / BACKUP DATABASE prepare a database that is not in the link.

use super::{Check, Rule};
use crate::analysis::queries::{parameters_name_instead, preparations, quoted_list, Preparation};
use crate::analysis::{Analysis, LinkSetup};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::{compare, NameMatch};

fn same(x: &str, y: &str) -> bool {
    compare(x, y) != NameMatch::Different
}

pub static RULE: Rule = Rule {
    code: Code::ML106,
    severity: Severity::Warning,
    summary: "SET RECOVERY FULL or BACKUP DATABASE names a database that is not in the link's availability group",
    catalogue: "N6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let prepared = preparations(a);
    let mut seen = std::collections::HashSet::new();
    for Preparation {
        database: p, file, ..
    } in &prepared
    {
        // Only preparations in a set-up's scripts are for a link: a maintenance script
        // that backs up every database is not.
        let links: Vec<&LinkSetup> = a.links_of(*file).collect();
        let in_links: Vec<&crate::model::Spanned<String>> = links
            .iter()
            .flat_map(|l| l.databases.iter().map(|d| &d.name))
            .collect();
        if in_links.is_empty() || in_links.iter().any(|db| same(&p.value, &db.value)) {
            continue;
        }
        // The parameters name this database and the AG another: ML105 reports the AG's
        // name and shows this preparation.
        if links
            .iter()
            .any(|l| parameters_name_instead(a, l, &p.value))
            || !seen.insert(p.span)
        {
            continue;
        }
        // A database of the link that nothing in its set-up prepares makes a stray
        // preparation an error: the preparation was almost certainly meant for it.
        let unprepared: Vec<&&crate::model::Spanned<String>> = in_links
            .iter()
            .filter(|db| {
                !prepared.iter().any(|q| {
                    same(&q.database.value, &db.value) && links.iter().any(|l| l.has_file(q.file))
                })
            })
            .collect();
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
        d = if let Some(db) = unprepared.first() {
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    const BACKUP: &str = "BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';";

    /// [`LINK`] with `extra` after the backup (line 12 on).
    fn with_extra(extra: &str) -> String {
        LINK.replace(BACKUP, &format!("{BACKUP}\n{extra}"))
    }

    #[test]
    fn another_database_prepared_than_the_ag_carries() {
        let bad = LINK
            .replace("[Treasury] SET RECOVERY", "[TreasuryArchive] SET RECOVERY")
            .replace("BACKUP DATABASE [Treasury]", "BACKUP DATABASE [TreasuryArchive]");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [10, 11]);
        assert_eq!(
            found[0].message,
            "database 'TreasuryArchive' is prepared for the link but is not in its availability group ('Treasury')"
        );
    }

    #[test]
    fn the_database_of_the_ag_prepared() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn a_stray_backup_besides_the_right_one() {
        let bad = with_extra("BACKUP DATABASE [Payroll] TO DISK = N'D:\\Backup\\Payroll.bak';");
        assert_eq!(lines(&script(RULE.code, &bad)), [12]);
    }

    #[test]
    fn what_the_link_does_not_need_is_no_preparation() {
        for extra in [
            "BACKUP DATABASE [master] TO DISK = N'D:\\Backup\\master.bak';",
            "BACKUP DATABASE [Payroll] TO DISK = N'D:\\Backup\\Payroll.dif' WITH DIFFERENTIAL;",
            "BACKUP LOG [Payroll] TO DISK = N'D:\\Backup\\Payroll.trn';",
            "ALTER DATABASE [Payroll] SET RECOVERY SIMPLE;",
        ] {
            assert_eq!(script(RULE.code, &with_extra(extra)), [], "{extra}");
        }
    }

    #[test]
    fn a_maintenance_script_outside_the_set_up() {
        let maintenance = "ALTER DATABASE [Payroll] SET RECOVERY FULL;\nBACKUP DATABASE [Payroll] TO DISK = N'D:\\Backup\\Payroll.bak';\n";
        let files = [("link/01.sql", LINK), ("maintenance/backup_all.sql", maintenance)];
        assert_eq!(findings(RULE.code, &files, None), []);
    }

    #[test]
    fn the_parameters_name_the_prepared_database_so_ml105_reports_the_ag() {
        let bad = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [TreasuryDB]");
        assert_eq!(with_params(RULE.code, &bad, PARAMS), []);
        assert_eq!(lines(&script(RULE.code, &bad)), [10, 11]);
    }
}
