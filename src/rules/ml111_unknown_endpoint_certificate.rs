//! ML111: the endpoint authenticates with a certificate the scripts do not create.

use super::{Check, Rule};
use crate::analysis::queries::{endpoint_certificates, own_certificates};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CertificateSource, Name, SERVERNAME_MARKER};
use crate::names::{compare, similarity, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML111,
    severity: Severity::Error,
    summary: "the endpoint's AUTHENTICATION = CERTIFICATE names a certificate that the scripts do not create",
    catalogue: "N11",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if a.links.is_empty() && a.params.is_none() {
        return;
    }
    let server_name = a.server_name();
    let own = own_certificates(a);
    for (cert, created) in endpoint_certificates(a) {
        // `[<SQLServerCertName>]`, `[$(CertName)]`: ML501 / ML502 report the placeholder.
        if created.is_some() || crate::analysis::queries::has_placeholder(&cert.value) {
            continue;
        }
        out.push(unknown_certificate(a, cert, &own, server_name));
    }
}

fn unknown_certificate(
    a: &Analysis,
    cert: &Name,
    own: &[&Name],
    server_name: Option<&str>,
) -> Diagnostic {
    let message = format!(
        "endpoint certificate '{}' is not created in these scripts",
        cert.value
    );
    // A public key imported FROM BINARY has no private key: it cannot be the endpoint's.
    let imported = a.certificates().find(|(_, c)| {
        c.source == CertificateSource::Binary
            && compare(&c.name.value, &cert.value) != NameMatch::Different
    });
    let closest = own.iter().max_by(|x, y| {
        similarity(&x.display(), &cert.value).total_cmp(&similarity(&y.display(), &cert.value))
    });
    let mut d = match (imported, closest) {
        (Some((_, c)), _) => Diagnostic::new(
            RULE.code,
            RULE.severity,
            cert.span,
            format!("endpoint certificate '{}' is a public key imported FROM BINARY", cert.value),
        )
        .with_primary_label("no private key")
        .with_label(c.name.span, "imported here")
        .with_help("the endpoint authenticates with SQL Server's own certificate (created WITH SUBJECT), not with the managed instance's public key"),
        (None, Some(c)) => Diagnostic::new(RULE.code, RULE.severity, cert.span, message)
            .with_primary_label("no such certificate")
            .with_label(c.span, format!("the scripts create '{}'", c.display()))
            .with_help("use the name of the certificate created for the endpoint; CREATE/ALTER ENDPOINT fails on an unknown certificate"),
        (None, None) => Diagnostic::new(RULE.code, Severity::Warning, cert.span, message)
            .with_primary_label("created elsewhere?")
            .with_help("if the certificate already exists on the server this is fine; otherwise create it (in master) before the endpoint"),
    };
    if server_name.is_none() && own.iter().any(|c| c.value.contains(SERVERNAME_MARKER)) {
        d = d.with_note("a certificate name is built from @@SERVERNAME; give sql_server.name in the parameters file to resolve it");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    const AUTH: &str = "AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint]";

    /// [`LINK`] with the endpoint authenticating with `[name]` (line 7).
    fn authenticating_with(name: &str) -> String {
        LINK.replace(AUTH, &format!("AUTHENTICATION = CERTIFICATE [{name}]"))
    }

    /// [`LINK`] with the endpoint certificate made by the documentation's dynamic SQL
    /// from @@SERVERNAME (the endpoint's AUTHENTICATION is then on line 8).
    fn dynamic_certificate() -> String {
        let created = "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]\n    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';\n";
        assert!(LINK.contains(created));
        LINK.replace(
            created,
            "DECLARE @name NVARCHAR(MAX) = N'Cert_' + @@SERVERNAME + N'_endpoint';
DECLARE @sql NVARCHAR(MAX) = N'CREATE CERTIFICATE [' + @name + N'] WITH SUBJECT = ''Certificate for ' + @name + N''', EXPIRY_DATE = ''2030-01-01''';
EXEC sp_executesql @stmt = @sql;
",
        )
    }

    #[test]
    fn a_typo_in_the_endpoint_certificate() {
        let found = script(RULE.code, &authenticating_with("Cert_SQLFIN1_endpoint"));
        assert_eq!(lines(&found), [7]);
        assert_eq!(
            found[0].message,
            "endpoint certificate 'Cert_SQLFIN1_endpoint' is not created in these scripts"
        );
    }

    #[test]
    fn the_certificate_the_scripts_create() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn the_managed_instance_key_has_no_private_key() {
        let bad = authenticating_with("mi-treasury.8c2e4f1a9b3d.database.windows.net");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [7]);
        assert_eq!(
            found[0].message,
            "endpoint certificate 'mi-treasury.8c2e4f1a9b3d.database.windows.net' is a public key imported FROM BINARY"
        );
    }

    #[test]
    fn no_certificate_of_their_own_may_exist_on_the_server() {
        let created = "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]\n    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';\n";
        let existing = LINK.replace(created, "");
        // A warning, still a finding (line 5 once the certificate's two lines are gone).
        assert_eq!(lines(&script(RULE.code, &existing)), [5]);
    }

    #[test]
    fn a_certificate_created_after_the_endpoint_counts() {
        let created = "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]\n    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';\n";
        let later = format!("{}{created}", LINK.replace(created, ""));
        assert_eq!(script(RULE.code, &later), []);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        let good = authenticating_with("CERT_SQLFIN01_ENDPOINT");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_placeholder_is_left_to_ml501() {
        let good = authenticating_with("<SQLServerCertName>");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_certificate_built_from_servername() {
        let sql = dynamic_certificate();
        assert_eq!(script(RULE.code, &sql), []);
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
        let other_server = PARAMS.replace("name = \"SQLFIN01\"", "name = \"SQLFIN02\"");
        assert_eq!(lines(&with_params(RULE.code, &sql, &other_server)), [8]);
    }

    #[test]
    fn an_endpoint_script_alone_without_parameters_is_not_checked() {
        let endpoint = "CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED
    AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
    FOR DATABASE_MIRRORING (ROLE = ALL,
        AUTHENTICATION = CERTIFICATE [Cert_SQLFIN1_endpoint],
        ENCRYPTION = REQUIRED ALGORITHM AES);
";
        assert_eq!(findings(RULE.code, &[("02_endpoint.sql", endpoint)], None), []);
        let found = findings(RULE.code, &[("02_endpoint.sql", endpoint)], Some(PARAMS));
        assert_eq!(lines(&found), [4]);
    }
}
