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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    const EXPIRY: &str = "EXPIRY_DATE = '2030-01-01'";

    #[test]
    fn the_endpoint_certificate_expired_already() {
        // Microsoft's sample date, month first.
        let bad = LINK.replace(EXPIRY, "EXPIRY_DATE = '03/30/2025'");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [3]);
        assert_eq!(
            found[0].message,
            "certificate 'Cert_SQLFIN01_endpoint' expired on 2025-03-30 (today is 2026-11-26)"
        );
    }

    #[test]
    fn the_endpoint_certificate_without_expiry_date() {
        let bad = LINK.replace(&format!(", {EXPIRY}"), "");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [2]);
        assert_eq!(
            found[0].message,
            "certificate 'Cert_SQLFIN01_endpoint' has no EXPIRY_DATE, so it expires one year after creation"
        );
    }

    #[test]
    fn a_future_date_or_today_in_each_form() {
        assert_eq!(script(RULE.code, LINK), []);
        for date in ["'2026-11-26'", "'20270101'", "'03/30/2030'", "'2026-11-26 23:59'"] {
            let good = LINK.replace(EXPIRY, &format!("EXPIRY_DATE = {date}"));
            assert_eq!(script(RULE.code, &good), [], "{date}");
        }
    }

    #[test]
    fn a_certificate_the_endpoint_does_not_use_is_left_alone() {
        // A TDE certificate without EXPIRY_DATE next to the endpoint's.
        let good = LINK.replace(
            "CREATE ENDPOINT",
            "CREATE CERTIFICATE [TDE_Treasury] WITH SUBJECT = N'TDE';\nCREATE ENDPOINT",
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_placeholder_date_is_not_read() {
        let unknown = LINK.replace(EXPIRY, "EXPIRY_DATE = '<ExpiryDate>'");
        assert_eq!(script(RULE.code, &unknown), []);
    }

    #[test]
    fn a_sqlcmd_variable_is_read_with_its_value() {
        let template = LINK.replace(EXPIRY, "EXPIRY_DATE = '$(CertExpiry)'");
        let bad = format!(":setvar CertExpiry \"2025-03-30\"\n{template}");
        assert_eq!(lines(&script(RULE.code, &bad)), [4]);
        let good = format!(":setvar CertExpiry \"2030-03-30\"\n{template}");
        assert_eq!(script(RULE.code, &good), []);
    }
}
