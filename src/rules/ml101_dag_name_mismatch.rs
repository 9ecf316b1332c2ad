//! ML101: the distributed availability group (link) name differs from the parameters file.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML101,
    severity: Severity::Error,
    summary: "the distributed availability group (link) name differs from the parameters file",
    catalogue: "N3",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    name_mismatch::report(a, RULE.code, &[NameKind::DagName], out);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, with_params, LINK, PARAMS};

    #[test]
    fn a_dag_named_otherwise_than_the_parameters() {
        let bad = LINK.replace("[dag-treasury]", "[dag_treasury]");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [20]);
        assert_eq!(
            found[0].message,
            "distributed availability group name 'dag_treasury' does not match the parameters file ('dag-treasury')"
        );
    }

    #[test]
    fn the_dag_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn a_sqlcmd_variable_is_compared_with_its_value() {
        let template = LINK.replace("[dag-treasury]", "[$(DagName)]");
        let good = format!(":setvar DagName dag-treasury\n{template}");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
        let bad = format!(":setvar DagName dag-old\n{template}");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [21]);
    }
}
