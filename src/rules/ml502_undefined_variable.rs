//! ML502: a $(VAR) that no :setvar (or --var) defines.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML502,
    severity: Severity::Error,
    summary: "a $(VAR) is used that no :setvar before it (or --var) defines; sqlcmd stops there",
    catalogue: "H2",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A file without any SQLCMD command is ML503's (probably run without SQLCMD mode),
    // unless a master script includes it with `:r`: then it runs in the master's session,
    // and a variable that session does not define stops sqlcmd there.
    let included: std::collections::HashSet<_> = a.includes.iter().map(|e| e.target).collect();
    let scripts = a
        .scripts
        .iter()
        .filter(|s| s.script.has_sqlcmd_commands || included.contains(&s.file));
    for s in scripts.filter(|s| crate::analysis::queries::in_link_scope(a, s.file)) {
        for u in s.script.var_uses.iter().filter(|u| !u.resolved) {
            let later = s.script.setvars.iter().find(|v| {
                v.span.file == u.span.file
                    && v.name.eq_ignore_ascii_case(&u.name)
                    && v.span.start > u.span.start
            });
            let mut d = Diagnostic::new(
                RULE.code,
                RULE.severity,
                u.span,
                format!("SQLCMD variable '{}' is not defined", u.name),
            )
            .with_primary_label("undefined");
            d = match later {
                Some(def) => d.with_label(def.span, "defined only later, here").with_help("move the :setvar above its first use"),
                None => d.with_help(format!("add :setvar {} \"<value>\" at the top of the script, or pass --var {}=<value> (sqlcmd -v)", u.name, u.name)),
            };
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, script, LINK};

    fn template() -> String {
        LINK.replace("[dag-treasury]", "[$(DagName)]")
    }

    #[test]
    fn a_misspelt_variable() {
        let bad = format!(":setvar DagName dag-treasury\n{}", LINK.replace("[dag-treasury]", "[$(DagNmae)]"));
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [21]);
        assert_eq!(found[0].message, "SQLCMD variable 'DagNmae' is not defined");
    }

    #[test]
    fn a_variable_defined_only_after_its_use() {
        let bad = format!("{}:setvar DagName dag-treasury\n", template());
        let found = script(RULE.code, &bad);
        assert_eq!(lines(&found), [20]);
    }

    #[test]
    fn every_variable_defined_before_its_use() {
        let good = format!(":setvar DagName dag-treasury\n{}", template());
        assert_eq!(script(RULE.code, &good), []);
        // sqlcmd compares names without case.
        let other_case = format!(":setvar DAGNAME dag-treasury\n{}", template());
        assert_eq!(script(RULE.code, &other_case), []);
    }

    #[test]
    fn a_step_file_reads_the_variables_of_its_master_script() {
        let step = template();
        let master = ":setvar DagName dag-treasury\n:r .\\02_link.sql\n";
        let good = findings(RULE.code, &[("01_run_all.sql", master), ("02_link.sql", &step)], None);
        assert_eq!(good, []);
        let without = ":r .\\02_link.sql\n";
        let found = findings(RULE.code, &[("01_run_all.sql", without), ("02_link.sql", &step)], None);
        assert_eq!(lines(&found), [20]);
        assert_eq!(found[0].file, "02_link.sql");
    }

    #[test]
    fn a_file_without_sqlcmd_commands_is_left_to_ml503() {
        assert_eq!(script(RULE.code, &template()), []);
    }

    #[test]
    fn a_script_outside_the_link_set_up() {
        let other = ":setvar Db Sales\nBACKUP DATABASE [$(Db)] TO DISK = N'$(BackupDir)\\Sales.bak';\n";
        assert_eq!(script(RULE.code, other), []);
    }
}
