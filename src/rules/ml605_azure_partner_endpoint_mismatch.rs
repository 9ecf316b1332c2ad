//! ML605: the partner endpoint of an Azure command or export is not SQL Server's mirroring endpoint.

use super::{Check, Rule};
use crate::analysis::azure_links::{names_only, origin_name, setup_of, with_value_origin};
use crate::analysis::name_checks::Source;
use crate::analysis::queries::{endpoint_port, has_placeholder, is_ip};
use crate::analysis::Analysis;
use crate::azure::as_params::endpoint_parts;
use crate::azure::{AzValue, AzureLink};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::same_host;
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML605,
    severity: Severity::Error,
    summary: "the partner endpoint of an Azure command or export is not SQL Server's mirroring endpoint (host, port or form)",
    catalogue: "U1, U10",
    needs_params: false,
    check: Check::Model(check),
};

/// Digits after the last `:` that are not a port number (`:99999`).
fn written_port(endpoint: &str) -> Option<&str> {
    let (_, digits) = endpoint.trim().rsplit_once(':')?;
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for link in crate::analysis::azure_links::relevant_links(a).filter(|l| !names_only(l)) {
        let Some(endpoint) = &link.partner_endpoint else {
            continue;
        };
        if has_placeholder(&endpoint.value) {
            continue;
        }
        let text = &a.files.get(endpoint.span.file).text;
        let origin = origin_name(link);
        if !endpoint
            .value
            .trim()
            .to_ascii_lowercase()
            .starts_with("tcp://")
        {
            out.push(with_value_origin(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    endpoint.span,
                    format!("partner endpoint '{}' in {origin} is not a TCP://host:port URL", endpoint.value),
                )
                .with_primary_label("expected TCP://<host>:<port>")
                .with_help("give SQL Server's database mirroring endpoint as TCP://<host or IP>:<LISTENER_PORT>, e.g. TCP://sqlprd04.example.net:5022"),
                endpoint,
            ));
            continue;
        }
        let (host, port) = endpoint_parts(endpoint, text);
        if let Some(host) = host {
            check_host(a, link, &origin, endpoint, &host, out);
        }
        match port {
            Some((port, span)) => check_port(a, link, &origin, endpoint, port, span, out),
            None => out.push(with_value_origin(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    endpoint.span,
                    match written_port(&endpoint.value) {
                        Some(port) => format!("partner endpoint '{}' in {origin} has port {port}, out of the range 1–65535", endpoint.value),
                        None => format!("partner endpoint '{}' in {origin} has no port", endpoint.value),
                    },
                )
                .with_primary_label("expected :<LISTENER_PORT>")
                .with_help("the managed instance connects to SQL Server's database mirroring endpoint: add its LISTENER_PORT (5022 by default)"),
                endpoint,
            )),
        }
    }
}

fn check_host(
    a: &Analysis,
    link: &AzureLink,
    origin: &str,
    endpoint: &AzValue,
    host: &AzValue,
    out: &mut Vec<Diagnostic>,
) {
    let params = a.params.as_ref().map(|p| &p.sql_server);
    let known: Vec<(&str, Span)> = params
        .into_iter()
        .flat_map(|s| [&s.fqdn, &s.ip])
        .flatten()
        .map(|v| (v.value.as_str(), v.span))
        .collect();
    // A name and an address may be the same machine: compare like with like.
    let known: Vec<(&str, Span)> = known
        .into_iter()
        .filter(|(k, _)| is_ip(k) == is_ip(&host.value))
        .collect();
    let params_given = params.is_some_and(|s| s.fqdn.is_some() || s.ip.is_some());
    if params_given && known.is_empty() {
        return;
    }
    if !known.is_empty() {
        // An export given as the parameters file is its own reference.
        if known.iter().any(|(_, span)| *span == host.span) {
            return;
        }
        if known.iter().any(|(k, _)| same_host(k, &host.value)) {
            return;
        }
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            host.span,
            format!(
                "partner endpoint host '{}' in {origin} is not SQL Server's address in {}",
                host.value,
                known
                    .first()
                    .map_or(Source::Params, |(_, span)| a.expected_source(*span))
                    .noun()
            ),
        )
        .with_primary_label(format!("'{}'", host.value));
        for (_, span) in &known {
            d = d.with_label(*span, "expected here");
        }
        out.push(with_value_origin(
            d.with_help("the managed instance connects to SQL Server at this address: use the host name or IP it can reach (sql_server.fqdn / sql_server.ip)"),
            endpoint,
        ));
        return;
    }
    let Some(url_host) = setup_of(a, link)
        .and_then(|s| a.sql_member(s))
        .and_then(|m| m.listener_url.as_ref())
        .and_then(|u| u.host.as_ref())
    else {
        return;
    };
    // A name and an address may be the same machine: only names are compared.
    if is_ip(&url_host.value) != is_ip(&host.value) || same_host(&url_host.value, &host.value) {
        return;
    }
    out.push(with_value_origin(
        Diagnostic::new(
            RULE.code,
            RULE.severity,
            host.span,
            format!(
                "partner endpoint host '{}' in {origin} does not match the DAG's SQL Server URL ('{}')",
                host.value, url_host.value
            ),
        )
        .with_primary_label(format!("'{}'", host.value))
        .with_label(url_host.span, "declared here")
        .with_help("the partner endpoint and the SQL Server member's LISTENER_URL name the same mirroring endpoint: use one address in both"),
        endpoint,
    ));
}

