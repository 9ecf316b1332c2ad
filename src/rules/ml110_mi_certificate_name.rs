//! ML110: the certificate imported from the managed instance is not named its FQDN.

use super::{Check, Rule};
use crate::analysis::queries::{expected_fqdns, imported_certificates};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Certificate, Spanned};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML110,
    severity: Severity::Error,
    summary: "the certificate imported FROM BINARY from the managed instance is not named exactly the managed instance FQDN",
    catalogue: "N10",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let expected = expected_fqdns(a);
    let Some(first) = expected.first() else {
        return;
    };
    let imported = imported_certificates(a);
    let named_after = |c: &Certificate, f: &Spanned<String>| {
        compare(&c.name.value, &f.value) != NameMatch::Different
    };
    // Any imported certificate named after the managed instance: the others are other keys.
    if imported
        .iter()
        .any(|c| expected.iter().any(|f| named_after(c, f)))
    {
        return;
    }
    for cert in imported {
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                cert.name.span,
                format!(
                    "certificate '{}' imported from the managed instance must be named exactly its FQDN '{}'",
                    cert.name.value, first.value
                ),
            )
            .with_primary_label("custom name")
            .with_label(first.span, "the managed instance FQDN")
            .with_help(format!(
                "write CREATE CERTIFICATE [{}] FROM BINARY = 0x…; the link does not work with a custom name",
                first.value
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    const IMPORT: &str = "[mi-treasury.8c2e4f1a9b3d.database.windows.net] FROM BINARY";

    /// [`LINK`] with the managed instance's key imported as `[name]` (line 9).
    fn imported_as(name: &str) -> String {
        LINK.replace(IMPORT, &format!("[{name}] FROM BINARY"))
    }

    #[test]
    fn the_key_imported_under_the_short_name() {
        let found = script(RULE.code, &imported_as("mi-treasury"));
        assert_eq!(lines(&found), [9]);
        assert_eq!(
            found[0].message,
            "certificate 'mi-treasury' imported from the managed instance must be named exactly its FQDN 'mi-treasury.8c2e4f1a9b3d.database.windows.net'"
        );
        let found = with_params(RULE.code, &imported_as("mi-treasury"), PARAMS);
        assert_eq!(lines(&found), [9]);
    }

    #[test]
    fn the_key_imported_under_the_fqdn() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn a_root_ca_besides_is_another_key() {
        let good = LINK.replace(
            "ALTER DATABASE",
            "CREATE CERTIFICATE [MicrosoftPKI] FROM BINARY = 0x3082AAAA;\nALTER DATABASE",
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        let good = imported_as("MI-TREASURY.8C2E4F1A9B3D.DATABASE.WINDOWS.NET");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn a_certificate_script_alone_needs_the_parameters() {
        let trust = "CREATE CERTIFICATE [mi-treasury] FROM BINARY = 0x3082ABCD;\n";
        let found = findings(RULE.code, &[("01_trust.sql", trust)], Some(PARAMS));
        assert_eq!(lines(&found), [1]);
        assert_eq!(findings(RULE.code, &[("01_trust.sql", trust)], None), []);
    }

    #[test]
    fn without_parameters_a_public_url_host_still_names_the_vnet_local_fqdn() {
        let public = LINK.replace(
            "tcp://mi-treasury.8c2e4f1a9b3d",
            "tcp://mi-treasury.public.8c2e4f1a9b3d",
        );
        assert_eq!(script(RULE.code, &public), []);
    }

    #[test]
    fn a_url_host_not_known_yet_names_no_fqdn() {
        for host in ["<ManagedInstanceFQDN>", "$(MiFqdn)"] {
            let sql = LINK.replace(
                "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022",
                &format!("tcp://{host}:5022"),
            );
            assert_eq!(script(RULE.code, &sql), [], "{host}");
        }
    }
}
