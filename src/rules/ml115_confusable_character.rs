//! ML115: a look-alike or invisible character in a name, URL or parameters value.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, link_urls, model_names, params_strings};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::names::{confusable, describe_char};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML115,
    severity: Severity::Error,
    summary: "a name, URL or parameters value contains a look-alike or invisible character (Cyrillic/Greek letter, NBSP, zero-width, dash)",
    catalogue: "N15, H4 (part)",
    needs_params: false,
    check: Check::Model(check),
};

/// Spans whose source text is checked character by character.
fn checked_spans(a: &Analysis) -> Vec<(Span, &'static str)> {
    let mut spans: Vec<(Span, &'static str)> = model_names(a)
        .into_iter()
        .map(|(n, w)| (n.span, w))
        .collect();
    spans.extend(link_urls(a).into_iter().map(|(_, u, _)| (u.span, "URL")));
    // Values of :setvar, which names written as $(VAR) come from.
    for script in &a.scripts {
        spans.extend(
            script
                .script
                .setvars
                .iter()
                // Those a file includes are checked in their own file.
                .filter(|v| v.span.file == script.file)
                .map(|v| (v.value_span, "SQLCMD variable")),
        );
    }
    spans.extend(
        params_strings(a)
            .into_iter()
            .map(|(v, what)| (v.span, what)),
    );
    spans.extend(
        crate::analysis::azure_links::azure_strings(a)
            .into_iter()
            .map(|(_, span, what)| (span, what)),
    );
    spans.sort();
    spans.dedup_by_key(|(s, _)| *s);
    spans
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (span, what) in checked_spans(a) {
        let text = a.files.slice(span);
        for (i, c) in text.char_indices() {
            // A stray BOM is ML504's finding.
            if c == '\u{FEFF}' {
                continue;
            }
            let Some(info) = confusable(c) else { continue };
            let at = Span {
                file: span.file,
                start: span.start + i as u32,
                end: span.start + (i + c.len_utf8()) as u32,
            };
            let looks_like = match info.ascii {
                Some(ascii) => format!("looks like '{ascii}'"),
                None => "is invisible".to_string(),
            };
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    at,
                    format!("{what} contains {} which {looks_like}", describe_char(c)),
                )
                .with_primary_label(describe_char(c))
                .with_help(match info.ascii {
                    Some(ascii) if ascii != ' ' => format!("retype it as the ASCII character '{ascii}'; names that look the same are different names for SQL Server and Azure"),
                    _ => "delete it; names that look the same are different names for SQL Server and Azure".to_string(),
                })
                .with_fix_if(retype(at, info.ascii)),
            );
        }
    }
}

/// The look-alike retyped as the ASCII letter, digit, `-`, `_` or `.` it imitates, or an
/// invisible character deleted. Other look-alikes (quotes, brackets, a space) would change
/// how the text around them reads, and are left to the user.
fn retype(at: Span, ascii: Option<char>) -> Option<Fix> {
    let (content, message) = match ascii {
        None => (String::new(), "delete the invisible character".to_string()),
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => {
            (c.to_string(), format!("retype it as '{c}'"))
        }
        Some(_) => return None,
    };
    Some(Fix {
        applicability: Applicability::Safe,
        message,
        edits: vec![Edit { span: at, content }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, lines, script, with_params, LINK, PARAMS};

    #[test]
    fn look_alikes_are_retyped_and_invisible_ones_deleted() {
        let bad = LINK.replace("N'AG_Treasury' WITH", "N'AG_Tre\u{430}sury\u{200b}' WITH");
        assert_eq!(fixed(RULE.code, &bad, None), LINK);
    }

    #[test]
    fn a_cyrillic_a_in_the_dag_member() {
        let bad = LINK.replace("N'AG_Treasury' WITH", "N'AG_Tre\u{430}sury' WITH");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [23]);
        assert_eq!(found[0].column, 13);
        assert_eq!(
            found[0].message,
            "DAG member contains U+0430 CYRILLIC SMALL LETTER A which looks like 'a'"
        );
    }

    #[test]
    fn the_names_in_ascii() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn invisible_characters_spaces_and_dashes() {
        let cases = [
            ("[dag-treasury]", "[dag\u{2013}treasury]", 20),
            ("[dag-treasury]", "[dag-treasury\u{200b}]", 20),
            ("N'AG_Treasury' WITH", "N'AG_Treasury\u{a0}' WITH", 23),
            ("Server=[mi-treasury]", "Server=[mi\u{2011}treasury]", 29),
            ("tcp://mi-treasury.8c2e", "tcp://mi-tr\u{435}asury.8c2e", 29),
        ];
        for (from, to, line) in cases {
            let bad = LINK.replace(from, to);
            assert_eq!(lines(&script(RULE.code, &bad)), [line], "{to}");
        }
    }

    #[test]
    fn a_setvar_value() {
        let template = LINK.replace("[dag-treasury]", "[$(DagName)]");
        let bad = format!(":setvar DagName dag\u{2010}treasury\n{template}");
        assert_eq!(lines(&script(RULE.code, &bad)), [1]);
        let good = format!(":setvar DagName dag-treasury\n{template}");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_parameters_value() {
        let params = PARAMS.replace("\"AG_Treasury\"", "\"AG_Tre\u{430}sury\"");
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [13]);
        assert_eq!(found[0].file, "params.toml");
    }

    #[test]
    fn other_non_ascii_letters_are_names_of_their_own() {
        let good = LINK.replace("[Treasury]", "[Trésorerie]");
        assert_eq!(script(RULE.code, &good), []);
    }
}
