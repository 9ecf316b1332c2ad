//! ML611: the Azure link mode does not fit the number of databases (or the parameters' mode).

use super::{Check, Rule};
use crate::analysis::azure_links::{is_create, names_only, origin_name, reference_databases};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::LinkMode;

pub static RULE: Rule = Rule {
    code: Code::ML611,
    severity: Severity::Error,
    summary: "the Azure link mode does not fit the number of databases (or the parameters' mode)",
    catalogue: "M6, M7",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in crate::analysis::azure_links::relevant_links(a).filter(|l| !names_only(l)) {
        let origin = origin_name(link);
        let multi = match &link.link_mode {
            Some(v) => match LinkMode::from_azure(&v.value) {
                Some(mode) => mode == LinkMode::Multi,
                None => continue,
            },
            // Commands default to SingleDatabase; an export without the key is an older API.
            None if is_create(link) => false,
            None => continue,
        };
        let params_mode =
            crate::analysis::azure_links::params_of(a, link).and_then(|l| l.mode.as_ref());
        if let (Some(mode), Some(v)) = (params_mode, &link.link_mode) {
            if mode.span != v.span && (mode.value == LinkMode::Multi) != multi {
                out.push(
                    Diagnostic::new(
                        RULE.code,
                        RULE.severity,
                        v.span,
                        format!("link mode '{}' in {origin} does not match {}", v.value, a.expected_source(mode.span).noun()),
                    )
                    .with_primary_label(format!("'{}'", v.value))
                    .with_label(mode.span, "expected here")
                    .with_help("use one link mode everywhere: single-database and multiple-database links cannot be mixed"),
                );
                continue;
            }
        }
        let count = match crate::analysis::azure_links::databases_of(a, link) {
            Some(dbs) if !dbs.is_empty() => dbs.len(),
            _ => reference_databases(a, link).map_or(0, |(dbs, _)| dbs.len()),
        };
        if multi || count <= 1 {
            continue;
        }
        let (span, label) = match &link.link_mode {
            Some(v) => (v.span, format!("'{}'", v.value)),
            None => (
                link.databases_span.unwrap_or(link.span),
                format!("{count} databases, no link mode (SingleDatabase)"),
            ),
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                span,
                format!("{origin} links {count} databases in single-database mode"),
            )
            .with_primary_label(label)
            .with_help("a single-database link replicates one database: create one link per database, or pass -LinkMode MultiDatabase / --link-mode MultiDatabase (preview; SQL Server 2022 CU27+ or 2025 CU9+, sp_multidb_milink 1)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS};

    /// The Azure side of a two-database link.
    const PS: &str = "\
New-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name dag-treasury `
    -PartnerAvailabilityGroupName AG_Treasury -InstanceAvailabilityGroupName AG_Treasury_MI `
    -Database Treasury, TreasuryArchive -PartnerEndpoint \"TCP://sqlfin01.corp.example.net:5022\"
";

    /// LINK with two databases, in the multiple-database link mode.
    fn two_databases() -> String {
        format!(
            "EXEC sys.sp_multidb_milink 1;\n{}",
            LINK.replace("FOR DATABASE [Treasury]", "FOR DATABASE [Treasury], [TreasuryArchive]")
        )
    }

    fn params(mode: &str) -> String {
        PARAMS.replace(
            "databases = [\"Treasury\"]",
            &format!("databases = [\"Treasury\", \"TreasuryArchive\"]\nmode = \"{mode}\""),
        )
    }

    fn azure(ps1: &str, params: Option<&str>) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", &two_databases()), ("link.ps1", ps1)], params)
    }

    #[test]
    fn two_databases_in_the_default_single_database_mode() {
        let found = azure(PS, None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "New-AzSqlInstanceLink links 2 databases in single-database mode");
    }

    #[test]
    fn two_databases_in_multiple_database_mode() {
        let ps1 = PS.replace(":5022\"", ":5022\" -LinkMode MultiDatabase");
        assert_eq!(azure(&ps1, None), []);
        assert_eq!(azure(&ps1, Some(&params("multi"))), []);
    }

    #[test]
    fn a_link_mode_other_than_the_parameters() {
        let ps1 = PS.replace(":5022\"", ":5022\" -LinkMode MultiDatabase");
        let found = azure(&ps1, Some(&params("single")));
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "link mode 'MultiDatabase' in New-AzSqlInstanceLink does not match the parameters file");
    }

    #[test]
    fn one_database_needs_no_link_mode() {
        let ps1 = PS.replace("-Database Treasury, TreasuryArchive", "-Database Treasury");
        let found = findings(RULE.code, &[("01.sql", LINK), ("link.ps1", &ps1)], Some(PARAMS));
        assert_eq!(found, []);
    }
}
