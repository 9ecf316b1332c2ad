//! ML409: the managed instance is the initial primary but the parameters' SQL Server version is older than 2022.

use super::{Check, Rule};
use crate::analysis::queries::declared_direction;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::params::InitialPrimary;

pub static RULE: Rule = Rule {
    code: Code::ML409,
    severity: Severity::Error,
    summary: "the managed instance is the initial primary but the parameters' SQL Server version is older than 2022",
    catalogue: "D9",
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
    if version.value >= 2022 {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for link in &a.links {
        let Some(dir) =
            declared_direction(a, link).filter(|d| d.value == InitialPrimary::ManagedInstance)
        else {
            continue;
        };
        if !seen.insert(dir.span) {
            continue;
        }
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, a.dag(link).name.span, format!("SQL Server {} cannot receive a link from the managed instance", version.value))
                .with_primary_label("managed-instance-first link")
                .with_label(dir.span, "initial primary declared here")
                .with_label(version.span, format!("SQL Server {}", version.value))
                .with_help("a link with the managed instance as initial primary needs SQL Server 2022 CU10 or later (or 2025); on older versions create it from SQL Server"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, with_params, LINK, PARAMS};

    fn params(version: u32, initial_primary: &str) -> String {
        PARAMS
            .replace("version = 2022", &format!("version = {version}"))
            .replace("\"sql_server\"", &format!("\"{initial_primary}\""))
    }

    #[test]
    fn managed_instance_first_on_sql_server_2019() {
        let found = with_params(RULE.code, LINK, &params(2019, "managed_instance"));
        assert_eq!(lines(&found), [20]);
        assert_eq!(
            found[0].message,
            "SQL Server 2019 cannot receive a link from the managed instance"
        );
        assert_eq!(
            lines(&with_params(RULE.code, LINK, &params(2016, "managed_instance"))),
            [20]
        );
    }

    #[test]
    fn managed_instance_first_on_sql_server_2022_or_2025() {
        assert_eq!(with_params(RULE.code, LINK, &params(2022, "managed_instance")), []);
        assert_eq!(with_params(RULE.code, LINK, &params(2025, "managed_instance")), []);
    }

    #[test]
    fn sql_server_first_on_sql_server_2019() {
        assert_eq!(with_params(RULE.code, LINK, &params(2019, "sql_server")), []);
    }

    #[test]
    fn without_a_version_nothing_is_compared() {
        let p = params(2019, "managed_instance").replace("version = 2019\n", "");
        assert_eq!(with_params(RULE.code, LINK, &p), []);
    }
}
