//! ML503: $(VAR) is used in a file with no SQLCMD command, so it is probably run in SSMS without SQLCMD mode.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::FileId;

pub static RULE: Rule = Rule {
    code: Code::ML503,
    severity: Severity::Warning,
    summary: "$(VAR) is used in a file with no SQLCMD command, so it is probably run in SSMS without SQLCMD mode",
    catalogue: "H3",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let scripts = a
        .scripts
        .iter()
        .filter(|s| !s.script.has_sqlcmd_commands && !runs_in_sqlcmd_mode(a, s.file));
    for s in scripts.filter(|s| crate::analysis::queries::in_link_scope(a, s.file)) {
        let unresolved: Vec<_> = s
            .script
            .var_uses
            .iter()
            .filter(|u| !u.resolved && !u.in_comment)
            .collect();
        let Some(first) = unresolved.first() else {
            continue;
        };
        let mut names: Vec<&str> = unresolved.iter().map(|u| u.name.as_str()).collect();
        names.sort_by_key(|n| n.to_ascii_lowercase());
        names.dedup_by(|x, y| x.eq_ignore_ascii_case(y));
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, first.span, format!("$({}) is a SQLCMD variable, but this file defines none and has no SQLCMD command", first.name))
                .with_primary_label("taken literally without SQLCMD mode")
                .with_help(format!(
                    "run it with sqlcmd -v (check with --var NAME=VALUE), turn on SQLCMD mode in SSMS, or add :setvar lines; variables used: {}",
                    names.join(", ")
                )),
        );
    }
}

/// A script that a master script includes with `:r`, or that a shell script runs with
/// `sqlcmd -i` / `Invoke-Sqlcmd -InputFile`, certainly runs in SQLCMD mode.
fn runs_in_sqlcmd_mode(a: &Analysis, file: FileId) -> bool {
    a.includes.iter().any(|edge| edge.target == file)
        || a.script_runs.iter().any(|(run, _)| *run == file)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, LINK};

    fn template() -> String {
        LINK.replace("[dag-treasury]", "[$(DagName)]")
            .replace("[AG_Treasury]", "[$(AgName)]")
    }

    #[test]
    fn variables_in_a_file_without_sqlcmd_commands() {
        let found = script(RULE.code, &template());
        // Once per file, at the first use.
        assert_eq!(lines(&found), [12]);
        assert_eq!(
            found[0].message,
            "$(AgName) is a SQLCMD variable, but this file defines none and has no SQLCMD command"
        );
    }

    #[test]
    fn the_file_defines_its_variables() {
        let good = format!(":setvar DagName dag-treasury\n:setvar AgName AG_Treasury\n{}", template());
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_variable_in_a_comment_only() {
        let good = format!("-- run with sqlcmd -v DagName=$(DagName)\n{LINK}");
        assert_eq!(script(RULE.code, &good), []);
    }

    #[test]
    fn a_file_that_certainly_runs_in_sqlcmd_mode() {
        let step = template();
        let master = ":setvar DagName dag-treasury\n:setvar AgName AG_Treasury\n:r .\\02_link.sql\n";
        let included = findings(RULE.code, &[("01_run_all.sql", master), ("02_link.sql", &step)], None);
        assert_eq!(included, []);
        let ps1 = "Invoke-Sqlcmd -ServerInstance SQLFIN01 -InputFile .\\02_link.sql -Variable \"DagName=dag-treasury\", \"AgName=AG_Treasury\"\n";
        let run = findings(RULE.code, &[("02_link.sql", &step), ("deploy.ps1", ps1)], None);
        assert_eq!(run, []);
    }
}
