//! ML501: a documentation placeholder such as <DAGName> or <SQLServerIP> is left in the script (outside comments).

use super::support::in_scope;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: "ML501",
    name: "placeholder",
    severity: Severity::Error,
    summary: "a documentation placeholder such as <DAGName> or <SQLServerIP> is left in the script (outside comments)",
    catalogue: "H1",
    needs_params: false,
    doc: rule_doc!("ML501"),
    check,
};

/// Placeholders of the Managed Instance link documentation: reported even in files
/// that hold no recognizable link (the placeholder may be why).
const DOC_PLACEHOLDERS: &[&str] = &[
    "DatabaseName",
    "DiskPath",
    "strong_password",
    "SQLServerCertName",
    "SQL_SERVER_CERTIFICATE",
    "SQLServerPublicKey",
    "PublicKey",
    "SubscriptionID",
    "ResourceGroupName",
    "RGName",
    "ManagedInstanceName",
    "ManagedInstanceFQDN",
    "YourExistingEndpointName",
    "SQLServerName",
    "SQLServerIP",
    "AGName",
    "AGNameOnSQLServer",
    "AGNameOnSQLMI",
    "DAGName",
    "DAGname",
    "SQLEndpointIP",
    "EndpointPort",
];

/// `<Identifier>` occurrences: byte range and the identifier. An identifier with an
/// upper-case letter or an underscore, at least three characters (so `a<b>c` and
/// `<br>` are not placeholders).
pub(crate) fn placeholders(text: &str) -> Vec<(usize, usize, &str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(open) = text[i..].find('<').map(|p| p + i) {
        let start = open + 1;
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        let ident = &text[start..end];
        let known = DOC_PLACEHOLDERS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(ident));
        let shaped = known
            || (ident.len() >= 3
                && !bytes[start].is_ascii_digit()
                && ident.bytes().any(|b| b.is_ascii_uppercase() || b == b'_'));
        if bytes.get(end) == Some(&b'>') && shaped {
            found.push((open, end + 1, ident));
            i = end + 1;
        } else {
            i = start;
        }
    }
    found
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let scoped = in_scope(a);
    for s in &a.scripts {
        let text = &a.files.get(s.file).text;
        let in_message = |at: usize| {
            s.facts
                .messages
                .iter()
                .any(|m| (m.start as usize) <= at && at < m.end as usize)
        };
        let in_comment = |at: usize| {
            s.facts
                .comments
                .iter()
                .any(|c| (c.span.start as usize) <= at && at < c.span.end as usize)
        };
        for (start, end, ident) in placeholders(text) {
            let known = DOC_PLACEHOLDERS
                .iter()
                .any(|p| p.eq_ignore_ascii_case(ident));
            if in_comment(start) || in_message(start) || !(scoped || known) {
                continue;
            }
            let span = Span::new(s.file, start..end);
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, span, format!("placeholder <{ident}> was never replaced"))
                    .with_primary_label("documentation placeholder")
                    .with_help(format!("replace <{ident}> with the real value: inside [ ] or quotes SQL Server takes it literally (an object named '<{ident}>', a path, a password)")),
            );
        }
    }
}
