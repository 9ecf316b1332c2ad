//! ML501: a documentation placeholder such as <DAGName> or <SQLServerIP> is left in the script (outside comments).

use super::{Check, Rule};
use crate::analysis::queries::in_scope;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StatementKind;
use crate::placeholder::{documentation, find, is_link_specific, Kind, Placeholder};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML501,
    severity: Severity::Error,
    summary: "a documentation placeholder such as <DAGName>, or an SSMS template parameter or deployment variable in a link statement, is left in the script (outside comments)",
    catalogue: "H1",
    needs_params: false,
    check: Check::Model(check),
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
    shell_placeholders(a, out);
}

/// Placeholders left in the values of the shell scripts that do link work (create,
/// update or name the link, upload the trust certificate, run the link scripts):
/// `$DAGName = "<DAGName>"`, `tnc <ManagedInstanceFQDN> -port 5022`. The link
/// documentation's placeholders count anywhere in such a script outside comments; other
/// `<Name>` and free-text `<MI name>` shapes only in a link command or in the value a
/// variable of one holds. Inline T-SQL (`Invoke-Sqlcmd -Query`) is linted as T-SQL.
fn shell_placeholders(a: &Analysis, out: &mut Vec<Diagnostic>) {
    use crate::azure::{AzValue, Origin};
    use std::collections::BTreeMap;
    // Per shell script: the ranges of its link commands and of the values they use.
    let mut zones: BTreeMap<crate::span::FileId, Vec<std::ops::Range<usize>>> = BTreeMap::new();
    let mut add = |span: Span, values: &[Option<&AzValue>]| {
        let list = zones.entry(span.file).or_default();
        list.push(span.range());
        for v in values.iter().flatten() {
            for s in [Some(v.span), v.defined_at].into_iter().flatten() {
                if s.file == span.file {
                    list.push(s.range());
                }
            }
        }
    };
    for link in &a.azure.links {
        if !matches!(link.origin, Origin::Command { .. }) {
            continue;
        }
        let mut values = vec![
            link.name.as_ref(),
            link.instance.as_ref(),
            link.resource_group.as_ref(),
            link.partner_ag.as_ref(),
            link.instance_ag.as_ref(),
            link.partner_endpoint.as_ref(),
        ];
        values.extend(link.databases.iter().flatten().map(Some));
        add(link.span, &values);
    }
    for cert in &a.azure.trust_certificates {
        add(cert.span, &[cert.instance.as_ref(), cert.name.as_ref()]);
    }
    for (index, run) in a.azure.runs.iter().enumerate() {
        let link_run = a
            .script_runs
            .iter()
            .any(|(file, r)| *r == index && a.in_a_setup(*file));
        if link_run {
            add(run.span, &[run.server.as_ref()]);
        }
    }
    for broken in &a.azure.continuations {
        if broken.kind != crate::azure::ContinuationOf::Runner {
            add(broken.command_span, &[]);
        }
    }
    for (file, zone) in zones {
        let source = a.files.get(file);
        let Some(dialect) = crate::azure::shell::Dialect::of(&source.name) else {
            continue;
        };
        let queries: Vec<std::ops::Range<usize>> = a
            .azure
            .runs
            .iter()
            .flat_map(|r| r.queries.iter())
            .map(|query| query.1)
            .filter(|span| span.file == file)
            .map(|span| span.range())
            .collect();
        let inside = |ranges: &[std::ops::Range<usize>], at: usize| {
            ranges.iter().any(|r| r.start <= at && at < r.end)
        };
        for p in crate::azure::placeholders::find_in_shell(&source.text, dialect) {
            let at = p.range.start;
            if inside(&queries, at) || !(p.documented || inside(&zone, at)) {
                continue;
            }
            let written = &source.text[p.range.clone()];
            let (label, what) = match p.kind {
                Kind::FreeText => ("placeholder", "placeholder"),
                _ => ("documentation placeholder", "placeholder"),
            };
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    Span::new(file, p.range.clone()),
                    format!("{what} {written} was never replaced"),
                )
                .with_primary_label(label)
                .with_help(format!(
                    "replace {written} with the real value: quoted, the script passes the text '{written}' to Azure or sqlcmd; unquoted, the shell reads `<` and `>` as redirections"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, LINK};

    const SQL_URL: &str = "'TCP://sqlfin01.corp.example.net:5022'";

    #[test]
    fn the_dag_name_and_an_endpoint_url_left_as_placeholders() {
        let bad = LINK
            .replace("[dag-treasury]", "[<DAGName>]")
            .replacen(SQL_URL, "'TCP://<SQLServerIP>:5022'", 1);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [16, 20]);
        assert_eq!(found[0].message, "placeholder <SQLServerIP> was never replaced");
        assert_eq!(found[1].message, "placeholder <DAGName> was never replaced");
    }

    #[test]
    fn the_values_filled_in() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn placeholders_in_comments_and_messages_are_text_for_people() {
        let good = format!(
            "-- Replace <DAGName> and <SQLServerIP> before running.\n/* <ManagedInstanceName> */\n{LINK}PRINT N'Next: New-AzSqlInstanceLink -Name <DAGName>';\n"
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn outside_a_link_only_the_link_pages_placeholders_count() {
        assert_eq!(script(RULE.code, "SELECT name FROM sys.databases WHERE name = N'<DatabaseName>';\n"), []);
        let found = script(RULE.code, "SELECT name FROM sys.availability_groups WHERE name = N'<DAGName>';\n");
        assert_eq!(lines(&found), [1]);
    }

    #[test]
    fn an_ssms_template_parameter_in_a_link_statement() {
        let bad = LINK.replacen("[AG_Treasury]", "[<AG_Name, sysname, AG_Treasury>]", 1);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [12]);
        assert_eq!(found[0].message, "template parameter 'AG_Name' was never replaced");
        // In USE it belongs to the SSMS template, not to the link.
        let template_use = LINK.replace("USE master;", "USE <Database_Name, sysname, master>;");
        assert_eq!(script(RULE.code, &template_use), []);
    }

    #[test]
    fn a_placeholder_left_in_a_powershell_link_script() {
        let ps1 = "$DAGName = \"<DAGName>\"\nGet-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName mi-treasury -Name $DAGName\n";
        let found = findings(RULE.code, &[("01.sql", LINK), ("link.ps1", ps1)], None);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].file, "link.ps1");
        let good = ps1.replace("<DAGName>", "dag-treasury");
        assert_eq!(findings(RULE.code, &[("01.sql", LINK), ("link.ps1", &good)], None), []);
    }

    #[test]
    fn a_deployment_tool_variable_in_a_link_statement() {
        for variable in ["${DagName}", "#{DagName}", "{{ dag_name }}"] {
            let bad = LINK.replace("[dag-treasury]", &format!("[{variable}]"));
            let found = script(RULE.code, &bad);
            assert_eq!(lines(&found), [20], "{variable}");
            assert_eq!(
                found[0].message,
                format!("deployment variable {variable} was never replaced")
            );
        }
    }
}
