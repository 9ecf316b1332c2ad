//! ML110: the certificate imported from the managed instance is not named its FQDN.

use super::support::mi_fqdn;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Certificate, CertificateSource};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: "ML110",
    name: "mi-certificate-name",
    severity: Severity::Error,
    summary: "the certificate imported FROM BINARY from the managed instance is not named exactly the managed instance FQDN",
    catalogue: "N10",
    needs_params: false,
    doc: rule_doc!("ML110"),
    check,
};

/// Root certification authorities imported for the link (MicrosoftPKI, DigiCertPKI) and
/// similar names are not the managed instance's certificate.
fn is_root_ca(cert: &Certificate) -> bool {
    let lower = cert.name.value.to_ascii_lowercase();
    [
        "pki",
        "root",
        "digicert",
        "microsoft",
        "ca_",
        "_ca",
        "authority",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let Some(link) = a.links.first() else { return };
    let Some(fqdn) = mi_fqdn(a, link) else { return };
    // The VNet-local FQDN: a `.public.` host is ML205's finding, not a certificate name.
    let expected = fqdn.value.replace(".public.", ".");
    let imported: Vec<&Certificate> = a
        .certificates()
        .map(|(_, c)| c)
        .filter(|c| c.source == CertificateSource::Binary && !is_root_ca(c))
        .collect();
    let correct = |c: &Certificate| {
        matches!(
            compare(&c.name.value, &expected),
            NameMatch::Same | NameMatch::CaseOnly
        )
    };
    if imported.iter().any(|c| correct(c)) {
        return;
    }
    for cert in imported {
        if compare(&cert.name.value, &expected) != NameMatch::Different {
            continue; // whitespace / look-alike: ML114 / ML115
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                cert.name.span,
                format!(
                    "certificate '{}' imported from the managed instance must be named exactly its FQDN '{}'",
                    cert.name.value, expected
                ),
            )
            .with_primary_label("custom name")
            .with_label(fqdn.span, "the managed instance FQDN")
            .with_help(format!(
                "write CREATE CERTIFICATE [{expected}] FROM BINARY = 0x…; the link does not work with a custom name"
            )),
        );
    }
}
