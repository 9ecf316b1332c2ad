//! ML507: a SQLCMD `:r` names a file that does not exist (or cannot be read), so sqlcmd stops there.

use super::{Check, Rule};
use crate::analysis::queries::in_link_scope;
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::include::IncludeProblem;

pub static RULE: Rule = Rule {
    code: Code::ML507,
    severity: Severity::Error,
    summary: "a SQLCMD :r names a file that does not exist or cannot be read, so sqlcmd stops there and the steps after it never run",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A deployment script of another kind (an SSDT post-deployment script whose steps
    // are generated) is not this tool's subject: see `in_link_scope`.
    for missing in &a.missing_includes {
        if !in_link_scope(a, missing.command.file) {
            continue;
        }
        let name = &missing.argument;
        let d = match &missing.problem {
            IncludeProblem::NotFound { tried } => Diagnostic::new(
                RULE.code,
                RULE.severity,
                missing.command,
                format!("`:r` names {name}, which does not exist"),
            )
            .with_primary_label("file not found")
            .with_note(format!("looked for {}", tried.join(" and ")))
            .with_help("sqlcmd stops with a fatal error at this line, before the steps after it: fix the path (relative to this script's folder, or to the folder sqlcmd runs in)"),
            IncludeProblem::Outside => Diagnostic::new(
                RULE.code,
                Severity::Info,
                missing.command,
                format!("`:r` names {name}, a path of the machine that runs sqlcmd: its statements are not checked"),
            )
            .with_primary_label("not read")
            .with_help("use a path relative to this script (`:r .\\steps\\02_link.sql`) so the steps travel with the repository and are linted with it"),
            IncludeProblem::Unreadable(why) => Diagnostic::new(
                RULE.code,
                RULE.severity,
                missing.command,
                format!("`:r` names {name}, which cannot be read as a script"),
            )
            .with_primary_label("not a script")
            .with_note(why.clone())
            .with_help("sqlcmd stops at this line: include the T-SQL script meant here"),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, LINK};

    #[test]
    fn a_renamed_step() {
        let master = format!(":on error exit\n:r .\\steps\\02_mirroring_endpoint.sql\n{LINK}");
        let found = script(RULE.code, &master);
        assert_eq!(lines(&found), [2]);
        assert_eq!(
            found[0].message,
            "`:r` names .\\steps\\02_mirroring_endpoint.sql, which does not exist"
        );
    }

    #[test]
    fn the_step_is_there() {
        let master = ":on error exit\n:r .\\steps\\02_endpoint.sql\n";
        let found = findings(RULE.code, &[("run_all.sql", master), ("steps/02_endpoint.sql", LINK)], None);
        assert_eq!(found, []);
    }

    #[test]
    fn a_path_of_the_machine_that_runs_sqlcmd() {
        let master = format!(":r C:\\Deploy\\02_endpoint.sql\n{LINK}");
        let found = script(RULE.code, &master);
        assert_eq!(lines(&found), [1]);
        assert_eq!(
            found[0].message,
            "`:r` names C:\\Deploy\\02_endpoint.sql, a path of the machine that runs sqlcmd: its statements are not checked"
        );
    }

    #[test]
    fn a_folder_is_not_a_script() {
        // Tests run in the package folder, which has a `src` folder.
        let master = format!(":r .\\src\n{LINK}");
        let found = script(RULE.code, &master);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].message, "`:r` names .\\src, which cannot be read as a script");
    }

    #[test]
    fn a_script_outside_the_link_set_up() {
        let deployment = ":r .\\Scripts\\PostDeploy\\Seed.sql\nSELECT 1;\n";
        assert_eq!(script(RULE.code, deployment), []);
    }
}
