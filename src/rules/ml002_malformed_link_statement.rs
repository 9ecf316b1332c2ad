//! ML002: a link statement the tool recognizes but cannot understand.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML002,
    severity: Severity::Error,
    summary: "a link statement (CREATE/ALTER AVAILABILITY GROUP, ENDPOINT, CERTIFICATE, MASTER KEY, ALTER DATABASE, BACKUP DATABASE, USE) is incomplete or malformed",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for script in &a.scripts {
        for e in &script.facts.parse_errors {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, e.span, e.message.clone())
                    .with_primary_label("not understood")
                    .with_help("SQL Server will reject this statement; compare it with the statement in the Managed Instance link documentation"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    /// [`LINK`] cut after `AVAILABILITY GROUP ON` of the DAG, as a truncated paste.
    fn dag_without_members() -> String {
        let cut = LINK.find("    N'AG_Treasury' WITH").unwrap();
        format!("{}GO\n", &LINK[..cut])
    }

    #[test]
    fn a_dag_without_members() {
        let found = script(RULE.code, &dag_without_members());
        assert_eq!(lines(&found), [22]);
        assert_eq!(
            found[0].message,
            "expected an availability group name, found the end of the statement"
        );
    }

    #[test]
    fn a_member_without_with() {
        let bad = LINK.replace("N'AG_Treasury' WITH (", "N'AG_Treasury' (");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [23]);
        assert_eq!(found[0].message, "expected `WITH`, found `(`");
    }

    #[test]
    fn the_complete_set_up() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn a_grant_is_never_a_link_statement() {
        let good = format!("GRANT CREATE ENDPOINT TO [link_admin];\n{LINK}");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn an_ssms_template_parameter_is_a_value_not_yet_known() {
        let good = LINK.replace("[Hadr_endpoint]", "<endpoint_name, sysname, Hadr_endpoint>");
        assert_eq!(script(RULE.code, &good), []);
    }
}
