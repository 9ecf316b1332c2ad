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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with `Server=[name]` in the managed instance's URL (line 29).
    fn server(name: &str) -> String {
        LINK.replace("Server=[mi-treasury]", &format!("Server=[{name}]"))
    }

    #[test]
    fn another_instance_than_the_parameters() {
        let found = with_params(RULE.code, &server("mi-treasury-neu"), PARAMS);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "managed instance name in Server=[…] 'mi-treasury-neu' does not match the parameters file ('mi-treasury')"
        );
    }

    #[test]
    fn the_instance_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn the_fqdn_in_the_brackets_once_with_or_without_parameters() {
        let bad = server("mi-treasury.8c2e4f1a9b3d.database.windows.net");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "Server=[mi-treasury.8c2e4f1a9b3d.database.windows.net] holds a host name; it takes the managed instance's short name"
        );
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [29]);
    }

    #[test]
    fn another_short_name_is_not_compared_without_parameters() {
        assert_eq!(script(RULE.code, &server("mi-treasury-neu")), []);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        assert_eq!(with_params(RULE.code, &server("MI-Treasury"), PARAMS), []);
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        let good = server("<ManagedInstanceName>");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }
}
