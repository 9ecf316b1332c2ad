//! ML307: the mirroring endpoint is a WITNESS only, is not STARTED (CREATE ENDPOINT defaults to STOPPED), or the link's endpoint is not FOR DATABASE_MIRRORING.

use super::{Check, Rule};
use crate::analysis::queries::{in_scope, mirroring_endpoints, set_later_on_endpoint};
use crate::analysis::{Analysis, EndpointSetting};
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML307,
    severity: Severity::Error,
    summary: "the mirroring endpoint is a WITNESS only, is not STARTED (CREATE ENDPOINT defaults to STOPPED), or the link's endpoint is not FOR DATABASE_MIRRORING",
    catalogue: "M5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    for (index, e) in mirroring_endpoints(a) {
        if let Some(role) = e.role.as_ref().filter(|r| r.value == "WITNESS") {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    role.span,
                    format!("endpoint '{}' can only be a witness", e.name.value),
                )
                .with_primary_label("ROLE = WITNESS")
                .with_help("write ROLE = ALL: the endpoint must carry the link's replication")
                .with_fix_if(super::fixes::keyword(a, role.span, "ALL")),
            );
        }
        // A later ALTER ENDPOINT … STATE = … decides the state instead.
        if set_later_on_endpoint(a, index, EndpointSetting::State) {
            continue;
        }
        match &e.state {
            Some(state) if state.value != "STARTED" => out.push(
                Diagnostic::new(RULE.code, RULE.severity, state.span, format!("endpoint '{}' is {}", e.name.value, state.value))
                    .with_primary_label("not listening")
                    .with_help("write STATE = STARTED; a stopped endpoint refuses the managed instance's connection")
                    .with_fix_if(super::fixes::keyword(a, state.span, "STARTED")),
            ),
            None if !e.is_alter => out.push(
                Diagnostic::new(RULE.code, RULE.severity, e.name.span, format!("endpoint '{}' has no STATE, so it is created STOPPED", e.name.value))
                    .with_primary_label("STATE missing")
                    .with_help("add STATE = STARTED (or start it later with ALTER ENDPOINT … STATE = STARTED)")
                    .with_fix_if(insert_state(a, e.name.span)),
            ),
            _ => {}
        }
    }
    // A link whose scripts create only endpoints for something else.
    let any_mirroring = mirroring_endpoints(a).next().is_some();
    if !any_mirroring && !a.links.is_empty() {
        for (_, e) in a.endpoints() {
            let Some(payload) = &e.payload else { continue };
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, payload.span, format!("endpoint '{}' is FOR {}, but the link needs a DATABASE_MIRRORING endpoint", e.name.value, payload.value))
                    .with_primary_label("wrong endpoint type")
                    .with_help("create the endpoint FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE …, ENCRYPTION = REQUIRED ALGORITHM AES)"),
            );
        }
    }
}

