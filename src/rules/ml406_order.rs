//! ML406: in run order (scripts by name, numbers by value, `:r` steps at their `:r` line) the DAG comes before its AG, the endpoint before its certificate, or a certificate before the master key.

use super::{Check, Rule};
use crate::analysis::queries::certificate_matches;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CertificateSource, StatementKind};

pub static RULE: Rule = Rule {
    code: Code::ML406,
    severity: Severity::Warning,
    summary: "in run order (scripts by name, numbers by value, `:r` steps at their `:r` line) the DAG comes before its AG, the endpoint before its certificate, or a certificate before the master key",
    catalogue: "D6",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let server = a.server_name();
    for link in &a.links {
        let Some(ag_index) = link.ag else { continue };
        if ag_index > link.dag {
            let ag = a
                .ag(link)
                .map(|g| g.name.span)
                .unwrap_or(a.statements[ag_index].span);
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, a.dag(link).name.span, format!("distributed availability group '{}' is created before its availability group", a.dag(link).name.value))
                    .with_primary_label("runs first")
                    .with_label(ag, "created later")
                    .with_help("create the AG first: CREATE … WITH (DISTRIBUTED) fails while its SQL Server member does not exist"),
            );
        }
    }
    let certificates: Vec<(usize, &crate::model::Certificate)> = a.certificates().collect();
    for (index, e) in a.endpoints() {
        let Some(cert) = e
            .authentication
            .as_ref()
            .and_then(|x| x.certificate.as_ref())
        else {
            continue;
        };
        let created = certificates.iter().find(|(_, c)| {
            c.source != CertificateSource::Binary
                && certificate_matches(&c.name, &cert.value, server).is_some()
        });
        if let Some((cert_index, c)) = created {
            if *cert_index > index {
                out.push(
                    Diagnostic::new(
                        RULE.code,
                        RULE.severity,
                        cert.span,
                        format!(
                            "endpoint '{}' uses certificate '{}' before it is created",
                            e.name.value, cert.value
                        ),
                    )
                    .with_primary_label("used here")
                    .with_label(c.name.span, "created later")
                    .with_help("create the certificate before the endpoint"),
                );
            }
        }
    }
    let master_key = a
        .statements
        .iter()
        .position(|s| matches!(s.kind, StatementKind::MasterKey(_)));
    if let Some(key_index) = master_key {
        for (index, c) in &certificates {
            let needs_master_key =
                c.source == CertificateSource::Generated && !c.password_protected;
            if *index < key_index && needs_master_key {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, c.name.span, format!("certificate '{}' is created before the database master key", c.name.display()))
                        .with_primary_label("runs first")
                        .with_label(a.statements[key_index].span, "master key created later")
                        .with_help("create the master key first: a certificate without a password is protected by the master key"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, LINK};

    const DAG: &str = "CREATE AVAILABILITY GROUP [dag-treasury]";
    const ENDPOINT_CERTIFICATE: &str = "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]\n    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';\n";
    const MASTER_KEY: &str = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';\n";

    /// LINK split before its DAG: (everything up to the AG, the DAG).
    fn split() -> (String, String) {
        let at = LINK.find(DAG).unwrap();
        (LINK[..at].to_string(), LINK[at..].to_string())
    }

    #[test]
    fn the_dag_script_runs_before_the_ag_script() {
        let (ag, dag) = split();
        let found = findings(RULE.code, &[("01_dag.sql", &dag), ("02_ag.sql", &ag)], None);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].file, "01_dag.sql");
        assert_eq!(
            found[0].message,
            "distributed availability group 'dag-treasury' is created before its availability group"
        );
    }

    #[test]
    fn scripts_run_in_the_order_of_their_numbers() {
        let (ag, dag) = split();
        // 2 before 10, although "10" sorts before "2" as text.
        let found = findings(RULE.code, &[("10_dag.sql", &dag), ("2_ag.sql", &ag)], None);
        assert_eq!(found, []);
    }

    #[test]
    fn the_endpoint_before_its_certificate() {
        let bad = LINK.replacen(ENDPOINT_CERTIFICATE, "", 1).replacen(
            "CREATE CERTIFICATE [mi-treasury",
            &format!("{ENDPOINT_CERTIFICATE}CREATE CERTIFICATE [mi-treasury"),
            1,
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [5]);
        assert_eq!(
            found[0].message,
            "endpoint 'Hadr_endpoint' uses certificate 'Cert_SQLFIN01_endpoint' before it is created"
        );
    }

    #[test]
    fn the_certificate_before_the_master_key() {
        let bad = LINK.replacen(
            "CREATE ENDPOINT",
            &format!("{MASTER_KEY}CREATE ENDPOINT"),
            1,
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [2]);
        assert_eq!(
            found[0].message,
            "certificate 'Cert_SQLFIN01_endpoint' is created before the database master key"
        );
    }

    #[test]
    fn master_key_certificate_endpoint_ag_dag() {
        assert_eq!(script(RULE.code, LINK), []);
        let with_key = LINK.replacen("USE master;\n", &format!("USE master;\n{MASTER_KEY}"), 1);
        assert_eq!(script(RULE.code, &with_key), []);
    }

    #[test]
    fn a_certificate_with_its_own_password_needs_no_master_key() {
        let good = LINK
            .replacen(
                "EXPIRY_DATE = '2030-01-01';",
                "EXPIRY_DATE = '2030-01-01'\n    ENCRYPTION BY PASSWORD = '$(CertPassword)';",
                1,
            )
            .replacen("CREATE ENDPOINT", &format!("{MASTER_KEY}CREATE ENDPOINT"), 1);
        assert_eq!(script(RULE.code, &good), []);
    }
}
