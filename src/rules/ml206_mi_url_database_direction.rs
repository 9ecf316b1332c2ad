//! ML206: ;Database=[...] in the MI URL does not fit the link's direction.

use super::{Check, Rule};
use crate::analysis::queries::direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{Spanned, Url};
use crate::params::InitialPrimary;
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML206,
    severity: Severity::Error,
    summary: "the managed-instance URL lacks ;Database=[...] when the managed instance is the initial primary (error), or has it when SQL Server is (warning)",
    catalogue: "U6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in &a.links {
        let Some(url) = &a.mi_member(link).listener_url else {
            continue;
        };
        let declared = a.link_params(link).and_then(|l| l.initial_primary.as_ref());
        let Some(dir) = direction(a, link) else {
            continue;
        };
        let params_databases = a.link_params(link).and_then(|l| l.databases.as_ref());
        let known = database(a, link);
        let db = known
            .clone()
            .or_else(|| params_databases.and_then(|d| d.first()).map(|d| d.value.clone()))
            .unwrap_or_else(|| "<database>".into());
        // The URL as written in the script: a plain literal (no `$(var)`, no escaped quote),
        // in a statement that is not built by dynamic SQL.
        let literal = !a.statements[link.dag].dynamic
            && a.files.slice(url.value_span) == url.text
            && url.junk.is_empty();
        let mut d = match (dir, &url.database) {
            (InitialPrimary::ManagedInstance, None) if url.server.is_some() => Diagnostic::new(
                RULE.code, Severity::Error, url.value_span,
                "the managed instance is the initial primary, but its listener URL has no ;Database=[…]",
            )
            .with_primary_label("missing ;Database=[…]")
            .with_help(format!("append ;Database=[{db}]: when the managed instance seeds SQL Server, the URL names the database"))
            .with_fix_if(known.filter(|_| literal).and_then(|name| append_database(url, &name))),
            (InitialPrimary::SqlServer, Some(database)) => Diagnostic::new(
                RULE.code, Severity::Warning, database.span,
                format!("SQL Server is the initial primary, but the managed instance URL names database '{}' (the managed-instance-first template)", database.value),
            )
            .with_primary_label("only for a managed-instance-first link")
            .with_help("remove ;Database=[…] from the URL, or declare initial_primary = \"managed_instance\"")
            // Only when the parameters file declares SQL Server first: inferred from the
            // scripts alone (an AG with FOR DATABASE), the AG and the URL contradict each
            // other, and which of the two is the mistake is the user's call.
            .with_fix_if(declared.filter(|_| literal).and_then(|_| remove_database(url, database))),
            _ => continue,
        };
        if let Some(ip) = declared {
            d = d.with_label(ip.span, "direction declared here");
        }
        out.push(d);
    }
}

/// The one database the link is about: the parameters' single database, or (when the
/// parameters name none) the single database of the link's AG. None when there are
/// several, or none.
fn database(a: &Analysis, link: &crate::analysis::LinkSetup) -> Option<String> {
    let listed = a.link_params(link).and_then(|l| l.databases.as_ref());
    let one = match listed {
        Some(list) if !list.is_empty() => match list.as_slice() {
            [one] => one.value.clone(),
            _ => return None,
        },
        _ => match link.databases.as_slice() {
            [one] => one.name.value.clone(),
            _ => return None,
        },
    };
    let plain = !one.is_empty()
        && !one.contains([']', '[', '\'', ';', '\n', '\r', crate::model::SERVERNAME_MARKER])
        && !one.contains("$(")
        && !crate::placeholder::contains(&one)
        && !crate::secrets::is_tainted(&one);
    plain.then_some(one)
}

/// `;Database=[name]` appended at the end of the URL, inside its quotes (after a
/// trailing `;`, only `Database=[name]`).
fn append_database(url: &Url, name: &str) -> Option<Fix> {
    let separator = if url.text.ends_with(';') { "" } else { ";" };
    let end = url.value_span.end as usize;
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("append ;Database=[{name}] to the managed instance's URL"),
        edits: vec![Edit {
            span: Span::new(url.value_span.file, end..end),
            content: format!("{separator}Database=[{name}]"),
        }],
    })
}

