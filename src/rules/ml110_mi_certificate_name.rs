//! ML110: the certificate imported from the managed instance is not named its FQDN.

use super::{Check, Rule};
use crate::analysis::queries::{expected_fqdns, imported_certificates};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Certificate, Spanned};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML110,
    severity: Severity::Error,
    summary: "the certificate imported FROM BINARY from the managed instance is not named exactly the managed instance FQDN",
    catalogue: "N10",
    needs_params: false,
    check: Check::Model(check),
};

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
