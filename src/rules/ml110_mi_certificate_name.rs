//! ML110: the certificate imported from the managed instance is not named its FQDN.

use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Certificate, CertificateSource, Spanned};
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

/// The managed instance FQDNs the imported certificate must be named after: the
/// parameters' `fqdn` when given (a wrong URL host is then ML109's finding), else the
/// hosts of the managed-instance listener URLs, made VNet-local (a public or private
/// endpoint host is ML205's finding).
pub fn expected_fqdns(a: &Analysis) -> Vec<Spanned<String>> {
    if let Some(f) = a
        .params
        .as_ref()
        .and_then(|p| p.managed_instance.fqdn.as_ref())
    {
        return vec![Spanned {
            value: f.value.clone(),
            span: f.span,
        }];
    }
    let mut hosts: Vec<Spanned<String>> = a
        .links
        .iter()
        .filter_map(|l| a.mi_member(l).listener_url.as_ref()?.host.clone())
        .map(|h| Spanned {
            value: vnet_local(&h.value),
            span: h.span,
        })
        .collect();
    hosts.dedup_by(|x, y| x.value.eq_ignore_ascii_case(&y.value));
    hosts
}

/// The VNet-local host of a public (`.public.`) or private-endpoint (`.privatelink.`) host.
fn vnet_local(host: &str) -> String {
    host.replacen(".public.", ".", 1)
        .replacen(".privatelink.", ".", 1)
}

/// Public keys imported FROM BINARY that are not root certification authorities.
pub fn imported_certificates(a: &Analysis) -> Vec<&Certificate> {
    a.certificates()
        .map(|(_, c)| c)
        .filter(|c| c.source == CertificateSource::Binary && !is_root_ca(c))
        // A name not known yet (a template, dynamic SQL) is not a custom name.
        .filter(|c| !super::support::has_placeholder(&c.name.value))
        .collect()
}

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
