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
