//! ML003: a `milink-lint:` suppression comment that cannot be read or suppresses
//! nothing.
//!
//! The suppression stage ([`crate::suppress`]) runs after every other rule: only then is
//! it known which suppressions were used. It hands this rule what it found
//! ([`SuppressionIssue`]); the rule words the findings.

use super::{Check, Rule, SuppressionIssue};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML003,
    severity: Severity::Warning,
    summary: "a `milink-lint: ignore` comment names an unknown rule or suppresses no finding",
    catalogue: "-",
    needs_params: false,
    check: Check::Suppressions(check),
};

const HELP: &str =
    "remove it, or name the rule whose finding it is meant to silence (`milink-lint rules`)";

fn check(issues: &[SuppressionIssue], out: &mut Vec<Diagnostic>) {
    for issue in issues {
        let (span, message, help) = match issue {
            SuppressionIssue::Malformed {
                span,
                problem,
                help,
            } => (*span, problem.clone(), help.as_deref().unwrap_or(HELP)),
            SuppressionIssue::Unused { span, code } => (
                *span,
                format!("suppression of {code} ({}) suppresses nothing", code.name()),
                HELP,
            ),
        };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, span, message)
                .with_primary_label("this suppression")
                .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::codes::Code;
    use crate::rules::testing::{findings_with_rules, lines, with_params, Finding, LINK, PARAMS};

    /// ML003's findings on one script checked against [`PARAMS`], with ML101 running too
    /// (a suppression of a rule that did not run is never unused).
    fn with_ml101(sql: &str) -> Vec<Finding> {
        findings_with_rules(
            &[Code::ML003, Code::ML101],
            RULE.code,
            &[("01.sql", sql)],
            Some(PARAMS),
        )
    }

    /// [`LINK`] with a comment on the line before the DAG (line 20).
    fn before_dag(comment: &str, link: &str) -> String {
        link.replace(
            "CREATE AVAILABILITY GROUP [dag",
            &format!("{comment}\nCREATE AVAILABILITY GROUP [dag"),
        )
    }

    #[test]
    fn a_suppression_of_a_finding_that_is_gone() {
        let sql = before_dag("-- milink-lint: ignore ML101 -- renamed later", LINK);
        let found = with_ml101(&sql);
        assert_eq!(lines(&found), [20]);
        assert_eq!(
            found[0].message,
            "suppression of ML101 (dag-name-mismatch) suppresses nothing"
        );
    }

    #[test]
    fn a_suppression_that_silences_a_finding() {
        let renamed = LINK.replace("[dag-treasury]", "[dag_treasury]");
        let sql = before_dag("-- milink-lint: ignore ML101 -- renamed later", &renamed);
        assert_eq!(with_ml101(&sql), []);
    }

    #[test]
    fn a_misspelt_code() {
        let renamed = LINK.replace("[dag-treasury]", "[dag_treasury]");
        let sql = before_dag("-- milink-lint: ignore ML1O1 -- renamed later", &renamed);
        let found = with_ml101(&sql);
        assert_eq!(lines(&found), [20]);
    }

    #[test]
    fn a_misspelt_directive() {
        let renamed = LINK.replace("[dag-treasury]", "[dag_treasury]");
        let sql = before_dag("-- milink-lint: ignroe ML101", &renamed);
        assert_eq!(lines(&with_ml101(&sql)), [20]);
    }

    #[test]
    fn a_suppression_of_a_rule_that_did_not_run_is_not_unused() {
        let sql = before_dag("-- milink-lint: ignore ML101 -- renamed later", LINK);
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
    }
}
