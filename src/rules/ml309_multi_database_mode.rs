//! ML309: link.mode = \"multi\" in the parameters, but the scripts never enable it with EXEC sys.sp_multidb_milink 1.

use super::{Check, Rule};
use crate::analysis::queries::enables_multi_database_mode;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::LinkMode;

pub static RULE: Rule = Rule {
    code: Code::ML309,
    severity: Severity::Warning,
    summary: "link.mode = \"multi\" in the parameters, but the scripts never enable it with EXEC sys.sp_multidb_milink 1",
    catalogue: "M7",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if a.links.is_empty() || enables_multi_database_mode(a).is_some() {
        return;
    }
    let Some(params) = &a.params else { return };
    let multi = params
        .links
        .iter()
        .filter_map(|l| l.mode.as_ref())
        .find(|m| m.value == LinkMode::Multi);
    let Some(mode) = multi else { return };
    let dag = a.dag(&a.links[0]);
    out.push(
        Diagnostic::new(RULE.code, RULE.severity, dag.name.span, "the parameters declare the multiple-database link mode, but no script enables it")
            .with_primary_label("created in single-database mode")
            .with_label(mode.span, "multiple-database mode declared here")
            .with_help("run EXEC sys.sp_multidb_milink 1; on every SQL Server replica before creating the link (SQL Server 2022 CU27+ / 2025 CU9+), and list every database in FOR DATABASE"),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, with_params, LINK, PARAMS};

    fn params(mode: &str) -> String {
        PARAMS.replace(
            "initial_primary = \"sql_server\"",
            &format!("initial_primary = \"sql_server\"\nmode = \"{mode}\""),
        )
    }

    #[test]
    fn multi_declared_but_never_enabled() {
        let found = with_params(RULE.code, LINK, &params("multi"));
        assert_eq!(lines(&found), [20]);
        assert_eq!(
            found[0].message,
            "the parameters declare the multiple-database link mode, but no script enables it"
        );
    }

    #[test]
    fn multi_declared_and_enabled() {
        let good = format!("EXEC sys.sp_multidb_milink 1;\n{LINK}");
        assert_eq!(with_params(RULE.code, &good, &params("multi")), []);
        let no_schema = format!("EXEC sp_multidb_milink 1;\n{LINK}");
        assert_eq!(with_params(RULE.code, &no_schema, &params("multi")), []);
    }

    #[test]
    fn switching_the_mode_off_does_not_enable_it() {
        let bad = format!("EXEC sys.sp_multidb_milink 0;\n{LINK}");
        assert_eq!(lines(&with_params(RULE.code, &bad, &params("multi"))), [21]);
    }

    #[test]
    fn single_or_no_mode() {
        assert_eq!(with_params(RULE.code, LINK, &params("single")), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }
}
