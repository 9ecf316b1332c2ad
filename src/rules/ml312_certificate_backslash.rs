//! ML312: a certificate name contains a backslash (e.g. built from @@SERVERNAME of a named instance).

use super::{Check, Rule};
use crate::analysis::queries::in_scope;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::SERVERNAME_MARKER;

pub static RULE: Rule = Rule {
    code: Code::ML312,
    severity: Severity::Error,
    summary:
        "a certificate name contains a backslash (e.g. built from @@SERVERNAME of a named instance)",
    catalogue: "M10",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    if !in_scope(a) {
        return;
    }
    let server = a.server_name();
    for (_, cert) in a.certificates() {
        let Some(name) = cert.name.resolve(server) else {
            continue;
        };
        if crate::analysis::queries::has_placeholder(&name) {
            continue;
        }
        if !name.contains('\\') {
            continue;
        }
        let fixed = name.replace('\\', "_");
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            cert.name.span,
            format!("certificate name '{name}' contains a backslash"),
        )
        .with_primary_label("'\\' is not allowed here")
        .with_help(format!(
            "name it without the backslash, e.g. '{fixed}', and use that name in the endpoint"
        ));
        if cert.name.value.contains(SERVERNAME_MARKER) {
            d = d.with_note(
                "the name is built from @@SERVERNAME, which is HOST\\INSTANCE on a named instance",
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// The certificate named by dynamic SQL from `name_expression`, as Microsoft's script does.
    fn dynamic(name_expression: &str) -> String {
        let generated = format!(
            "DECLARE @name sysname = {name_expression};\nDECLARE @sql nvarchar(max) = N'CREATE CERTIFICATE ' + QUOTENAME(@name) + N' WITH SUBJECT = N''link endpoint'', EXPIRY_DATE = ''2030-01-01'';';\nEXEC sp_executesql @sql;\n"
        );
        LINK.replacen(
            "CREATE CERTIFICATE [Cert_SQLFIN01_endpoint]\n    WITH SUBJECT = N'SQLFIN01 link endpoint', EXPIRY_DATE = '2030-01-01';\n",
            &generated,
            1,
        )
    }

    #[test]
    fn a_certificate_name_with_a_backslash() {
        let bad = LINK.replace("Cert_SQLFIN01_endpoint", "Cert_SQLFIN01\\REPORTING_endpoint");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [2]);
        assert_eq!(
            found[0].message,
            "certificate name 'Cert_SQLFIN01\\REPORTING_endpoint' contains a backslash"
        );
    }

    #[test]
    fn a_name_without_a_backslash_and_a_subject_with_one() {
        assert_eq!(script(RULE.code, LINK), []);
        let good = LINK.replace("N'SQLFIN01 link endpoint'", "N'SQLFIN01\\REPORTING link endpoint'");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_name_built_from_the_servername_of_a_named_instance() {
        let named = PARAMS.replace("name = \"SQLFIN01\"", "name = 'SQLFIN01\\REPORTING'");
        let bad = dynamic("N'Cert_' + @@SERVERNAME + N'_endpoint'");
        let found = with_params(RULE.code, &bad, &named);
        assert_eq!(lines(&found), [4]);
        assert_eq!(
            found[0].message,
            "certificate name 'Cert_SQLFIN01\\REPORTING_endpoint' contains a backslash"
        );
    }

    #[test]
    fn a_name_built_with_the_backslash_replaced() {
        let named = PARAMS.replace("name = \"SQLFIN01\"", "name = 'SQLFIN01\\REPORTING'");
        let good = dynamic("N'Cert_' + REPLACE(@@SERVERNAME, N'\\', N'_') + N'_endpoint'");
        assert_eq!(with_params(RULE.code, &good, &named), []);
    }

    #[test]
    fn a_sqlcmd_variable_is_read_with_its_value() {
        let template = LINK.replace("Cert_SQLFIN01_endpoint", "$(CertName)");
        let bad = format!(":setvar CertName \"Cert_SQLFIN01\\REPORTING_endpoint\"\n{template}");
        assert_eq!(lines(&script(RULE.code, &bad)), [3]);
        let good = format!(":setvar CertName \"Cert_SQLFIN01_REPORTING_endpoint\"\n{template}");
        assert_eq!(script(RULE.code, &good), []);
    }
}
