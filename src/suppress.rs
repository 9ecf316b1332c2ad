//! Inline suppressions in SQL comments.
//!
//! ```sql
//! -- milink-lint: ignore ML101, ML105 -- the DAG is renamed by 03_rename.sql
//! CREATE AVAILABILITY GROUP [dag_old] WITH (DISTRIBUTED) …
//!
//! /* milink-lint: ignore-file ML503 -- run by our deployment tool in SQLCMD mode */
//! ```
//!
//! `ignore` covers the next statement (or SQLCMD command); placed inside a statement, the
//! rest of that statement; placed after code on the same line, the statement that ends on
//! that line. `ignore-file` covers the whole file. Rules are named by code or by name; the
//! reason goes after a second `--`. Comments are read from the lexer after SQLCMD and GO
//! handling, so suppressions work in every batch of a SQLCMD script. A suppression that
//! names an unknown rule or suppresses nothing is reported as ML003.

use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::rules::{self, Rule, SuppressionIssue};
use crate::selection::RuleSelection;
use crate::span::{FileId, Span};
use std::collections::HashSet;
use std::ops::Range;

const MARKER: &str = "milink-lint:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Statement,
    File,
}

/// One rule named in a suppression comment.
struct Entry {
    rule: &'static Rule,
    span: Span,
    used: bool,
}

struct Suppression {
    file: FileId,
    /// The comment as written, to recognize the same suppression in a copy of the file.
    text: String,
    /// Byte range of the file the suppression covers.
    covers: Range<usize>,
    entries: Vec<Entry>,
}

/// The diagnostics that survive the suppressions, plus the findings of the rules about
/// suppression comments (ML003, when selected), and how many findings were suppressed.
pub fn apply(
    analysis: &Analysis,
    selection: &RuleSelection,
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, usize) {
    let mut issues = Vec::new();
    let mut suppressions = Vec::new();
    for script in &analysis.scripts {
        let file = script.file;
        let text = &analysis.files.get(file).text;
        // Built only for a file that has a suppression: it costs a pass over the file.
        let mut units_of_file = None;
        let mut seen = HashSet::new();
        for comment in &script.facts.comments {
            if comment.span.file != file || !seen.insert(comment.span.range()) {
                continue;
            }
            let range = comment.span.range();
            let Some(parsed) = parse(&text[range.clone()], range.start) else {
                continue;
            };
            for problem in parsed.problems {
                issues.push(SuppressionIssue::Malformed {
                    span: Span::new(file, problem.range),
                    problem: problem.message,
                    help: problem.help,
                });
            }
            let Some(scope) = parsed.scope else { continue };
            let covers = match scope {
                Scope::File => 0..text.len(),
                Scope::Statement => {
                    let units = units_of_file.get_or_insert_with(|| units(analysis, file));
                    statement_after(text, units, range.clone())
                }
            };
            suppressions.push(Suppression {
                file,
                text: text[range.clone()].trim().to_lowercase(),
                covers,
                entries: parsed
                    .rules
                    .into_iter()
                    .map(|(rule, span)| Entry {
                        rule,
                        span: Span::new(file, span),
                        used: false,
                    })
                    .collect(),
            });
        }
    }
    let before = diagnostics.len();
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| !suppress(&mut suppressions, d))
        .collect();
    let suppressed = before - kept.len();
    // The same comment used in a copy of the file (an archive folder): a finding
    // reported once across copies is suppressed there, not here.
    let used_somewhere: HashSet<(Code, &str)> = suppressions
        .iter()
        .flat_map(|s| {
            s.entries
                .iter()
                .filter(|e| e.used)
                .map(|e| (e.rule.code, s.text.as_str()))
        })
        .collect();
    for s in &suppressions {
        for e in s.entries.iter().filter(|e| !e.used) {
            // A rule that did not run cannot have used it: say nothing.
            if !used_somewhere.contains(&(e.rule.code, s.text.as_str()))
                && selection.is_enabled(e.rule.code)
                && rules::runs(e.rule, analysis)
            {
                issues.push(SuppressionIssue::Unused {
                    span: e.span,
                    code: e.rule.code,
                });
            }
        }
    }
    rules::run_on_suppressions(selection, &issues, &mut kept);
    (kept, suppressed)
}

