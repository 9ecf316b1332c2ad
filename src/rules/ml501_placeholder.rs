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
            let fill = fill::sql(a, s.file, p.range.clone(), p.name, p.kind);
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
            out.push(finding.with_fix_if(fill));
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
            let fill = fill::shell(a, file, p.range.clone());
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
                ))
                .with_fix_if(fill),
            );
        }
    }
}

/// The fix of a placeholder the parameters file gives the value of: `<DAGName>` becomes
/// the parameters' DAG name, written as its place needs it.
mod fill {
    use crate::analysis::{Analysis, LinkSetup};
    use crate::diagnostic::{Applicability, Edit, Fix};
    use crate::names::{compare, NameMatch};
    use crate::params::{LinkParams, Params};
    use crate::placeholder::Kind;
    use crate::rules::fixes;
    use crate::span::{FileId, Span};
    use std::ops::Range;

    /// The value of the parameters file a documentation placeholder of the link pages
    /// stands for. None for the placeholders the file has no value for (passwords,
    /// certificate names, keys, paths, subscriptions), and for a link value when the
    /// parameters' link is not known (see [`link_of`]).
    fn value(params: &Params, link: Option<&LinkParams>, name: &str) -> Option<String> {
        let is = |n: &str| n.eq_ignore_ascii_case(name);
        let text = |v: &Option<crate::params::Value<String>>| v.as_ref().map(|v| v.value.clone());
        if is("ManagedInstanceName") {
            text(&params.managed_instance.name)
        } else if is("ManagedInstanceFQDN") {
            text(&params.managed_instance.fqdn)
        } else if is("SQLServerName") {
            text(&params.sql_server.name)
        } else if is("SQLServerIP") || is("SQLEndpointIP") {
            // The docs' "IP of SQL Server reachable from Azure, or a host name resolvable
            // from it": the address when the file gives one, else the FQDN.
            text(&params.sql_server.ip).or_else(|| text(&params.sql_server.fqdn))
        } else if is("EndpointPort") {
            params.sql_server.endpoint_port.as_ref().map(|p| p.value.to_string())
        } else if is("DAGName") {
            text(&link?.distributed_availability_group)
        } else if is("AGName") || is("AGNameOnSQLServer") {
            text(&link?.availability_group)
        } else if is("AGNameOnSQLMI") {
            text(&link?.instance_availability_group)
        } else if is("DatabaseName") {
            match link?.databases.as_deref()? {
                [only] => Some(only.value.clone()),
                _ => None,
            }
        } else {
            None
        }
    }

