//! ML505: a password or private key written into a script.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::secrets::{Origin, SecretKind};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: Code::ML505,
    severity: Severity::Warning,
    summary: "a password or private key is written into the script instead of being passed in at run time",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A repository's other scripts (logins, linked servers, TDE) are not this tool's
    // subject: secrets are masked everywhere, but reported only in link set-ups.
    let scripts = a.scripts.iter();
    for s in scripts.filter(|s| crate::analysis::queries::in_link_scope(a, s.file)) {
        // A further piece of one value, or a value repeated elsewhere, is masked but not
        // reported again.
        let written = s
            .secrets
            .iter()
            .filter(|x| matches!(x.origin, Origin::Value | Origin::Setvar));
        for secret in written {
            let span = Span::new(s.file, secret.range.clone());
            let finding = match (secret.kind, secret.origin == Origin::Setvar) {
                (SecretKind::PrivateKey, _) => Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    span,
                    "a private key is written into the script",
                )
                .with_primary_label("private key material")
                .with_help("load the key from a file on the server (PRIVATE KEY (FILE = …)) instead of committing it"),
                (SecretKind::Token, false) => Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    span,
                    "an access key or token is written into the script",
                )
                .with_primary_label("the key or token")
                .with_help("keep it in a key vault or a CI secret and pass it at run time; rotate it, since it is in the repository's history"),
                (_, true) => Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    span,
                    "a password is given a value in the script",
                )
                .with_primary_label("the password")
                .with_help("delete the value and pass it at run time with `sqlcmd -v NAME=…`; declare it for milink-lint with --var or [vars] in milink.toml"),
                (SecretKind::Password, false) => Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    span,
                    "a password is written into the script",
                )
                .with_primary_label("the password")
                .with_help("use a SQLCMD variable, e.g. PASSWORD = '$(MasterKeyPassword)', and pass it with `sqlcmd -v MasterKeyPassword=…`"),
            };
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{lines, script, LINK};

    fn with_master_key(password: &str) -> String {
        LINK.replacen(
            "USE master;\n",
            &format!("USE master;\nCREATE MASTER KEY ENCRYPTION BY PASSWORD = '{password}';\n"),
            1,
        )
    }

    #[test]
    fn a_master_key_password_written_into_the_script() {
        let found = script(RULE.code, &with_master_key("Summer2026!"));
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "a password is written into the script");
    }

    #[test]
    fn a_password_given_by_setvar() {
        let bad = format!(":setvar MasterKeyPassword \"Summer2026!\"\n{}", with_master_key("$(MasterKeyPassword)"));
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "a password is given a value in the script");
    }

    #[test]
    fn a_password_passed_in_at_run_time() {
        assert_eq!(script(RULE.code, &with_master_key("$(MasterKeyPassword)")), []);
        assert_eq!(script(RULE.code, LINK), []);
    }

    #[test]
    fn the_documentation_placeholder_is_ml501s() {
        assert_eq!(script(RULE.code, &with_master_key("<strong_password>")), []);
    }

    #[test]
    fn a_password_in_a_sqlcmd_command_line_comment() {
        let bad = format!("-- sqlcmd -S SQLFIN01 -U deploy -P Summer2026! -i 01.sql\n{LINK}");
        assert_eq!(lines(&script(RULE.code, &bad)), [1]);
    }

    #[test]
    fn a_script_outside_the_link_set_up() {
        let logins = "CREATE LOGIN [app_reader] WITH PASSWORD = 'Summer2026!';\n";
        assert_eq!(script(RULE.code, logins), []);
    }

    #[test]
    fn a_variable_named_like_a_password() {
        let bad = LINK.replacen(
            "USE master;\n",
            "USE master;\nDECLARE @pwd nvarchar(128) = N'Summer2026!';\n",
            1,
        );
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [2]);
        assert_eq!(found[0].message, "a password is written into the script");
    }
}
