//! ML109: the MI listener URL host is not the managed instance's FQDN.

use super::name_mismatch;
use super::{Check, Rule};
use crate::analysis::name_checks::NameKind;
use crate::analysis::queries::{has_placeholder, is_public_or_private_endpoint};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::names::{compare, NameMatch};

pub static RULE: Rule = Rule {
    code: Code::ML109,
    severity: Severity::Error,
    summary: "the managed-instance listener URL host is not the managed instance FQDN, or its first label is not the Server=[...] name",
    catalogue: "N9",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A public or private endpoint host is ML205's finding.
    let first = out.len();
    if a.params.is_some() {
        name_mismatch::report(a, RULE.code, &[NameKind::MiHost], out);
        let mut i = first;
        while i < out.len() {
            if is_public_or_private_endpoint(a.files.slice(out[i].span)) {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
    let mut seen: std::collections::HashSet<_> = out[first..].iter().map(|d| d.span).collect();
    let params_name = a
        .params
        .as_ref()
        .and_then(|p| p.managed_instance.name.as_ref());
    for link in &a.links {
        let Some(url) = &a.mi_member(link).listener_url else {
            continue;
        };
        let (Some(host), Some(server)) = (&url.host, &url.server) else {
            continue;
        };
        // A value not known yet (a template, an undefined $(VAR)) is not compared:
        // ML501/ML502 report it.
        if !seen.insert(host.span)
            || host.value.trim().is_empty()
            || has_placeholder(&host.value)
            || has_placeholder(&server.value)
            || server.value.contains('.')
            || is_public_or_private_endpoint(&host.value)
        {
            continue;
        }
        // When Server=[…] itself disagrees with the parameters, ML108 has the finding.
        if params_name.is_some_and(|p| compare(&server.value, &p.value) == NameMatch::Different) {
            continue;
        }
        let label = host.value.split('.').next().unwrap_or_default();
        if compare(label, &server.value) == NameMatch::Different {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    host.span,
                    format!(
                        "listener URL host '{}' does not belong to managed instance '{}' named in Server=[…]",
                        host.value, server.value
                    ),
                )
                .with_primary_label(format!("host of '{label}'"))
                .with_label(server.span, "the managed instance")
                .with_help(format!(
                    "the host must be '{}.<dns-zone>.database.windows.net', the VNet-local FQDN of the managed instance",
                    server.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, with_params, LINK, PARAMS};

    /// [`LINK`] with `host` in the managed instance's URL (line 29).
    fn host(host: &str) -> String {
        LINK.replace(
            "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022",
            &format!("tcp://{host}:5022"),
        )
    }

    #[test]
    fn a_host_in_another_dns_zone_than_the_parameters() {
        let bad = host("mi-treasury.73d19f36a420.database.windows.net");
        let found = with_params(RULE.code, &bad, PARAMS);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "managed instance host in the listener URL 'mi-treasury.73d19f36a420.database.windows.net' does not match the parameters file ('mi-treasury.8c2e4f1a9b3d.database.windows.net')"
        );
    }

    #[test]
    fn the_host_the_parameters_name() {
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn without_parameters_a_host_of_another_instance_than_the_server_name() {
        let bad = host("mi-payroll.8c2e4f1a9b3d.database.windows.net");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "listener URL host 'mi-payroll.8c2e4f1a9b3d.database.windows.net' does not belong to managed instance 'mi-treasury' named in Server=[…]"
        );
    }

    #[test]
    fn letter_case_never_matters_in_a_host() {
        let good = host("MI-TREASURY.8C2E4F1A9B3D.DATABASE.WINDOWS.NET");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_public_or_private_endpoint_host_is_left_to_ml205() {
        for public in [
            "mi-treasury.public.8c2e4f1a9b3d.database.windows.net",
            "mi-treasury.privatelink.8c2e4f1a9b3d.database.windows.net",
        ] {
            assert_eq!(with_params(RULE.code, &host(public), PARAMS), [], "{public}");
        }
    }

    #[test]
    fn a_wrong_server_name_is_left_to_ml108() {
        let other = LINK.replace("Server=[mi-treasury]", "Server=[mi-payroll]");
        assert_eq!(with_params(RULE.code, &other, PARAMS), []);
    }

    #[test]
    fn a_sqlcmd_variable_is_compared_with_its_value() {
        let template = host("$(MiFqdn)");
        let good = format!(":setvar MiFqdn mi-treasury.8c2e4f1a9b3d.database.windows.net\n{template}");
        assert_eq!(with_params(RULE.code, &good, PARAMS), []);
        let bad = format!(":setvar MiFqdn mi-treasury.73d19f36a420.database.windows.net\n{template}");
        assert_eq!(lines(&with_params(RULE.code, &bad, PARAMS)), [30]);
    }

    #[test]
    fn a_template_or_an_undefined_variable_is_not_compared() {
        let templates = [
            "<ManagedInstanceFQDN>",
            "$(MiFqdn)",
        ];
        for written in templates {
            let sql = host(written);
            assert_eq!(script(RULE.code, &sql), [], "{written}");
            assert_eq!(with_params(RULE.code, &sql, PARAMS), [], "{written}");
        }
        let server = LINK.replace("Server=[mi-treasury]", "Server=[<ManagedInstanceName>]");
        assert_eq!(script(RULE.code, &server), []);
        let both = host("<ManagedInstanceFQDN>")
            .replace("Server=[mi-treasury]", "Server=[<ManagedInstanceName>]");
        assert_eq!(script(RULE.code, &both), []);
    }
}
