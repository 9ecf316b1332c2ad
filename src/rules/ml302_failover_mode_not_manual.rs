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
fn in_multi_replica_ag(a: &Analysis, span: crate::span::Span) -> bool {
    a.availability_groups()
        .any(|(_, ag)| ag.replicas.len() > 1 && ag.replicas.iter().any(|r| r.server.span == span))
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for setting in link_replica_options(a) {
        let (what, options, name_span) = (&setting.what, setting.options, setting.name_span);
        let is_member = setting.is_member && !setting.is_modify;
        if !setting.is_member && in_multi_replica_ag(a, name_span) {
            continue;
        }
        let d = match &options.failover_mode {
            Some(mode) if mode.value == "MANUAL" => continue,
            Some(mode) => Diagnostic::new(RULE.code, RULE.severity, mode.span, format!("{what} uses FAILOVER_MODE = {}", mode.value))
                .with_primary_label("only MANUAL is allowed")
                .with_help("write FAILOVER_MODE = MANUAL: a distributed availability group refuses automatic failover (error 35277) and the link fails over only on request"),
            None if is_member => Diagnostic::new(RULE.code, RULE.severity, options.with_span.unwrap_or(name_span), format!("{what} has no FAILOVER_MODE"))
                .with_primary_label("FAILOVER_MODE missing")
                .with_help("each member of AVAILABILITY GROUP ON needs FAILOVER_MODE = MANUAL"),
            None => continue,
        };
        out.push(d);
    }
}
