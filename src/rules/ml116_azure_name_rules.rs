//! ML116: names that Azure will not accept or will not match.

use super::{Check, Rule};
use crate::analysis::queries::has_placeholder;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Spanned;
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML116,
    severity: Severity::Error,
    summary: "the managed instance name breaks Azure naming rules (error), or the DAG/link name is not lowercase letters, digits and hyphens (warning)",
    catalogue: "N16",
    needs_params: false,
    check: Check::Model(check),
};

/// Azure resource name: lowercase letters, digits and hyphens, not starting or ending
/// with a hyphen, at most `max` characters.
fn is_azure_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut mi_names: Vec<Spanned<String>> = a
        .links
        .iter()
        .filter_map(|l| a.mi_member(l).listener_url.as_ref()?.server.clone())
        .filter(|s| !s.value.contains('.')) // an FQDN here is ML108's finding
        // Only letter case wrong: the instance is found anyway (ML113 speaks to the case).
        .filter(|s| !is_azure_name(&s.value.trim().to_ascii_lowercase(), 63))
        .collect();
    let mut dag_names: Vec<(String, Span)> = a
        .links
        .iter()
        .map(|l| {
            let d = &a.dag(l).name;
            (d.value.clone(), d.span)
        })
        .collect();
    if let Some(p) = &a.params {
        mi_names.extend(crate::analysis::queries::param_str(
            &p.managed_instance.name,
        ));
        dag_names.extend(
            p.links
                .iter()
                .filter_map(|l| l.distributed_availability_group.as_ref())
                .map(|d| (d.value.clone(), d.span)),
        );
    }
    // The same value in a script and in the parameters is reported once, in the script.
    let mut seen = std::collections::HashSet::new();
    for mi in mi_names {
        let trimmed = mi.value.trim();
        if is_azure_name(trimmed, 63)
            || has_placeholder(trimmed)
            || !seen.insert(("mi", mi.value.clone()))
            || trimmed
                .chars()
                .any(|c| crate::names::confusable(c).is_some())
        {
            continue;
        }
        out.push(
            Diagnostic::new(RULE.code, Severity::Error, mi.span, format!("'{}' cannot be a managed instance name", mi.value))
                .with_primary_label("not a valid Azure SQL Managed Instance name")
                .with_help(format!("managed instance names are 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen: did you mean '{}'?", trimmed.to_ascii_lowercase().replace('_', "-"))),
        );
    }
    for (name, span) in dag_names {
        if is_azure_name(name.trim(), 128)
            || has_placeholder(&name)
            || !seen.insert(("dag", name.clone()))
            || name.chars().any(|c| crate::names::confusable(c).is_some())
        {
            continue;
        }
        out.push(
            Diagnostic::new(RULE.code, Severity::Warning, span, format!("link name '{name}' is not lowercase letters, digits and hyphens"))
                .with_primary_label("the DAG name is the link name on Azure")
                .with_help(format!("Azure asks for link names in lowercase letters and hyphens, e.g. '{}'; rename the DAG and the link together", name.trim().to_ascii_lowercase().replace(['_', ' '], "-"))),
        );
    }
}
