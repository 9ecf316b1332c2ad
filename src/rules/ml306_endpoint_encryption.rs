//! ML306: the mirroring endpoint's encryption is disabled, RC4 only (error), or SUPPORTED, without an explicit ALGORITHM, or prefers RC4 (warning).

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, mirroring_endpoints, set_later_on_endpoint};
use crate::analysis::{Analysis, EndpointSetting};
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};

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
        if set_later_on_endpoint(a, index, EndpointSetting::Encryption) {
            continue;
        }
        let Some(enc) = &e.encryption else {
            if !e.is_alter {
                out.push(
                    Diagnostic::new(RULE.code, Severity::Warning, e.name.span, format!("endpoint '{}' has no ENCRYPTION clause and relies on the default algorithm", e.name.value))
                        .with_primary_label("ENCRYPTION missing")
                        .with_help(format!("the documentation disagrees on whether the default is AES or RC4; {HELP}"))
                        .with_fix_if(e.payload_options.and_then(|list| {
                            super::fixes::add_option(a, list, "ENCRYPTION", "REQUIRED ALGORITHM AES")
                        })),
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
            .with_help(HELP)
            .with_fix_if(required_aes(a, enc.span)),
        );
    }
}

/// `REQUIRED ALGORITHM AES` written over the setting (`REQUIRED ALGORITHM RC4`,
/// `SUPPORTED`, `DISABLED`, …) when it is written there in plain words, in its letter case.
fn required_aes(a: &Analysis, span: crate::span::Span) -> Option<Fix> {
    let written = a.files.slice(span);
    let plain = written
        .split_ascii_whitespace()
        .all(|w| w.chars().all(|c| c.is_ascii_alphanumeric()));
    if !plain || written.is_empty() {
        return None;
    }
    let content = if written.chars().any(|c| c.is_ascii_uppercase()) {
        "REQUIRED ALGORITHM AES"
    } else {
        "required algorithm aes"
    };
    Some(Fix {
        applicability: Applicability::Safe,
        message: "require AES encryption".to_string(),
        edits: vec![Edit {
            span,
            content: content.to_string(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, lines, script, LINK};

    #[test]
    fn the_fix_requires_aes() {
        for setting in [
            "REQUIRED ALGORITHM RC4",
            "SUPPORTED",
            "DISABLED",
            "REQUIRED ALGORITHM RC4 AES",
            "REQUIRED",
            "SUPPORTED ALGORITHM AES",
        ] {
            let bad = LINK.replace("REQUIRED ALGORITHM AES", setting);
            assert_eq!(fixed(RULE.code, &bad, None), LINK, "{setting}");
        }
    }

    #[test]
    fn the_fix_adds_a_missing_encryption_clause() {
        // Last in a list that spans lines: on a line of its own, with the last option's indent.
        let bad = LINK.replace(&format!(",\n        {AES}"), "");
        assert_eq!(fixed(RULE.code, &bad, None), LINK);
        assert_eq!(script(RULE.code, &fixed(RULE.code, &bad, None)), []);
        // On one line: after the last option.
        let one_line = LINK.replace(
            &format!("(ROLE = ALL,\n        AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint],\n        {AES})"),
            "(ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint])",
        );
        assert_ne!(one_line, LINK);
        assert_eq!(
            fixed(RULE.code, &one_line, None),
            one_line.replace(
                "[Cert_SQLFIN01_endpoint])",
                &format!("[Cert_SQLFIN01_endpoint], {AES})")
            )
        );
    }

    #[test]
    fn no_fix_where_the_option_would_land_in_a_comment_or_no_list_is_written() {
        let comment = LINK.replace(
            &format!(",\n        {AES});"),
            " -- no encryption\n    );",
        );
        assert_eq!(lines(&script(RULE.code, &comment)), [4]);
        assert_eq!(fixed(RULE.code, &comment, None), comment);
        // Built by dynamic SQL: the list is inside the EXEC's string.
        let dynamic = "CREATE AVAILABILITY GROUP [dag-treasury] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
    N'AG_Treasury' WITH (LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
    N'AG_Treasury_MI' WITH (LISTENER_URL = 'tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]',
        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
EXEC (N'CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5022) FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQLFIN01_endpoint])');
";
        assert_eq!(lines(&script(RULE.code, dynamic)), [6]);
        assert_eq!(fixed(RULE.code, dynamic, None), dynamic);
    }

    const AES: &str = "ENCRYPTION = REQUIRED ALGORITHM AES";

    fn with_encryption(clause: &str) -> String {
        LINK.replace(AES, clause)
    }

    #[test]
    fn rc4_as_the_only_algorithm() {
        let found = script(RULE.code, &with_encryption("ENCRYPTION = REQUIRED ALGORITHM RC4"));
        assert_eq!(lines(&found), [8]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint': the only algorithm is RC4; the managed instance requires AES"
        );
    }

    #[test]
    fn encryption_disabled() {
        let found = script(RULE.code, &with_encryption("ENCRYPTION = DISABLED"));
        assert_eq!(lines(&found), [8]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint': encryption is DISABLED; the link requires encrypted connections"
        );
    }

    #[test]
    fn the_warnings_supported_no_algorithm_and_rc4_first() {
        let supported = script(
            RULE.code,
            &with_encryption("ENCRYPTION = SUPPORTED ALGORITHM RC4 AES"),
        );
        assert_eq!(lines(&supported), [8]);
        assert_eq!(
            supported[0].message,
            "endpoint 'Hadr_endpoint': encryption is only SUPPORTED, not REQUIRED"
        );
        let no_algorithm = script(RULE.code, &with_encryption("ENCRYPTION = REQUIRED"));
        assert_eq!(lines(&no_algorithm), [8]);
        let rc4_first = script(
            RULE.code,
            &with_encryption("ENCRYPTION = REQUIRED ALGORITHM RC4 AES"),
        );
        assert_eq!(lines(&rc4_first), [8]);
        assert_eq!(
            rc4_first[0].message,
            "endpoint 'Hadr_endpoint': ALGORITHM RC4 AES prefers RC4; AES is used only if the partner refuses RC4"
        );
    }

    #[test]
    fn a_create_endpoint_without_encryption() {
        let bad = LINK.replace(&format!(",\n        {AES}"), "");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [4]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' has no ENCRYPTION clause and relies on the default algorithm"
        );
    }

    #[test]
    fn the_added_clause_keeps_windows_line_ends() {
        let crlf = LINK.replace(&format!(",\n        {AES}"), "").replace('\n', "\r\n");
        let out = fixed(RULE.code, &crlf, None);
        assert_eq!(out, LINK.replace('\n', "\r\n"));
    }

    #[test]
    fn aes_required_alone_or_preferred_over_rc4() {
        assert_eq!(script(RULE.code, LINK), []);
        let aes_rc4 = with_encryption("ENCRYPTION = REQUIRED ALGORITHM AES RC4");
        assert_eq!(script(RULE.code, &aes_rc4), []);
    }

    #[test]
    fn a_later_alter_endpoint_switches_rc4_to_aes() {
        let fixed = with_encryption("ENCRYPTION = REQUIRED ALGORITHM RC4").replace(
            "CREATE CERTIFICATE [mi-treasury",
            "ALTER ENDPOINT [Hadr_endpoint]\n    FOR DATABASE_MIRRORING (ENCRYPTION = REQUIRED ALGORITHM AES);\nCREATE CERTIFICATE [mi-treasury",
        );
        assert_eq!(script(RULE.code, &fixed), []);
    }

    #[test]
    fn an_alter_endpoint_without_encryption_keeps_it() {
        let good = LINK.replace(
            "CREATE CERTIFICATE [mi-treasury",
            "ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED;\nCREATE CERTIFICATE [mi-treasury",
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn rc4_only_is_an_error_even_when_only_supported() {
        let found = script(RULE.code, &with_encryption("ENCRYPTION = SUPPORTED ALGORITHM RC4"));
        assert_eq!(lines(&found), [8]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint': the only algorithm is RC4; the managed instance requires AES"
        );
    }
}
