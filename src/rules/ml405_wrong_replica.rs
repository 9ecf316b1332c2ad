//! ML405: a link statement runs on the wrong server or database: :connect to another server (e.g. the managed instance), an MI-only procedure, or certificates created outside master.

use super::{Check, Rule};
use crate::analysis::looks_like_mi_host;
use crate::analysis::queries::{has_placeholder, in_scope};
use crate::analysis::Analysis;
use crate::azure::ScriptRun;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StatementKind;
use crate::names::same_host;
use crate::span::{FileId, Span};

pub static RULE: Rule = Rule {
    code: Code::ML405,
    severity: Severity::Warning,
    summary: "a link statement runs on the wrong server or database: :connect to another server (e.g. the managed instance), an MI-only procedure, or certificates created outside master",
    catalogue: "D5",
    needs_params: false,
    check: Check::Model(check),
};

/// Statements that belong to the SQL Server side of the link.
fn is_link_statement(kind: &StatementKind) -> bool {
    matches!(
        kind,
        StatementKind::MasterKey(_)
            | StatementKind::Certificate(_)
            | StatementKind::Endpoint(_)
            | StatementKind::AvailabilityGroup(_)
            | StatementKind::DistributedAg(_)
            | StatementKind::AlterAg(_)
    )
}

/// Names the SQL Server of the parameters is known by, and the other replicas of the
/// link's AG (certificates and the endpoint are set up on every replica).
fn sql_server_names(a: &Analysis) -> Vec<String> {
    let Some(p) = &a.params else {
        return Vec::new();
    };
    let s = &p.sql_server;
    let mut names: Vec<String> = [&s.name, &s.fqdn, &s.ip]
        .into_iter()
        .flatten()
        .map(|v| v.value.as_str().to_ascii_lowercase())
        .collect();
    for ag in a.links.iter().filter_map(|l| a.ag(l)) {
        for r in &ag.replicas {
            names.push(r.server.value.as_str().to_ascii_lowercase());
            if let Some(host) = r.endpoint_url.as_ref().and_then(|u| u.host.as_ref()) {
                names.push(host.value.as_str().to_ascii_lowercase());
            }
        }
    }
    names
}

/// Where a statement runs: its `:connect`, else every server a shell script runs its
/// file on (`Invoke-Sqlcmd -ServerInstance … -InputFile …`).
fn targets<'a>(
    a: &'a Analysis,
    s: &'a crate::model::Statement,
) -> Vec<(&'a str, Span, Option<&'a ScriptRun>)> {
    match &s.context.connect {
        Some(c) => vec![(c.value.as_str(), c.span, None)],
        None => runs_of(a, s.file)
            .filter_map(|run| {
                let server = run.server.as_ref()?;
                Some((server.value.as_str(), server.span, Some(run)))
            })
            .collect(),
    }
}

/// `tcp:host\instance,port` → (`host\instance`, `host`), lower case.
fn instance_and_host(target: &str) -> (String, String) {
    let lower = target.to_ascii_lowercase();
    let without_protocol = lower.strip_prefix("tcp:").unwrap_or(&lower);
    let full = without_protocol.split(',').next().unwrap_or_default();
    let host = full.split('\\').next().unwrap_or_default();
    (full.to_string(), host.to_string())
}

/// The scripts runs of `file` by shell scripts.
fn runs_of(a: &Analysis, file: FileId) -> impl Iterator<Item = &ScriptRun> {
    a.script_runs
        .iter()
        .filter(move |(f, _)| *f == file)
        .map(|(_, i)| &a.azure.runs[*i])
}

