//! ML302: FAILOVER_MODE is not MANUAL on the link's replica or a DAG member (or missing on a DAG member).

use super::{Check, Rule};
use crate::analysis::queries::link_replica_options;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML302,
    severity: Severity::Error,
    summary: "FAILOVER_MODE is not MANUAL on the link's replica or a DAG member (or missing on a DAG member)",
    catalogue: "M2",
    needs_params: false,
    check: Check::Model(check),
};

/// Replicas of a multi-node AG fail over among themselves (AUTOMATIC on a WSFC,
/// EXTERNAL on Pacemaker): only DAG members and a single-replica AG must be MANUAL.
/// These are the replica names of AGs with more than one replica.
fn replicas_of_multi_replica_ags(a: &Analysis) -> std::collections::HashSet<crate::span::Span> {
    a.availability_groups()
        .filter(|(_, ag)| ag.replicas.len() > 1)
        .flat_map(|(_, ag)| ag.replicas.iter().map(|r| r.server.span))
        .collect()
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let in_multi_replica_ag = replicas_of_multi_replica_ags(a);
    for setting in link_replica_options(a) {
        let (what, options, name_span) = (&setting.what, setting.options, setting.name_span);
        let is_member = setting.is_member && !setting.is_modify;
        if !setting.is_member && in_multi_replica_ag.contains(&name_span) {
            continue;
        }
        let d = match &options.failover_mode {
            Some(mode) if mode.value == "MANUAL" => continue,
            Some(mode) => Diagnostic::new(RULE.code, RULE.severity, mode.span, format!("{what} uses FAILOVER_MODE = {}", mode.value))
                .with_primary_label("only MANUAL is allowed")
                .with_fix_if(super::fixes::keyword(a, mode.span, "MANUAL"))
                .with_help("write FAILOVER_MODE = MANUAL: a distributed availability group refuses automatic failover (error 35277) and the link fails over only on request"),
            None if is_member => Diagnostic::new(RULE.code, RULE.severity, options.with_span.unwrap_or(name_span), format!("{what} has no FAILOVER_MODE"))
                .with_primary_label("FAILOVER_MODE missing")
                .with_fix_if(options.with_span.and_then(|list| super::fixes::add_option(a, list, "FAILOVER_MODE", "MANUAL")))
                .with_help("each member of AVAILABILITY GROUP ON needs FAILOVER_MODE = MANUAL"),
            None => continue,
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// `text` with its last `from` replaced by `to`.
    fn replace_last(text: &str, from: &str, to: &str) -> String {
        let at = text.rfind(from).expect("in the text");
        format!("{}{to}{}", &text[..at], &text[at + from.len()..])
    }

    #[test]
    fn a_dag_member_with_automatic_failover() {
        let bad = LINK.replace(
            "FAILOVER_MODE = MANUAL,\n        SEEDING_MODE = AUTOMATIC),",
            "FAILOVER_MODE = AUTOMATIC,\n        SEEDING_MODE = AUTOMATIC),",
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [26]);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury' uses FAILOVER_MODE = AUTOMATIC"
        );
    }

    #[test]
    fn a_dag_member_without_failover_mode() {
        let bad = replace_last(LINK, "        FAILOVER_MODE = MANUAL,\n", "");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [28]);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury_MI' has no FAILOVER_MODE"
        );
    }

    #[test]
    fn the_replica_of_a_single_replica_ag_with_automatic_failover() {
        let bad = LINK.replacen("FAILOVER_MODE = MANUAL", "FAILOVER_MODE = AUTOMATIC", 1);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [18]);
        assert_eq!(
            found[0].message,
            "replica 'SQLFIN01' uses FAILOVER_MODE = AUTOMATIC"
        );
    }

    #[test]
    fn every_failover_mode_manual() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn replicas_of_a_multi_replica_ag_may_fail_over_automatically() {
        let cluster = LINK
            .replace("CLUSTER_TYPE = NONE", "CLUSTER_TYPE = WSFC")
            .replacen(
                "FAILOVER_MODE = MANUAL,\n        SEEDING_MODE = AUTOMATIC);",
                "FAILOVER_MODE = AUTOMATIC,\n        SEEDING_MODE = AUTOMATIC),\n    N'SQLFIN02' WITH (\n        ENDPOINT_URL = 'TCP://sqlfin02.corp.example.net:5022',\n        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,\n        FAILOVER_MODE = AUTOMATIC,\n        SEEDING_MODE = AUTOMATIC);",
                1,
            );
        assert_eq!(script(RULE.code, &cluster), []);
        assert_eq!(with_params(RULE.code, &cluster, PARAMS), []);
    }

    #[test]
    fn a_later_modify_to_automatic_failover() {
        let bad = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]\n    MODIFY AVAILABILITY GROUP ON N'AG_Treasury' WITH (FAILOVER_MODE = AUTOMATIC);\n"
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [34]);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury' (MODIFY) uses FAILOVER_MODE = AUTOMATIC"
        );
    }

    #[test]
    fn a_later_modify_without_failover_mode() {
        let good = format!(
            "{LINK}ALTER AVAILABILITY GROUP [dag-treasury]\n    MODIFY AVAILABILITY GROUP ON N'AG_Treasury' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);\n"
        );
        assert_eq!(script(RULE.code, &good), []);
    }
}
