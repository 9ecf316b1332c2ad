//! ML109: the MI listener URL host is not the managed instance's FQDN.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::queries::is_public_or_private_endpoint;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML109,
    severity: Severity::Error,
    summary: "the managed-instance listener URL host is not the managed instance FQDN, or its first label is not the Server=[...] name",
    catalogue: "N9",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A public or private endpoint host is ML205's finding.
    let first = out.len();
    if a.params.is_some() {
        name_mismatch::report(a, RULE.code, &[NameKind::MiHost], out);
        let mut i = first;
        while i < out.len() {
            if is_public_or_private_endpoint(a.files.slice(out[i].span)) {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
    let mut seen: std::collections::HashSet<_> = out[first..].iter().map(|d| d.span).collect();
    let params_name = a
        .params
        .as_ref()
        .and_then(|p| p.managed_instance.name.as_ref());
    for link in &a.links {
        let Some(url) = &a.mi_member(link).listener_url else {
            continue;
        };
        let (Some(host), Some(server)) = (&url.host, &url.server) else {
            continue;
        };
        if !seen.insert(host.span)
            || host.value.trim().is_empty()
            || server.value.contains('.')
            || is_public_or_private_endpoint(&host.value)
        {
            continue;
        }
        // When Server=[…] itself disagrees with the parameters, ML108 has the finding.
        if params_name.is_some_and(|p| compare(&server.value, &p.value) == NameMatch::Different) {
            continue;
        }
        let label = host.value.split('.').next().unwrap_or_default();
        if compare(label, &server.value) == NameMatch::Different {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    host.span,
                    format!(
                        "listener URL host '{}' does not belong to managed instance '{}' named in Server=[…]",
                        host.value, server.value
                    ),
                )
                .with_primary_label(format!("host of '{label}'"))
                .with_label(server.span, "the managed instance")
                .with_help(format!(
                    "the host must be '{}.<dns-zone>.database.windows.net', the VNet-local FQDN of the managed instance",
                    server.value
                )),
            );
        }
    }
}
