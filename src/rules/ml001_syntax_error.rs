//! ML001: the tokenizer could not read a batch.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML001,
    severity: Severity::Error,
    summary: "a batch cannot be read (unterminated string, bracket or comment); the rest of that batch is not checked",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A script that is not part of a link set-up is not this tool's subject.
    for script in a
        .scripts
        .iter()
        .filter(|s| crate::analysis::queries::in_link_scope(a, s.file))
    {
        for e in &script.facts.lex_errors {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, e.span, e.message.clone())
                    .with_primary_label("the batch cannot be read from here")
                    .with_help("close the string, bracket or comment; statements after this point in the batch were not checked"),
            );
        }
        for span in &script.facts.unclosed {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, *span, "this ( is never closed before the link statement that follows")
                    .with_primary_label("never closed")
                    .with_help("close it: SQL Server rejects the whole batch, and the link statements in it never run (they were checked as if it were closed)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    /// The set-up, then a batch that looks the endpoint up.
    fn with_lookup(where_clause: &str) -> String {
        format!("{LINK}GO\nSELECT name, state_desc FROM sys.database_mirroring_endpoints\n{where_clause}\nGO\n")
    }

    #[test]
    fn a_string_never_closed() {
        let found = script(RULE.code, &with_lookup("WHERE name = N'Hadr_endpoint;"));
        assert_eq!(lines(&found), [35]);
        assert_eq!(
            found[0].message,
            "unterminated string: the quote opened here is never closed"
        );
    }

    #[test]
    fn the_string_closed() {
        assert_eq!(script(RULE.code, &with_lookup("WHERE name = N'Hadr_endpoint';")), []);
    }

    #[test]
    fn a_comment_never_closed_runs_to_the_end() {
        let bad = LINK.replace("CREATE ENDPOINT", "/* the old endpoint, kept for reference\nCREATE ENDPOINT");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [4]);
        let after = format!("{LINK}/* notes: run 02_azure.ps1 next\n");
        assert_eq!(lines(&script(RULE.code, &after)), [33]);
        let closed = LINK.replace("CREATE ENDPOINT", "/* the old endpoint, kept for reference */\nCREATE ENDPOINT");
        assert_eq!(script(RULE.code, &closed), []);
    }

    #[test]
    fn a_guard_whose_parenthesis_is_never_closed() {
        let guarded = LINK.replace(
            "CREATE ENDPOINT",
            "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints\nCREATE ENDPOINT",
        );
        let found = script(RULE.code, &guarded);
        assert_eq!(lines(&found), [4]);
        assert_eq!(
            found[0].message,
            "this ( is never closed before the link statement that follows"
        );
        let closed = LINK.replace(
            "CREATE ENDPOINT",
            "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)\nCREATE ENDPOINT",
        );
        assert_eq!(script(RULE.code, &closed), []);
    }

    #[test]
    fn a_script_outside_the_link_set_up_is_not_checked() {
        let other = "SELECT name FROM sys.database_mirroring_endpoints WHERE name = N'Hadr_endpoint;\n";
        let found = findings(
            RULE.code,
            &[("link/01.sql", LINK), ("reports/endpoints.sql", other)],
            None,
        );
        assert_eq!(found, []);
    }
}