fn check_port(
    a: &Analysis,
    link: &AzureLink,
    origin: &str,
    endpoint: &AzValue,
    port: u16,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let url_port = setup_of(a, link)
        .and_then(|s| a.sql_member(s))
        .and_then(|m| m.listener_url.as_ref())
        .and_then(|u| u.port.as_ref())
        .and_then(|p| p.value.map(|v| (v, p.span, false)));
    let params_port = a
        .params
        .as_ref()
        .and_then(|p| p.sql_server.endpoint_port.as_ref())
        .map(|p| (p.value, p.span, true));
    let Some((expected, at, from_params)) = params_port
        .or(url_port)
        .or_else(|| endpoint_port(a, setup_of(a, link)))
    else {
        return;
    };
    if expected == port || at == span {
        return;
    }
    let whose = if from_params {
        match a.expected_source(at) {
            Source::Export => "the Azure export's endpoint_port",
            _ => "the parameters file's endpoint_port",
        }
    } else {
        "SQL Server's mirroring endpoint"
    };
    out.push(with_value_origin(
        Diagnostic::new(
            RULE.code,
            RULE.severity,
            span,
            format!("partner endpoint port {port} in {origin} does not match {whose} ({expected})"),
        )
        .with_primary_label(format!("port {port}"))
        .with_label(at, "expected here")
        .with_help(format!("the managed instance connects to SQL Server's database mirroring endpoint: use port {expected}")),
        endpoint,
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, Finding, LINK, PARAMS, LINK_PS};

    fn with_endpoint(endpoint: &str, params: Option<&str>) -> Vec<Finding> {
        let ps1 = LINK_PS.replace("TCP://sqlfin01.corp.example.net:5022", endpoint);
        findings(RULE.code, &[("01.sql", LINK), ("link.ps1", &ps1)], params)
    }

    #[test]
    fn the_sql_server_port_instead_of_the_mirroring_endpoint() {
        let found = with_endpoint("TCP://sqlfin01.corp.example.net:1433", None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "partner endpoint port 1433 in New-AzSqlInstanceLink does not match SQL Server's mirroring endpoint (5022)");
        let found = with_endpoint("TCP://sqlfin01.corp.example.net:1433", Some(PARAMS));
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "partner endpoint port 1433 in New-AzSqlInstanceLink does not match the parameters file's endpoint_port (5022)");
    }

    #[test]
    fn another_host() {
        let found = with_endpoint("TCP://sqlfin02.corp.example.net:5022", None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "partner endpoint host 'sqlfin02.corp.example.net' in New-AzSqlInstanceLink does not match the DAG's SQL Server URL ('sqlfin01.corp.example.net')");
        let found = with_endpoint("TCP://sqlfin02.corp.example.net:5022", Some(PARAMS));
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "partner endpoint host 'sqlfin02.corp.example.net' in New-AzSqlInstanceLink is not SQL Server's address in the parameters file");
    }

    #[test]
    fn not_a_tcp_url_or_no_port() {
        let found = with_endpoint("sqlfin01.corp.example.net:5022", None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "partner endpoint 'sqlfin01.corp.example.net:5022' in New-AzSqlInstanceLink is not a TCP://host:port URL");
        let found = with_endpoint("TCP://sqlfin01.corp.example.net", None);
        assert_eq!(lines(&found), [3]);
        assert_eq!(found[0].message, "partner endpoint 'TCP://sqlfin01.corp.example.net' in New-AzSqlInstanceLink has no port");
    }

    #[test]
    fn the_mirroring_endpoint_of_sql_server() {
        assert_eq!(with_endpoint("TCP://sqlfin01.corp.example.net:5022", None), []);
        assert_eq!(with_endpoint("TCP://sqlfin01.corp.example.net:5022", Some(PARAMS)), []);
        // The short name and the FQDN are one host.
        assert_eq!(with_endpoint("TCP://sqlfin01:5022", Some(PARAMS)), []);
    }

    #[test]
    fn an_address_is_not_compared_with_a_name() {
        assert_eq!(with_endpoint("TCP://10.20.30.40:5022", None), []);
        assert_eq!(with_endpoint("TCP://10.20.30.40:5022", Some(PARAMS)), []);
        let with_ip = PARAMS.replace("endpoint_port = 5022", "ip = \"10.20.30.41\"\nendpoint_port = 5022");
        assert_eq!(lines(&with_endpoint("TCP://10.20.30.40:5022", Some(&with_ip))), [3]);
    }

    #[test]
    fn a_placeholder_is_not_compared() {
        assert_eq!(with_endpoint("TCP://<SQLServerIP>:5022", None), []);
    }
}
