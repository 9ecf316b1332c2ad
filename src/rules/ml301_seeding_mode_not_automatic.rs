//! ML301: SEEDING_MODE is MANUAL or omitted (MANUAL by default) on the link's replica or a DAG member, so the database is never created on the partner.

use super::{Check, Rule};
use crate::analysis::queries::link_replica_options;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML301,
    severity: Severity::Error,
    summary: "SEEDING_MODE is MANUAL or omitted (MANUAL by default) on the link's replica or a DAG member, so the database is never created on the partner",
    catalogue: "M1",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for setting in link_replica_options(a) {
        let (what, options, name_span) = (&setting.what, setting.options, setting.name_span);
        let d = match &options.seeding_mode {
            Some(mode) if mode.value == "AUTOMATIC" => continue,
            Some(mode) => Diagnostic::new(
                RULE.code,
                RULE.severity,
                mode.span,
                format!("{what} uses SEEDING_MODE = {}", mode.value),
            )
            .with_primary_label("the link needs automatic seeding")
            .with_fix_if(super::fixes::keyword(a, mode.span, "AUTOMATIC")),
            None if setting.is_modify => continue,
            None => Diagnostic::new(
                RULE.code,
                RULE.severity,
                options.with_span.unwrap_or(name_span),
                format!("{what} has no SEEDING_MODE, which defaults to MANUAL"),
            )
            .with_primary_label("SEEDING_MODE missing")
            .with_label(name_span, what.clone())
            .with_fix_if(
                options
                    .with_span
                    .and_then(|list| super::fixes::add_option(a, list, "SEEDING_MODE", "AUTOMATIC")),
            ),
        };
        out.push(d.with_help("write SEEDING_MODE = AUTOMATIC: with manual seeding nothing creates the database on the other side and the link ends in error 41977"));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, lines, script, with_params, LINK, PARAMS};

    #[test]
    fn the_fixes_seed_automatically() {
        let missing = LINK.replacen(",\n        SEEDING_MODE = AUTOMATIC);", ");", 1);
        assert_eq!(fixed(RULE.code, &missing, None), LINK);
        let manual = replace_last(LINK, "SEEDING_MODE = AUTOMATIC", "SEEDING_MODE = MANUAL");
        assert_eq!(fixed(RULE.code, &manual, None), LINK);
        let block = "WITH (\n        ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022',\n        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,\n        FAILOVER_MODE = MANUAL,\n        SEEDING_MODE = AUTOMATIC);";
        let one_line = "WITH (ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL);";
        let bad = LINK.replacen(block, one_line, 1);
        assert_ne!(bad, LINK);
        assert_eq!(
            fixed(RULE.code, &bad, None),
            LINK.replacen(block, &one_line.replace(");", ", SEEDING_MODE = AUTOMATIC);"), 1)
        );
    }

    /// `text` with its last `from` replaced by `to`.
    fn replace_last(text: &str, from: &str, to: &str) -> String {
        let at = text.rfind(from).expect("in the text");
        format!("{}{to}{}", &text[..at], &text[at + from.len()..])
    }

    #[test]
    fn the_ag_replica_without_seeding_mode() {
        let bad = LINK.replacen(",\n        SEEDING_MODE = AUTOMATIC);", ");", 1);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [15]);
        assert_eq!(
            found[0].message,
            "replica 'SQLFIN01' has no SEEDING_MODE, which defaults to MANUAL"
        );
    }

    #[test]
    fn the_managed_instance_member_seeded_manually() {
        let bad = replace_last(LINK, "SEEDING_MODE = AUTOMATIC", "SEEDING_MODE = MANUAL");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [32]);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury_MI' uses SEEDING_MODE = MANUAL"
        );
    }

    #[test]
    fn the_replica_and_both_members_seeded_automatically() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn a_later_modify_to_manual_seeding() {
        let bad = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]\n    MODIFY AVAILABILITY GROUP ON N'AG_Treasury_MI' WITH (SEEDING_MODE = MANUAL);\n"
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [34]);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury_MI' (MODIFY) uses SEEDING_MODE = MANUAL"
        );
    }

    #[test]
    fn a_later_modify_that_leaves_seeding_alone() {
        let good = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]\n    MODIFY AVAILABILITY GROUP ON N'AG_Treasury_MI' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);\n"
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn in_a_multi_replica_ag_only_the_parameters_server_is_checked() {
        // SQLFIN01 seeds manually; the second replica has no SEEDING_MODE at all.
        let two = LINK.replacen(
            "SEEDING_MODE = AUTOMATIC);",
            "SEEDING_MODE = MANUAL),\n    N'SQLFIN02' WITH (\n        ENDPOINT_URL = 'TCP://sqlfin02.corp.example.net:5022',\n        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,\n        FAILOVER_MODE = MANUAL);",
            1,
        );
        assert_eq!(lines(&with_params(RULE.code, &two, PARAMS)), [19]);
        // Without sql_server.name no replica of a multi-replica AG is known as this one.
        assert_eq!(script(RULE.code, &two), []);
    }

    #[test]
    fn an_ordinary_ag_is_not_a_link() {
        let ag_only = LINK
            .split("CREATE AVAILABILITY GROUP [dag-treasury]")
            .next()
            .unwrap()
            .replacen(",\n        SEEDING_MODE = AUTOMATIC);", ");", 1);
        assert_eq!(script(RULE.code, &ag_only), []);
    }
}
