//! ML604: the databases of an Azure command or export differ from the link AG's (or the parameters file's).

use super::{Check, Rule};
use crate::analysis::azure_links::{
    databases_of, names_only, origin_name, reference_databases, with_value_origin,
};
use crate::analysis::name_checks::Source;
use crate::analysis::queries::{has_placeholder, quoted_list};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::same;

pub static RULE: Rule = Rule {
    code: Code::ML604,
    severity: Severity::Error,
    summary: "the databases of an Azure command or export differ from the link AG's (or the parameters file's)",
    catalogue: "N5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in crate::analysis::azure_links::relevant_links(a).filter(|l| !names_only(l)) {
        let Some(found) = databases_of(a, link) else {
            continue;
        };
        // A list read from `--databases @dbs.json` says where it came from.
        let from_file = |d: Diagnostic| match &link.databases_file {
            Some(file) if link.databases.is_none() => {
                d.with_note(format!("the databases were read from `{}`", file.path))
            }
            _ => d,
        };
        let Some((expected, source)) = reference_databases(a, link) else {
            continue;
        };
        // An export given as the parameters file is its own reference.
        if found.iter().zip(&expected).any(|(f, e)| f.span == e.span) {
            continue;
        }
        if found.iter().any(|f| has_placeholder(&f.value))
            || expected.iter().any(|e| has_placeholder(&e.value))
            || expected.is_empty()
        {
            continue;
        }
        let origin = origin_name(link);
        let whose = match source {
            Source::Params | Source::Export => source.noun(),
            Source::Script => "the link's availability group",
        };
        let extra: Vec<_> = found
            .iter()
            .filter(|f| !expected.iter().any(|e| same(&f.value, &e.value)))
            .collect();
        let missing: Vec<_> = expected
            .iter()
            .filter(|e| !found.iter().any(|f| same(&f.value, &e.value)))
            .collect();
        let expected_names = quoted_list(expected.iter().map(|e| e.value.as_str()));
        if let ([f], [e]) = (extra.as_slice(), missing.as_slice()) {
            let d = Diagnostic::new(
                RULE.code,
                RULE.severity,
                f.span,
                format!(
                    "database '{}' in {origin} does not match {whose} ('{}')",
                    f.value, e.value
                ),
            )
            .with_primary_label(format!("'{}'", f.value))
            .with_label(e.span, "expected here")
            .with_help(format!(
                "the managed instance waits for database '{}' to be seeded; any other name ends in error 41977",
                e.value
            ));
            out.push(from_file(with_value_origin(d, f)));
            continue;
        }
        for f in extra {
            let d = Diagnostic::new(
                RULE.code,
                RULE.severity,
                f.span,
                format!(
                    "database '{}' in {origin} is not among {whose}'s databases ({expected_names})",
                    f.value
                ),
            )
            .with_primary_label("not replicated by the link")
            .with_help("the availability group on SQL Server must carry every database the Azure side waits for, or the link fails with error 41977");
            out.push(from_file(with_value_origin(d, f)));
        }
        for e in missing {
            let span = link.databases_span.unwrap_or(link.span);
            out.push(from_file(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    span,
                    format!("{origin} does not list database '{}'", e.value),
                )
                .with_primary_label("databases of the link")
                .with_label(e.span, "replicated here")
                .with_help("pass every database of the link's availability group (and --link-mode/-LinkMode MultiDatabase for more than one)"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS, LINK_PS, LINK_CLI};

    fn azure(sql: &str, shell: (&str, &str), params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", sql), shell], params)
    }

    #[test]
    fn another_database_than_the_link_ag_carries() {
        let ps1 = LINK_PS.replace("-Database Treasury", "-Database Treasury_Prod");
        let found = azure(LINK, ("link.ps1", &ps1), None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "database 'Treasury_Prod' in New-AzSqlInstanceLink does not match the link's availability group ('Treasury')");
        let with_params = azure(LINK, ("link.ps1", &ps1), Some(PARAMS));
        assert_eq!(lines(&with_params), [3]);
        assert_eq!(with_params[0].message, "database 'Treasury_Prod' in New-AzSqlInstanceLink does not match the parameters file ('Treasury')");
    }

    #[test]
    fn the_database_of_the_link_ag() {
        assert_eq!(azure(LINK, ("link.ps1", LINK_PS), None), []);
        assert_eq!(azure(LINK, ("link.ps1", LINK_PS), Some(PARAMS)), []);
        assert_eq!(azure(LINK, ("link.sh", LINK_CLI), Some(PARAMS)), []);
    }

    #[test]
    fn an_extra_database_and_a_missing_one() {
        let extra = LINK_PS.replace("-Database Treasury", "-Database Treasury, TreasuryArchive");
        let found = azure(LINK, ("link.ps1", &extra), None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(
            found[0].message,
            "database 'TreasuryArchive' in New-AzSqlInstanceLink is not among the link's availability group's databases ('Treasury')"
        );
        let two = LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [Treasury], [TreasuryArchive]");
        let found = azure(&two, ("link.ps1", LINK_PS), None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink does not list database 'TreasuryArchive'");
    }

    #[test]
    fn every_form_of_the_cli_list() {
        for list in [
            "\"[{database-name:Treasury}]\"",
            "'[{\"database-name\":\"Treasury\"}]'",
            "\"[Treasury]\"",
            "Treasury",
        ] {
            let sh = LINK_CLI.replace("\"['Treasury']\"", list);
            assert_eq!(azure(LINK, ("link.sh", &sh), None), [], "{list}");
            let bad = sh.replace("Treasury", "Treasury_Prod");
            assert_eq!(lines(&azure(LINK, ("link.sh", &bad), None)), [2], "{list}");
        }
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        let ps1 = LINK_PS.replace("-Database Treasury", "-Database \"<DatabaseName>\"");
        assert_eq!(azure(LINK, ("link.ps1", &ps1), None), []);
    }
}