/// `STATE = STARTED` inserted before the `AS` of `CREATE ENDPOINT name [AUTHORIZATION
/// login] AS …`, on a line of its own when `AS` starts one. Only when nothing else (a
/// comment, a variable) stands between the name and `AS`.
fn insert_state(a: &Analysis, name: crate::span::Span) -> Option<Fix> {
    let text = &a.files.get(name.file).text;
    let after = &text[name.end as usize..];
    let words: Vec<(usize, &str)> = after
        .split_ascii_whitespace()
        .take(4)
        .map(|w| (w.as_ptr() as usize - after.as_ptr() as usize, w))
        .collect();
    let at = match words.as_slice() {
        [(at, w), ..] if w.eq_ignore_ascii_case("AS") => *at,
        [(_, auth), (_, login), (at, w), ..]
            if auth.eq_ignore_ascii_case("AUTHORIZATION")
                && !login.contains(['-', '/', '$', '\'', '@'])
                && w.eq_ignore_ascii_case("AS") =>
        {
            *at
        }
        _ => return None,
    };
    let line_start = after[..at].rfind('\n').map(|n| n + 1);
    let indent = match line_start {
        Some(start) if after[start..at].chars().all(|c| c == ' ' || c == '\t') => &after[start..at],
        _ => " ",
    };
    let content = match line_start {
        Some(_) if indent != " " || after[..at].ends_with('\n') => format!("STATE = STARTED\n{indent}"),
        _ => "STATE = STARTED ".to_string(),
    };
    let start = name.end as usize + at;
    Some(Fix {
        applicability: Applicability::Safe,
        message: "add STATE = STARTED".to_string(),
        edits: vec![Edit {
            span: crate::span::Span::new(name.file, start..start),
            content,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, lines, script, LINK};

    #[test]
    fn the_fixes_start_the_endpoint() {
        let own_line = LINK.replace(STARTED, "CREATE ENDPOINT [Hadr_endpoint]");
        assert_eq!(
            fixed(RULE.code, &own_line, None),
            LINK.replace(STARTED, "CREATE ENDPOINT [Hadr_endpoint]\n    STATE = STARTED")
        );
        let one_line = LINK.replace(
            &format!("{STARTED}\n    AS"),
            "CREATE ENDPOINT [Hadr_endpoint] AUTHORIZATION sa AS",
        );
        assert_eq!(
            fixed(RULE.code, &one_line, None),
            one_line.replace("sa AS", "sa STATE = STARTED AS")
        );
        let stopped = LINK.replace("STATE = STARTED", "STATE = stopped");
        assert_eq!(fixed(RULE.code, &stopped, None), LINK.replace("STATE = STARTED", "STATE = started"));
    }

    const STARTED: &str = "CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED";

    #[test]
    fn an_endpoint_created_without_state() {
        let bad = LINK.replace(STARTED, "CREATE ENDPOINT [Hadr_endpoint]");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [4]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' has no STATE, so it is created STOPPED"
        );
    }

    #[test]
    fn an_endpoint_created_stopped() {
        let bad = LINK.replace(STARTED, "CREATE ENDPOINT [Hadr_endpoint] STATE = STOPPED");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [4]);
        assert_eq!(found[0].message, "endpoint 'Hadr_endpoint' is STOPPED");
    }

    #[test]
    fn a_witness_endpoint() {
        let bad = LINK.replace("ROLE = ALL", "ROLE = WITNESS");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [6]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' can only be a witness"
        );
    }

    #[test]
    fn a_started_endpoint_for_all_roles() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn an_endpoint_started_by_a_later_alter() {
        let good = LINK.replace(STARTED, "CREATE ENDPOINT [Hadr_endpoint]").replace(
            "CREATE CERTIFICATE [mi-treasury",
            "ALTER ENDPOINT [hadr_endpoint] STATE = STARTED;\nCREATE CERTIFICATE [mi-treasury",
        );
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn an_alter_under_another_connect_does_not_start_it() {
        let bad = LINK.replace(STARTED, "CREATE ENDPOINT [Hadr_endpoint]").replace(
            "CREATE CERTIFICATE [mi-treasury",
            ":connect SQLFIN02\nALTER ENDPOINT [Hadr_endpoint] STATE = STARTED;\n:connect SQLFIN01\nCREATE CERTIFICATE [mi-treasury",
        );
        assert_eq!(lines(&script(RULE.code, &bad)), [4]);
    }

    #[test]
    fn a_link_whose_only_endpoint_is_for_service_broker() {
        let bad = LINK.replace(
            "FOR DATABASE_MIRRORING (ROLE = ALL,\n",
            "FOR SERVICE_BROKER (\n",
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [6]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' is FOR SERVICE_BROKER, but the link needs a DATABASE_MIRRORING endpoint"
        );
    }

    #[test]
    fn the_data_mirroring_spelling_of_ssms() {
        let good = LINK.replace("FOR DATABASE_MIRRORING", "FOR DATA_MIRRORING");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn an_alter_in_the_else_arm_never_starts_the_endpoint_the_if_arm_creates() {
        let bad = LINK
            .replace(
                STARTED,
                "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)\nCREATE ENDPOINT [Hadr_endpoint]",
            )
            .replace(
                "ENCRYPTION = REQUIRED ALGORITHM AES);",
                "ENCRYPTION = REQUIRED ALGORITHM AES)\nELSE\n    ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED;",
            );
        assert_eq!(lines(&script(RULE.code, &bad)), [5]);
    }
}
