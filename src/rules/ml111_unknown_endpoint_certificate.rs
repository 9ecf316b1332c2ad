//! ML111: the endpoint authenticates with a certificate the scripts do not create.

use super::{Check, Rule};
use crate::analysis::queries::{certificate_matches, own_certificates};
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
    for (_, endpoint) in a.endpoints() {
        let Some(cert) = endpoint
            .authentication
            .as_ref()
            .and_then(|x| x.certificate.as_ref())
        else {
            continue;
        };
        // `[<SQLServerCertName>]`, `[$(CertName)]`: ML501 / ML502 report the placeholder.
        if crate::analysis::queries::has_placeholder(&cert.value) {
            continue;
        }
        if own
            .iter()
            .any(|c| certificate_matches(c, &cert.value, server_name).is_some())
        {
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
