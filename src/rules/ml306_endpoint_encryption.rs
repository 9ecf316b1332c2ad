//! ML306: the mirroring endpoint's encryption is disabled, RC4 only (error), or SUPPORTED, without an explicit ALGORITHM, or prefers RC4 (warning).

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, mirroring_endpoints, set_later_on_endpoint};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML306,
    severity: Severity::Error,
    summary: "the mirroring endpoint's encryption is disabled, RC4 only (error), or SUPPORTED, without an explicit ALGORITHM, or prefers RC4 (warning)",
    catalogue: "M5",
    needs_params: false,
    check: Check::Model(check),
};

const HELP: &str =
    "write ENCRYPTION = REQUIRED ALGORITHM AES (or AES RC4 while an old partner still needs RC4)";

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (index, e) in mirroring_endpoints(a) {
        if set_later_on_endpoint(a, index, e, |x| x.encryption.is_some()) {
            continue;
        }
        let Some(enc) = &e.encryption else {
            if !e.is_alter {
                out.push(
                    Diagnostic::new(RULE.code, Severity::Warning, e.name.span, format!("endpoint '{}' has no ENCRYPTION clause and relies on the default algorithm", e.name.value))
                        .with_primary_label("ENCRYPTION missing")
                        .with_help(format!("the documentation disagrees on whether the default is AES or RC4; {HELP}")),
                );
            }
            continue;
        };
        let algorithms: Vec<&str> = enc.algorithms.iter().map(|w| w.value.as_str()).collect();
        let (severity, message) = match (enc.mode.value.as_str(), algorithms.as_slice()) {
            ("DISABLED", _) => (
                Severity::Error,
                "encryption is DISABLED; the link requires encrypted connections".to_string(),
            ),
            (_, ["RC4"]) => (
                Severity::Error,
                "the only algorithm is RC4; the managed instance requires AES".to_string(),
            ),
            ("SUPPORTED", _) => (
                Severity::Warning,
                "encryption is only SUPPORTED, not REQUIRED".to_string(),
            ),
            (_, []) => (
                Severity::Warning,
                "no ALGORITHM is given; the documented default differs between pages (AES or RC4)"
                    .to_string(),
            ),
            (_, ["RC4", "AES"]) => (
                Severity::Warning,
                "ALGORITHM RC4 AES prefers RC4; AES is used only if the partner refuses RC4"
                    .to_string(),
            ),
            _ => continue,
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                severity,
                enc.span,
                format!("endpoint '{}': {message}", e.name.value),
            )
            .with_primary_label("encryption setting")
            .with_help(HELP),
        );
    }
}
