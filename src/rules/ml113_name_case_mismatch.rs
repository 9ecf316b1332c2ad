//! ML113: two occurrences of a name differ only in letter case.

use super::{Check, Rule};
use crate::analysis::name_checks::{NameKind, Source};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::NameMatch;

pub static RULE: Rule = Rule {
    code: Code::ML113,
    severity: Severity::Warning,
    summary:
        "a name differs only in letter case from the parameters file or from its other occurrence",
    catalogue: "N13",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for e in a.name_checks() {
        // Host names are DNS names: letter case never matters there.
        if e.outcome() != NameMatch::CaseOnly || e.kind == NameKind::MiHost {
            continue;
        }
        let where_ = match e.source {
            Source::Params | Source::Export => e.source.noun(),
            Source::Script => "its declaration",
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                e.found.span,
                format!(
                    "{} '{}' differs only in letter case from {where_} ('{}')",
                    e.what, e.found.value, e.expected.value
                ),
            )
            .with_primary_label(format!("'{}'", e.found.value))
            .with_label(e.expected.span, format!("'{}'", e.expected.value))
            .with_help(format!(
                "write '{}' everywhere: a case-sensitive collation or the Azure side can treat them as different names",
                e.expected.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    #[test]
    fn an_ag_in_capitals_against_the_parameters() {
        let bad = LINK
            .replace("[AG_Treasury]", "[AG_TREASURY]")
            .replace("N'AG_Treasury' WITH", "N'AG_TREASURY' WITH");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [12, 23]);
        assert_eq!(
            found[0].message,
            "availability group name 'AG_TREASURY' differs only in letter case from the parameters file ('AG_Treasury')"
        );
    }

    #[test]
    fn the_names_written_alike() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn a_dag_member_against_the_created_ag_without_parameters() {
        let bad = LINK.replace("N'AG_Treasury' WITH", "N'ag_treasury' WITH");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [23]);
        assert_eq!(
            found[0].message,
            "DAG member name 'ag_treasury' differs only in letter case from its declaration ('AG_Treasury')"
        );
    }

    #[test]
    fn each_pair_of_the_table() {
        let cases = [
            ("[dag-treasury]", "[DAG-Treasury]", 20),
            ("N'AG_Treasury_MI'", "N'ag_treasury_mi'", 28),
            ("FOR DATABASE [Treasury]", "FOR DATABASE [TREASURY]", 14),
            ("REPLICA ON N'SQLFIN01'", "REPLICA ON N'sqlfin01'", 15),
            ("Server=[mi-treasury]", "Server=[MI-Treasury]", 29),
            ("CERTIFICATE [mi-treasury.8c2e", "CERTIFICATE [MI-treasury.8c2e", 9),
            ("CERTIFICATE [Cert_SQLFIN01_endpoint],", "CERTIFICATE [cert_sqlfin01_endpoint],", 7),
        ];
        for (from, to, line) in cases {
            assert!(LINK.contains(from), "{from}");
            let bad = LINK.replace(from, to);
            assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [line], "{to}");
        }
    }

    #[test]
    fn an_alter_member_against_the_dag() {
        let bad = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury] MODIFY AVAILABILITY GROUP ON
    'AG_Treasury' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT),
    'AG_TREASURY_MI' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);
"
        );
        assert_eq!(lines(&script(RULE.code, &bad)), [35]);
    }

    #[test]
    fn letter_case_of_a_host_never_matters() {
        let good = LINK.replace(
            "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net",
            "tcp://MI-TREASURY.8C2E4F1A9B3D.DATABASE.WINDOWS.NET",
        );
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_real_difference_is_the_mismatch_rules_finding() {
        let other = LINK.replace("[dag-treasury]", "[DAG-Ledger]");
        assert_eq!(with_params(RULE.code, &other, PARAMS), []);
    }

    #[test]
    fn a_pair_not_in_the_table_is_not_compared() {
        let good = LINK.replace("ALTER DATABASE [Treasury]", "ALTER DATABASE [TREASURY]");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_url_host_in_capitals_says_nothing_about_the_certificate_name() {
        // DNS names are case-insensitive: without the parameters' FQDN the certificate is
        // compared with the URL host, whose letter case means nothing.
        let sql = LINK.replace(
            "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022",
            "tcp://MI-TREASURY.8C2E4F1A9B3D.DATABASE.WINDOWS.NET:5022",
        );
        assert_eq!(script(RULE.code, &sql), []);
    }
}
