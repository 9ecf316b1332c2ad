//! ML501: a documentation placeholder such as <DAGName> or <SQLServerIP> is left in the script (outside comments).

use super::support::in_scope;
use super::{rule_doc, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StatementKind;
use crate::placeholder::{documentation, find, is_link_specific, Kind, Placeholder};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: "ML501",
    name: "placeholder",
    severity: Severity::Error,
    summary: "a documentation placeholder such as <DAGName>, or an SSMS template parameter or deployment variable in a link statement, is left in the script (outside comments)",
    catalogue: "H1",
    needs_params: false,
    doc: rule_doc!("ML501"),
    check,
};

/// The statements a template parameter is a link value in: every modeled statement but
/// `USE` and procedure calls (an SSMS template's `USE <Database_Name, sysname, …>` is
/// not part of a link).
fn is_link_definition(kind: &StatementKind) -> bool {
    !matches!(kind, StatementKind::Use(_) | StatementKind::Exec(_))
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let scoped = in_scope(a);
    // Template parameters and tool variables count inside link statements only: anywhere
    // else they belong to templates and deployments this tool is not about.
    let mut link_statements: std::collections::HashMap<
        crate::span::FileId,
        Vec<std::ops::Range<usize>>,
    > = Default::default();
    if scoped {
        for st in a
            .statements
            .iter()
            .filter(|st| st.span.file == st.file && is_link_definition(&st.kind))
        {
            link_statements
                .entry(st.file)
                .or_default()
                .push(st.span.range());
        }
    }
    for s in &a.scripts {
        let text = &a.files.get(s.file).text;
        let in_message = |at: usize| {
            s.facts
                .messages
                .iter()
                .any(|m| (m.start as usize) <= at && at < m.end as usize)
        };
        let in_comment = |at: usize| {
            s.facts
                .comments
                .iter()
                .any(|c| (c.span.start as usize) <= at && at < c.span.end as usize)
        };
        let mut found: Vec<Placeholder> = documentation(text).collect();
        for range in link_statements.get(&s.file).into_iter().flatten() {
            let Some(statement) = text.get(range.clone()) else {
                continue;
            };
            found.extend(
                find(statement)
                    .filter(|p| p.kind != Kind::Documentation)
                    .map(|mut p| {
                        p.range = range.start + p.range.start..range.start + p.range.end;
                        p
                    }),
            );
        }
        found.sort_by_key(|p| p.range.start);
        found.dedup_by_key(|p| p.range.start);
        for p in found {
            let at = p.range.start;
            if in_comment(at) || in_message(at) {
                continue;
            }
            let span = Span::new(s.file, p.range.clone());
            let written = &text[p.range.clone()];
            let finding = match p.kind {
                Kind::Documentation if scoped || is_link_specific(p.name) => Diagnostic::new(RULE.code, RULE.severity, span, format!("placeholder {written} was never replaced"))
                    .with_primary_label("documentation placeholder")
                    .with_help(format!("replace {written} with the real value: inside [ ] or quotes SQL Server takes it literally (an object named '{written}', a path, a password)")),
                Kind::Documentation => continue,
                Kind::Template => {
                    let default = p.default.filter(|d| !d.is_empty());
                    let d = Diagnostic::new(RULE.code, RULE.severity, span, format!("template parameter '{}' was never replaced", p.name))
                        .with_primary_label("SSMS template parameter");
                    match default {
                        Some(default) => d.with_help(format!("replace it with the real value (Query ▸ Specify Values for Template Parameters in SSMS; its default is '{default}'): as written, SQL Server reads '{written}'")),
                        None => d.with_help("replace it with the real value (Query ▸ Specify Values for Template Parameters in SSMS)"),
                    }
                }
                Kind::FreeText => Diagnostic::new(RULE.code, RULE.severity, span, format!("placeholder {written} was never replaced"))
                    .with_primary_label("placeholder")
                    .with_help(format!("replace {written} with the real value: as written, SQL Server reads the text literally or rejects it")),
                Kind::ToolVariable => Diagnostic::new(RULE.code, RULE.severity, span, format!("deployment variable {written} was never replaced"))
                    .with_primary_label("not replaced")
                    .with_help(format!("this script must run through the tool that replaces {written} (Flyway, Octopus, dbt…); run directly, SQL Server reads the text as written")),
                Kind::SqlcmdVariable => continue,
            };
            out.push(finding);
        }
    }
}
