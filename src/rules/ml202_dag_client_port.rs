//! ML202: a SQL Server URL of the link uses the client port (1433 or the AG listener's port).

use super::{Check, Rule};
use crate::analysis::queries::{client_ports, link_urls, EndpointPorts};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML202,
    severity: Severity::Error,
    summary: "a SQL Server ENDPOINT_URL/LISTENER_URL of the link uses the client port (1433 or the AG listener port) instead of the mirroring endpoint port",
    catalogue: "U2",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let client = client_ports(a);
    let ports = EndpointPorts::new(a);
    for (link, url, is_mi) in link_urls(a) {
        if is_mi {
            continue;
        }
        let endpoint = ports.for_link(Some(link));
        let Some((port, span)) = url.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span)))
        else {
            continue;
        };
        if !client.contains(&port) || endpoint.is_some_and(|(e, _, _)| e == port) {
            continue;
        }
        let mut d = Diagnostic::new(RULE.code, RULE.severity, span, format!("'{}' uses client port {port}; the link connects to the database mirroring endpoint", url.text))
            .with_primary_label("a client connection port");
        d = match endpoint {
            Some((e, espan, _)) => d
                .with_label(espan, format!("the mirroring endpoint listens on {e}"))
                .with_help(format!("use port {e}")),
            None => d.with_help(
                "use the LISTENER_PORT of the database mirroring endpoint (usually 5022)",
            ),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const DAG_URL: &str = "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022'";
    const REPLICA_URL: &str = "ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022'";

    #[test]
    fn the_dag_member_on_the_tds_port() {
        let bad = LINK.replace(DAG_URL, "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:1433'");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [24]);
        assert_eq!(
            found[0].message,
            "'TCP://sqlfin01.corp.example.net:1433' uses client port 1433; the link connects to the database mirroring endpoint"
        );
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [24]);
    }

    #[test]
    fn the_mirroring_endpoint_port() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn the_replica_on_the_tds_port() {
        let bad = LINK.replace(REPLICA_URL, "ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:1433'");
        assert_eq!(lines(&script(RULE.code, &bad)), [16]);
    }

    #[test]
    fn the_port_of_the_ag_listener() {
        let with_listener = LINK.replace(
            "AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-",
            "AUTOMATIC)\n    LISTENER N'treasury-lsn' (WITH IP ((N'10.20.1.50', N'255.255.255.0')), PORT = 1533);\nCREATE AVAILABILITY GROUP [dag-",
        );
        assert_eq!(script(RULE.code, &with_listener), []);
        let bad = with_listener.replace(DAG_URL, "LISTENER_URL = 'TCP://treasury-lsn.corp.example.net:1533'");
        assert_eq!(lines(&script(RULE.code, &bad)), [25]);
    }

    #[test]
    fn an_endpoint_that_really_listens_on_1433() {
        let good = LINK
            .replace("LISTENER_PORT = 5022", "LISTENER_PORT = 1433")
            .replace("sqlfin01.corp.example.net:5022", "sqlfin01.corp.example.net:1433");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn the_managed_instance_url_is_left_to_ml203() {
        let other = LINK.replace("windows.net:5022", "windows.net:1433");
        assert_eq!(script(RULE.code, &other), []);
    }
}
