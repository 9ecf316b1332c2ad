//! An Azure export read as a parameters file: the link's names, databases, mode and
//! SQL Server endpoint, each pointing into the export. The roles in an export are the
//! *current* ones (they flip after a failover), so they do not become `initial_primary`.

use super::export::Export;
use super::{AzValue, AzureLink};
use crate::params::{LinkMode, LinkParams, ManagedInstanceParams, Params, SqlServerParams, Value};
use crate::span::{FileId, Span};

fn value(v: &AzValue) -> Value<String> {
    Value {
        value: v.value.clone(),
        span: v.span,
    }
}

fn link_mode(v: &AzValue) -> Option<Value<LinkMode>> {
    Some(Value {
        value: LinkMode::from_azure(&v.value)?,
        span: v.span,
    })
}

fn link_params(link: &AzureLink) -> LinkParams {
    LinkParams {
        span: link.span,
        availability_group: link.partner_ag.as_ref().map(value),
        distributed_availability_group: link.name.as_ref().map(value),
        instance_availability_group: link.instance_ag.as_ref().map(value),
        databases: link
            .databases
            .as_ref()
            .filter(|dbs| !dbs.is_empty())
            .map(|dbs| dbs.iter().map(value).collect()),
        databases_span: link.databases_span,
        initial_primary: None,
        mode: link.link_mode.as_ref().and_then(link_mode),
    }
}

/// The host and port of `TCP://host:port`, each with its span inside the literal.
pub fn endpoint_parts(endpoint: &AzValue, text: &str) -> (Option<AzValue>, Option<(u16, Span)>) {
    let raw = endpoint.value.trim();
    let rest = match raw.find("://") {
        Some(i) => &raw[i + 3..],
        None => raw,
    };
    let rest = rest.split([';', '/']).next().unwrap_or_default();
    // `[fe80::1]:5022` has a port; a bare IPv6 address (`fe80::1`) has none.
    let bare_ipv6 = !rest.starts_with('[') && rest.matches(':').nth(1).is_some();
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !bare_ipv6 && !p.contains(']') && p.chars().all(|c| c.is_ascii_digit()) => {
            (h, Some(p))
        }
        _ => (rest, None),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let sub = |needle: &str| super::commands::sub_span(text, endpoint.span, needle);
    let host = (!host.is_empty()).then(|| AzValue {
        value: host.to_string(),
        span: sub(host),
        defined_at: endpoint.defined_at,
    });
    let port = port.and_then(|p| Some((p.parse::<u16>().ok()?, sub(&format!(":{p}")))));
    (host, port)
}

/// The parameters an export stands for.
pub fn params_of(export: &Export, file: FileId, text: &str) -> Params {
    let mut sql_server = SqlServerParams::default();
    // A list of links may hold links of other SQL Servers: only a common value says
    // something about this one.
    let endpoints: Vec<&AzValue> = export
        .links
        .iter()
        .filter_map(|l| l.partner_endpoint.as_ref())
        .collect();
    let common = |values: &[&'_ AzValue]| -> Option<AzValue> {
        let first = values.first()?;
        values
            .iter()
            .all(|v| v.value.eq_ignore_ascii_case(&first.value))
            .then(|| (*first).clone())
    };
    if let Some(endpoint) = common(&endpoints) {
        let (host, port) = endpoint_parts(&endpoint, text);
        if let Some(host) = host {
            if host.value.parse::<std::net::IpAddr>().is_ok() {
                sql_server.ip = Some(value(&host));
            } else {
                sql_server.fqdn = Some(value(&host));
            }
        }
        sql_server.endpoint_port = port.map(|(port, span)| Value { value: port, span });
    }
    let names: Vec<&AzValue> = export
        .instances
        .iter()
        .map(|i| &i.name)
        .chain(export.links.iter().filter_map(|l| l.instance.as_ref()))
        .collect();
    let instance_name = common(&names);
    let managed_instance = ManagedInstanceParams {
        name: instance_name.as_ref().map(value),
        fqdn: export
            .instances
            .iter()
            .find_map(|i| i.fqdn.as_ref())
            .map(value),
    };
    Params {
        file,
        sql_server,
        managed_instance,
        links: export.links.iter().map(link_params).collect(),
    }
}