    /// The parameters' link a script's placeholders belong to: the only one, or the one
    /// its set-ups are matched to when a written name (DAG, AG or a database) says so,
    /// not a guess by similarity.
    fn link_of<'p>(a: &Analysis, params: &'p Params, file: FileId) -> Option<&'p LinkParams> {
        if let [only] = params.links.as_slice() {
            return Some(only);
        }
        let same = |found: &str, expected: &Option<crate::params::Value<String>>| {
            expected
                .as_ref()
                .is_some_and(|e| compare(found, &e.value) != NameMatch::Different)
        };
        let named = |link: &LinkSetup, lp: &LinkParams| {
            same(&a.dag(link).name.value, &lp.distributed_availability_group)
                || a.sql_member(link)
                    .is_some_and(|m| same(&m.name.value, &lp.availability_group))
                || link.databases.iter().any(|d| {
                    lp.databases
                        .iter()
                        .flatten()
                        .any(|p| compare(&d.name.value, &p.value) != NameMatch::Different)
                })
        };
        let mut matched = a.links.iter().filter(|l| l.has_file(file)).map(|l| {
            let lp = a.link_params(l)?;
            named(l, lp).then_some(l.params?)
        });
        let first = matched.next()??;
        matched
            .all(|m| m == Some(first))
            .then(|| &params.links[first])
    }

    /// The parameters' value for the placeholder `<name>` of `file`, if any.
    fn lookup(a: &Analysis, file: FileId, name: &str) -> Option<String> {
        let params = a.params.as_ref()?;
        value(params, link_of(a, params, file), name).filter(|v| !v.is_empty())
    }

    fn fix(span: Span, written: &str, content: String) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            message: format!("replace {written} with '{content}' from the parameters file"),
            edits: vec![Edit { span, content }],
        }
    }

    /// A placeholder of a T-SQL script: `[<DAGName>]`, `'TCP://<SQLServerIP>:5022'`,
    /// `:setvar DAG "<DAGName>"`, a bare `<AGName>`. SSMS template parameters count when
    /// named as the documentation's (`<DAGName, sysname, dag1>`).
    pub fn sql(a: &Analysis, file: FileId, range: Range<usize>, name: &str, kind: Kind) -> Option<Fix> {
        if !matches!(kind, Kind::Documentation | Kind::Template) {
            return None;
        }
        let value = lookup(a, file, name)?;
        let text = &a.files.get(file).text;
        let written = &text[range.clone()];
        let content = written_as(place(text, range.clone())?, &value)?;
        Some(fix(Span::new(file, range), written, content))
    }

    /// A placeholder of a shell script that does link work: the value as a word that
    /// needs no quoting in PowerShell, sh or cmd, in or out of quotes.
    pub fn shell(a: &Analysis, file: FileId, range: Range<usize>) -> Option<Fix> {
        let text = &a.files.get(file).text;
        let written = &text[range.clone()];
        let name = written.strip_prefix('<')?.strip_suffix('>')?;
        let value = lookup(a, file, name)?;
        let plain = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'));
        plain.then(|| fix(Span::new(file, range), written, value))
    }

    /// Where a placeholder of a T-SQL script stands.
    #[derive(Debug, PartialEq, Eq)]
    enum Place {
        /// The value of a `:setvar` line, in `"…"` or not.
        Setvar { quoted: bool },
        /// Inside a `'…'` literal (dynamic SQL too); `exact` when it is the whole of a
        /// `[…]` there (`EXEC (N'… [<DAGName>] …')`).
        Literal { exact: bool },
        /// Inside a `[…]` name of the code.
        Bracketed,
        /// Inside a `"…"` name of the code.
        Quoted,
        /// Anywhere else: a name written bare.
        Code,
    }

    /// What the value becomes at its place: quotes and brackets escaped, a bare name in
    /// brackets unless it is a regular identifier. None where no escape would do (a
    /// quote inside a literal, whose escaping depends on how deep the dynamic SQL goes).
    fn written_as(place: Place, value: &str) -> Option<String> {
        match place {
            // sqlcmd writes the value wherever `$(name)` stands: inside quotes or brackets.
            Place::Setvar { quoted } => crate::rules::name_mismatch::setvar_value_fits(value, quoted)
                .then(|| value.to_string()),
            Place::Literal { exact } => {
                let plain = !value.contains('\'') && (exact || !value.contains(']'));
                plain.then(|| value.replace(']', "]]"))
            }
            Place::Bracketed => Some(value.replace(']', "]]")),
            Place::Quoted => Some(value.replace('"', "\"\"")),
            Place::Code => Some(
                crate::rules::name_mismatch::requote("x", value)
                    .unwrap_or_else(|| format!("[{}]", value.replace(']', "]]"))),
            ),
        }
    }

    fn place(text: &str, range: Range<usize>) -> Option<Place> {
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..range.start];
        let head = before.trim_start();
        if head.get(..7).is_some_and(|h| h.eq_ignore_ascii_case(":setvar")) {
            return Some(Place::Setvar {
                quoted: before.contains('"'),
            });
        }
        let exact = before.ends_with('[') && text[range.end..].starts_with(']');
        Some(match fixes::context(text, range.start)? {
            fixes::Context::Literal => Place::Literal { exact },
            fixes::Context::Bracket => Place::Bracketed,
            fixes::Context::Quoted => Place::Quoted,
            fixes::Context::Comment => return None,
            fixes::Context::Code => Place::Code,
        })
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

    mod fill {
        use super::RULE;
        use crate::rules::testing::{fixed, fixed_files, script, with_params, LINK, PARAMS};

        const SQL_URL: &str = "'TCP://sqlfin01.corp.example.net:5022'";

        #[test]
        fn the_parameters_fill_the_dag_name_and_the_endpoint_host() {
            let bad = LINK
                .replace("[dag-treasury]", "[<DAGName>]")
                .replacen(SQL_URL, "'TCP://<SQLServerIP>:5022'", 1);
            // No `ip` in the parameters: the FQDN is the address.
            assert_eq!(fixed(RULE.code, &bad, Some(PARAMS)), LINK);
            let with_ip = PARAMS.replace("version = 2022", "version = 2022\nip = \"10.40.2.11\"");
            assert!(fixed(RULE.code, &bad, Some(&with_ip)).contains("'TCP://10.40.2.11:5022'"));
        }

        #[test]
        fn a_name_is_written_as_its_place_needs() {
            // Bare: a regular identifier as is, any other name in brackets.
            let bare = LINK
                .replace("[dag-treasury]", "<DAGName>")
                .replace("[AG_Treasury]", "<AGName>");
            let out = fixed(RULE.code, &bare, Some(PARAMS));
            assert!(out.contains("CREATE AVAILABILITY GROUP [dag-treasury]"), "{out}");
            assert!(out.contains("CREATE AVAILABILITY GROUP AG_Treasury\n"), "{out}");
            // In a string: the value as is; in a template parameter named as the docs'.
            let template = LINK.replace("N'AG_Treasury_MI'", "N'<AGNameOnSQLMI, sysname, AG_MI>'");
            assert_eq!(fixed(RULE.code, &template, Some(PARAMS)), LINK);
            // A name with a quote is not written into a literal, even in brackets.
            let quoted = PARAMS.replace("\"AG_Treasury_MI\"", "\"AG_O'Brien\"");
            let bad = LINK.replace("N'AG_Treasury_MI'", "N'<AGNameOnSQLMI>'");
            assert_eq!(fixed(RULE.code, &bad, Some(&quoted)), bad);
            let dynamic = "EXEC (N'ALTER AVAILABILITY GROUP [<AGNameOnSQLMI>] GRANT CREATE ANY DATABASE');\n";
            let bad = format!("{LINK}{dynamic}");
            assert_eq!(fixed(RULE.code, &bad, Some(&quoted)), bad);
            assert!(fixed(RULE.code, &bad, Some(PARAMS)).ends_with("[AG_Treasury_MI] GRANT CREATE ANY DATABASE');\n"));
        }

        #[test]
        fn a_setvar_value_is_filled_where_it_is_defined() {
            let bad = format!(
                ":setvar DAG \"<DAGName>\"\n{}",
                LINK.replace("[dag-treasury]", "[$(DAG)]")
            );
            let out = fixed(RULE.code, &bad, Some(PARAMS));
            assert_eq!(out, bad.replace("\"<DAGName>\"", "\"dag-treasury\""));
            assert_eq!(with_params(RULE.code, &out, PARAMS), []);
        }

        #[test]
        fn no_fix_without_a_value() {
            let bad = LINK.replace("[dag-treasury]", "[<DAGName>]");
            // No parameters file, or one without the value; a password has none.
            assert_eq!(script(RULE.code, &bad).len(), 1);
            assert_eq!(fixed(RULE.code, &bad, None), bad);
            let no_dag = PARAMS.replace("distributed_availability_group = \"dag-treasury\"\n", "");
            assert_eq!(fixed(RULE.code, &bad, Some(&no_dag)), bad);
            let password = format!("{LINK}CREATE LOGIN [x] WITH PASSWORD = '<strong_password>';\n");
            assert_eq!(fixed(RULE.code, &password, Some(PARAMS)), password);
        }

        #[test]
        fn with_several_links_the_one_a_written_name_matches() {
            let two = format!(
                "{PARAMS}\n[[link]]\navailability_group = \"AG_Other\"\ndistributed_availability_group = \"dag-other\"\ninstance_availability_group = \"AG_Other_MI\"\ndatabases = [\"Other\"]\n"
            )
            .replace("[link]\n", "[[link]]\n");
            let bad = LINK.replace("[dag-treasury]", "[<DAGName>]");
            assert_eq!(fixed(RULE.code, &bad, Some(&two)), LINK);
            // Nothing written matches a link: no guess.
            let unknown = bad.replace("AG_Treasury", "AG_Unknown").replace("[Treasury]", "[Unknown]");
            assert_eq!(fixed(RULE.code, &unknown, Some(&two)), unknown);
        }

        #[test]
        fn inside_the_t_sql_of_a_shell_script_the_shell_script_is_fixed() {
            // The query is linted as a script of its own, laid out over the shell
            // script's text: the fix goes into the shell script, where the query's bytes
            // are, when the value needs no quoting there.
            let ps1 = "Invoke-Sqlcmd -ServerInstance SQLFIN01 -Query \"ALTER AVAILABILITY GROUP [<DAGName>] GRANT CREATE ANY DATABASE\"\n";
            let files = [("01.sql", LINK), ("link.ps1", ps1)];
            assert_eq!(crate::rules::testing::findings(RULE.code, &files, Some(PARAMS)).len(), 1);
            let out = fixed_files(RULE.code, &files, Some(PARAMS));
            assert_eq!(out[1], ps1.replace("<DAGName>", "dag-treasury"));
            // `$` would be read by PowerShell inside "…": no fix.
            let dollar = PARAMS.replace("\"dag-treasury\"", "\"dag$x\"");
            assert_eq!(fixed_files(RULE.code, &files, Some(&dollar))[1], ps1);
        }

        #[test]
        fn a_powershell_variable_of_the_link() {
            let ps1 = "$DAGName = \"<DAGName>\"\nGet-AzSqlInstanceLink -ResourceGroupName rg-treasury -InstanceName <ManagedInstanceName> -Name $DAGName\n";
            let out = fixed_files(RULE.code, &[("01.sql", LINK), ("link.ps1", ps1)], Some(PARAMS));
            assert_eq!(out[1], ps1.replace("<DAGName>", "dag-treasury").replace("<ManagedInstanceName>", "mi-treasury"));
        }

        #[test]
        fn inside_a_longer_name_the_value_keeps_its_brackets() {
            let bad = LINK.replace("[AG_Treasury]\n", "[<AGName>]\n").replace("[dag-treasury]", "[x<DAGName>]");
            let out = fixed(RULE.code, &bad, Some(PARAMS));
            assert!(out.contains("[xdag-treasury]"), "{out}");
            assert!(out.contains("[AG_Treasury]\n"), "{out}");
        }
    }
}