/// `;Database=[…]` taken out of the URL (the `;` before the key through the `]`).
fn remove_database(url: &Url, database: &Spanned<String>) -> Option<Fix> {
    let base = url.value_span.start as usize;
    let value = (database.span.start as usize).checked_sub(base)?
        ..(database.span.end as usize).checked_sub(base)?;
    let text = url.text.as_str();
    let semicolon = text.get(..value.start)?.rfind(';')?;
    let key = text[semicolon + 1..value.start].trim().to_ascii_lowercase();
    if key != "database=[" && key != "database=" {
        return None;
    }
    let end = match text.get(value.end..)? {
        rest if key.ends_with('[') && rest.starts_with(']') => value.end + 1,
        _ if key.ends_with('[') => return None,
        _ => value.end,
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: "remove ;Database=[…] from the managed instance's URL".to_string(),
        edits: vec![Edit {
            span: Span::new(url.value_span.file, base + semicolon..base + end),
            content: String::new(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        fixed, fixed_unsafe, lines, script, with_params, LINK, PARAMS,
    };

    /// The parameters of a managed-instance-first link.
    fn mi_first_params() -> String {
        PARAMS.replace(
            "initial_primary = \"sql_server\"",
            "initial_primary = \"managed_instance\"",
        )
    }

    /// [`LINK`] turned into the managed-instance-first template (an AG without
    /// databases and GRANT CREATE ANY DATABASE), with `suffix` after `Server=[…]` in
    /// the managed instance's URL (line 27).
    fn mi_first(suffix: &str) -> String {
        LINK.replace("ALTER DATABASE [Treasury] SET RECOVERY FULL;\n", "")
            .replace("BACKUP DATABASE [Treasury] TO DISK = N'D:\\Backup\\Treasury.bak';\n", "")
            .replace("    FOR DATABASE [Treasury]\n    REPLICA ON", "    FOR REPLICA ON")
            .replace(
                "CREATE AVAILABILITY GROUP [dag-",
                "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\nCREATE AVAILABILITY GROUP [dag-",
            )
            .replace("Server=[mi-treasury]'", &format!("Server=[mi-treasury]{suffix}'"))
    }

    #[test]
    fn managed_instance_first_without_database() {
        let found = with_params(RULE.code, &mi_first(""), &mi_first_params());
        assert_eq!(lines(&found), [27]);
        assert_eq!(
            found[0].message,
            "the managed instance is the initial primary, but its listener URL has no ;Database=[…]"
        );
    }

    #[test]
    fn managed_instance_first_with_database() {
        let good = mi_first(";Database=[Treasury]");
        assert_eq!(with_params(RULE.code, &good, &mi_first_params()), []);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_direction_inferred_from_the_scripts() {
        assert_eq!(lines(&script(RULE.code, &mi_first(""))), [27]);
    }

    #[test]
    fn sql_server_first_with_database() {
        let bad = LINK.replace("Server=[mi-treasury]'", "Server=[mi-treasury];Database=[Treasury]'");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "SQL Server is the initial primary, but the managed instance URL names database 'Treasury' (the managed-instance-first template)"
        );
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [29]);
    }

    #[test]
    fn sql_server_first_without_database() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn the_declared_direction_wins_over_the_scripts() {
        assert_eq!(lines(&with_params(RULE.code, LINK, &mi_first_params())), [29]);
    }

    #[test]
    fn a_missing_server_is_left_to_ml204() {
        let bad = mi_first("").replace(";Server=[mi-treasury]", "");
        assert_eq!(with_params(RULE.code, &bad, &mi_first_params()), []);
    }

    #[test]
    fn no_direction_to_go_by() {
        let unknown = mi_first("").replace(
            "ALTER AVAILABILITY GROUP [AG_Treasury] GRANT CREATE ANY DATABASE;\n",
            "",
        );
        assert_eq!(script(RULE.code, &unknown), []);
    }

    #[test]
    fn the_unsafe_fix_appends_the_database() {
        let (bad, params) = (mi_first(""), mi_first_params());
        let good = mi_first(";Database=[Treasury]");
        assert_eq!(fixed_unsafe(RULE.code, &bad, Some(&params)), good);
        assert_eq!(with_params(RULE.code, &good, &params), []);
        // Unsafe: not applied by --fix alone.
        assert_eq!(fixed(RULE.code, &bad, Some(&params)), bad);
        // After a trailing `;`, only the key.
        let semicolon = mi_first(";");
        assert_eq!(fixed_unsafe(RULE.code, &semicolon, Some(&params)), good);
    }

    #[test]
    fn the_database_of_the_ag_when_the_parameters_name_none() {
        let params = mi_first_params().replace("databases = [\"Treasury\"]\n", "");
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            fixed_unsafe(RULE.code, LINK, Some(&params)),
            LINK.replace("Server=[mi-treasury]'", "Server=[mi-treasury];Database=[Treasury]'")
        );
    }

    #[test]
    fn no_fix_without_one_known_database() {
        // From the scripts alone: the AG of this template is empty, the database unknown.
        let bad = mi_first("");
        assert_eq!(lines(&script(RULE.code, &bad)), [27]);
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), bad);
        // Two databases in the parameters.
        let two = mi_first_params().replace("[\"Treasury\"]", "[\"Treasury\", \"Ledger\"]");
        assert_eq!(lines(&with_params(RULE.code, &bad, &two)), [27]);
        assert_eq!(fixed_unsafe(RULE.code, &bad, Some(&two)), bad);
    }

    #[test]
    fn no_fix_where_the_url_is_not_a_plain_literal() {
        let url = "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]";
        let from_variable = format!(
            ":setvar MIUrl \"{url}\"\n{}",
            mi_first("").replace(&format!("'{url}'"), "'$(MIUrl)'")
        );
        let params = mi_first_params();
        assert_eq!(lines(&with_params(RULE.code, &from_variable, &params)), [28]);
        assert_eq!(fixed_unsafe(RULE.code, &from_variable, Some(&params)), from_variable);
        let dynamic = format!(
            "{}EXEC (N'CREATE AVAILABILITY GROUP [dag-treasury] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N''AG_Treasury'' WITH (LISTENER_URL = ''TCP://sqlfin01.corp.example.net:5022'', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), N''AG_Treasury_MI'' WITH (LISTENER_URL = ''{url}'', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)');\n",
            &mi_first("")[..mi_first("").find("CREATE AVAILABILITY GROUP [dag-").unwrap()]
        );
        assert_eq!(lines(&with_params(RULE.code, &dynamic, &params)), [18]);
        assert_eq!(fixed_unsafe(RULE.code, &dynamic, Some(&params)), dynamic);
    }

    #[test]
    fn the_unsafe_fix_removes_the_database_when_sql_server_is_declared_first() {
        let bad = LINK.replace("Server=[mi-treasury]'", "Server=[mi-treasury];Database=[Treasury]'");
        assert_eq!(fixed_unsafe(RULE.code, &bad, Some(PARAMS)), LINK);
        assert_eq!(fixed(RULE.code, &bad, Some(PARAMS)), bad);
        // Inferred from the scripts alone, the AG and the URL disagree: no fix.
        assert_eq!(lines(&script(RULE.code, &bad)), [29]);
        assert_eq!(fixed_unsafe(RULE.code, &bad, None), bad);
    }
}
