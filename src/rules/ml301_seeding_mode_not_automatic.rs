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
            .with_primary_label("the link needs automatic seeding"),
            None if setting.is_modify => continue,
            None => Diagnostic::new(
                RULE.code,
                RULE.severity,
                options.with_span.unwrap_or(name_span),
                format!("{what} has no SEEDING_MODE, which defaults to MANUAL"),
            )
            .with_primary_label("SEEDING_MODE missing")
            .with_label(name_span, what.clone()),
        };
        out.push(d.with_help("write SEEDING_MODE = AUTOMATIC: with manual seeding nothing creates the database on the other side and the link ends in error 41977"));
    }
}
