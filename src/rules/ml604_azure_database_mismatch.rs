//! ML604: the databases of an Azure command or export differ from the link AG's (or the parameters file's).

use super::{Check, Rule};
use crate::analysis::azure_links::{
    databases_of, names_only, origin_name, reference_databases, with_value_origin,
};
use crate::analysis::name_checks::Source;
use crate::analysis::queries::{has_placeholder, quoted_list};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::same;

pub static RULE: Rule = Rule {
    code: Code::ML604,
    severity: Severity::Error,
    summary: "the databases of an Azure command or export differ from the link AG's (or the parameters file's)",
    catalogue: "N5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in crate::analysis::azure_links::relevant_links(a).filter(|l| !names_only(l)) {
        let Some(found) = databases_of(a, link) else {
            continue;
        };
        // A list read from `--databases @dbs.json` says where it came from.
        let from_file = |d: Diagnostic| match &link.databases_file {
            Some(file) if link.databases.is_none() => {
                d.with_note(format!("the databases were read from `{}`", file.path))
            }
            _ => d,
        };
        let Some((expected, source)) = reference_databases(a, link) else {
            continue;
        };
        // An export given as the parameters file is its own reference.
        if found.iter().zip(&expected).any(|(f, e)| f.span == e.span) {
            continue;
        }
        if found.iter().any(|f| has_placeholder(&f.value))
            || expected.iter().any(|e| has_placeholder(&e.value))
            || expected.is_empty()
        {
            continue;
        }
        let origin = origin_name(link);
        let whose = match source {
            Source::Params | Source::Export => source.noun(),
            Source::Script => "the link's availability group",
        };
        let extra: Vec<_> = found
            .iter()
            .filter(|f| !expected.iter().any(|e| same(&f.value, &e.value)))
            .collect();
        let missing: Vec<_> = expected
            .iter()
            .filter(|e| !found.iter().any(|f| same(&f.value, &e.value)))
            .collect();
        let expected_names = quoted_list(expected.iter().map(|e| e.value.as_str()));
        if let ([f], [e]) = (extra.as_slice(), missing.as_slice()) {
            let d = Diagnostic::new(
                RULE.code,
                RULE.severity,
                f.span,
                format!(
                    "database '{}' in {origin} does not match {whose} ('{}')",
                    f.value, e.value
                ),
            )
            .with_primary_label(format!("'{}'", f.value))
            .with_label(e.span, "expected here")
            .with_help(format!(
                "the managed instance waits for database '{}' to be seeded; any other name ends in error 41977",
                e.value
            ));
            out.push(from_file(with_value_origin(d, f)));
            continue;
        }
        for f in extra {
            let d = Diagnostic::new(
                RULE.code,
                RULE.severity,
                f.span,
                format!(
                    "database '{}' in {origin} is not among {whose}'s databases ({expected_names})",
                    f.value
                ),
            )
            .with_primary_label("not replicated by the link")
            .with_help("the availability group on SQL Server must carry every database the Azure side waits for, or the link fails with error 41977");
            out.push(from_file(with_value_origin(d, f)));
        }
        for e in missing {
            let span = link.databases_span.unwrap_or(link.span);
            out.push(from_file(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    span,
                    format!("{origin} does not list database '{}'", e.value),
                )
                .with_primary_label("databases of the link")
                .with_label(e.span, "replicated here")
                .with_help("pass every database of the link's availability group (and --link-mode/-LinkMode MultiDatabase for more than one)"),
            ));
        }
    }
}
