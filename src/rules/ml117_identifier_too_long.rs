//! ML117: a name longer than sysname allows.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, model_names};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML117,
    severity: Severity::Error,
    summary: "a name is longer than 128 characters (sysname)",
    catalogue: "N17",
    needs_params: false,
    check: Check::Model(check),
};

const SYSNAME_MAX: usize = 128;

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (name, what) in model_names(a) {
        // A name built from @@SERVERNAME counts with the server's name when it is known.
        let Some(resolved) = name.resolve(a.server_name()) else {
            continue;
        };
        let length = resolved.chars().count();
        if length <= SYSNAME_MAX {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                name.span,
                format!("{what} name is {length} characters long; SQL Server names are at most {SYSNAME_MAX}"),
            )
            .with_primary_label(format!("{length} characters"))
            .with_help("shorten the name (and the matching parameters value)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with the AG (CREATE and DAG member) called `name`.
    fn ag_named(name: &str) -> String {
        LINK.replace("[AG_Treasury]", &format!("[{name}]"))
            .replace("N'AG_Treasury' WITH", &format!("N'{name}' WITH"))
    }

    #[test]
    fn an_ag_name_of_130_characters_in_both_places() {
        let name = format!("AG_Treasury_{}", "x".repeat(118));
        assert_eq!(name.chars().count(), 130);
        let found = script(RULE.code, &ag_named(&name));
        assert_eq!(lines(&found), [12, 23]);
        assert_eq!(
            found[0].message,
            "availability group name is 130 characters long; SQL Server names are at most 128"
        );
    }

    #[test]
    fn names_of_at_most_128_characters() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
        let name = format!("AG_Treasury_{}", "x".repeat(116));
        assert_eq!(script(RULE.code, &ag_named(&name)), []);
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let name = format!("AG_Trésorerie_{}", "é".repeat(114));
        assert_eq!(name.chars().count(), 128);
        assert_eq!(script(RULE.code, &ag_named(&name)), []);
    }

    #[test]
    fn a_script_without_a_link_or_parameters_is_not_checked() {
        let cut = LINK.find("CREATE AVAILABILITY GROUP [dag-").unwrap();
        let long = format!("AG_Treasury_{}", "x".repeat(118));
        let ag_only = LINK[..cut].replace("[AG_Treasury]", &format!("[{long}]"));
        assert_eq!(findings(RULE.code, &[("01_ag.sql", &ag_only)], None), []);
        assert_eq!(lines(&findings(RULE.code, &[("01_ag.sql", &ag_only)], Some(PARAMS))), [12]);
    }
}
