//! ML211: the mirroring endpoint listens on one address only.

use super::{Check, Rule};
use crate::analysis::queries::mirroring_endpoints;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML211,
    severity: Severity::Warning,
    summary:
        "the database mirroring endpoint's LISTENER_IP is restricted to one address instead of ALL",
    catalogue: "U11",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !crate::analysis::queries::in_scope(a) {
        return;
    }
    for (_, e) in mirroring_endpoints(a) {
        let Some(ip) = e.listener_ip.as_ref().filter(|ip| {
            ip.value != "ALL" && !crate::analysis::queries::has_placeholder(&ip.value)
        }) else {
            continue;
        };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, ip.span, format!("endpoint '{}' listens only on {}", e.name.value, ip.value))
                .with_primary_label("restricted listener")
                .with_help("use LISTENER_IP = ALL: a distributed availability group may connect through another address"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, LINK, PARAMS};

    const IP_ALL: &str = "LISTENER_IP = ALL";

    /// [`LINK`] with the endpoint's `LISTENER_IP = ip` (line 5).
    fn listener_ip(ip: &str) -> String {
        LINK.replace(IP_ALL, &format!("LISTENER_IP = {ip}"))
    }

    #[test]
    fn an_endpoint_bound_to_one_address() {
        let found = script(RULE.code, &listener_ip("(10.20.1.5)"));
        assert_eq!(lines(&found), [5]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' listens only on 10.20.1.5"
        );
    }

    #[test]
    fn an_endpoint_on_all_addresses() {
        assert_eq!(script(RULE.code, LINK), []);
        let default = LINK.replace(", LISTENER_IP = ALL", "");
        assert_eq!(script(RULE.code, &default), []);
    }

    #[test]
    fn an_ipv6_address() {
        assert_eq!(lines(&script(RULE.code, &listener_ip("('fe80::1')"))), [5]);
    }

    #[test]
    fn an_alter_endpoint_that_binds_it() {
        let sql = format!("{LINK}ALTER ENDPOINT [Hadr_endpoint] AS TCP (LISTENER_IP = (10.20.1.5));\n");
        assert_eq!(lines(&script(RULE.code, &sql)), [33]);
    }

    #[test]
    fn an_endpoint_script_alone_needs_a_link_or_the_parameters() {
        let endpoint = listener_ip("(10.20.1.5)");
        let cut = endpoint.find("CREATE CERTIFICATE [mi-").unwrap();
        let files = [("01_endpoint.sql", &endpoint[..cut])];
        assert_eq!(findings(RULE.code, &files, None), []);
        assert_eq!(lines(&findings(RULE.code, &files, Some(PARAMS))), [5]);
    }

    #[test]
    fn a_service_broker_endpoint_plays_no_part() {
        let sql = format!(
            "{LINK}CREATE ENDPOINT [BrokerEndpoint] STATE = STARTED
    AS TCP (LISTENER_PORT = 4022, LISTENER_IP = (10.20.1.5))
    FOR SERVICE_BROKER (AUTHENTICATION = WINDOWS);
"
        );
        assert_eq!(script(RULE.code, &sql), []);
    }
}
