//! ML205: the managed-instance URL uses the public or a private endpoint.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML205,
    severity: Severity::Error,
    summary: "the managed-instance listener URL uses the public endpoint (.public., port 3342) or a private endpoint (privatelink)",
    catalogue: "U5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        if !is_mi {
            continue;
        }
        if let Some(host) = &url.host {
            let lower = host.value.to_ascii_lowercase();
            let kind = if lower.contains(".public.") {
                Some(("the public endpoint", lower.replacen(".public.", ".", 1)))
            } else if lower.contains("privatelink") {
                Some(("a private endpoint", lower.replacen(".privatelink", "", 1)))
            } else {
                None
            };
            if let Some((kind, fixed)) = kind {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is {kind} of the managed instance; the link only works over the VNet-local endpoint", host.value))
                        .with_primary_label(kind)
                        .with_help(format!("use the VNet-local host '{fixed}' and port 5022")),
                );
                continue;
            }
        }
        if let Some(port) = url.port.as_ref().filter(|p| p.value == Some(3342)) {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, port.span, "port 3342 is the managed instance's public endpoint; the link uses 5022 on the VNet-local endpoint")
                    .with_primary_label("public endpoint port")
                    .with_help("use port 5022"),
            );
        }
    }
}
