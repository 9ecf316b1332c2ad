//! ML401: the managed instance is the initial primary, but the SQL Server AG is never granted CREATE ANY DATABASE.

use super::{Check, Rule};
use crate::analysis::queries::{declared_direction, direction, grants_create_any_database};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Name;
use crate::params::InitialPrimary;
use crate::rules::fixes;
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML401,
    severity: Severity::Error,
    summary: "the managed instance is the initial primary, but the SQL Server AG is never granted CREATE ANY DATABASE",
    catalogue: "D1",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        // Declared, or shown by the template (an empty AG with ;Database=[…] in the URL).
        if direction(a, link) != Some(InitialPrimary::ManagedInstance) {
            continue;
        }
        let why = match declared_direction(a, link) {
            Some(d) => (d.span, "the managed instance seeds SQL Server"),
            None => match a
                .mi_member(link)
                .listener_url
                .as_ref()
                .and_then(|u| u.database.as_ref())
            {
                Some(db) => (db.span, "the managed-instance-first template"),
                None => continue,
            },
        };
        let Some(member) = a.sql_member(link) else {
            continue;
        };
        let ag_name = a.ag(link).map(|ag| &ag.name).unwrap_or(&member.name);
        if grants_create_any_database(a, &ag_name.value) || !seen.insert(ag_name.span) {
            continue;
        }
        // Where the scripts create the AG; a DAG member alone gives no place for the grant.
        let fix = link.ag.zip(a.ag(link)).and_then(|(index, ag)| grant(a, index, &ag.name));
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, ag_name.span, format!("availability group '{}' is never granted CREATE ANY DATABASE", ag_name.value))
                .with_primary_label("automatic seeding cannot create the database here")
                .with_label(why.0, why.1)
                .with_help(format!("add ALTER AVAILABILITY GROUP [{}] GRANT CREATE ANY DATABASE; after creating the AG: without it the seeded database is never created on SQL Server (error 41977)", ag_name.value))
                .with_fix_if(fix),
        );
    }
}

