//! ML308: the link's availability group lists several databases without multiple-database link mode.

use super::{Check, Rule};
use crate::analysis::queries::multi_database_mode;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML308,
    severity: Severity::Error,
    summary:
        "the link's availability group lists several databases without multiple-database link mode",
    catalogue: "M6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if multi_database_mode(a) {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(ag) = a.ag(link) else { continue };
        // In run order: `FOR DATABASE a, b`, or a later `ADD DATABASE b`.
        let [first, second, ..] = link.databases.as_slice() else {
            continue;
        };
        if !seen.insert(second.name.span) {
            continue;
        }
        let added = second.statement != link.ag.unwrap_or(second.statement);
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            second.name.span,
            format!("availability group '{}' carries {} databases; a link replicates one", ag.name.value, link.databases.len()),
        )
        .with_primary_label(if added { "a second database, added here" } else { "a second database" })
        .with_label(first.name.span, "the first database")
        .with_help("create one AG and one DAG per database, or use the multiple-database link mode (link.mode = \"multi\" in the parameters and EXEC sys.sp_multidb_milink 1)");
        if let Some(mode) = a.link_params(link).and_then(|l| l.mode.as_ref()) {
            d = d.with_label(mode.span, "single-database mode");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const TWO: &str = "FOR DATABASE [Treasury], [TreasuryArchive]";

    #[test]
    fn two_databases_in_for_database() {
        let bad = LINK.replace("FOR DATABASE [Treasury]", TWO);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [14]);
        assert_eq!(
            found[0].message,
            "availability group 'AG_Treasury' carries 2 databases; a link replicates one"
        );
    }

    #[test]
    fn a_second_database_added_later() {
        let bad = format!("{LINK}ALTER AVAILABILITY GROUP [AG_Treasury] ADD DATABASE [TreasuryArchive];\n");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [33]);
    }

    #[test]
    fn one_database() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn added_then_removed_again() {
        let good = format!(
            "{LINK}ALTER AVAILABILITY GROUP [AG_Treasury] ADD DATABASE [TreasuryArchive];\nALTER AVAILABILITY GROUP [AG_Treasury] REMOVE DATABASE [TreasuryArchive];\n"
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_multiple_database_mode_in_the_parameters_or_the_scripts() {
        let two = LINK.replace("FOR DATABASE [Treasury]", TWO);
        let params = PARAMS.replace(
            "databases = [\"Treasury\"]",
            "databases = [\"Treasury\", \"TreasuryArchive\"]\nmode = \"multi\"",
        );
        assert_eq!(with_params(RULE.code, &two, &params), []);
        let enabled = format!("EXEC sys.sp_multidb_milink 1;\n{two}");
        assert_eq!(script(RULE.code, &enabled), []);
    }

    #[test]
    fn single_mode_declared_with_two_databases() {
        let two = LINK.replace("FOR DATABASE [Treasury]", TWO);
        let params = PARAMS.replace(
            "databases = [\"Treasury\"]",
            "databases = [\"Treasury\", \"TreasuryArchive\"]\nmode = \"single\"",
        );
        assert_eq!(lines(&with_params(RULE.code, &two, &params)), [14]);
    }
}
