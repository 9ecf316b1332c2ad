//! ML204: the managed-instance listener URL has no ;Server=[...] part.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML204,
    severity: Severity::Error,
    summary: "the managed-instance listener URL lacks ;Server=[<managed instance name>]",
    catalogue: "U4",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        if !is_mi || url.server.is_some() {
            continue;
        }
        let name = a
            .params
            .as_ref()
            .and_then(|p| p.managed_instance.name.as_ref())
            .map(|n| n.value.clone())
            .or_else(|| {
                url.host
                    .as_ref()
                    .and_then(|h| h.value.split('.').next().map(str::to_string))
            })
            .unwrap_or_else(|| "<managed instance name>".into());
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                url.value_span,
                format!(
                    "managed instance listener URL '{}' has no ;Server=[…]",
                    url.text
                ),
            )
            .with_primary_label("missing ;Server=[…]")
            .with_help(format!(
                "append ;Server=[{name}]: the managed instance routes the link by this name"
            )),
        );
    }
}
