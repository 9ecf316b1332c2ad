//! ML304: CLUSTER_TYPE is given for SQL Server 2016 (which has no such option), or omitted on 2017+ (WSFC by default).

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML304,
    severity: Severity::Error,
    summary: "CLUSTER_TYPE is given for SQL Server 2016 (which has no such option), or omitted on 2017+ (WSFC by default)",
    catalogue: "M4",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let Some(version) = a
        .params
        .as_ref()
        .and_then(|p| p.sql_server.version.as_ref())
    else {
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(ag) = a.ag(link) else { continue };
        if !seen.insert(ag.name.span) {
            continue;
        }
        match (&ag.cluster_type, version.value) {
            (Some(ct), 2016) => out.push(
                Diagnostic::new(RULE.code, Severity::Error, ct.span, "SQL Server 2016 has no CLUSTER_TYPE option")
                    .with_primary_label("not valid on 2016")
                    .with_label(version.span, "version 2016")
                    .with_help("remove CLUSTER_TYPE for SQL Server 2016 (the AG then uses the Windows Server failover cluster)"),
            ),
            // Several replicas or a listener: a cluster exists, WSFC is the right default.
            (None, v) if v >= 2017 && ag.replicas.len() == 1 && ag.listener.is_none() => out.push(
                Diagnostic::new(RULE.code, Severity::Warning, ag.name.span, format!("availability group '{}' has no CLUSTER_TYPE, so it defaults to WSFC", ag.name.value))
                    .with_primary_label("CLUSTER_TYPE omitted")
                    .with_label(version.span, format!("SQL Server {v}"))
                    .with_help("the link documentation creates the AG WITH (CLUSTER_TYPE = NONE); keep the default only if this server is in a Windows Server failover cluster"),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    const NO_CLUSTER_TYPE: (&str, &str) = ("\n    WITH (CLUSTER_TYPE = NONE)", "");

    #[test]
    fn cluster_type_on_sql_server_2016() {
        let params = PARAMS.replace("version = 2022", "version = 2016");
        let found = with_params(RULE.code, LINK, &params);
        assert_eq!(lines(&found), [13]);
        assert_eq!(found[0].message, "SQL Server 2016 has no CLUSTER_TYPE option");
    }

    #[test]
    fn no_cluster_type_on_sql_server_2016() {
        let params = PARAMS.replace("version = 2022", "version = 2016");
        let good = LINK.replace(NO_CLUSTER_TYPE.0, NO_CLUSTER_TYPE.1);
        assert_eq!(with_params(RULE.code, &good, &params), []);
    }

    #[test]
    fn no_cluster_type_on_a_stand_alone_sql_server_2022() {
        let bad = LINK.replace(NO_CLUSTER_TYPE.0, NO_CLUSTER_TYPE.1);
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [12]);
        assert_eq!(
            found[0].message,
            "availability group 'AG_Treasury' has no CLUSTER_TYPE, so it defaults to WSFC"
        );
    }

    #[test]
    fn cluster_type_none_on_sql_server_2022() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn no_cluster_type_with_a_second_replica_is_a_cluster() {
        let cluster = LINK.replace(NO_CLUSTER_TYPE.0, NO_CLUSTER_TYPE.1).replacen(
            "SEEDING_MODE = AUTOMATIC);",
            "SEEDING_MODE = AUTOMATIC),\n    N'SQLFIN02' WITH (\n        ENDPOINT_URL = 'TCP://sqlfin02.corp.example.net:5022',\n        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,\n        FAILOVER_MODE = MANUAL,\n        SEEDING_MODE = AUTOMATIC);",
            1,
        );
        assert_eq!(with_params(RULE.code, &cluster, PARAMS), []);
    }

    #[test]
    fn without_a_version_nothing_is_compared() {
        let bad = LINK.replace(NO_CLUSTER_TYPE.0, NO_CLUSTER_TYPE.1);
        let params = PARAMS.replace("version = 2022\n", "");
        assert_eq!(with_params(RULE.code, &bad, &params), []);
        assert_eq!(script(RULE.code, &bad), []);
    }
}