/// Why a `:connect` or `-ServerInstance` target is not SQL Server, if it is not.
fn wrong_target(target: &str, known: &[String], source: &str) -> Option<String> {
    let (full, host) = instance_and_host(target);
    let (full, host) = (full.as_str(), host.as_str());
    if looks_like_mi_host(host) {
        return Some("the managed instance; link set-up statements run on SQL Server".into());
    }
    // This machine: where the deployment script runs, which is not known here.
    if matches!(
        host,
        "localhost" | "." | "(local)" | "127.0.0.1" | "::1" | "[::1]"
    ) {
        return None;
    }
    let is_other = !known.is_empty() && !known.iter().any(|k| k == full || same_host(k, host));
    is_other.then(|| format!("not the SQL Server of {source}"))
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    let known = sql_server_names(a);
    // Where the SQL Server's names come from: the parameters file, or an Azure export.
    let source = a
        .params
        .as_ref()
        .and_then(|p| {
            let s = &p.sql_server;
            [&s.name, &s.fqdn, &s.ip].into_iter().flatten().next()
        })
        .map_or("the parameters file", |v| a.expected_source(v.span).noun());
    let mut reported = std::collections::HashSet::new();
    for s in a.statements.iter().filter(|s| is_link_statement(&s.kind)) {
        for (target, span, run) in targets(a, s) {
            // A server not known yet (an undefined $(VAR), a template): ML502/ML501 say so.
            if has_placeholder(target) {
                continue;
            }
            let Some(why) = wrong_target(target, &known, source) else {
                continue;
            };
            if !reported.insert(span) {
                continue;
            }
            let message = match run {
                None => format!(":connect {target} is {why}"),
                Some(run) => format!(
                    "{} runs {} on {target}, {why}",
                    run.command,
                    a.files.get(s.file).name
                ),
            };
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, span, message)
                    .with_primary_label("these statements run there")
                    .with_label(s.span, "a link statement")
                    .with_help("run the link set-up on the SQL Server instance that hosts the AG; the managed instance side is created through Azure (New-AzSqlInstanceLink, az sql mi link create), not with T-SQL"),
            );
        }
    }
    for s in &a.statements {
        match &s.kind {
            StatementKind::Exec(e) if e.procedure.value.eq_ignore_ascii_case("sp_get_endpoint_certificate") && !targets(a, s).iter().any(|(t, ..)| looks_like_mi_host(&instance_and_host(t).1)) => out.push(
                Diagnostic::new(RULE.code, RULE.severity, s.span, "sp_get_endpoint_certificate on SQL Server returns SQL Server's own certificate, not the managed instance's")
                    .with_primary_label("meant for the managed instance")
                    .with_help("run it on the managed instance (or use Get-AzSqlInstanceEndpointCertificate) and import the result on SQL Server with CREATE CERTIFICATE … FROM BINARY"),
            ),
            StatementKind::MasterKey(_) | StatementKind::Certificate(_) => {
                let Some(db) = s.context.database.as_ref().filter(|d| !d.value.eq_ignore_ascii_case("master")) else { continue };
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, s.span, format!("created in database '{}', not in master", db.value))
                        .with_primary_label("wrong database")
                        .with_label(db.span, "USE here")
                        .with_help("run USE master first: the endpoint uses certificates (and the master key) of the master database"),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, with_params, LINK, PARAMS};

    const MI: &str = "mi-treasury.8c2e4f1a9b3d.database.windows.net";

    #[test]
    fn the_link_set_up_under_a_connect_to_the_managed_instance() {
        let bad = format!(":connect {MI}\n{LINK}");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [1]);
        assert_eq!(
            found[0].message,
            format!(":connect {MI} is the managed instance; link set-up statements run on SQL Server")
        );
    }

    #[test]
    fn the_link_set_up_under_a_connect_to_sql_server() {
        for target in ["SQLFIN01", "tcp:sqlfin01.corp.example.net,5022", "localhost"] {
            let good = format!(":connect {target}\n{LINK}");
            assert_eq!(with_params(RULE.code, &good, PARAMS), [], "{target}");
        }
    }

    #[test]
    fn a_connect_to_another_server_than_the_parameters() {
        let bad = format!(":connect SQLFIN09\n{LINK}");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [1]);
        assert_eq!(
            found[0].message,
            ":connect SQLFIN09 is not the SQL Server of the parameters file"
        );
        // Without the parameters the right server is not known.
        assert_eq!(script(RULE.code, &bad), []);
    }

    #[test]
    fn a_connect_to_another_replica_of_the_link_ag() {
        let two = LINK.replacen(
            "SEEDING_MODE = AUTOMATIC);",
            "SEEDING_MODE = AUTOMATIC),\n    N'SQLFIN02' WITH (\n        ENDPOINT_URL = 'TCP://sqlfin02.corp.example.net:5022',\n        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,\n        FAILOVER_MODE = MANUAL,\n        SEEDING_MODE = AUTOMATIC);",
            1,
        );
        let good = format!("{two}:connect sqlfin02.corp.example.net\nCREATE CERTIFICATE [Cert_SQLFIN02_endpoint] WITH SUBJECT = N'SQLFIN02', EXPIRY_DATE = '2030-01-01';\n");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }

    #[test]
    fn sp_get_endpoint_certificate_on_sql_server() {
        let bad = format!("{LINK}EXEC sp_get_endpoint_certificate 4;\n");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [33]);
        assert_eq!(
            found[0].message,
            "sp_get_endpoint_certificate on SQL Server returns SQL Server's own certificate, not the managed instance's"
        );
    }

    #[test]
    fn sp_get_endpoint_certificate_on_the_managed_instance() {
        let good = format!("{LINK}:connect {MI}\nEXEC sp_get_endpoint_certificate 4;\n");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_certificate_created_in_a_user_database() {
        let bad = LINK.replace("USE master;", "USE [Treasury];");
        let found = script(RULE.code, &bad);
        // The endpoint's certificate and the managed instance's.
        assert_eq!(lines(&found), [2, 9]);
        assert_eq!(found[0].message, "created in database 'Treasury', not in master");
    }

    #[test]
    fn a_shell_script_runs_the_link_script_on_the_managed_instance() {
        let ps1 = format!("Invoke-Sqlcmd -ServerInstance {MI} -InputFile .\\01.sql\n");
        let found = findings(
            RULE.code,
            &[("01.sql", LINK), ("deploy.ps1", &ps1)],
            Some(PARAMS),
        );
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].file, "deploy.ps1");
        let good = ps1.replace(MI, "sqlfin01.corp.example.net");
        let found = findings(
            RULE.code,
            &[("01.sql", LINK), ("deploy.ps1", &good)],
            Some(PARAMS),
        );
        assert_eq!(found, []);
    }

    #[test]
    fn a_connect_through_a_sqlcmd_variable_is_read_with_its_value() {
        let good = format!(":setvar SqlServer SQLFIN01\n:connect $(SqlServer)\n{LINK}");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
        let bad = format!(":setvar SqlServer {MI}\n:connect $(SqlServer)\n{LINK}");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [2]);
    }

    #[test]
    fn a_connect_to_a_server_not_known_yet_is_not_compared() {
        // An undefined $(VAR) is ML502's finding; what it will name is not known here.
        let sql = format!(":connect $(SqlServer)\n{LINK}");
        assert_eq!(with_params(RULE.code, &sql, PARAMS), []);
        let defined = format!(":setvar SqlServer MI-TREASURY.8c2e4f1a9b3d.database.windows.net\n:connect $(SqlServer)\n{LINK}");
        assert_eq!(lines(&with_params(RULE.code, &defined, PARAMS)), [2]);
    }
}
