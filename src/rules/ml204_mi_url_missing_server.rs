//! ML204: the managed-instance listener URL has no ;Server=[...] part.

use super::{Check, Rule};
use crate::analysis::queries::link_urls;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML204,
    severity: Severity::Error,
    summary: "the managed-instance listener URL lacks ;Server=[<managed instance name>]",
    catalogue: "U4",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    for (_, url, is_mi) in link_urls(a) {
        if !is_mi || url.server.is_some() {
            continue;
        }
        let name = a
            .params
            .as_ref()
            .and_then(|p| p.managed_instance.name.as_ref())
            .map(|n| n.value.clone())
            .or_else(|| {
                url.host
                    .as_ref()
                    .and_then(|h| h.value.split('.').next().map(str::to_string))
            })
            .unwrap_or_else(|| "<managed instance name>".into());
        // Appended where the URL is written, when it is written whole in the script (not
        // from a variable) and the name is known (the parameters or the host's first label).
        let written = a.files.slice(url.value_span);
        let fix = (written == url.text && !name.starts_with('<') && !name.contains([']', '\'']))
            .then(|| {
                let separator = if written.ends_with(';') { "" } else { ";" };
                let end = url.value_span.end as usize;
                Fix {
                    applicability: Applicability::Safe,
                    message: format!("append ;Server=[{name}]"),
                    edits: vec![Edit {
                        span: Span::new(url.value_span.file, end..end),
                        content: format!("{separator}Server=[{name}]"),
                    }],
                }
            });
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                url.value_span,
                format!(
                    "managed instance listener URL '{}' has no ;Server=[…]",
                    url.text
                ),
            )
            .with_primary_label("missing ;Server=[…]")
            .with_help(format!(
                "append ;Server=[{name}]: the managed instance routes the link by this name"
            ))
            .with_fix_if(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{fixed, lines, script, with_params, LINK, PARAMS};

    #[test]
    fn the_fix_appends_the_server() {
        let bad = mi_url("tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022");
        assert_eq!(fixed(RULE.code, &bad, None), LINK);
        assert_eq!(fixed(RULE.code, &bad, Some(PARAMS)), LINK);
        let semicolon = mi_url("tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;");
        assert_eq!(fixed(RULE.code, &semicolon, None), LINK);
    }

    const MI_URL: &str = "tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[mi-treasury]";

    /// [`LINK`] with `url` as the managed instance's URL (line 29).
    fn mi_url(url: &str) -> String {
        LINK.replace(MI_URL, url)
    }

    #[test]
    fn the_generic_dag_url_without_server() {
        let bad = mi_url("tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022");
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [29]);
        assert_eq!(
            found[0].message,
            "managed instance listener URL 'tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022' has no ;Server=[…]"
        );
    }

    #[test]
    fn the_url_with_server() {
        assert_eq!(script(RULE.code, LINK), []);
        assert_eq!(with_params(RULE.code, LINK, PARAMS), []);
    }

    #[test]
    fn only_the_key_is_looked_for() {
        let empty = mi_url("tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=[]");
        assert_eq!(script(RULE.code, &empty), []);
        let bare = mi_url("tcp://mi-treasury.8c2e4f1a9b3d.database.windows.net:5022;Server=mi-treasury");
        assert_eq!(script(RULE.code, &bare), []);
    }

    #[test]
    fn an_alias_host_is_a_link_only_through_the_parameters() {
        let alias = mi_url("tcp://mi-treasury.corp.example.net:5022");
        assert_eq!(script(RULE.code, &alias), []);
        assert_eq!(lines(&with_params(RULE.code, &alias, PARAMS)), [29]);
    }
}
