//! ML305: the database mirroring endpoint does not authenticate with a certificate.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, mirroring_endpoints, set_later_on_endpoint};
use crate::analysis::{Analysis, EndpointSetting};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML305,
    severity: Severity::Error,
    summary: "the database mirroring endpoint does not authenticate with a certificate",
    catalogue: "M5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (index, e) in mirroring_endpoints(a) {
        if set_later_on_endpoint(a, index, EndpointSetting::Authentication) {
            continue;
        }
        let d = match &e.authentication {
            Some(auth) if auth.certificate.is_some() => continue,
            Some(auth) => Diagnostic::new(
                RULE.code,
                RULE.severity,
                auth.span,
                format!(
                    "endpoint '{}' authenticates with Windows only",
                    e.name.value
                ),
            )
            .with_primary_label("no CERTIFICATE"),
            None if !e.is_alter => Diagnostic::new(
                RULE.code,
                RULE.severity,
                e.name.span,
                format!(
                    "endpoint '{}' has no AUTHENTICATION clause, so it uses Windows authentication",
                    e.name.value
                ),
            )
            .with_primary_label("AUTHENTICATION missing"),
            None => continue,
        };
        out.push(d.with_help("the managed instance can only authenticate with certificates: write AUTHENTICATION = CERTIFICATE [<cert>] (or WINDOWS NEGOTIATE CERTIFICATE [<cert>] when an existing AG still needs Windows)"));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const CERTIFICATE: &str = "AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint]";

    #[test]
    fn an_endpoint_with_windows_authentication_only() {
        let bad = LINK.replace(CERTIFICATE, "AUTHENTICATION = WINDOWS NEGOTIATE");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [7]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' authenticates with Windows only"
        );
    }

    #[test]
    fn an_endpoint_without_authentication() {
        let bad = LINK.replace(&format!("\n        {CERTIFICATE},"), "");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [4]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' has no AUTHENTICATION clause, so it uses Windows authentication"
        );
    }

    #[test]
    fn an_endpoint_with_a_certificate() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn windows_and_certificate_in_either_order() {
        let windows_first = LINK.replace(
            CERTIFICATE,
            "AUTHENTICATION = WINDOWS NEGOTIATE CERTIFICATE [Cert_SQLFIN01_endpoint]",
        );
        assert_eq!(script(RULE.code, &windows_first), []);
        let certificate_first = LINK.replace(
            CERTIFICATE,
            "AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint] WINDOWS NEGOTIATE",
        );
        assert_eq!(script(RULE.code, &certificate_first), []);
    }

    #[test]
    fn a_later_alter_endpoint_adds_the_certificate() {
        let fixed = LINK.replace(CERTIFICATE, "AUTHENTICATION = WINDOWS NEGOTIATE").replace(
            "CREATE CERTIFICATE [mi-treasury",
            "ALTER ENDPOINT [Hadr_endpoint]\n    FOR DATABASE_MIRRORING (AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint]);\nCREATE CERTIFICATE [mi-treasury",
        );
        assert_eq!(script(RULE.code, &fixed), []);
    }

    #[test]
    fn an_alter_in_the_else_arm_does_not_fix_the_create() {
        let bad = LINK.replace(CERTIFICATE, "AUTHENTICATION = WINDOWS NEGOTIATE").replace(
            "CREATE ENDPOINT [Hadr_endpoint]",
            "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)\nCREATE ENDPOINT [Hadr_endpoint]",
        ).replace(
            "ENCRYPTION = REQUIRED ALGORITHM AES);",
            "ENCRYPTION = REQUIRED ALGORITHM AES)\nELSE\n    ALTER ENDPOINT [Hadr_endpoint]\n    FOR DATABASE_MIRRORING (AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint]);",
        );
        assert_eq!(lines(&script(RULE.code, &bad)), [8]);
    }

    #[test]
    fn an_endpoint_outside_a_link_set_up() {
        let endpoint_only = LINK
            .split("CREATE CERTIFICATE [mi-treasury")
            .next()
            .unwrap()
            .replace(CERTIFICATE, "AUTHENTICATION = WINDOWS NEGOTIATE");
        assert_eq!(script(RULE.code, &endpoint_only), []);
    }
}
