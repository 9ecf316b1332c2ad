//! ML210: the SQL Server host in the link's URLs is not the one the parameters give.

use super::{Check, Rule};
use crate::analysis::queries::is_loopback;
use crate::analysis::queries::{is_ip, link_urls};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML210,
    severity: Severity::Warning,
    summary: "a SQL Server URL host is neither the parameters' fqdn nor ip, or is a single-label (NetBIOS) name",
    catalogue: "U10",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let sql = a.params.as_ref().map(|p| &p.sql_server);
    let known: Vec<&crate::params::Value<String>> = sql
        .map(|s| s.fqdn.iter().chain(s.ip.iter()).collect())
        .unwrap_or_default();
    // In a multi-node AG each replica's ENDPOINT_URL is its own address, while the
    // parameters name the address the managed instance uses (often the AG listener).
    let replica_urls: std::collections::HashSet<_> = a
        .availability_groups()
        .filter(|(_, ag)| ag.replicas.len() > 1)
        .flat_map(|(_, ag)| ag.replicas.iter().filter_map(|r| r.endpoint_url.as_ref()))
        .map(|u| u.span)
        .collect();
    for (_, url, is_mi) in link_urls(a) {
        let Some(host) = url.host.as_ref().filter(|h| !h.value.trim().is_empty()) else {
            continue; // no host: ML209
        };
        if is_mi
            || is_loopback(&host.value)
            || host.value.contains('\\')
            || replica_urls.contains(&url.span)
        {
            continue;
        }
        let bare = host.value.trim_start_matches('[').trim_end_matches(']');
        if let Some(first) = known.first() {
            if !known.iter().any(|k| k.value.eq_ignore_ascii_case(bare)) {
                let expected = known
                    .iter()
                    .map(|k| format!("'{}'", k.value))
                    .collect::<Vec<_>>()
                    .join(" or ");
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, host.span, format!("SQL Server host '{}' is not the one in {} ({expected})", host.value, a.expected_source(first.span).noun()))
                        .with_label(first.span, "expected here")
                        .with_help("the managed instance connects to this host: use the address the parameters give (and that Azure's partner endpoint uses)"),
                );
            }
        } else if !is_ip(&host.value) && !host.value.contains('.') && !host.value.trim().is_empty()
        {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is a single-label host name that the managed instance's network may not resolve", host.value))
                    .with_primary_label("NetBIOS-style name")
                    .with_help("use an IP address or a fully qualified name resolvable from the managed instance's virtual network"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const DAG_URL: &str = "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022'";

    /// [`LINK`] with the DAG's SQL Server member on `host` (line 24).
    fn dag_host(host: &str) -> String {
        LINK.replace(DAG_URL, &format!("LISTENER_URL = 'TCP://{host}:5022'"))
    }

    /// [`PARAMS`] that also give SQL Server's IP address.
    fn params_with_ip(ip: &str) -> String {
        PARAMS.replace(
            "fqdn = \"sqlfin01.corp.example.net\"",
            &format!("fqdn = \"sqlfin01.corp.example.net\"\nip = \"{ip}\""),
        )
    }

    #[test]
    fn a_stale_ip_address() {
        let found = with_params(RULE.code, &dag_host("10.40.2.19"), &params_with_ip("10.40.2.11"));
        assert_eq!(lines(&found), [24]);
        assert_eq!(
            found[0].message,
            "SQL Server host '10.40.2.19' is not the one in the parameters file ('sqlfin01.corp.example.net' or '10.40.2.11')"
        );
    }

    #[test]
    fn the_fqdn_or_the_ip_of_the_parameters() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
        let params = params_with_ip("10.40.2.11");
        assert_eq!(with_params(RULE.code, &dag_host("10.40.2.11"), &params), []);
        assert_eq!(with_params(RULE.code, &dag_host("SQLFIN01.CORP.EXAMPLE.NET"), &params), []);
        let v6 = params_with_ip("fd00:40::11");
        assert_eq!(with_params(RULE.code, &dag_host("[fd00:40::11]"), &v6), []);
    }

    #[test]
    fn a_trailing_dot_is_another_host() {
        let other = dag_host("sqlfin01.corp.example.net.");
        assert_eq!(lines(&with_params(RULE.code, &other, PARAMS)), [24]);
    }

    #[test]
    fn without_parameters_a_netbios_name() {
        let found = script(RULE.code, &dag_host("SQLFIN01"));
        assert_eq!(lines(&found), [24]);
        assert_eq!(
            found[0].message,
            "'SQLFIN01' is a single-label host name that the managed instance's network may not resolve"
        );
    }

    #[test]
    fn without_parameters_a_qualified_name_or_an_address() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(script(RULE.code, &dag_host("10.40.2.11")), []);
    }

    #[test]
    fn loopback_and_instance_names_are_left_to_ml207_and_ml208() {
        for host in ["localhost", "127.0.0.1", "SQLFIN01\\LINK"] {
            assert_eq!(with_params(RULE.code, &dag_host(host), PARAMS), [], "{host}");
        }
    }

    #[test]
    fn the_replica_urls_of_a_multi_replica_ag_are_their_own_addresses() {
        let own = LINK.replace(
            "ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022'",
            "ENDPOINT_URL = 'TCP://sqlfin01a.corp.example.net:5022'",
        );
        assert_eq!(lines(&with_params(RULE.code, &own, PARAMS)), [16]);
        let second = "N'SQLFIN02' WITH (ENDPOINT_URL = 'TCP://sqlfin02.corp.example.net:5022',
        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)";
        let two = own.replace(
            "AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-",
            &format!("AUTOMATIC),\n    {second};\nCREATE AVAILABILITY GROUP [dag-"),
        );
        assert_eq!(with_params(RULE.code, &two, PARAMS), []);
    }
}
