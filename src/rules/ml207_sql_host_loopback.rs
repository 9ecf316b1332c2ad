//! ML207: a SQL Server URL of the link points at the local machine.

use super::{Check, Rule};
use crate::analysis::queries::is_loopback;
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML207,
    severity: Severity::Error,
    summary: "a SQL Server URL of the link uses localhost, 127.0.0.1, ::1, '.' or (local), which the managed instance cannot reach",
    catalogue: "U7",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        let Some(host) = url
            .host
            .as_ref()
            .filter(|h| !is_mi && is_loopback(&h.value))
        else {
            continue;
        };
        let suggestion = a
            .params
            .as_ref()
            .and_then(|p| p.sql_server.fqdn.as_ref().or(p.sql_server.ip.as_ref()))
            .map(|v| format!("'{}'", v.value))
            .unwrap_or_else(|| {
                "an IP address or a host name the managed instance's network resolves".into()
            });
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is this machine; the managed instance connects to SQL Server through this URL", host.value))
                .with_primary_label("unreachable from Azure")
                .with_help(format!("use {suggestion}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    const DAG_URL: &str = "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022'";
    const REPLICA_URL: &str = "ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022'";

    #[test]
    fn the_loopback_address_left_from_a_local_test() {
        let bad = LINK.replace(DAG_URL, "LISTENER_URL = 'TCP://127.0.0.1:5022'");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [24]);
        assert_eq!(
            found[0].message,
            "'127.0.0.1' is this machine; the managed instance connects to SQL Server through this URL"
        );
    }

    #[test]
    fn a_host_the_managed_instance_can_reach() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn every_name_of_this_machine_in_the_replica_url() {
        for host in ["localhost", "LOCALHOST", ".", "(local)", "[::1]", "0.0.0.0", "127.0.1.1"] {
            let bad = LINK.replace(REPLICA_URL, &format!("ENDPOINT_URL = 'TCP://{host}:5022'"));
            assert_eq!(lines(&script(RULE.code, &bad)), [16], "{host}");
        }
    }

    #[test]
    fn the_managed_instance_url_is_not_checked_here() {
        let other = LINK.replace(
            "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022",
            "tcp://localhost:5022",
        );
        assert_eq!(script(RULE.code, &other), []);
    }
}
