//! ML406: in run order (scripts by name, numbers by value, `:r` steps at their `:r` line) the DAG comes before its AG, the endpoint before its certificate, or a certificate before the master key.

use super::{Check, Rule};
use crate::analysis::queries::certificate_matches;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CertificateSource, StatementKind};

pub static RULE: Rule = Rule {
    code: Code::ML406,
    severity: Severity::Warning,
    summary: "in run order (scripts by name, numbers by value, `:r` steps at their `:r` line) the DAG comes before its AG, the endpoint before its certificate, or a certificate before the master key",
    catalogue: "D6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let server = a.server_name();
    for link in &a.links {
        let Some(ag_index) = link.ag else { continue };
        if ag_index > link.dag {
            let ag = a
                .ag(link)
                .map(|g| g.name.span)
                .unwrap_or(a.statements[ag_index].span);
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, a.dag(link).name.span, format!("distributed availability group '{}' is created before its availability group", a.dag(link).name.value))
                    .with_primary_label("runs first")
                    .with_label(ag, "created later")
                    .with_help("create the AG first: CREATE … WITH (DISTRIBUTED) fails while its SQL Server member does not exist"),
            );
        }
    }
    let certificates: Vec<(usize, &crate::model::Certificate)> = a.certificates().collect();
    for (index, e) in a.endpoints() {
        let Some(cert) = e
            .authentication
            .as_ref()
            .and_then(|x| x.certificate.as_ref())
        else {
            continue;
        };
        let created = certificates.iter().find(|(_, c)| {
            c.source != CertificateSource::Binary
                && certificate_matches(&c.name, &cert.value, server).is_some()
        });
        if let Some((cert_index, c)) = created {
            if *cert_index > index {
                out.push(
                    Diagnostic::new(
                        RULE.code,
                        RULE.severity,
                        cert.span,
                        format!(
                            "endpoint '{}' uses certificate '{}' before it is created",
                            e.name.value, cert.value
                        ),
                    )
                    .with_primary_label("used here")
                    .with_label(c.name.span, "created later")
                    .with_help("create the certificate before the endpoint"),
                );
            }
        }
    }
    let master_key = a
        .statements
        .iter()
        .position(|s| matches!(s.kind, StatementKind::MasterKey(_)));
    if let Some(key_index) = master_key {
        for (index, c) in &certificates {
            let needs_master_key =
                c.source == CertificateSource::Generated && !c.password_protected;
            if *index < key_index && needs_master_key {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, c.name.span, format!("certificate '{}' is created before the database master key", c.name.display()))
                        .with_primary_label("runs first")
                        .with_label(a.statements[key_index].span, "master key created later")
                        .with_help("create the master key first: a certificate without a password is protected by the master key"),
                );
            }
        }
    }
}
