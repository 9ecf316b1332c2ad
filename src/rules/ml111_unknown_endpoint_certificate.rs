//! ML111: the endpoint authenticates with a certificate the scripts do not create.

use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CertificateSource, Name, SERVERNAME_MARKER};
use crate::names::{compare, similarity, NameMatch};

pub static RULE: Rule = Rule {
    code: "ML111",
    name: "unknown-endpoint-certificate",
    severity: Severity::Error,
    summary: "the endpoint's AUTHENTICATION = CERTIFICATE names a certificate that the scripts do not create",
    catalogue: "N11",
    needs_params: false,
    doc: rule_doc!("ML111"),
    check,
};

/// Whether a created certificate (possibly built from `@@SERVERNAME`) is `wanted`.
fn creates(cert: &Name, wanted: &str, server_name: Option<&str>) -> bool {
    match cert.resolve(server_name) {
        Some(name) => compare(&name, wanted) != NameMatch::Different,
        // @@SERVERNAME unknown: match the literal parts around it.
        None => {
            let mut parts = cert.value.split(SERVERNAME_MARKER);
            let prefix = parts.next().unwrap_or_default().to_lowercase();
            let suffix = parts.next_back().unwrap_or_default().to_lowercase();
            let wanted = wanted.to_lowercase();
            wanted.len() > prefix.len() + suffix.len()
                && wanted.starts_with(&prefix)
                && wanted.ends_with(&suffix)
        }
    }
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if a.links.is_empty() && a.params.is_none() {
        return;
    }
    let server_name = a.server_name();
    let created: Vec<&Name> = a.certificates().map(|(_, c)| &c.name).collect();
    let generated: Vec<&Name> = a
        .certificates()
        .filter(|(_, c)| c.source != CertificateSource::Binary)
        .map(|(_, c)| &c.name)
        .collect();
    for (_, endpoint) in a.endpoints() {
        let Some(cert) = endpoint
            .authentication
            .as_ref()
            .and_then(|x| x.certificate.as_ref())
        else {
            continue;
        };
        if created.iter().any(|c| creates(c, &cert.value, server_name)) {
            continue;
        }
        let closest = generated.iter().max_by(|x, y| {
            similarity(&x.display(), &cert.value).total_cmp(&similarity(&y.display(), &cert.value))
        });
        let mut d = match closest {
            Some(c) => Diagnostic::new(
                RULE.code,
                RULE.severity,
                cert.span,
                format!("endpoint certificate '{}' is not created in these scripts", cert.value),
            )
            .with_primary_label("no such certificate")
            .with_label(c.span, format!("the scripts create '{}'", c.display()))
            .with_help("use the name of the certificate created for the endpoint; CREATE/ALTER ENDPOINT fails on an unknown certificate"),
            None => Diagnostic::new(
                RULE.code,
                Severity::Warning,
                cert.span,
                format!("endpoint certificate '{}' is not created in these scripts", cert.value),
            )
            .with_primary_label("created elsewhere?")
            .with_help("if the certificate already exists on the server this is fine; otherwise create it (in master) before the endpoint"),
        };
        if server_name.is_none() && created.iter().any(|c| c.value.contains(SERVERNAME_MARKER)) {
            d = d.with_note("a certificate name is built from @@SERVERNAME; give sql_server.name in the parameters file to resolve it");
        }
        out.push(d);
    }
}
