//! ML310: a system database (master, model, msdb, tempdb) is in the link's FOR DATABASE.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML310,
    severity: Severity::Error,
    summary: "a system database (master, model, msdb, tempdb) is in the link's FOR DATABASE",
    catalogue: "M8",
    needs_params: false,
    check: Check::Model(check),
};

const SYSTEM_DATABASES: &[&str] = &["master", "model", "msdb", "tempdb"];

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(ag) = a.ag(link) else { continue };
        for db in &ag.databases {
            let system = SYSTEM_DATABASES
                .iter()
                .any(|s| db.value.eq_ignore_ascii_case(s));
            if system && seen.insert(db.span) {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, db.span, format!("'{}' is a system database; only user databases can be linked", db.value))
                        .with_primary_label("system database")
                        .with_help("remove it from FOR DATABASE (error 35249); script logins, jobs and other server objects to the managed instance separately"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    #[test]
    fn msdb_in_the_link_ag() {
        let bad = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [msdb]");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [14]);
        assert_eq!(
            found[0].message,
            "'msdb' is a system database; only user databases can be linked"
        );
    }

    #[test]
    fn master_in_any_letter_case_after_a_user_database() {
        let bad = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [Treasury], [MASTER]");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [14]);
        assert_eq!(
            found[0].message,
            "'MASTER' is a system database; only user databases can be linked"
        );
    }

    #[test]
    fn a_user_database() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn a_user_database_named_like_a_system_one() {
        let good = LINK.replace("[Treasury]", "[msdb_archive]");
        assert_eq!(script(RULE.code, &good), []);
    }
}
