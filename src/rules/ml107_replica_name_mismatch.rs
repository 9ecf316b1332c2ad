//! ML107: REPLICA ON names something other than the SQL Server instance (@@SERVERNAME).

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::queries::{is_ip, quoted_list};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML107,
    severity: Severity::Error,
    summary: "REPLICA ON does not name the SQL Server instance (@@SERVERNAME) of the parameters file, or looks like a host, IP or FQDN",
    catalogue: "N7",
    needs_params: false,
    check: Check::Model(check),
};

/// A replica name that is a network address rather than an instance name.
fn address_like(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if ["localhost", "(local)", "."].contains(&lower.as_str()) {
        Some("a local alias")
    } else if is_ip(name) {
        Some("an IP address")
    } else if name.contains('.') {
        Some("a fully qualified host name")
    } else {
        None
    }
}

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let server = a.params.as_ref().and_then(|p| p.sql_server.name.as_ref());
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(ag) = a.ag(link) else { continue };
        if !seen.insert(ag.name.span) {
            continue;
        }
        match server {
            // One replica: a plain comparison (case-only differences go to ML113).
            Some(_) if ag.replicas.len() == 1 => {}
            // Several replicas (an existing multi-node AG): one of them must be this instance.
            Some(expected) => {
                let any = ag
                    .replicas
                    .iter()
                    .any(|r| compare(&r.server.value, &expected.value) != NameMatch::Different);
                if !any {
                    if let Some(first) = ag.replicas.first() {
                        out.push(
                            Diagnostic::new(
                                RULE.code,
                                RULE.severity,
                                first.server.span,
                                format!(
                                    "no replica of '{}' is the SQL Server instance '{}' of {} (replicas: {})",
                                    ag.name.value,
                                    expected.value,
                                    a.expected_source(expected.span).noun(),
                                    quoted_list(ag.replicas.iter().map(|r| r.server.value.as_str()))
                                ),
                            )
                            .with_label(expected.span, "expected here")
                            .with_help("REPLICA ON must name the instance exactly as SELECT @@SERVERNAME returns it (error 35237 otherwise)"),
                        );
                    }
                }
            }
            None => {
                for r in &ag.replicas {
                    if let Some(kind) = address_like(&r.server.value) {
                        out.push(
                            Diagnostic::new(
                                RULE.code,
                                Severity::Warning,
                                r.server.span,
                                format!("replica name '{}' is {kind}, not a SQL Server instance name", r.server.value),
                            )
                            .with_primary_label("expected the result of SELECT @@SERVERNAME")
                            .with_help("REPLICA ON takes the instance name (HOST or HOST\\INSTANCE) as @@SERVERNAME returns it; the address belongs in ENDPOINT_URL"),
                        );
                    }
                }
            }
        }
    }
    for e in a.name_checks() {
        if e.kind == NameKind::ReplicaServer && e.outcome() == NameMatch::Different {
            let hint = address_like(&e.found.value)
                .map(|k| format!(" ('{}' is {k})", e.found.value))
                .unwrap_or_default();
            let mut d = name_mismatch::diagnostic_with_fix(a, RULE.code, e);
            d.help = Some(format!(
                "REPLICA ON must name the instance exactly as SELECT @@SERVERNAME returns it{hint}; a named instance is HOST\\INSTANCE"
            ));
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with `REPLICA ON` naming `name`.
    fn replica(name: &str) -> String {
        LINK.replace("REPLICA ON N'SQLFIN01'", &format!("REPLICA ON N'{name}'"))
    }

    /// [`LINK`] whose AG has a second replica, `N'SQLFIN02'`, after the first.
    fn two_replicas(first: &str) -> String {
        replica(first).replace(
            "AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-",
            "AUTOMATIC),\n    N'SQLFIN02' WITH (ENDPOINT_URL = 'TCP://sqlfin02.corp.example.net:5022',\n        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\nCREATE AVAILABILITY GROUP [dag-",
        )
    }

    #[test]
    fn the_host_of_a_named_instance() {
        let params = PARAMS.replace("name = \"SQLFIN01\"", "name = 'SQLFIN01\\LINK'");
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [15]);
        assert_eq!(
            found[0].message,
            "replica server name 'SQLFIN01' does not match the parameters file ('SQLFIN01\\LINK')"
        );
    }

    #[test]
    fn the_instance_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
        let params = PARAMS.replace("name = \"SQLFIN01\"", "name = 'SQLFIN01\\LINK'");
        assert_eq!(with_params(RULE.code, &replica("SQLFIN01\\LINK"), &params), []);
    }

    #[test]
    fn the_fqdn_against_the_parameters() {
        let bad = replica("sqlfin01.corp.example.net");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [15]);
    }

    #[test]
    fn a_case_only_difference_is_left_to_ml113() {
        assert_eq!(with_params(RULE.code, &replica("sqlfin01"), PARAMS), []);
    }

    #[test]
    fn without_parameters_an_address_is_reported() {
        let found = script(RULE.code, &replica("sqlfin01.corp.example.net"));
        assert_eq!(lines(&found), [15]);
        assert_eq!(
            found[0].message,
            "replica name 'sqlfin01.corp.example.net' is a fully qualified host name, not a SQL Server instance name"
        );
        for address in ["localhost", "(local)", ".", "10.20.1.5"] {
            assert_eq!(lines(&script(RULE.code, &replica(address))), [15], "{address}");
        }
    }

    #[test]
    fn without_parameters_an_instance_name_is_fine() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(script(RULE.code, &replica("SQLFIN01\\LINK")), []);
    }

    #[test]
    fn a_multi_replica_ag_without_this_server() {
        let found = with_params(RULE.code, &two_replicas("SQLFIN03"), PARAMS);
        assert_eq!(lines(&found), [15]);
        assert_eq!(
            found[0].message,
            "no replica of 'AG_Treasury' is the SQL Server instance 'SQLFIN01' of the parameters file (replicas: 'SQLFIN03', 'SQLFIN02')"
        );
    }

    #[test]
    fn a_multi_replica_ag_with_this_server_second() {
        let good = two_replicas("SQLFIN03").replace("N'SQLFIN02' WITH", "N'SQLFIN01' WITH");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
    }
}