/// The severities chosen in the configuration (`[severity]`, `--severity`), over the
/// rules' defaults.
pub fn apply_severities(selection: &RuleSelection, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        d.severity = selection.severity_override(d.code).unwrap_or(d.severity);
    }
}

/// Whether a suppression covers `d`; marks the suppression used.
fn suppress(suppressions: &mut [Suppression], d: &Diagnostic) -> bool {
    let mut hit = false;
    for s in suppressions.iter_mut() {
        if s.file != d.span.file || !s.covers.contains(&d.span.range().start) {
            continue;
        }
        for e in s.entries.iter_mut().filter(|e| e.rule.code == d.code) {
            e.used = true;
            hit = true;
        }
    }
    hit
}

/// Where the statements of one file are: modeled statements and SQLCMD commands with
/// their exact extent, and the keywords and ends of every other statement.
#[derive(Default)]
struct Units {
    /// Sorted by start.
    anchors: Vec<Range<usize>>,
    /// Statement keywords outside the anchors: (offset, control of flow).
    starts: Vec<(usize, bool)>,
    /// `;` and batch ends, sorted.
    ends: Vec<usize>,
}

fn units(analysis: &Analysis, file: FileId) -> Units {
    let mut anchors: Vec<Range<usize>> = analysis
        .statements
        .iter()
        .filter(|s| s.file == file && s.span.file == file)
        .map(|s| s.span.range())
        .collect();
    let mut units = Units::default();
    for script in analysis.scripts.iter().filter(|s| s.file == file) {
        anchors.extend(script.script.commands.iter().map(|c| c.span.range()));
        anchors.extend(
            script
                .script
                .setvars
                .iter()
                .filter(|v| v.span.file == file)
                .map(|v| v.span.range()),
        );
        units.starts.extend(&script.facts.bounds.starts);
        units.ends.extend(&script.facts.bounds.ends);
    }
    anchors.sort_by_key(|r| (r.start, r.end));
    // Anchors hardly overlap (a statement built by dynamic SQL lies inside its EXEC), so
    // the last anchor starting at or before a keyword is the one that can contain it.
    let inside = |at: usize| {
        let after = anchors.partition_point(|a| a.start <= at);
        anchors[..after].iter().rev().take(4).any(|a| at < a.end)
    };
    units.starts.retain(|(at, _)| !inside(*at));
    units.starts.sort_unstable();
    units.ends.sort_unstable();
    units.anchors = anchors;
    units
}

