//! ML103: the DAG's SQL Server member names an availability group the scripts never create.

use super::{Check, Rule};
use crate::analysis::queries::{params_name_of_a_wrong_member, setup_availability_groups};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::similarity;

pub static RULE: Rule = Rule {
    code: Code::ML103,
    severity: Severity::Error,
    summary:
        "the DAG's SQL Server member names an availability group that the scripts do not create",
    catalogue: "N1",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(member) = a.sql_member(link) else {
            continue;
        };
        if link.ag.is_some() {
            continue;
        }
        // The AGs of the set-up (of no set-up, when its scripts create none). When the
        // scripts create no AG at all, it may exist already: nothing to compare.
        let candidates = setup_availability_groups(a, link);
        // The AG is created under the name the parameters give, and the DAG's member is
        // the odd one out: ML102 reports the member and shows the AG.
        if candidates
            .iter()
            .any(|ag| params_name_of_a_wrong_member(a, link, &ag.name.value))
        {
            continue;
        }
        let closest = candidates.into_iter().max_by(|x, y| {
            similarity(&x.name.value, &member.name.value)
                .total_cmp(&similarity(&y.name.value, &member.name.value))
        });
        let Some(closest) = closest else { continue };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                member.name.span,
                format!(
                    "the DAG's SQL Server member '{}' is not an availability group created in these scripts",
                    member.name.value
                ),
            )
            .with_primary_label("no availability group has this name")
            .with_label(closest.name.span, format!("the availability group created here is '{}'", closest.name.value))
            .with_help(format!(
                "the first member of AVAILABILITY GROUP ON must be the SQL Server availability group: use '{}', or rename the availability group",
                closest.name.value
            )),
        );
    }
}
