//! ML203: the managed-instance listener URL does not use port 5022.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML203,
    severity: Severity::Error,
    summary: "the managed-instance listener URL does not use port 5022",
    catalogue: "U3",
    needs_params: false,
    check: Check::Model(check),
};

/// The public endpoint's port: ML205 reports it with the right explanation.
const PUBLIC_ENDPOINT_PORT: u16 = 3342;

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        let Some(port) = url.port.as_ref() else {
            continue;
        };
        match port.value {
            // No valid number: ML209 says so.
            None | Some(5022) | Some(PUBLIC_ENDPOINT_PORT) => continue,
            _ if !is_mi => continue,
            _ => {}
        }
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, port.span, format!("managed instance listener URL uses port {}; the managed instance side of the link is always 5022", url.port_text.as_deref().unwrap_or("?")))
                .with_primary_label("must be 5022")
                .with_help("write tcp://<managed instance FQDN>:5022;Server=[<name>]")
                .with_fix_if(super::fixes::port(a, port.span, 5022)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, lines, script, LINK};

    #[test]
    fn the_fix_writes_5022() {
        let bad = LINK.replace("windows.net:5022;", "windows.net:11002;");
        assert_ne!(bad, LINK);
        assert_eq!(fixed(RULE.code, &bad, None), LINK);
    }

    /// [`LINK`] with the managed instance's URL on `port` (line 29).
    fn mi_port(port: &str) -> String {
        LINK.replace("windows.net:5022", &format!("windows.net:{port}"))
    }

    #[test]
    fn the_managed_instance_tds_port() {
        let found = script(RULE.code, &mi_port("1433"));
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "managed instance listener URL uses port 1433; the managed instance side of the link is always 5022"
        );
    }

    #[test]
    fn port_5022() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn other_ports_than_5022() {
        for port in ["5023", "11000"] {
            assert_eq!(lines(&script(RULE.code, &mi_port(port))), [29], "{port}");
        }
    }

    #[test]
    fn the_public_port_is_left_to_ml205_and_no_port_to_ml209() {
        for port in ["3342", "5022x", "70000", "0"] {
            assert_eq!(script(RULE.code, &mi_port(port)), [], "{port}");
        }
    }

    #[test]
    fn the_sql_server_side_may_use_another_port() {
        let good = LINK
            .replace("LISTENER_PORT = 5022", "LISTENER_PORT = 5023")
            .replace("sqlfin01.corp.example.net:5022", "sqlfin01.corp.example.net:5023");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_sqlcmd_variable_is_checked_with_its_value() {
        let template = mi_port("$(MiPort)");
        let bad = format!(":setvar MiPort 1433\n{template}");
        assert_eq!(lines(&script(RULE.code, &bad)), [30]);
        let good = format!(":setvar MiPort 5022\n{template}");
        assert_eq!(script(RULE.code, &good), []);
    }
}
