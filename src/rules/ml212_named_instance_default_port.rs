//! ML212: a named instance uses the default instance's port 5022.

use super::{Check, Rule};
use crate::analysis::queries::endpoint_port;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML212,
    severity: Severity::Warning,
    summary: "a named instance (HOST\\INSTANCE) uses endpoint port 5022, which belongs to the default instance",
    catalogue: "U12",
    needs_params: true,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let Some(name) = a.params.as_ref().and_then(|p| p.sql_server.name.as_ref()) else {
        return;
    };
    if !name.value.contains('\\') {
        return;
    }
    let Some((5022, span, _)) = endpoint_port(a, None) else {
        return;
    };
    out.push(
        Diagnostic::new(RULE.code, RULE.severity, span, format!("named instance '{}' uses port 5022", name.value))
            .with_primary_label("the default instance's endpoint port")
            .with_label(name.span, "a named instance")
            .with_help("give each instance on a host its own endpoint port (e.g. 5023) and use it in every URL and in the parameters"),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, with_params, LINK, PARAMS};

    /// [`PARAMS`] for the named instance `SQLFIN01\LINK` whose endpoint is on `port`.
    fn named_instance_params(port: u16) -> String {
        PARAMS
            .replace("name = \"SQLFIN01\"", "name = 'SQLFIN01\\LINK'")
            .replace("endpoint_port = 5022", &format!("endpoint_port = {port}"))
    }

    /// [`LINK`] on the named instance, its endpoint and URLs on `port`.
    fn named_instance(port: u16) -> String {
        LINK.replace("REPLICA ON N'SQLFIN01'", "REPLICA ON N'SQLFIN01\\LINK'")
            .replace("LISTENER_PORT = 5022", &format!("LISTENER_PORT = {port}"))
            .replace("sqlfin01.corp.example.net:5022", &format!("sqlfin01.corp.example.net:{port}"))
    }

    #[test]
    fn a_named_instance_on_5022() {
        let found = with_params(RULE.code, &named_instance(5022), &named_instance_params(5022));
        assert_eq!(lines(&found), [5]);
        assert_eq!(found[0].message, "named instance 'SQLFIN01\\LINK' uses port 5022");
    }

    #[test]
    fn a_named_instance_on_its_own_port() {
        let good = with_params(RULE.code, &named_instance(5023), &named_instance_params(5023));
        assert_eq!(good, []);
    }

    #[test]
    fn the_default_instance_on_5022() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn an_instance_name_only_in_the_scripts_does_not_count() {
        assert_eq!(with_params(RULE.code, &named_instance(5022), PARAMS), []);
    }

    #[test]
    fn without_an_endpoint_in_the_scripts_the_parameters_port() {
        let sql = named_instance(5022);
        let ag_and_dag = &sql[sql.find("ALTER DATABASE").unwrap()..];
        let found = findings(RULE.code, &[("03_ag.sql", ag_and_dag)], Some(&named_instance_params(5022)));
        assert_eq!(lines(&found), [5]);
        assert_eq!(found[0].file, "params.toml");
    }

    #[test]
    fn the_last_alter_endpoint_sets_the_port() {
        let sql = format!("{}ALTER ENDPOINT [Hadr_endpoint] AS TCP (LISTENER_PORT = 5023);\n", named_instance(5022));
        let params = named_instance_params(5023);
        assert_eq!(with_params(RULE.code, &sql, &params), []);
    }
}
