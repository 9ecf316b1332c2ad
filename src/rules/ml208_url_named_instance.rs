//! ML208: HOST\INSTANCE written in a URL.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML208,
    severity: Severity::Error,
    summary: "a URL names a SQL Server instance (HOST\\INSTANCE) instead of a host; instances are reached by the endpoint port",
    catalogue: "U8",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, _) in link_urls(a) {
        let Some(host) = url.host.as_ref().filter(|h| h.value.contains('\\')) else {
            continue;
        };
        let machine = host.value.split('\\').next().unwrap_or_default();
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is an instance name; a URL takes a host", host.value))
                .with_primary_label("HOST\\INSTANCE")
                .with_help(format!("write TCP://{machine}:<the instance's endpoint port>; the instance is selected by the port")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    const DAG_URL: &str = "LISTENER_URL = 'TCP://sqlfin01.corp.example.net:5022'";
    const REPLICA_URL: &str = "ENDPOINT_URL = 'TCP://sqlfin01.corp.example.net:5022'";

    /// [`LINK`] on the named instance `SQLFIN01\LINK` (endpoint port 5023).
    fn named_instance() -> String {
        LINK.replace("REPLICA ON N'SQLFIN01'", "REPLICA ON N'SQLFIN01\\LINK'")
            .replace("LISTENER_PORT = 5022", "LISTENER_PORT = 5023")
            .replace("sqlfin01.corp.example.net:5022", "sqlfin01.corp.example.net:5023")
    }

    #[test]
    fn the_instance_name_in_the_replica_url() {
        let bad = named_instance().replace(
            "TCP://sqlfin01.corp.example.net:5023'",
            "TCP://sqlfin01.corp.example.net\\LINK:5023'",
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [16, 24]);
        assert_eq!(
            found[0].message,
            "'sqlfin01.corp.example.net\\LINK' is an instance name; a URL takes a host"
        );
    }

    #[test]
    fn the_instance_name_only_in_replica_on() {
        assert_eq!(script(RULE.code, &named_instance()), []);
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn the_dag_member_url_alone() {
        let bad = LINK.replace(DAG_URL, "LISTENER_URL = 'TCP://SQLFIN01\\LINK:5022'");
        assert_eq!(lines(&script(RULE.code, &bad)), [24]);
    }

    #[test]
    fn an_ag_no_link_names_is_not_checked() {
        let cut = LINK.find("CREATE AVAILABILITY GROUP [dag-").unwrap();
        let ag_only = LINK[..cut].replace(REPLICA_URL, "ENDPOINT_URL = 'TCP://SQLFIN01\\LINK:5022'");
        assert_eq!(script(RULE.code, &ag_only), []);
    }
}
