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
