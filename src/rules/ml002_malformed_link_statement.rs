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
