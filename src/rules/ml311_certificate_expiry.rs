//! ML311: the endpoint certificate's EXPIRY_DATE is already past (or missing: one year from creation).

use super::{Check, Rule};
use crate::analysis::queries::{certificate_matches, in_scope};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Certificate, CertificateSource};

pub static RULE: Rule = Rule {
    code: Code::ML311,
    severity: Severity::Warning,
    summary: "the endpoint certificate's EXPIRY_DATE is already past (or missing: one year from creation)",
    catalogue: "M9",
    needs_params: false,
    check: Check::Model(check),
};

/// The certificates the endpoints authenticate with; when no endpoint names one of
/// the scripts' certificates, every certificate the scripts generate.
fn checked_certificates(a: &Analysis) -> Vec<&Certificate> {
    let server = a.server_name();
    let generated: Vec<&Certificate> = a
        .certificates()
        .map(|(_, c)| c)
        .filter(|c| c.source == CertificateSource::Generated)
        .filter(|c| !crate::analysis::queries::has_placeholder(&c.name.value))
        .collect();
    let used: Vec<&Certificate> = generated
        .iter()
        .copied()
        .filter(|c| {
            a.endpoints().any(|(_, e)| {
                e.authentication
                    .as_ref()
                    .and_then(|x| x.certificate.as_ref())
                    .is_some_and(|n| certificate_matches(&c.name, &n.value, server).is_some())
            })
        })
        .collect();
    if used.is_empty() {
        generated
    } else {
        used
    }
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    let today = a.today;
    for cert in checked_certificates(a) {
        match &cert.expiry_date {
            Some(expiry) => {
                let Some(date) = Date::parse_sql(&expiry.value) else { continue };
                if date >= today {
                    continue;
                }
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, expiry.span, format!("certificate '{}' expired on {date} (today is {today})", cert.name.display()))
                        .with_primary_label("in the past")
                        .with_help("give a future EXPIRY_DATE; an expired endpoint certificate breaks the link, and it must be rotated on both sides before it expires"),
                );
            }
            None => out.push(
                Diagnostic::new(RULE.code, RULE.severity, cert.name.span, format!("certificate '{}' has no EXPIRY_DATE, so it expires one year after creation", cert.name.display()))
                    .with_primary_label("EXPIRY_DATE missing")
                    .with_help("set EXPIRY_DATE explicitly and plan the rotation; the link stops when the certificate expires"),
            ),
        }
    }
}
