//! ML206: ;Database=[...] in the MI URL does not fit the link's direction.

use super::{Check, Rule};
use crate::analysis::queries::direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML206,
    severity: Severity::Error,
    summary: "the managed-instance URL lacks ;Database=[...] when the managed instance is the initial primary (error), or has it when SQL Server is (warning)",
    catalogue: "U6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(url) = &a.mi_member(link).listener_url else {
            continue;
        };
        let declared = a.link_params(link).and_then(|l| l.initial_primary.as_ref());
        let Some(dir) = direction(a, link) else {
            continue;
        };
        let db = a
            .link_params(link)
            .and_then(|l| l.databases.as_ref())
            .and_then(|d| d.first())
            .map(|d| d.value.clone())
            .unwrap_or_else(|| "<database>".into());
        let mut d = match (dir, &url.database) {
            (InitialPrimary::ManagedInstance, None) if url.server.is_some() => Diagnostic::new(
                RULE.code, Severity::Error, url.value_span,
                "the managed instance is the initial primary, but its listener URL has no ;Database=[…]",
            )
            .with_primary_label("missing ;Database=[…]")
            .with_help(format!("append ;Database=[{db}]: when the managed instance seeds SQL Server, the URL names the database")),
            (InitialPrimary::SqlServer, Some(database)) => Diagnostic::new(
                RULE.code, Severity::Warning, database.span,
                format!("SQL Server is the initial primary, but the managed instance URL names database '{}' (the managed-instance-first template)", database.value),
            )
            .with_primary_label("only for a managed-instance-first link")
            .with_help("remove ;Database=[…] from the URL, or declare initial_primary = \"managed_instance\""),
            _ => continue,
        };
        if let Some(ip) = declared {
            d = d.with_label(ip.span, "direction declared here");
        }
        out.push(d);
    }
}