/// `ALTER AVAILABILITY GROUP [name] GRANT CREATE ANY DATABASE;` on a line of its own right
/// after the CREATE AVAILABILITY GROUP statement `index` (after its `;`, after a comment
/// that ends its line), with the CREATE's indent: on the same replica, and inside the
/// same BEGIN … END when the CREATE is in one. None when the CREATE is not written in
/// the script as is (dynamic SQL, a name from a `$(var)` or a placeholder), or is the
/// one statement of an IF, ELSE or WHILE without BEGIN … END (the grant would run
/// outside it, or end the IF before its ELSE).
fn grant(a: &Analysis, index: usize, name: &Name) -> Option<Fix> {
    let plain = !name.from_variable
        && !name.dynamic
        && !name.value.is_empty()
        && !name.value.contains(['\n', '\r', crate::model::SERVERNAME_MARKER])
        && !name.value.contains("$(")
        && !crate::placeholder::contains(&name.value)
        && !crate::secrets::is_tainted(&name.value);
    if !plain {
        return None;
    }
    let s = &a.statements[index];
    let end = fixes::statement_end(a, index)?;
    let start = s.span.start as usize;
    let text = &a.files.get(s.file).text;
    let introduced = fixes::bounds(a, s.file)?
        .starts
        .iter()
        .rev()
        .find(|(at, _)| *at < start)
        .filter(|(_, control)| *control)
        .map(|(at, _)| {
            let word: String = text[*at..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            word.to_ascii_uppercase()
        });
    if matches!(introduced.as_deref(), Some("IF" | "ELSE" | "WHILE")) {
        return None;
    }
    let statement = format!(
        "ALTER AVAILABILITY GROUP [{}] GRANT CREATE ANY DATABASE;",
        name.value.replace(']', "]]")
    );
    let indent = fixes::indent_at(text, start);
    let newline = fixes::line_break(text, end);
    let rest = &text[end..];
    let line = rest[..rest.find('\n').unwrap_or(rest.len())].trim_end_matches('\r');
    let (span, content) = if line.trim().is_empty() || line.trim_start().starts_with("--") {
        // At the end of the line (after a comment there).
        let at = end + line.len();
        (at..at, format!("{newline}{indent}{statement}"))
    } else {
        // Another statement follows on the line: it goes to the next line.
        let spaces = line.len() - line.trim_start().len();
        (
            end..end + spaces,
            format!("{newline}{indent}{statement}{newline}{indent}"),
        )
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!(
            "add ALTER AVAILABILITY GROUP [{}] GRANT CREATE ANY DATABASE after the AG is created",
            name.value.replace(']', "]]")
        ),
        edits: vec![Edit {
            span: Span::new(s.file, span),
            content,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, fixed_unsafe, lines, script, with_params, LINK, PARAMS};

    const GRANT: &str = "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\n";

    /// LINK as Microsoft's managed-instance-first template: an empty AG, no database
    /// steps, `;Database=[…]` in the managed instance's URL (line numbers kept).
    fn mi_first() -> String {
        LINK.replace(
            "ALTER DATABASE [Treasury] SET RECOVERY FULL;\n",
            "-- the database comes from the managed instance\n",
        )
        .replace(
            "BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n",
            "--\n",
        )
        .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR\n    REPLICA ON")
        .replace(";Server=[mi-treasury]'", ";Server=[mi-treasury];Database=[Treasury]'")
    }

    /// `sql` with `grant` run right after the AG is created.
    fn granted(sql: &str, grant: &str) -> String {
        sql.replace(
            "CREATE AVAILABILITY GROUP [dag-treasury]",
            &format!("{grant}CREATE AVAILABILITY GROUP [dag-treasury]"),
        )
    }

    #[test]
    fn the_managed_instance_first_template_without_the_grant() {
        let found = script(RULE.code, &mi_first());
        assert_eq!(lines(&found), [12]);
        assert_eq!(
            found[0].message,
            "availability group 'AG_Treasury' is never granted CREATE ANY DATABASE"
        );
    }

    #[test]
    fn the_managed_instance_first_template_with_the_grant() {
        assert_eq!(script(RULE.code, &granted(&mi_first(), GRANT)), []);
        let lower_case = GRANT.replace("[AG_Treasury]", "[ag_treasury]");
        assert_eq!(script(RULE.code, &granted(&mi_first(), &lower_case)), []);
    }

    #[test]
    fn the_parameters_declare_the_managed_instance_first() {
        let params = PARAMS.replace("\"sql_server\"", "\"managed_instance\"");
        // Even without the template's ;Database=[…].
        let bad = mi_first().replace(";Database=[Treasury]", "");
        assert_eq!(lines(&with_params(RULE.code, &bad, &params)), [12]);
        assert_eq!(
            with_params(RULE.code, &granted(&bad, GRANT), &params),
            []
        );
    }

    #[test]
    fn a_grant_to_the_dag_does_not_count() {
        let to_dag = GRANT.replace("[AG_Treasury]", "[dag-treasury]");
        assert_eq!(lines(&script(RULE.code, &granted(&mi_first(), &to_dag))), [12]);
    }

    #[test]
    fn sql_server_first_needs_no_grant() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn an_empty_ag_without_database_in_the_url_settles_no_direction() {
        let unknown = mi_first().replace(";Database=[Treasury]", "");
        assert_eq!(script(RULE.code, &unknown), []);
    }

    /// The end of the AG's CREATE in [`LINK`] and [`mi_first`].
    const AG_END: &str = "        SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-treasury]";

    #[test]
    fn the_unsafe_fix_grants_right_after_the_create() {
        let bad = mi_first();
        let good = granted(&bad, GRANT);
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), good);
        assert_eq!(script(RULE.code, &good), []);
        // Unsafe: --fix alone leaves it.
        assert_eq!(fixed(RULE.code, &bad, None), bad);
        // Windows line ends stay.
        let crlf = bad.replace('\n', "\r\n");
        assert_eq!(fixed_unsafe(RULE.code, &crlf, None), good.replace('\n', "\r\n"));
    }

    #[test]
    fn the_grant_follows_a_create_without_semicolon_a_comment_or_a_statement_on_its_line() {
        let no_semicolon = mi_first().replace(
            AG_END,
            "        SEEDING_MODE = AUTOMATIC)\nGO\nCREATE AVAILABILITY GROUP [dag-treasury]",
        );
        assert_eq!(
            fixed_unsafe(RULE.code, &no_semicolon, None),
            no_semicolon.replace(
                "AUTOMATIC)\nGO\n",
                &format!("AUTOMATIC)\n{GRANT}GO\n")
            )
        );
        let comment = mi_first().replace(
            AG_END,
            "        SEEDING_MODE = AUTOMATIC); -- the AG\nCREATE AVAILABILITY GROUP [dag-treasury]",
        );
        assert_eq!(
            fixed_unsafe(RULE.code, &comment, None),
            granted(&comment, GRANT)
        );
        let same_line = mi_first().replace(
            AG_END,
            "        SEEDING_MODE = AUTOMATIC); CREATE AVAILABILITY GROUP [dag-treasury]",
        );
        assert_eq!(fixed_unsafe(RULE.code, &same_line, None), granted(&mi_first(), GRANT));
    }

    #[test]
    fn inside_begin_end_the_grant_stays_in_the_block_with_the_indent() {
        let guarded = mi_first()
            .replace(
                "CREATE AVAILABILITY GROUP [AG_Treasury]",
                "IF NOT EXISTS (SELECT 1 FROM sys.availability_groups WHERE name = N'AG_Treasury')\nBEGIN\n    CREATE AVAILABILITY GROUP [AG_Treasury]",
            )
            .replace(AG_END, "        SEEDING_MODE = AUTOMATIC);\nEND\nCREATE AVAILABILITY GROUP [dag-treasury]");
        assert_eq!(lines(&script(RULE.code, &guarded)), [14]);
        let good = guarded.replace(
            "AUTOMATIC);\nEND\n",
            &format!("AUTOMATIC);\n    {GRANT}END\n"),
        );
        assert_eq!(fixed_unsafe(RULE.code, &guarded, None), good);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn no_fix_for_the_one_statement_of_an_if() {
        let guarded = mi_first().replace(
            "CREATE AVAILABILITY GROUP [AG_Treasury]",
            "IF NOT EXISTS (SELECT 1 FROM sys.availability_groups WHERE name = N'AG_Treasury')\n    CREATE AVAILABILITY GROUP [AG_Treasury]",
        );
        assert_eq!(lines(&script(RULE.code, &guarded)), [13]);
        assert_eq!(fixed_unsafe(RULE.code, &guarded, None), guarded);
    }

    #[test]
    fn the_name_is_quoted_with_brackets() {
        let bad = mi_first()
            .replace("[AG_Treasury]", "[AG_Tre]]asury]")
            .replace("N'AG_Treasury'", "N'AG_Tre]asury'");
        let good = granted(&bad, &GRANT.replace("[AG_Treasury]", "[AG_Tre]]asury]"));
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), good);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn no_fix_for_a_name_from_a_variable_or_an_ag_built_by_dynamic_sql() {
        let variable = format!(
            ":setvar AGName AG_Treasury\n{}",
            mi_first().replace("CREATE AVAILABILITY GROUP [AG_Treasury]", "CREATE AVAILABILITY GROUP [$(AGName)]")
        );
        assert_eq!(lines(&script(RULE.code, &variable)), [13]);
        assert_eq!(fixed_unsafe(RULE.code, &variable, None), variable);
        let at = mi_first().find("CREATE AVAILABILITY GROUP [AG_Treasury]").unwrap();
        let end = mi_first().find("CREATE AVAILABILITY GROUP [dag-").unwrap();
        let dynamic = format!(
            "{}EXEC (N'{}');\n{}",
            &mi_first()[..at],
            mi_first()[at..end].trim_end().replace('\'', "''"),
            &mi_first()[end..]
        );
        assert_eq!(lines(&script(RULE.code, &dynamic)), [12]);
        assert_eq!(fixed_unsafe(RULE.code, &dynamic, None), dynamic);
    }

    #[test]
    fn no_fix_when_the_scripts_do_not_create_the_ag() {
        let at = mi_first().find("CREATE AVAILABILITY GROUP [AG_Treasury]").unwrap();
        let end = mi_first().find("CREATE AVAILABILITY GROUP [dag-").unwrap();
        let dag_only = format!("{}{}", &mi_first()[..at], &mi_first()[end..]);
        let params = PARAMS.replace("\"sql_server\"", "\"managed_instance\"");
        assert_eq!(lines(&with_params(RULE.code, &dag_only, &params)), [15]);
        assert_eq!(fixed_unsafe(RULE.code, &dag_only, Some(&params)), dag_only);
    }
}
