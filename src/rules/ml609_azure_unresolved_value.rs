//! ML609: a value of an Azure or sqlcmd call cannot be known from the script, so it is not checked.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: Code::ML609,
    severity: Severity::Info,
    summary:
        "a value of an Azure or sqlcmd call cannot be known from the script, so it is not checked",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    // A sqlcmd / Invoke-Sqlcmd call matters only when it runs a script of a link set-up
    // (a repository's test and maintenance scripts run queries on many servers).
    let runs_link_script: std::collections::BTreeSet<usize> = a
        .script_runs
        .iter()
        .filter(|(file, _)| a.link_files.contains(file))
        .map(|(_, run)| *run)
        .collect();
    let link_runs = runs_link_script
        .iter()
        .filter_map(|&index| a.azure.runs.get(index))
        .flat_map(|run| &run.unresolved);
    for u in a.azure.unresolved.iter().chain(link_runs) {
        if u.why.starts_with(crate::azure::cli_value::NOT_READ) {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    RULE.severity,
                    u.span,
                    format!("{}: the value is not known ({}), so it is not checked", u.what, u.why),
                )
                .with_primary_label("not checked")
                .with_help("write the list in the Azure CLI's shorthand syntax (`\"[{database-name:Db1},{database-name:Db2}]\"`, `\"['Db1','Db2']\"`) or as JSON, and milink-lint compares it with the T-SQL"),
            );
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                u.span,
                format!("{}: the value is not known ({}), so it is not checked", u.what, u.why),
            )
            .with_primary_label("not checked")
            .with_help("assign the value in the script (`$Name = \"…\"`, `NAME=…`, `set NAME=…`) or give the parameter a default, and milink-lint compares it with the T-SQL"),
        );
    }
    // `--databases @dbs.json` whose file is not there (or not readable): said once, calmly.
    for link in crate::analysis::azure_links::relevant_links(a) {
        let Some((file, why)) = crate::analysis::azure_links::unread_databases_file(a, link) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                RULE.code,
                RULE.severity,
                file.span,
                format!(
                    "{} --databases: the value is not known ({why}), so it is not checked",
                    crate::analysis::azure_links::origin_name(link)
                ),
            )
            .with_primary_label("not checked")
            .with_help("milink-lint reads the file next to the shell script, as the script's folder holds it; keep the file in the repository, or write the list inline (`--databases \"[{database-name:Db1}]\"`)"),
        );
    }
}