/// What a statement-scope suppression at `comment` covers (see the module docs).
fn statement_after(text: &str, units: &Units, comment: Range<usize>) -> Range<usize> {
    let anchors = &units.anchors;
    // After code on the same line: that line, and the statement ending on it.
    let line_start = text[..comment.start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..comment.start].trim().is_empty() {
        let start = anchors
            .iter()
            .filter(|a| a.end <= comment.start && a.end > line_start)
            .map(|a| a.start)
            .min()
            .unwrap_or(line_start);
        return start.min(line_start)..comment.end;
    }
    // Inside a statement: the rest of it.
    if let Some(around) = anchors
        .iter()
        .filter(|a| a.start < comment.start && a.end > comment.start)
        .max_by_key(|a| a.start)
    {
        return comment.start..around.end;
    }
    let next_anchor = anchors.iter().find(|a| a.start >= comment.end);
    let next_other = units
        .starts
        .iter()
        .find(|(at, control)| *at >= comment.end && !control)
        .map(|(at, _)| *at);
    match (next_anchor, next_other) {
        (Some(a), other) if other.is_none_or(|o| a.start <= o) => comment.start..a.end,
        (_, Some(other)) => {
            // An unmodeled statement ends at the next statement, `;` or batch end.
            let end = [
                units
                    .starts
                    .iter()
                    .map(|(at, _)| *at)
                    .find(|at| *at > other),
                units.ends.iter().copied().find(|at| *at > other),
                next_anchor.map(|a| a.start),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(text.len());
            comment.start..end
        }
        _ => comment.start..comment.end,
    }
}

#[derive(Default)]
struct Parsed {
    scope: Option<Scope>,
    rules: Vec<(&'static Rule, Range<usize>)>,
    /// Problems in the comment itself (unknown directive or rule).
    problems: Vec<Problem>,
}

/// A problem in a suppression comment: its byte range, message, and a help that
/// replaces ML003's generic one ("did you mean `ignore`?").
struct Problem {
    range: Range<usize>,
    message: String,
    help: Option<String>,
}

impl Problem {
    fn new(range: Range<usize>, message: impl Into<String>) -> Problem {
        Problem {
            range,
            message: message.into(),
            help: None,
        }
    }
}

/// The directives, as the comment's first word.
const DIRECTIVES: &[&str] = &["ignore", "ignore-file", "ignore-next"];

/// The help for a word that is not a directive: the closest directive, or the rule
/// the word names when the directive was left out (`milink-lint: ML101`).
fn directive_help(word: &str) -> Option<String> {
    if let Some(directive) = crate::params::suggest::closest(word, DIRECTIVES) {
        return Some(format!("did you mean `{directive}`?"));
    }
    rules::find(word).map(|rule| {
        format!(
            "a directive comes first: `milink-lint: ignore {}` (the next statement) or `milink-lint: ignore-file {}` (the whole file)",
            rule.code, rule.code
        )
    })
}

/// The help for a word that names no rule: the closest code or name.
fn rule_help(word: &str) -> Option<String> {
    let candidates: Vec<&str> = Code::ALL
        .iter()
        .flat_map(|c| [c.as_str(), c.name()])
        .collect();
    crate::params::suggest::closest(word, &candidates)
        .and_then(Code::find)
        .map(|code| format!("did you mean `{code}` ({})?", code.name()))
}

/// Read a comment's source text (`-- …` or `/* … */`) starting at byte `base` of the file.
/// `None` when it is not a `milink-lint:` comment.
fn parse(source: &str, base: usize) -> Option<Parsed> {
    let body_start = if source.starts_with("--") || source.starts_with("/*") {
        2
    } else {
        0
    };
    let body = source[body_start..]
        .strip_suffix("*/")
        .unwrap_or(&source[body_start..]);
    let lead = body.len() - body.trim_start().len();
    let rest = &body[lead..];
    if !rest
        .get(..MARKER.len())
        .is_some_and(|m| m.eq_ignore_ascii_case(MARKER))
    {
        return None;
    }
    let at = base + body_start + lead + MARKER.len();
    let rest = &rest[MARKER.len()..];
    // The directive list ends at the reason (`--`) or the end of the line.
    let end = [rest.find("--"), rest.find('\n')]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let mut words = words(&rest[..end], at);
    let mut parsed = Parsed::default();
    let Some((directive, directive_range)) = words.next() else {
        parsed.problems.push(Problem::new(
            base..base + source.trim_end().len(),
            "a `milink-lint:` comment without a directive: write `ignore CODE` or `ignore-file CODE`",
        ));
        return Some(parsed);
    };
    parsed.scope = match directive.to_ascii_lowercase().as_str() {
        "ignore" | "ignore-next" => Some(Scope::Statement),
        "ignore-file" => Some(Scope::File),
        _ => {
            parsed.problems.push(Problem {
                range: directive_range,
                message: format!(
                    "unknown `milink-lint:` directive '{directive}': use `ignore` or `ignore-file`"
                ),
                help: directive_help(directive),
            });
            return Some(parsed);
        }
    };
    for (word, range) in words {
        match rules::find(word) {
            Some(rule) => parsed.rules.push((rule, range)),
            None => parsed.problems.push(Problem {
                range,
                message: format!("suppression names an unknown rule '{word}'"),
                help: rule_help(word),
            }),
        }
    }
    if parsed.rules.is_empty() && parsed.problems.is_empty() {
        parsed.problems.push(Problem::new(
            directive_range,
            "suppression names no rule: list the codes it silences, e.g. `ignore ML101`",
        ));
    }
    Some(parsed)
}

/// Words separated by commas and whitespace, with their file byte ranges.
fn words(text: &str, base: usize) -> impl Iterator<Item = (&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let separator = c == ',' || c.is_whitespace();
        match (separator, start) {
            (true, Some(s)) => {
                out.push((&text[s..i], base + s..base + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &Parsed) -> Vec<Code> {
        p.rules.iter().map(|(r, _)| r.code).collect()
    }

    #[test]
    fn line_comment_with_codes_names_and_reason() {
        let src = "-- milink-lint: ignore ML101, ag-name-mismatch -- renamed later";
        let p = parse(src, 100).unwrap();
        assert_eq!(p.scope, Some(Scope::Statement));
        assert_eq!(codes(&p), ["ML101", "ML102"]);
        assert_eq!(p.rules[0].1, 100 + 23..100 + 28);
        assert!(p.problems.is_empty());
    }

    #[test]
    fn block_comment_file_scope() {
        let p = parse("/* MILINK-LINT: ignore-file ML503 */", 0).unwrap();
        assert_eq!(p.scope, Some(Scope::File));
        assert_eq!(codes(&p), ["ML503"]);
    }

    #[test]
    fn other_comments_are_not_suppressions() {
        assert!(parse("-- milink-lïnt", 0).is_none());
        assert!(parse("-- é", 0).is_none());
        assert!(parse("-- create the DAG (milink-lint: ignore ML101)", 0).is_none());
        assert!(parse("-- TODO", 0).is_none());
    }

    #[test]
    fn unknown_rule_and_directive_are_problems() {
        let p = parse("-- milink-lint: ignore ML1O1", 0).unwrap();
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].message.contains("'ML1O1'"));
        assert_eq!(
            p.problems[0].help.as_deref(),
            Some("did you mean `ML101` (dag-name-mismatch)?")
        );
        let p = parse("-- milink-lint: ignroe ML101", 0).unwrap();
        assert_eq!(p.scope, None);
        assert!(p.problems[0].message.contains("'ignroe'"));
        assert_eq!(
            p.problems[0].help.as_deref(),
            Some("did you mean `ignore`?")
        );
        let p = parse("-- milink-lint: ignore -- no codes", 0).unwrap();
        assert!(p.problems[0].message.contains("names no rule"));
        assert_eq!(p.problems[0].help, None);
    }

    #[test]
    fn misspelt_directives_get_the_closest_one() {
        let help = |src: &str| parse(src, 0).unwrap().problems.remove(0).help;
        assert_eq!(
            help("/* milink-lint: ignore_file ML503 */").as_deref(),
            Some("did you mean `ignore-file`?")
        );
        assert_eq!(
            help("-- milink-lint: IGNOR ML101").as_deref(),
            Some("did you mean `ignore`?")
        );
        // The directive left out: the word is a rule.
        assert!(help("-- milink-lint: ML101")
            .unwrap()
            .starts_with("a directive comes first: `milink-lint: ignore ML101`"));
        assert_eq!(help("-- milink-lint: silence ML101"), None);
    }

    fn anchored(anchors: &[Range<usize>]) -> Units {
        Units {
            anchors: anchors.to_vec(),
            ..Units::default()
        }
    }

    #[test]
    fn scope_is_the_next_modeled_statement() {
        let text = "-- c\nCREATE X;\nCREATE Y;\n";
        assert_eq!(
            statement_after(text, &anchored(&[5..14, 15..24]), 0..4),
            0..14
        );
    }

    #[test]
    fn an_unmodeled_statement_ends_at_the_next_statement() {
        // -- c / PRINT 1 / PRINT 2 / CREATE X;
        let text = "-- c\nPRINT 1\nPRINT 2\nCREATE X;\n";
        let units = Units {
            anchors: std::iter::once(20..29).collect(),
            starts: vec![(5, false), (13, false)],
            ends: vec![29],
        };
        assert_eq!(statement_after(text, &units, 0..4), 0..13);
    }

    #[test]
    fn a_guard_belongs_to_the_statement_it_guards() {
        let text = "-- c\nIF 1 = 1\n  CREATE X;\n";
        let units = Units {
            anchors: std::iter::once(16..25).collect(),
            starts: vec![(5, true)],
            ends: vec![25],
        };
        assert_eq!(statement_after(text, &units, 0..4), 0..25);
    }

    #[test]
    fn trailing_comment_covers_its_line_and_the_statement_ending_on_it() {
        let text = "CREATE X\n  (a); -- c\nSELECT 1;\n";
        assert_eq!(
            statement_after(text, &anchored(&[0..15, 21..30]), 17..21),
            0..21
        );
        let text = "CREATE X -- c\n  (a);\n";
        assert_eq!(
            statement_after(text, &anchored(&[0..20, 30..30]), 9..13),
            0..13
        );
    }

    #[test]
    fn comment_inside_a_statement_covers_its_rest() {
        let text = "CREATE X (\n-- c\n a = 1);\n";
        assert_eq!(
            statement_after(text, &anchored(&[0..24, 25..25]), 11..15),
            11..24
        );
    }
}
