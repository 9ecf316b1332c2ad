//! ML205: the managed-instance URL uses the public or a private endpoint.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML205,
    severity: Severity::Error,
    summary: "the managed-instance listener URL uses the public endpoint (.public., port 3342) or a private endpoint (privatelink)",
    catalogue: "U5",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        if !is_mi {
            continue;
        }
        if let Some(host) = &url.host {
            let lower = host.value.as_str().to_ascii_lowercase();
            let kind = if lower.contains(".public.") {
                Some(("the public endpoint", lower.replacen(".public.", ".", 1)))
            } else if lower.contains("privatelink") {
                Some(("a private endpoint", lower.replacen(".privatelink", "", 1)))
            } else {
                None
            };
            if let Some((kind, fixed)) = kind {
                out.push(
                    Diagnostic::new(RULE.code, RULE.severity, host.span, format!("'{}' is {kind} of the managed instance; the link only works over the VNet-local endpoint", host.value))
                        .with_primary_label(kind)
                        .with_help(format!("use the VNet-local host '{fixed}' and port 5022")),
                );
                continue;
            }
        }
        if let Some(port) = url.port.as_ref().filter(|p| p.value == Some(3342)) {
            out.push(
                Diagnostic::new(RULE.code, RULE.severity, port.span, "port 3342 is the managed instance's public endpoint; the link uses 5022 on the VNet-local endpoint")
                    .with_primary_label("public endpoint port")
                    .with_help("use port 5022"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    const MI_URL: &str = "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;";

    /// [`LINK`] with the managed instance's URL on `host` and `port` (line 29).
    fn mi_url(host: &str, port: u16) -> String {
        LINK.replace(MI_URL, &format!("tcp://{host}:{port};"))
    }

    #[test]
    fn the_public_endpoint_from_the_portal() {
        let bad = mi_url("mi-treasury.public.8c2e4f1a9b3d.database.windows.net", 3342);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "'mi-treasury.public.8c2e4f1a9b3d.database.windows.net' is the public endpoint of the managed instance; the link only works over the VNet-local endpoint"
        );
    }

    #[test]
    fn the_vnet_local_endpoint() {
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn a_private_endpoint() {
        let bad = mi_url("mi-treasury.privatelink.8c2e4f1a9b3d.database.windows.net", 5022);
        assert_eq!(lines(&script(RULE.code, &bad)), [29]);
    }

    #[test]
    fn the_public_port_on_the_vnet_local_host() {
        let bad = mi_url("mi-treasury.8c2e4f1a9b3d.database.windows.net", 3342);
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "port 3342 is the managed instance's public endpoint; the link uses 5022 on the VNet-local endpoint"
        );
    }

    #[test]
    fn the_public_label_in_capitals() {
        let bad = mi_url("MI-TREASURY.PUBLIC.8C2E4F1A9B3D.DATABASE.WINDOWS.NET", 3342);
        assert_eq!(lines(&script(RULE.code, &bad)), [29]);
    }

    #[test]
    fn the_sql_server_side_is_not_checked_here() {
        let other = LINK.replace("sqlfin01.corp.example.net:5022", "sqlfin01.corp.example.net:3342");
        assert_eq!(script(RULE.code, &other), []);
    }
}
