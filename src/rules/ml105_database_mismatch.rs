//! ML105: the link's databases differ from the parameters file.

use super::{Check, Rule};
use crate::analysis::queries::{has_placeholder, link_databases, preparations, quoted_list};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML105,
    severity: Severity::Error,
    summary: "a database of the link AG (FOR DATABASE, or Database=[...] in the MI URL) differs from the parameters file",
    catalogue: "N5",
    needs_params: true,
    check: Check::Model(check),
};

fn matches(found: &str, expected: &str) -> bool {
    compare(found, expected) != NameMatch::Different
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(lp) = a.link_params(link) else {
            continue;
        };
        let Some(expected) = &lp.databases else {
            continue;
        };
        let Some((mut found, list_span)) = link_databases(a, link) else {
            continue;
        };
        found.retain(|db| !has_placeholder(&db.value));
        if found.is_empty() {
            continue;
        }
        let expected_names = quoted_list(expected.iter().map(|e| e.value.as_str()));
        let params_span = lp.databases_span.unwrap_or(lp.span);
        let extra: Vec<_> = found
            .iter()
            .filter(|db| !expected.iter().any(|e| matches(&db.value, &e.value)))
            .collect();
        let missing: Vec<_> = expected
            .iter()
            .filter(|e| !found.iter().any(|db| matches(&db.value, &e.value)))
            .collect();
        // One name instead of another: a single finding, like the other name rules.
        if let ([db], [e]) = (extra.as_slice(), missing.as_slice()) {
            // The set-up prepares the database the parameters name: part of the picture
            // (ML106 stays silent about it).
            let prepared_here: Vec<_> = preparations(a)
                .into_iter()
                .filter(|p| link.has_file(p.file) && matches(&p.database.value, &e.value))
                .collect();
            let source = a.expected_source(e.span).noun();
            let mut d = Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    db.span,
                    format!(
                        "database '{}' does not match {source} ('{}')",
                        db.value, e.value
                    ),
                )
                .with_primary_label(format!("'{}'", db.value))
                .with_label(e.span, "expected here")
                .with_help(format!(
                    "the managed instance waits for database '{}'; any other name ends in error 41977: fix the name here or in {source}",
                    e.value
                ));
            for p in prepared_here {
                d = d.with_label(p.database.span, format!("'{}' is prepared here", e.value));
            }
            out.push(d);
            continue;
        }
        let source = a.expected_source(params_span).noun();
        for db in extra {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    db.span,
                    format!(
                        "database '{}' is not in {source}'s databases ({expected_names})",
                        db.value
                    ),
                )
                .with_primary_label(format!("'{}'", db.value))
                .with_label(params_span, "expected here")
                .with_help(format!("the managed instance waits for the databases it was given; a different database ends in error 41977: fix the name here or in {source}")),
            );
        }
        for e in missing {
            let source = a.expected_source(e.span).noun();
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    list_span,
                    format!(
                        "{source} expects database '{}' in the link, but the scripts have {}",
                        e.value,
                        quoted_list(found.iter().map(|d| d.value.as_str()))
                    ),
                )
                .with_primary_label("the link's databases")
                .with_label(e.span, "expected here")
                .with_help(format!(
                    "add '{}' to the link, or remove it from {source}",
                    e.value
                )),
            );
        }
    }
}
