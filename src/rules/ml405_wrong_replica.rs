//! ML405: a link statement runs on the wrong server or database: :connect to another server (e.g. the managed instance), an MI-only procedure, or certificates created outside master.

use super::{Check, Rule};
use crate::analysis::looks_like_mi_host;
use crate::analysis::queries::in_scope;
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
        .map(|v| v.value.to_ascii_lowercase())
        .collect();
    for ag in a.links.iter().filter_map(|l| a.ag(l)) {
        for r in &ag.replicas {
            names.push(r.server.value.to_ascii_lowercase());
            if let Some(host) = r.endpoint_url.as_ref().and_then(|u| u.host.as_ref()) {
                names.push(host.value.to_ascii_lowercase());
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
