//! The rules: one module per rule, each a function from the [`Analysis`] to
//! diagnostics, with its default severity, summary and catalogue reference. Codes,
//! module names and rule names come from the one registry list in [`crate::codes`].

use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::selection::RuleSelection;
use crate::span::Span;

mod fixes;
mod name_mismatch;
#[cfg(test)]
pub(crate) mod testing;

/// What a rule looks at.
pub enum Check {
    /// The model of the scripts (nearly every rule).
    Model(fn(&Analysis, &mut Vec<Diagnostic>)),
    /// The `milink-lint:` suppression comments, after every other rule ran and the
    /// suppressions were applied: only then is it known which ones silenced nothing.
    Suppressions(fn(&[SuppressionIssue], &mut Vec<Diagnostic>)),
}

/// What the suppression stage found wrong with a `milink-lint:` comment.
#[derive(Debug, Clone)]
pub enum SuppressionIssue {
    /// The comment cannot be read: an unknown directive or rule, or no rule named.
    Malformed {
        span: Span,
        problem: String,
        /// Replaces the rule's generic help ("did you mean `ignore`?").
        help: Option<String>,
    },
    /// A suppression of `code` that silenced no finding.
    Unused { span: Span, code: Code },
}

/// A rule's registration.
pub struct Rule {
    pub code: Code,
    pub severity: Severity,
    pub summary: &'static str,
    /// Defect IDs of the domain catalogue (mi-link.md §10) the rule covers.
    pub catalogue: &'static str,
    /// The rule runs only with a parameters file.
    pub needs_params: bool,
    pub check: Check,
}

impl Rule {
    /// The rule's kebab-case name, from the registry.
    pub fn name(&self) -> &'static str {
        self.code.name()
    }

    /// The rule's page (`rules/CODE.md`).
    pub fn doc(&self) -> &'static str {
        self.code.doc()
    }
}

/// The rule modules and the rule table, from the one registry list ([`crate::codes`]).
macro_rules! define_rules {
    ($($code:ident $module:ident $name:literal,)*) => {
        $(mod $module;)*

        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$module::RULE,)*];

        impl Code {
            /// The rule this code is reported by.
            pub fn rule(self) -> &'static Rule {
                RULES[self.index()]
            }
        }
    };
}
crate::codes::registry!(define_rules);

pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    Code::find(code_or_name).map(Code::rule)
}

/// Whether `rule` runs in this analysis: rules that need parameters are skipped without them.
pub fn runs(rule: &Rule, analysis: &Analysis) -> bool {
    !rule.needs_params || analysis.params.is_some()
}

/// Run the selected rules, in parallel (each reads the model only; the model's shared
/// facts are computed once, by whichever rule asks first), their findings in rule order.
pub fn run_selected(analysis: &Analysis, selection: &RuleSelection) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let checks: Vec<_> = selection
        .enabled()
        .map(Code::rule)
        .filter(|r| runs(r, analysis))
        .filter_map(|r| match r.check {
            Check::Model(check) => Some(check),
            Check::Suppressions(_) => None,
        })
        .collect();
    checks
        .par_iter()
        .map(|check| {
            let mut out = Vec::new();
            check(analysis, &mut out);
            out
        })
        .flatten()
        .collect()
}

/// Run the selected rules about suppression comments (see [`Check::Suppressions`]).
pub fn run_on_suppressions(
    selection: &RuleSelection,
    issues: &[SuppressionIssue],
    out: &mut Vec<Diagnostic>,
) {
    for code in selection.enabled() {
        if let Check::Suppressions(check) = code.rule().check {
            check(issues, out);
        }
    }
}

#[cfg(test)]
mod registry_tests {
    use super::RULES;
    use crate::codes::Code;

    #[test]
    fn every_rule_reports_its_registry_code() {
        assert_eq!(RULES.len(), Code::ALL.len());
        for (rule, code) in RULES.iter().zip(Code::ALL) {
            assert_eq!(rule.code, *code);
        }
    }
}
