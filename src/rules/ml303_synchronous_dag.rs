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
                .with_fix_if(super::fixes::keyword(a, mode.span, "ASYNCHRONOUS_COMMIT"))
                .with_help("create the link with ASYNCHRONOUS_COMMIT on both members: synchronous commit over the WAN slows every transaction on the primary; switch to synchronous only for a planned failover"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    #[test]
    fn both_members_created_synchronous() {
        let bad = LINK.replace(
            "AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT",
            "AVAILABILITY_MODE = SYNCHRONOUS_COMMIT",
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [25, 30]);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury' is created synchronous"
        );
        assert_eq!(
            found[1].message,
            "DAG member 'AG_Treasury_MI' is created synchronous"
        );
    }

    #[test]
    fn both_members_asynchronous_and_the_ag_replica_synchronous() {
        // The AG's own replica is SYNCHRONOUS_COMMIT in LINK, as in Microsoft's scripts.
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn switching_to_synchronous_with_modify_before_a_failover() {
        let good = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]\n    MODIFY AVAILABILITY GROUP ON\n    N'AG_Treasury' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT),\n    N'AG_Treasury_MI' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);\n"
        );
        assert_eq!(script(RULE.code, &good), []);
    }
}
