//! ML114: a name starts or ends with whitespace.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, model_names, params_strings, url_names};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML114,
    severity: Severity::Error,
    summary: "a name has leading or trailing whitespace inside its quotes or brackets",
    catalogue: "N14",
    needs_params: false,
    check: Check::Model(check),
};

/// Whitespace, except the look-alike kinds (NBSP, …) that ML115 names precisely.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && crate::names::confusable(c).is_none()
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    let names = model_names(a)
        .into_iter()
        .map(|(n, what)| (n.value.as_str(), n.span, what))
        .chain(
            url_names(a)
                .into_iter()
                .map(|(s, what)| (s.value.as_str(), s.span, what)),
        )
        .chain(
            params_strings(a)
                .into_iter()
                .map(|(v, what)| (v.value.as_str(), v.span, what)),
        )
        .chain(crate::analysis::azure_links::azure_strings(a));
    for (value, span, what) in names {
        if value.is_empty() || value.trim_matches(is_blank) == value || !seen.insert(span) {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                whitespace_span(a, span),
                format!("{what} '{value}' has leading or trailing whitespace"),
            )
            .with_primary_label("whitespace inside the name")
            .with_help(format!(
                "remove it: '{}' and '{value}' are different names for the managed instance and Azure",
                value.trim_matches(is_blank)
            ))
            .with_fix_if(trim_fix(a, span, value)),
        );
    }
}

/// The blanks at the start or end of the quoted text, when the span shows them.
/// The name without its blanks, written where it stands in a script (the parameters
/// file and the Azure side are left to the user: their quoting is not T-SQL's).
fn trim_fix(a: &Analysis, span: Span, value: &str) -> Option<crate::diagnostic::Fix> {
    if !a.scripts.iter().any(|s| s.file == span.file) {
        return None;
    }
    let trimmed = value.trim_matches(is_blank);
    if trimmed.is_empty() {
        return None;
    }
    super::name_mismatch::rename(
        a,
        span,
        value,
        trimmed,
        "the name",
        crate::diagnostic::Applicability::Safe,
    )
    .map(|mut fix| {
        fix.message = format!("remove the blanks around '{trimmed}'");
        fix
    })
}

fn whitespace_span(a: &Analysis, span: Span) -> Span {
    let text = a.files.slice(span);
    let open = if text.starts_with("N'") || text.starts_with("n'") {
        2
    } else {
        usize::from(text.starts_with(['\'', '[', '"']))
    };
    let inner = &text[open..];
    let lead = inner.len() - inner.trim_start_matches(is_blank).len();
    if lead > 0 {
        return Span {
            file: span.file,
            start: span.start + open as u32,
            end: span.start + (open + lead) as u32,
        };
    }
    let close = text.trim_end_matches([']', '\'', '"']).len();
    let body = &text[..close];
    let trail = body.len() - body.trim_end_matches(is_blank).len();
    if trail > 0 && close > open {
        return Span {
            file: span.file,
            start: span.start + (close - trail) as u32,
            end: span.start + close as u32,
        };
    }
    span
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    #[test]
    fn a_trailing_blank_in_the_dag_member() {
        let bad = LINK.replace("N'AG_Treasury' WITH", "N'AG_Treasury ' WITH");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [23]);
        assert_eq!(found[0].column, 18);
        assert_eq!(
            found[0].message,
            "DAG member 'AG_Treasury ' has leading or trailing whitespace"
        );
    }

    #[test]
    fn the_names_without_blanks() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn a_leading_blank_in_server() {
        let bad = LINK.replace("Server=[mi-treasury]", "Server=[ mi-treasury]");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [29]);
    }

    #[test]
    fn a_blank_only_in_the_parameters_file() {
        let params = PARAMS.replace("databases = [\"Treasury\"]", "databases = [\"Treasury \"]");
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [16]);
        assert_eq!(found[0].file, "params.toml");
    }

    #[test]
    fn a_blank_inside_a_name_is_not_at_its_edge() {
        let good = LINK.replace("[dag-treasury]", "[dag treasury]");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_no_break_space_is_left_to_ml115() {
        let good = LINK.replace("N'AG_Treasury' WITH", "N'AG_Treasury\u{a0}' WITH");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_script_without_a_link_or_parameters_is_not_checked() {
        let cut = LINK.find("CREATE AVAILABILITY GROUP [dag-").unwrap();
        let ag_only = LINK[..cut].replace("[AG_Treasury]", "[AG_Treasury ]");
        assert_eq!(findings(RULE.code, &[("01_ag.sql", &ag_only)], None), []);
        let found = findings(RULE.code, &[("01_ag.sql", &ag_only)], Some(PARAMS));
        assert_eq!(lines(&found), [12]);
    }
}
