//! ML108: Server=[...] in the MI listener URL is not the managed instance's short name.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML108,
    severity: Severity::Error,
    summary: "Server=[...] in the managed-instance listener URL is not the managed instance name, or is its FQDN",
    catalogue: "N8",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut fqdn_given = std::collections::HashSet::new();
    for link in &a.links {
        let Some(server) = a
            .mi_member(link)
            .listener_url
            .as_ref()
            .and_then(|u| u.server.as_ref())
        else {
            continue;
        };
        if server.value.contains('.') && fqdn_given.insert(server.span) {
            let short = server.value.split('.').next().unwrap_or_default();
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    server.span,
                    format!(
                        "Server=[{}] holds a host name; it takes the managed instance's short name",
                        server.value
                    ),
                )
                .with_primary_label("a fully qualified name")
                .with_help(format!(
                    "write Server=[{short}]; the FQDN belongs before the port (tcp://<fqdn>:5022)"
                )),
            );
        }
    }
    if a.params.is_some() {
        let before = out.len();
        name_mismatch::report(a, RULE.code, &[NameKind::MiServerName], out);
        // A FQDN in Server=[…] is already reported above.
        let mut i = before;
        while i < out.len() {
            if fqdn_given.contains(&out[i].span) {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
}
