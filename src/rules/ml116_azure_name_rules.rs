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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with `Server=[name]` in the managed instance's URL (line 29).
    fn server(name: &str) -> String {
        LINK.replace("Server=[mi-treasury]", &format!("Server=[{name}]"))
    }

    #[test]
    fn an_underscore_in_the_managed_instance_name() {
        let found = script(RULE.code, &server("mi_treasury"));
        assert_eq!(lines(&found), [29]);
        assert_eq!(found[0].message, "'mi_treasury' cannot be a managed instance name");
    }

    #[test]
    fn names_azure_accepts() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn managed_instance_names_azure_rejects() {
        let long = "m".repeat(64);
        for name in ["-mi-treasury", "mi-treasury-", "mi.treasury_01", long.as_str()] {
            let bad = server(name);
            let found = script(RULE.code, &bad);
            // A dot is ML108's finding (a host name in Server=[…]).
            let expected: &[u32] = if name.contains('.') { &[] } else { &[29] };
            assert_eq!(lines(&found), expected, "{name}");
        }
        assert_eq!(script(RULE.code, &server(&"m".repeat(63))), []);
    }

    #[test]
    fn a_dag_name_from_the_older_script_pages() {
        let bad = LINK.replace("[dag-treasury]", "[DAG1_Treasury]");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [20]);
        assert_eq!(
            found[0].message,
            "link name 'DAG1_Treasury' is not lowercase letters, digits and hyphens"
        );
    }

    #[test]
    fn the_same_name_in_the_script_and_the_parameters_once() {
        let bad = LINK.replace("[dag-treasury]", "[DAG1_Treasury]");
        let params = PARAMS.replace("\"dag-treasury\"", "\"DAG1_Treasury\"");
        let found = with_params(RULE.code, &bad, &params);
        assert_eq!(lines(&found), [20]);
        assert_eq!(found[0].file, "01.sql");
    }

    #[test]
    fn a_managed_instance_name_only_in_the_parameters() {
        let params = PARAMS.replace("name = \"mi-treasury\"", "name = \"MI_Treasury\"");
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [9]);
        assert_eq!(found[0].file, "params.toml");
    }

    #[test]
    fn capitals_only_are_left_to_ml113() {
        assert_eq!(script(RULE.code, &server("MI-Treasury")), []);
    }

    #[test]
    fn placeholders_and_look_alikes_are_left_to_other_rules() {
        assert_eq!(script(RULE.code, &server("<ManagedInstanceName>")), []);
        assert_eq!(script(RULE.code, &LINK.replace("[dag-treasury]", "[<DAGName>]")), []);
        assert_eq!(script(RULE.code, &server("mi\u{2011}treasury")), []);
    }
}
