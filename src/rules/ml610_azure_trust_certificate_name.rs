//! ML610: the certificate uploaded to the managed instance is not named like SQL Server's endpoint certificate.

use super::{Check, Rule};
use crate::analysis::azure_links::with_value_origin;
use crate::analysis::queries::{certificate_matches, has_placeholder};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML610,
    severity: Severity::Warning,
    summary: "the certificate uploaded to the managed instance is not named like SQL Server's endpoint certificate",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // The certificates the mirroring endpoints authenticate with.
    let endpoint_certs: Vec<_> = a
        .endpoints()
        .filter_map(|(_, e)| e.authentication.as_ref()?.certificate.as_ref())
        .collect();
    let Some(expected) = endpoint_certs.last() else {
        return;
    };
    for cert in &a.azure.trust_certificates {
        let Some(name) = &cert.name else { continue };
        if has_placeholder(&name.value) || has_placeholder(&expected.value) {
            continue;
        }
        if endpoint_certs
            .iter()
            .any(|c| certificate_matches(c, &name.value, a.server_name()).is_some())
        {
            continue;
        }
        let d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            name.span,
            format!(
                "{} uploads '{}', but SQL Server's endpoint authenticates with certificate '{}'",
                cert.command,
                name.value,
                expected.display()
            ),
        )
        .with_primary_label(format!("'{}'", name.value))
        .with_label(expected.span, "the endpoint's certificate");
        out.push(with_value_origin(d, name).with_help("upload the public key of the endpoint's certificate (CERTENCODED(CERT_ID(N'…'))) under its name: another name may mean another certificate's key, and then the link fails with error 41973"));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK};

    /// SQL Server's endpoint certificate uploaded to the managed instance.
    const TRUST: &str = "\
$PublicKey = \"0x3082ABCD\"
New-AzSqlInstanceServerTrustCertificate -ResourceGroupName rg-treasury -InstanceName mi-treasury `
    -Name \"Cert_SQLFIN01_endpoint\" -PublicKey $PublicKey
";

    fn azure(sql: &str, shell: (&str, &str)) -> Vec<Finding> {
        findings(RULE.code, &[("01.sql", sql), shell], None)
    }

    #[test]
    fn another_name_than_the_endpoint_certificate() {
        let ps1 = TRUST.replace("\"Cert_SQLFIN01_endpoint\"", "\"Cert_SQLFIN01\"");
        let found = azure(LINK, ("trust.ps1", &ps1));
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "New-AzSqlInstanceServerTrustCertificate uploads 'Cert_SQLFIN01', but SQL Server's endpoint authenticates with certificate 'Cert_SQLFIN01_endpoint'");
    }

    #[test]
    fn the_endpoint_certificate_name() {
        assert_eq!(azure(LINK, ("trust.ps1", TRUST)), []);
        let sh = "az sql mi partner-cert create -g rg-treasury --instance-name mi-treasury \\\n  --name Cert_SQLFIN01_endpoint --public-key \"$PUBLIC_KEY\"\n";
        assert_eq!(azure(LINK, ("trust.sh", sh)), []);
        let bad = sh.replace("--name Cert_SQLFIN01_endpoint", "--name Cert_SQLFIN01");
        assert_eq!(lines(&azure(LINK, ("trust.sh", &bad))), [2]);
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        let ps1 = TRUST.replace("\"Cert_SQLFIN01_endpoint\"", "\"<SQLServerCertName>\"");
        assert_eq!(azure(LINK, ("trust.ps1", &ps1)), []);
    }

    #[test]
    fn without_an_endpoint_in_the_scripts_nothing_is_compared() {
        let no_endpoint = LINK.replace(
            "CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED\n    AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)\n    FOR DATABASE_MIRRORING (ROLE = ALL,\n        AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint],\n        ENCRYPTION = REQUIRED ALGORITHM AES);\n",
            "",
        );
        assert!(!no_endpoint.contains("CREATE ENDPOINT"));
        let ps1 = TRUST.replace("\"Cert_SQLFIN01_endpoint\"", "\"Cert_SQLFIN01\"");
        assert_eq!(azure(&no_endpoint, ("trust.ps1", &ps1)), []);
    }
}
