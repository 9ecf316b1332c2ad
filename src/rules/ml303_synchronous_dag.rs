//! ML303: a DAG member is created with AVAILABILITY_MODE = SYNCHRONOUS_COMMIT.

use super::{Check, Rule};
use crate::analysis::queries::link_replica_options;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML303,
    severity: Severity::Warning,
    summary: "a DAG member is created with AVAILABILITY_MODE = SYNCHRONOUS_COMMIT",
    catalogue: "M3",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // Switching to synchronous with MODIFY before a planned failover is documented.
    for setting in link_replica_options(a)
        .into_iter()
        .filter(|s| s.is_member && !s.is_modify)
    {
        let what = &setting.what;
        let Some(mode) = setting
            .options
            .availability_mode
            .as_ref()
            .filter(|m| m.value == "SYNCHRONOUS_COMMIT")
        else {
            continue;
        };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, mode.span, format!("{what} is created synchronous"))
                .with_primary_label("SYNCHRONOUS_COMMIT")
                .with_help("create the link with ASYNCHRONOUS_COMMIT on both members: synchronous commit over the WAN slows every transaction on the primary; switch to synchronous only for a planned failover"),
        );
    }
}
